import { folderOutput } from "../src/node/FileSink.ts";
import { dirname, join, resolve } from "node:path";
import { parseSetEntries } from "./setOptions.ts";
import { parseArgs } from "node:util";
import { formatDuration, parseDuration } from "../src/core/duration.ts";
import { restDumpOfCluster } from "../src/ingest/restDumpWriter.ts";
import { writeRestDump } from "../src/node/restFolder.ts";
import { existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { setImmediate as yieldToEvents } from "node:timers/promises";
import { commitFolder, stageFolder } from "../src/node/writeRunFiles.ts";
import { compare, comparisonCsv, comparisonTable, type VariantRuns } from "../src/record/comparison.ts";
import { comparisonVerdicts } from "../src/record/verdict.ts";
import type { Summary } from "../src/record/summary.ts";
import { estimateCommand } from "../src/run/estimate.ts";
import { checkCost } from "./costCheck.ts";
import { loadScenarioVariants } from "../src/node/loadScenario.ts";
import { type Scenario } from "../src/scenario/Scenario.ts";
import { runDiff } from "./diff.ts";
import { DIFF_HELP, HELP } from "./help.ts";
import { ScenarioError } from "../src/scenario/ScenarioError.ts";
import { unusableOutput } from "./outputFolder.ts";
import { userPath } from "./paths.ts";
import { RUN_FILES, ScenarioRun, type RunOutput } from "../src/run/runScenario.ts";
import { OVERRIDES_FILE, overridesJson } from "../src/record/overridesFile.ts";
import { carrySweeps } from "../src/node/sweep/carry.ts";
import { bareDurationArgument, runWarnings } from "../src/scenario/runWarnings.ts";


class UsageError extends Error {}

/** The largest seed: Number.MAX_SAFE_INTEGER, the last integer a double represents exactly. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;


interface Cli {
  readonly scenarioFile: string;
  readonly variant: string | undefined;
  readonly replications: number;
  readonly outDir: string;
  readonly seed: number | undefined;
  readonly duration: string | undefined;
  readonly set: Record<string, string>;
  readonly quiet: boolean;
  readonly strict: boolean;
  readonly keepRuns: boolean;
  /** Write report.html files (--no-report: not). */
  readonly report: boolean;
  /** --rest-dump T: the job's REST answers at virtual time T (ms), saved as `import` reads them. */
  readonly restDumpMs: number | undefined;
  /** Run a very long or very big run without asking (--yes). */
  readonly yes: boolean;
}

function parseCli(argv: string[]): Cli | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        variant: { type: "string" },
        replications: { type: "string" },
        seed: { type: "string" },
        duration: { type: "string" },
        set: { type: "string", multiple: true },
        quiet: { type: "boolean" },
        strict: { type: "boolean" },
        "keep-runs": { type: "boolean" },
        "no-report": { type: "boolean" },
        subtasks: { type: "boolean" },
        "rest-dump": { type: "string" },
        yes: { type: "boolean", short: "y" },
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
    // Only integers a double holds exactly: a larger one would round, and two seeds could be the same stream.
    if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(Number(values.seed))) {
      throw new UsageError(`--seed expects an integer from -${MAX_SEED} to ${MAX_SEED}, got '${values.seed}'`);
    }
    seed = Number(values.seed);
  }
  // --subtasks is simulation.subtasks: true for every variant.
  const set = parseSetEntries([...(values.set ?? []), ...(values.subtasks === true ? ["simulation.subtasks=true"] : [])], (m) => new UsageError(m));
  let replications = 1;
  if (values.replications !== undefined) {
    if (!/^\d+$/.test(values.replications) || Number(values.replications) < 1) throw new UsageError(`--replications expects a positive integer, got '${values.replications}'`);
    replications = Number(values.replications);
  }
  const bareDuration = values.duration === undefined ? undefined : bareDurationArgument("--duration", values.duration);
  if (bareDuration !== undefined) throw new UsageError(bareDuration);
  let restDumpMs: number | undefined;
  if (values["rest-dump"] !== undefined) {
    const bare = bareDurationArgument("--rest-dump", values["rest-dump"]);
    if (bare !== undefined) throw new UsageError(bare);
    try {
      restDumpMs = parseDuration(values["rest-dump"]);
    } catch {
      throw new UsageError(`--rest-dump expects a virtual time in Flink's syntax (30min, 2h), got '${values["rest-dump"]}'`);
    }
  }
  return {
    scenarioFile: userPath(positionals[0]!),
    variant: values.variant,
    replications,
    // out/ of the package by default, where .gitignore keeps it out of git.
    outDir: values.out === undefined ? "out" : userPath(values.out),
    seed,
    duration: values.duration,
    set,
    quiet: values.quiet ?? false,
    strict: values.strict ?? false,
    keepRuns: values["keep-runs"] ?? false,
    report: values["no-report"] !== true,
    restDumpMs,
    yes: values.yes ?? false,
  };
}

/** Free bytes on the file system that holds `dir` (or its nearest existing parent). */
function freeBytes(dir: string): number {
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const fs = statfsSync(at);
  return fs.bavail * fs.bsize;
}

/** "1 scaling", "6 scalings". */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function formatVirtual(ms: number): string {
  return formatDuration(Math.round(ms / 1000) * 1000).replace(/^PT/, "").toLowerCase();
}

/** Progress on stderr once the runs have taken more than a second of wall time. */
function progressReporter(scenario: Scenario, totalMs: number, quiet: boolean) {
  const started = performance.now();
  // --quiet never writes progress: process.stderr (a stream made on first use) is left alone.
  const tty = !quiet && process.stderr.isTTY === true;
  let lastLine = 0;
  let shown = false;
  return {
    update(virtualMs: number) {
      const elapsed = performance.now() - started;
      if (quiet || elapsed < 1000) return;
      if (!tty && elapsed - lastLine < 5000 && virtualMs < totalMs) return;
      lastLine = elapsed;
      shown = true;
      const pct = Math.floor((100 * virtualMs) / totalMs);
      const line = `[sim] ${scenario.name}: ${pct}% (${formatVirtual(virtualMs)} of ${formatVirtual(totalMs)} virtual, ${(elapsed / 1000).toFixed(1)} s)`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    done() {
      if (shown && tty) process.stderr.write("\n");
    },
  };
}

/**
 * Why the restart time used differs from actual restarts by more than 2x: the last
 * evaluation's reason in full, the scalings' counted by cause (summary.json and report.html
 * give each).
 */
function restartTimeLines(a: Summary["autoscaling"]): string[] {
  const last = (a.restart_time_explanations ?? []).find((e) => e.scaling === null);
  const causes = Object.entries(a.restart_time_explanation_causes ?? {});
  const n = causes.reduce((sum, [, count]) => sum + count, 0);
  return [
    ...(last === undefined ? [] : [`  restart time used at the last evaluation, ${last.used_s} s, against scaling ${last.actual_scaling}'s actual ${last.actual_s} s: ${last.text}`]),
    ...(n === 0
      ? []
      : [`  ${plural(n, "scaling")} used a restart time more than 2x away from the actual restart (${causes.map(([c, k]) => `${c} ${k}`).join(", ")}): why in summary.json (autoscaling.restart_time_explanations) and report.html`]),
  ];
}

function printRun(scenario: Scenario, s: Summary, wallMs: number, dir: string, files: readonly string[]): void {
  const a = s.autoscaling;
  const lines = [
    `${scenario.name}/${scenario.variant} (${scenario.deploymentName}), seed ${s.seed}: ${formatVirtual(scenario.durationMs)} of virtual time in ${(wallMs / 1000).toFixed(2)} s wall (${Math.round(scenario.durationMs / wallMs)}x), ${s.events} events, ${scenario.execution} execution`,
    `  autoscaler: ${plural(a.evaluations, "evaluation")}, ${plural(a.scalings, "scaling")}` +
      (a.restarts > 0
        ? `; restarts: actual mean ${a.restart_actual_mean_s} s, max ${a.restart_actual_max_s} s; restart time used first ${a.restart_time_used_first_s} s, last ${a.restart_time_used_last_s} s`
        : ""),
    ...restartTimeLines(a),
    `  cost: ${s.core_hours} core-hours, ${s.memory_gib_hours} memory GiB-hours${s.cost === null ? "" : `, ${s.cost} ${s.cost_basis.prices?.currency ?? ""}`} (${s.cost_basis.task_manager_hours} TaskManager-hours of ${s.cost_basis.task_manager.cpu} cores, ${s.cost_basis.task_manager.memory_gib} GiB; JobManager ${s.cost_basis.job_manager.replicas} x ${s.cost_basis.job_manager.cpu} cores, ${s.cost_basis.job_manager.memory_gib} GiB)`,
    `  ${s.keeping_up.keeps_up ? "kept up" : "CANNOT KEEP UP"}: ${s.keeping_up.verdict}`,
    `  ${s.task_managers} TaskManager(s) at the end, ${s.slot_hours} slot-hours; records produced ${s.records_produced}, delivered to sinks ${s.records_delivered_to_sinks}; sources back-pressured ${(100 * s.source_backpressured_share).toFixed(1)}% of the time`,
    ...s.vertices.map(
      (v) =>
        `  ${v.name}: parallelism ${v.parallelism}/${v.max_parallelism} at the end, ${v.mean_records_in_per_s} records/s in, busy ${(100 * v.busy_share).toFixed(1)}%, back-pressured ${(100 * v.backpressured_share).toFixed(1)}%, idle ${(100 * v.idle_share).toFixed(1)}%`,
    ),
    `  wrote ${files.join(", ")} to ${dir}/`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Renders report.html into a staged folder's run folders and comparison (the report code loads only then). */
async function addReports(stagedDir: string): Promise<void> {
  await (await import("../src/node/folderReports.ts")).rerenderReports(stagedDir);
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "diff") return runDiff(argv.slice(1));
  if (argv[0] === "report") return (await import("./report.ts")).runReport(argv.slice(1));
  if (argv[0] === "sweep") return (await import("./sweep.ts")).runSweepCommand(argv.slice(1));
  if (argv[0] === "merge") return (await import("./merge.ts")).runMergeCommand(argv.slice(1));
  if (argv[0] === "init" || argv[0] === "import" || argv[0] === "calibrate" || argv[0] === "replay") return (await import("./ingest.ts")).runIngestCommand(argv);
  let cli: Cli | "help";
  try {
    cli = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`error: ${e.message} (npm run sim -- --help for usage)\n`);
    return 2;
  }
  if (cli === "help") {
    process.stdout.write(`${HELP}\n${DIFF_HELP}`);
    return 0;
  }
  let scenarios: Scenario[];
  try {
    scenarios = loadScenarioVariants(cli.scenarioFile, { set: cli.set, seed: cli.seed, duration: cli.duration, variant: cli.variant, strict: cli.strict });
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }

  const first = scenarios[0]!;
  const scenarioDir = join(cli.outDir, first.name);
  const unusable = unusableOutput(scenarioDir);
  if (unusable !== undefined) {
    process.stderr.write(`error: --out ${cli.outDir}: ${unusable}\n`);
    return 2;
  }
  // Files are written as the run goes (one seed's per variant): they must fit on the disk.
  const plan = { scenarios, seeds: cli.replications, keepRuns: cli.keepRuns, report: cli.report };
  const estimate = estimateCommand(plan).totalBytes;
  const free = freeBytes(cli.outDir);
  if (estimate > free) {
    process.stderr.write(
      `error: ${first.file}: a run of ${formatVirtual(first.durationMs)} would write about ${(estimate / 2 ** 30).toFixed(1)} GiB, ` +
        `more than the ${(free / 2 ** 30).toFixed(1)} GiB free under ${resolve(cli.outDir)}; shorten --duration or lengthen simulation.sampleInterval\n`,
    );
    return 2;
  }
  const runProblems = [...new Set(scenarios.flatMap((s) => runWarnings(s)))];
  if (cli.strict && runProblems.length > 0) {
    process.stderr.write(`error: ${runProblems[0]} (--strict)\n`);
    return 2;
  }
  for (const warning of new Set([...scenarios.flatMap((s) => s.warnings), ...runProblems])) process.stderr.write(`warning: ${warning}\n`);
  // A long or big run says so first; a very long or very big one asks (or wants --yes).
  if (!(await checkCost(plan, cli.yes))) return 2;
  if (!Number.isSafeInteger(first.seed + cli.replications - 1)) {
    process.stderr.write(`error: seeds ${first.seed}.. for ${cli.replications} replications pass ${MAX_SEED}, the largest a double holds exactly\n`);
    return 2;
  }
  const seeds = Array.from({ length: cli.replications }, (_, i) => first.seed + i);
  const totalMs = scenarios.length * seeds.length * first.durationMs;
  const progress = progressReporter(first, totalMs, cli.quiet);

  // Everything goes into a folder beside its target and replaces it at the end: the whole
  // scenario's folder when every variant runs (its variants and comparison come from one
  // run), else the one variant's folder. An interrupted run removes its staging folder and
  // leaves the previous results as they were.
  const target = cli.variant === undefined ? scenarioDir : join(scenarioDir, cli.variant);
  const stage = stageFolder(target);
  const interrupted = (signal: NodeJS.Signals, code: number) => () => {
    rmSync(stage, { recursive: true, force: true });
    progress.done();
    process.stderr.write(`interrupted (${signal}): nothing written, ${target} is as it was\n`);
    process.exit(code);
  };
  const onInt = interrupted("SIGINT", 130);
  const onTerm = interrupted("SIGTERM", 143);
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  try {
    const runs: VariantRuns[] = [];
    const written: { scenario: Scenario; summary: Summary; wallMs: number }[] = [];
    let doneMs = 0;
    for (const base of scenarios) {
      const summaries: Summary[] = [];
      for (const seed of seeds) {
        const scenario = { ...base, seed };
        const wallStart = performance.now();
        // The first seed's files are written in full; the other seeds keep only their summary (--keep-runs: theirs too, in seed-<n>/).
        let output: RunOutput = { kind: "none" };
        if (seed === seeds[0] || cli.keepRuns) {
          const variantDir = cli.variant === undefined ? join(stage, scenario.variant) : stage;
          const dir = seed === seeds[0] ? variantDir : join(variantDir, `seed-${seed}`);
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, OVERRIDES_FILE), overridesJson({ scenario: scenario.name, variant: scenario.variant, seed, duration: cli.duration ?? null, set: cli.set }));
          output = folderOutput(dir);
        }
        const run = new ScenarioRun(scenario, { variant: scenario.variant, output, onProgress: (t) => progress.update(doneMs + t) });
        // A virtual minute a step (a few ms): signals are answered at once (tsx relays one to its child and
        // kills the child if it has not taken it within 60 ms, leaving the staging folder behind).
        const step = 60_000;
        const dumpAt = cli.restDumpMs !== undefined && seed === seeds[0] && output.kind === "sinks" ? Math.min(cli.restDumpMs, scenario.durationMs) : undefined;
        for (let t = step; !run.done; t += step) {
          if (dumpAt !== undefined && dumpAt > t - step && dumpAt <= t) {
            // The REST answers a user would save with scripts/flink-rest-dump.sh at that moment (read through a view of their own: the run goes on unchanged).
            run.advance(dumpAt);
            const variantDir = cli.variant === undefined ? join(stage, scenario.variant) : stage;
            writeRestDump(join(variantDir, "rest-dump"), restDumpOfCluster(run.cluster, run.env.now));
          }
          run.advance(t);
          // Signals are handled between steps: a run in progress can be interrupted cleanly.
          await yieldToEvents();
        }
        const result = run.finish();
        doneMs += scenario.durationMs;
        summaries.push(result.summary);
        if (seed === seeds[0]) written.push({ scenario, summary: result.summary, wallMs: performance.now() - wallStart });
      }
      runs.push({ variant: base.variant, seeds, summaries });
    }
    progress.done();

    const compared = runs.length > 1 || seeds.length > 1;
    const rows = compared ? compare(runs) : [];
    if (compared) writeFileSync(join(stage, "comparison.csv"), comparisonCsv(rows));
    // Reports are drawn from the staged files, so they go into place with them.
    if (cli.report) await addReports(stage);
    // A sweep's folders live in the scenario's folder too, and are not this run's to replace.
    if (cli.variant === undefined) carrySweeps(target, stage);
    // A Ctrl-C that came while the last report was written is answered now, before the results go into place.
    await yieldToEvents();
    commitFolder(stage, target);
    // A comparison of all variants no longer matches a variant run on its own.
    if (cli.variant !== undefined) rmSync(join(scenarioDir, "comparison.csv"), { force: true });
    if (!cli.quiet) {
      const files = (s: Scenario) => [...RUN_FILES, ...(s.subtasks ? ["subtasks.csv"] : []), OVERRIDES_FILE, ...(cli.report ? ["report.html"] : [])];
      for (const w of written) printRun(w.scenario, w.summary, w.wallMs, join(scenarioDir, w.scenario.variant), files(w.scenario));
      if (compared) {
        const title = seeds.length > 1 ? `${seeds.length} replications per variant (seeds ${seeds[0]}..${seeds.at(-1)}), mean ± 95% CI; differences paired by seed` : "one run per variant, same seed";
        const verdicts = comparisonVerdicts(rows, { durationS: first.durationMs / 1000, currency: first.prices?.currency ?? null });
        process.stdout.write(`\n${first.name}: ${title}\n${comparisonTable(runs, rows)}\n${verdicts.map((v) => `verdict: ${v}\n`).join("")}wrote ${join(target, "comparison.csv")}${cli.report ? ` and ${join(target, "report.html")}` : ""}\n`);
        if (seeds.length > 1) {
          const others = seeds.length === 2 ? `seed ${seeds[1]}` : `seeds ${seeds[1]}..${seeds.at(-1)}`;
          process.stdout.write(cli.keepRuns ? `every seed's files kept: ${others} in <variant>/seed-<n>/\n` : `${others}: only their figures are kept, in comparison.csv (--keep-runs keeps their files)\n`);
        }
      }
    }
    return 0;
  } finally {
    rmSync(stage, { recursive: true, force: true });
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  }
}

// Not awaited at the top level: the compiled command runs this module as CommonJS (sim/distCli.ts), which has no top-level await.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: unexpected failure: ${(e as Error).message}\n`);
    if (process.env.FLINK_SIM_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);
