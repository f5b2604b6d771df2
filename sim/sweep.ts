import { availableParallelism } from "node:os";
import { parseSetEntries } from "./setOptions.ts";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScenarioError } from "../src/scenario/ScenarioError.ts";
import { parseShard, shardFromEnvironment, type Shard } from "../src/sweep/grid.ts";
import { sweepFolderName } from "../src/sweep/layout.ts";
import { planSweep, type SweepPlan } from "../src/node/sweep/plan.ts";
import { runSweep } from "../src/node/sweep/sweep.ts";
import { SweepError } from "../src/sweep/SweepError.ts";
import { cellTable } from "../src/sweep/cellTable.ts";
import { verdictCell } from "../src/sweep/cellVerdicts.ts";
import { sweepVerdicts } from "../src/record/verdict.ts";
import { SWEEP_HELP } from "./help.ts";
import { unusableOutput } from "./outputFolder.ts";
import { userPath } from "./paths.ts";
import { bareDurationArgument } from "../src/scenario/runWarnings.ts";

const USAGE = "(npm run sim -- sweep --help for usage)";

interface SweepCli {
  readonly scenarioFile: string;
  readonly grid: readonly string[];
  readonly replications: number;
  readonly jobs: number | undefined;
  readonly keepRuns: boolean;
  readonly outDir: string;
  readonly baseline: string | undefined;
  readonly seed: number | undefined;
  readonly duration: string | undefined;
  readonly set: Record<string, string>;
  readonly variant: string | undefined;
  readonly shard: Shard | undefined;
  readonly quiet: boolean;
  readonly strict: boolean;
  readonly dryRun: boolean;
  readonly figures: string | undefined;
  readonly rank: string | undefined;
}

const positiveInteger = (flag: string, text: string): number => {
  if (!/^\d+$/.test(text) || !(Number(text) >= 1) || !Number.isSafeInteger(Number(text))) throw new SweepError(`${flag} expects a positive integer, got '${text}'`);
  return Number(text);
};

function parseCli(argv: string[]): SweepCli | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        grid: { type: "string", multiple: true },
        replications: { type: "string" },
        jobs: { type: "string" },
        "keep-runs": { type: "boolean" },
        out: { type: "string" },
        baseline: { type: "string" },
        seed: { type: "string" },
        duration: { type: "string" },
        set: { type: "string", multiple: true },
        variant: { type: "string" },
        shard: { type: "string" },
        quiet: { type: "boolean" },
        strict: { type: "boolean" },
        "dry-run": { type: "boolean" },
        figures: { type: "string" },
        rank: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new SweepError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length !== 1) throw new SweepError(positionals.length === 0 ? "sweep needs a scenario file" : `one scenario file at a time, got ${positionals.length}: ${positionals.join(" ")}`);
  const set = parseSetEntries(values.set ?? [], (m) => new SweepError(m));
  let seed: number | undefined;
  if (values.seed !== undefined) {
    if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(Number(values.seed))) throw new SweepError(`--seed expects an integer that a double holds exactly, got '${values.seed}'`);
    seed = Number(values.seed);
  }
  const bareDuration = values.duration === undefined ? undefined : bareDurationArgument("--duration", values.duration);
  if (bareDuration !== undefined) throw new SweepError(bareDuration);
  return {
    scenarioFile: userPath(positionals[0]!),
    grid: values.grid ?? [],
    replications: values.replications === undefined ? 1 : positiveInteger("--replications", values.replications),
    jobs: values.jobs === undefined ? undefined : positiveInteger("--jobs", values.jobs),
    keepRuns: values["keep-runs"] ?? false,
    outDir: values.out === undefined ? "out" : userPath(values.out),
    baseline: values.baseline,
    seed,
    duration: values.duration,
    set,
    variant: values.variant,
    // An explicit --shard wins over a Kubernetes Indexed Job's environment.
    shard: values.shard !== undefined ? parseShard(values.shard) : shardFromEnvironment(process.env),
    quiet: values.quiet ?? false,
    strict: values.strict ?? false,
    dryRun: values["dry-run"] ?? false,
    figures: values.figures,
    rank: values.rank,
  };
}

/** Runs done, runs/s and time left on stderr: rewritten in place on a terminal, a line every 5 s otherwise. */
function progressReporter(name: string, quiet: boolean) {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let last = -Infinity;
  let shown = false;
  return {
    update(done: number, total: number) {
      const now = performance.now();
      // Nothing for sweeps done within a second; then at most 5 updates a second on a terminal, a line every 5 s in a log.
      if (quiet || now - started < 1000 || now - last < (tty ? 200 : 5000) || (done === total && !shown)) return;
      last = now;
      shown = true;
      const rate = done / ((now - started) / 1000);
      const left = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
      const line = `[sweep] ${name}: ${done}/${total} runs, ${rate.toFixed(1)} runs/s, ${Number.isNaN(left) ? "?" : left} s left`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    done() {
      if (shown && tty) process.stderr.write("\n");
    },
  };
}

function describePlan(plan: SweepPlan, jobs: number): string {
  const seeds = plan.seeds.length === 1 ? `seed ${plan.seeds[0]}` : `seeds ${plan.seeds[0]}..${plan.seeds.at(-1)}`;
  const shard = plan.shard === undefined ? "" : `, shard ${plan.shard.index} of ${plan.shard.count}: ${plan.runs.length} of them`;
  return `${plan.cells.length} cell(s) x ${plan.seeds.length} (${seeds}) = ${plan.cells.length * plan.seeds.length} runs${shard}, on ${jobs} worker(s)`;
}

/** npm run sim -- sweep ...: exit 0 done, 2 bad arguments or scenario, 1 a run failed, 130/143 interrupted. */
export async function runSweepCommand(argv: string[]): Promise<number> {
  let cli: SweepCli | "help";
  let plan: SweepPlan;
  try {
    cli = parseCli(argv);
    if (cli === "help") {
      process.stdout.write(SWEEP_HELP);
      return 0;
    }
    plan = planSweep(cli);
  } catch (e) {
    if (e instanceof SweepError) {
      process.stderr.write(`error: ${e.message} ${USAGE}\n`);
      return 2;
    }
    if (e instanceof ScenarioError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const unusable = unusableOutput(join(cli.outDir, plan.scenario));
  if (unusable !== undefined) {
    process.stderr.write(`error: --out ${cli.outDir}: ${unusable}\n`);
    return 2;
  }
  for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`);
  const target = join(cli.outDir, plan.scenario, sweepFolderName(plan.shard));
  const jobs = Math.max(1, Math.min(cli.jobs ?? availableParallelism(), plan.runs.length));
  if (cli.dryRun) {
    process.stdout.write(`${plan.scenario}: ${describePlan(plan, jobs)}; would write ${target}/ (--dry-run: nothing run)\n`);
    return 0;
  }
  const progress = progressReporter(plan.scenario, cli.quiet);
  const abort = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const stop = (s: NodeJS.Signals) => () => {
    signal = s;
    abort.abort();
  };
  const onInt = stop("SIGINT");
  const onTerm = stop("SIGTERM");
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  const started = performance.now();
  try {
    const result = await runSweep(plan, { jobs, out: cli.outDir, onProgress: (d, t) => progress.update(d, t), signal: abort.signal });
    progress.done();
    // The report is drawn from the files now in place (re-made any time by `sim report`).
    if (result.dir !== undefined && result.cells.length > 0) await (await import("../src/node/folderReports.ts")).rerenderReports(result.dir);
    if (!cli.quiet) {
      const seconds = (performance.now() - started) / 1000;
      const out = [
        `${plan.scenario}: ${describePlan(plan, jobs)}, in ${seconds.toFixed(1)} s (${(plan.runs.length / seconds).toFixed(1)} runs/s)`,
        ...(result.cells.length > 0 ? [cellTable(plan.axes, result.cells, { figures: plan.figures, rank: plan.rank })] : []),
        ...sweepVerdicts(plan.axes.map((a) => a.key), result.cells.slice(0, 40).map((c) => verdictCell(c, result.cells[plan.baseline]!)), { durationS: plan.durationS, currency: null }),
        `wrote ${[...Object.keys(result.files), ...(result.cells.length > 0 ? ["report.html"] : [])].sort().join(", ")} to ${target}/`,
        plan.keepRuns ? `and every run's files to ${target}/runs/cell-<n>/seed-<s>/` : "runs keep only their row in runs.csv; --keep-runs keeps every run's files",
      ];
      process.stdout.write(`${out.join("\n")}\n`);
    }
    return 0;
  } catch (e) {
    progress.done();
    if (signal !== undefined) {
      process.stderr.write(`interrupted (${signal}): nothing written, ${target} is as it was\n`);
      return signal === "SIGINT" ? 130 : 143;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}
