import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatDuration } from "../src/core/duration.ts";
import { writeRunFiles } from "../src/record/writeRunFiles.ts";
import { loadScenario, type Scenario } from "../src/scenario/loadScenario.ts";
import { ScenarioError } from "../src/scenario/ScenarioError.ts";
import { runScenario } from "./runScenario.ts";

const HELP = `Usage: npm run sim -- <scenario.yaml> [options]

Simulates the Flink job a scenario describes (a FlinkDeployment plus a simulation:
block) on a virtual clock and writes what happened to out/<scenario>/<variant>/.

Options:
  --out DIR          write under DIR instead of out/
  --seed N           seed of every random stream (overrides simulation.seed)
  --duration D       virtual time to simulate, in Flink's syntax: 30min, 2h, PT6H
  --set KEY=VALUE    set a flinkConfiguration key (repeatable), e.g.
                     --set pipeline.max-parallelism=24
  --quiet            print nothing but errors
  -h, --help         show this help

Files written: timeseries.csv, decisions.csv, restarts.csv, events.csv,
autoscaler.log and summary.json.
Exit status: 0 done, 2 bad scenario or arguments, 1 unexpected failure.

Example:
  npm run sim -- scenarios/backpressure.yaml --duration 2h --set taskmanager.numberOfTaskSlots=2
`;

class UsageError extends Error {}

interface Cli {
  readonly scenarioFile: string;
  readonly outDir: string;
  readonly seed: number | undefined;
  readonly duration: string | undefined;
  readonly set: Record<string, string>;
  readonly quiet: boolean;
}

function parseCli(argv: string[]): Cli | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        seed: { type: "string" },
        duration: { type: "string" },
        set: { type: "string", multiple: true },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length === 0) throw new UsageError("no scenario file given");
  if (positionals.length > 1) throw new UsageError(`one scenario file at a time, got ${positionals.length}: ${positionals.join(" ")}`);
  let seed: number | undefined;
  if (values.seed !== undefined) {
    if (!/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed expects an integer, got '${values.seed}'`);
    seed = Number(values.seed);
  }
  const set: Record<string, string> = {};
  for (const entry of values.set ?? []) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects KEY=VALUE, got '${entry}'`);
    set[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return {
    scenarioFile: positionals[0]!,
    outDir: values.out ?? "out",
    seed,
    duration: values.duration,
    set,
    quiet: values.quiet ?? false,
  };
}

function formatVirtual(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000).replace(/^PT/, "").toLowerCase();
}

/** Progress on stderr once a run has taken more than a second of wall time. */
function progressReporter(scenario: Scenario, quiet: boolean) {
  const started = performance.now();
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  let shown = false;
  return {
    update(virtualMs: number) {
      const elapsed = performance.now() - started;
      if (quiet || elapsed < 1000) return;
      const pct = Math.floor((100 * virtualMs) / scenario.durationMs);
      if (!tty && elapsed - lastLine < 5000 && virtualMs < scenario.durationMs) return;
      lastLine = elapsed;
      shown = true;
      const line = `[sim] ${scenario.name}: ${pct}% (${formatVirtual(virtualMs)} of ${formatVirtual(scenario.durationMs)} virtual, ${(elapsed / 1000).toFixed(1)} s)`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    done() {
      if (shown && tty) process.stderr.write("\n");
    },
  };
}

function main(argv: string[]): number {
  let cli: Cli | "help";
  try {
    cli = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (cli === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  let scenario: Scenario;
  try {
    scenario = loadScenario(cli.scenarioFile, { set: cli.set, seed: cli.seed, duration: cli.duration });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }

  const variant = "default";
  const progress = progressReporter(scenario, cli.quiet);
  const wallStart = performance.now();
  const result = runScenario(scenario, {
    variant,
    progressEveryMs: Math.max(60_000, Math.ceil(scenario.durationMs / 200)),
    onProgress: (t) => progress.update(t),
  });
  progress.done();
  const wallMs = performance.now() - wallStart;
  const dir = join(cli.outDir, scenario.name, variant);
  writeRunFiles(dir, result.files);

  if (!cli.quiet) {
    const s = result.summary;
    const lines = [
      `${scenario.name} (${scenario.deploymentName}), seed ${s.seed}: ${formatVirtual(scenario.durationMs)} of virtual time in ${(wallMs / 1000).toFixed(2)} s wall (${Math.round(scenario.durationMs / wallMs)}x), ${s.events} events`,
      `  autoscaler: ${s.autoscaling.evaluations} evaluations, ${s.autoscaling.scalings} scalings, ${s.autoscaling.restarts} restarts` +
        (s.autoscaling.restarts > 0
          ? ` (actual mean ${s.autoscaling.restart_actual_mean_s} s, max ${s.autoscaling.restart_actual_max_s} s; restart time used first ${s.autoscaling.restart_time_used_first_s} s, last ${s.autoscaling.restart_time_used_last_s} s)`
          : ""),
      `  ${s.task_managers} TaskManager(s) at the end, ${s.slot_hours} slot-hours`,
      `  records produced ${s.records_produced}, delivered to sinks ${s.records_delivered_to_sinks}; sources back-pressured ${(100 * s.source_backpressured_share).toFixed(1)}% of the time`,
      ...s.vertices.map(
        (v) =>
          `  ${v.name}: parallelism ${v.parallelism}/${v.max_parallelism}, ${v.mean_records_in_per_s} records/s in, busy ${(100 * v.busy_share).toFixed(1)}%, back-pressured ${(100 * v.backpressured_share).toFixed(1)}%, idle ${(100 * v.idle_share).toFixed(1)}%`,
      ),
      `  wrote ${Object.keys(result.files).join(", ")} to ${dir}/`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`error: unexpected failure: ${(e as Error).message}\n`);
  if (process.env.FLINK_SIM_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
}
