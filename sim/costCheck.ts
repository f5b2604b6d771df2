/**
 * Before a run: says what it will cost when that is a lot, and for a very long or very big
 * one asks first. On a terminal (stdin and stderr both TTYs) the question is asked; anywhere
 * else (CI, tests, pipes) nothing can answer, so such a run needs --yes and is refused
 * without it (exit 2, nothing written). --yes also skips the question on a terminal.
 */
import { createInterface } from "node:readline";
import { costWarning, estimateCommand, verdict, type CommandPlan } from "../src/run/estimate.ts";

/** Asks `question` on stderr and reads y/yes from stdin; no (and Ctrl-C, end of input) is false. */
function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise<boolean>((resolve) => {
    let answered = false;
    const done = (yes: boolean) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(yes);
    };
    // Ctrl-C at the question: readline takes it from the terminal, so no signal reaches the process.
    rl.on("SIGINT", () => {
      process.stderr.write("\n");
      done(false);
    });
    rl.on("close", () => done(false));
    rl.question(question, (answer) => done(/^\s*y(es)?\s*$/i.test(answer)));
  });
}

/**
 * Warns on stderr when the command is long or big (see estimate.ts) and, when it is very
 * long or very big, asks or wants --yes. Returns whether to go on; on false the caller
 * exits with 2 having written nothing.
 */
export async function checkCost(plan: CommandPlan, yes: boolean): Promise<boolean> {
  const estimate = estimateCommand(plan);
  const v = verdict(estimate);
  if (v === "fine") return true;
  process.stderr.write(`warning: ${costWarning(plan, estimate)}\n`);
  if (v === "warn" || yes) return true;
  if (process.stdin.isTTY === true && process.stderr.isTTY === true) {
    if (await ask("Run it anyway? [y/N] ")) return true;
    process.stderr.write("not run: nothing written\n");
    return false;
  }
  process.stderr.write("error: a run this long or this big needs --yes when there is no terminal to ask on; nothing written\n");
  return false;
}
