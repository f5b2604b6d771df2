/**
 * Generates docs/findings.md from fresh runs: every scenario of the catalogue with its
 * two variants (tracking-on and tracking-off; for the scenarios of other settings, that
 * setting on and off), on SEEDS seeds each (common random numbers),
 * the paired differences with 95% confidence intervals, and the restart time the
 * autoscaler used against the actual restarts of one run, scaling by scaling.
 *
 *   npm run findings              writes docs/findings.md (and the runs under out/findings/)
 *   npm run findings -- --seeds 5 fewer seeds, for a quick look (not for the committed page)
 *   npm run findings -- --reuse   the page again from the runs already under out/findings/
 *
 * Runs go through the command line (`sim/main.ts --replications N`), one child process a
 * scenario, as many at once as the machine has cores.
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { TopLevelSpec } from "vega-lite";
import { DownsampleLog, timeAxis } from "../../src/report/charts.ts";
import { changingVertices, lagComparisonChart, parallelismComparisonChart, restartComparisonChart, type VariantRun } from "../../src/report/comparisonCharts.ts";
import { renderSvg } from "../../src/report/renderSvg.ts";
import { readSummary } from "../../src/report/runFiles.ts";
import { readRunData } from "../../src/report/runData.ts";
import { folderSource } from "../../src/node/runFolder.ts";
import "../../src/node/chartLibraries.ts";
import type { Summary } from "../../src/record/summary.ts";

const OUT = "docs/findings.md";
/** The charts of the page, beside it. */
const CHARTS = "docs/findings";
const RUNS = "out/findings";

/** A scenario of the page and the two variants it compares: the setting on, then off. */
interface Entry {
  readonly file: string;
  readonly on: string;
  readonly off: string;
}

const tracking = (file: string): Entry => ({ file, on: "tracking-on", off: "tracking-off" });

/** The catalogue's tracking scenarios, in the order of the page. */
const TRACKING: readonly Entry[] = [
  tracking("scenarios/backpressure.yaml"),
  tracking("scenarios/kafka-daily.yaml"),
  tracking("scenarios/redeploy-savepoint.yaml"),
  tracking("scenarios/restart-over-limit.yaml"),
  tracking("scenarios/restart-heavy-tail.yaml"),
  tracking("scenarios/spike-during-restart.yaml"),
  tracking("scenarios/large-state.yaml"),
  tracking("scenarios/join-enrichment.yaml"),
];

/** Scenarios that compare another setting of the autoscaler, after the tracking ones. */
const OTHER_SETTINGS: readonly Entry[] = [{ file: "scenarios/cpu-bound.yaml", on: "detection-on", off: "detection-off" }];

const CATALOGUE: readonly Entry[] = [...TRACKING, ...OTHER_SETTINGS];

/** What each scenario asks, in the autoscaler's terms: the mechanism, not the result (the tables give that). */
const MECHANISM: Record<string, string> = {
  backpressure:
    "The seed's job: restart.time 2 min, tracked restarts about 12 s. The restart time enters one term of `AutoScalerUtils#getTargetProcessingCapacity`, the restart catch-up rate `input rate x restart seconds / catch-up.duration seconds`; with the default catch-up.duration of 30 min that term is 120/1800 = 6.7% of the input rate without tracking and 12/1800 = 0.7% with it, 0.67 against 0.07 records/s at 10 records/s. The capacity is rounded to whole records per second (`Math.round`), so the term matters only where it tips the rounding: now and then by one record per second, which at 2 s per record is one subtask.",
  "kafka-daily":
    "Defaults everywhere (catch-up.duration 30 min, restart.time 5 min): the restart term is 300/1800 = 17% of the input rate without tracking and about 12/1800 = 0.7% with it. The target capacity a rescale aims at includes the term, and so does the scale-down threshold (`ScalingMetricEvaluator#computeProcessingRateThresholds`: the scale-up threshold leaves it out): a smaller restart term means scale ups aim lower and a vertex needs less spare capacity before it is scaled down.",
  "redeploy-savepoint":
    "restart.time 2 min against tracked restarts of some 3.5 min (savepoint + cancel + JobManager start; the redeploy is RUNNING before pods, deployment and a 4 min restore). Tracking raises the restart term from 120/1800 to about 210/1800 of the input rate after the first rescale; the restore, after the RUNNING timestamp, is in no tracked figure.",
  "restart-over-limit":
    "Tracked restarts of about 7.5 min against restart.time-tracking.limit 4 min: `ScalingTracking#getMaxRestartTimeOrDefault` returns min(largest tracked restart, limit), so with tracking the restart term is 240/1800 of the input rate at every decision after the first, without it 120/1800 (restart.time 2 min).",
  "restart-heavy-tail":
    "restart.time 1 min; in-place restarts of about 12 s, now and then minutes (pods with a heavy-tailed start). Tracking uses the largest restart among the scalings kept in the history (history.max.count 3, history.max.age 24 h): one slow pod keeps the restart term high until three newer scalings push it out, while a run of fast restarts brings it below the configured minute.",
  "spike-during-restart":
    "restart.time 5 min; tracked restarts about 2 min (redeploys with a 1.5 min savepoint). A spike arrives while the first scale up restarts, so the next decision sees a backlog (the lag catch-up term, `lag / catch-up seconds`) as well as the restart term; both add to the target capacity before rounding.",
  "join-enrichment":
    "restart.time 1 min, catch-up.duration 10 min; in-place rescales of about 7-11 s. The interval join's output is r1 x r2 x 60 s / 1,200 keys, so the load step at 40 minutes quadruples the pairs that the rule check and the async lookup receive, while the join's own input only doubles. The async lookup's true processing rate is records over busy time, and its busy time is the request CPU plus the waits for a free place in its queue (Flink 1.18.1): below its queue's limit it reads as nearly free, at the limit as capacity / mean latency. Tracking changes the restart term of every vertex's target capacity (60/600 of its input rate without, about 10/600 with).",
  "cpu-bound":
    "Not tracking: `job.autoscaler.scaling.effectiveness.detection.enabled`. When a vertex is to be scaled up again right after a scale-up, `JobVertexScaler#detectIneffectiveScaleUp` compares the gain in true processing rate since that scale-up with the gain it expected (its EXPECTED_PROCESSING_RATE); below `scaling.effectiveness.threshold` (0.1) of it, the scale-up was ineffective and the IneffectiveScaling event is sent. With detection on, the new scale-up is blocked; off, the event is only sent and the scale-up goes ahead. The node's 2.2 cores cap the job: every TaskManager past the second buys almost no CPU.",
  "large-state":
    "restart.time 2 min, catch-up.duration 5 min; in-place rescales reach RUNNING in about 12 s, then restore keyed state of 4-24 GiB (RocksDB incremental, 150 MiB/s per TaskManager) for 12-31 s before processing resumes. `ScalingTracking` measures decision to RUNNING, so tracking lowers the restart term from 120/300 to about 13/300 of the input rate while the real pause is about three times the tracked one: tracking makes the autoscaler under-provision for the catch-up after each restore.",
};

/** The figures of the page, by their key in comparison.csv, with a label. */
const FIGURES: readonly (readonly [string, string])[] = [
  ["scalings", "scalings"],
  ["scale_ups", "vertex scale ups"],
  ["scale_downs", "vertex scale downs"],
  ["restart_time_used_last_s", "restart time used, last (s)"],
  ["restart_actual_mean_s", "actual restart to RUNNING, mean (s)"],
  ["restart_until_processing_mean_s", "until processing resumed, mean (s)"],
  ["source_backpressured_share", "share of time sources back-pressured"],
  ["lag_max", "lag, max (records)"],
  ["lag_mean", "lag, mean (records)"],
  ["lag_s_max", "lag, max (s behind)"],
  ["time_lag_above_60s_s", "time with lag > 60 s (s)"],
  ["slot_hours", "slot-hours"],
  ["core_hours", "core-hours"],
  ["records_processed", "records processed"],
];

interface ComparisonRow {
  variant: string;
  figure: string;
  n: string;
  mean: string;
  ci95: string;
  diff_vs_first_mean: string;
  diff_vs_first_ci95: string;
}

function args(): { seeds: number; reuse: boolean } {
  const i = process.argv.indexOf("--seeds");
  const seeds = i < 0 ? 30 : Number(process.argv[i + 1]);
  if (!Number.isInteger(seeds) || seeds < 2) {
    process.stderr.write("error: --seeds expects an integer of at least 2\n");
    process.exit(2);
  }
  return { seeds, reuse: process.argv.includes("--reuse") };
}

/** Runs one scenario's variants with `seeds` replications through the command line. */
function runScenarioFile(file: string, seeds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "sim/main.ts", file, "--replications", String(seeds), "--out", RUNS, "--quiet"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${file}: exit ${code}: ${stderr.trim()}`))));
  });
}

/** Runs the files `jobs` at a time. */
async function runAll(files: readonly string[], seeds: number, jobs: number): Promise<void> {
  const queue = [...files];
  const started = performance.now();
  const worker = async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      await runScenarioFile(f, seeds);
      process.stderr.write(`[findings] ${f}: ${seeds} seeds x its variants done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
}

const nameOf = (file: string) => file.replace(/^scenarios\//, "").replace(/\.yaml$/, "");

/** The scenario's leading comment: what it represents, in its author's words. */
function headerComment(file: string): string {
  const lines: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  return lines.join(" ");
}

const fmt = (mean: string, ci: string) => (mean === "" ? "-" : ci === "" ? mean : `${mean} ± ${ci}`);

/** A paired difference is clear when its 95% interval excludes 0. */
function clear(row: ComparisonRow): boolean {
  const m = Number(row.diff_vs_first_mean);
  const ci = Number(row.diff_vs_first_ci95);
  return row.diff_vs_first_mean !== "" && row.diff_vs_first_ci95 !== "" && Math.abs(m) > ci;
}

function comparisonRows(file: string): ComparisonRow[] {
  return parse(readFileSync(join(RUNS, nameOf(file), "comparison.csv"), "utf8"), { columns: true }) as ComparisonRow[];
}

/** The overview: one row per scenario, the paired difference off − on of the figures people ask about first. */
function overview(entries: readonly Entry[]): string {
  const keys: readonly (readonly [string, string])[] = [
    ["scalings", "scalings"],
    ["slot_hours", "slot-hours"],
    ["lag_max", "lag, max (records)"],
    ["time_lag_above_60s_s", "time with lag > 60 s (s)"],
    ["restart_time_used_last_s", "restart time used, last (s)"],
  ];
  const cell = (r: ComparisonRow | undefined) => (r === undefined || r.diff_vs_first_mean === "" ? "-" : `${fmt(r.diff_vs_first_mean, r.diff_vs_first_ci95)}${clear(r) ? " **clear**" : ""}`);
  return [
    `| Scenario | ${keys.map(([, label]) => label).join(" | ")} |`,
    `| --- | ${keys.map(() => "---").join(" | ")} |`,
    ...entries.map((e) => {
      const rows = comparisonRows(e.file);
      const name = entries === TRACKING ? nameOf(e.file) : `${nameOf(e.file)} (${e.off} − ${e.on})`;
      return `| ${name} | ${keys.map(([key]) => cell(rows.find((r) => r.variant === e.off && r.figure === key))).join(" | ")} |`;
    }),
  ].join("\n");
}

/**
 * The comparison report's charts of the first seed's runs (parallelism of each vertex that
 * changed, restarts, lag), as SVG files beside the page; returns their Markdown.
 */
async function charts(entry: Entry): Promise<string[]> {
  const name = nameOf(entry.file);
  const folders = [entry.on, entry.off].map((variant) => ({ variant, files: folderSource(join(RUNS, name, variant)) }));
  const durationS = Math.max(...folders.map((f) => readSummary(f.files).duration_s));
  const runs: VariantRun[] = folders.map(({ variant, files }) => ({ variant, run: readRunData(files, { rangeEndS: durationS }) }));
  const axis = timeAxis(durationS);
  const specs: [string, string, TopLevelSpec | undefined][] = [
    ...changingVertices(runs).map((v, i): [string, string, TopLevelSpec] => [`parallelism-${i + 1}`, `parallelism of ${v}`, parallelismComparisonChart(runs, v, axis)]),
    ["restarts", "restart time per scaling, actual against used", runs.some((r) => r.run.restarts.length > 0) ? restartComparisonChart(runs) : undefined],
    ["lag", "pending records", lagComparisonChart(runs, axis, new DownsampleLog())],
  ];
  const out: string[] = [];
  for (const [kind, alt, spec] of specs) {
    if (spec === undefined) continue;
    const path = join(CHARTS, `${name}-${kind}.svg`);
    writeFileSync(path, await renderSvg(spec));
    out.push(`![${name}: ${alt}, seed 1, ${entry.on} and ${entry.off}](findings/${name}-${kind}.svg)`);
  }
  return out;
}

function section(index: number, entry: Entry, seeds: number, chartLines: readonly string[]): string {
  const { file, on: onName, off: offName } = entry;
  const name = nameOf(file);
  const rows = comparisonRows(file);
  const get = (variant: string, figure: string) => rows.find((r) => r.variant === variant && r.figure === figure);
  const table = [
    `| Figure | ${onName} | ${offName} | off − on (paired) | clear? |`,
    "| --- | --- | --- | --- | --- |",
    ...FIGURES.map(([key, label]) => {
      const on = get(onName, key);
      const off = get(offName, key);
      if (on === undefined || off === undefined) return `| ${label} | - | - | - | |`;
      return `| ${label} | ${fmt(on.mean, on.ci95)} | ${fmt(off.mean, off.ci95)} | ${fmt(off.diff_vs_first_mean, off.diff_vs_first_ci95)} | ${clear(off) ? "yes" : "no"} |`;
    }),
  ];
  const clearOnes = FIGURES.filter(([key]) => {
    const off = get(offName, key);
    return off !== undefined && clear(off);
  }).map(([, label]) => label);
  const observed =
    clearOnes.length === 0
      ? `Over ${seeds} seeds no paired difference is clear (every 95% interval of off − on includes 0): on this scenario the setting changes what the autoscaler believes, not what it does.`
      : `Clear paired differences (95% interval excludes 0) over ${seeds} seeds: ${clearOnes.join("; ")}. Everything else: no difference shown.`;

  // Restart time used against actual, scaling by scaling, in the first seed's runs.
  const restarts = (variant: string) => parse(readFileSync(join(RUNS, name, variant, "restarts.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  const on = restarts(onName);
  const off = restarts(offName);
  const summaryOn = JSON.parse(readFileSync(join(RUNS, name, onName, "summary.json"), "utf8")) as Summary;
  const perScaling = [
    `| # | kind | decided at (s) | actual to RUNNING (s) | until processing (s) | used, ${onName} (s) | used, ${offName} (s) |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...on.map((r, i) => `| ${i + 1} | ${r.kind} | ${r.decision_time_s} | ${r.actual_s} | ${r.processing_resumed_s} | ${r.restart_time_used_s} | ${off[i]?.restart_time_used_s ?? "-"} |`),
  ];
  return [
    `## ${index}. ${name}`,
    "",
    `\`${file}\`: ${headerComment(file)}`,
    "",
    `**Mechanism.** ${MECHANISM[name] ?? ""}`,
    "",
    `**${seeds} seeds** (seeds ${summaryOn.seed}..${summaryOn.seed + seeds - 1}, ${summaryOn.duration_s / 3600} h each), mean ± 95% CI; the difference is paired by seed:`,
    "",
    ...table,
    "",
    `**What the runs show.** ${observed}`,
    "",
    `Restart time used against actual restarts, scaling by scaling, seed ${summaryOn.seed} (the decisions of the two variants may differ; the used time of ${offName} is that of its own scaling with the same number):`,
    "",
    ...perScaling,
    "",
    "The first seed's runs, as their comparison report draws them:",
    "",
    ...chartLines.flatMap((l) => [l, ""]),
  ].join("\n");
}

async function main(): Promise<void> {
  const { seeds, reuse } = args();
  mkdirSync(RUNS, { recursive: true });
  if (!reuse) await runAll(CATALOGUE.map((e) => e.file), seeds, availableParallelism());
  rmSync(CHARTS, { recursive: true, force: true });
  mkdirSync(CHARTS, { recursive: true });
  const sections: string[] = [];
  for (const [i, e] of CATALOGUE.entries()) sections.push(section(i + 1, e, seeds, await charts(e)));
  const page = [
    "# What restart-time tracking changes",
    "",
    "Generated by `npm run findings` from fresh runs (do not edit by hand). Each scenario of the",
    "catalogue runs with `job.autoscaler.restart.time-tracking.enabled` true (`tracking-on`) and",
    `false (\`tracking-off\`), ${seeds} seeds each on common random numbers: the same seed draws the`,
    "same costs, noise and restart phases in both variants, so the paired difference shows what",
    "the setting changes and not noise. A difference is called clear when its 95% confidence",
    "interval (Student's t over the per-seed differences) excludes 0. Lag is sampled through",
    "restarts (the topic's backlog while no reader reports it); `s behind` is the backlog over",
    "the producers' rate. Runs are written under `out/findings/`; `npm run sim -- report` draws",
    "any of them.",
    "",
    "Rates are a hundredth of production's with costs a hundred times higher (so the utilization",
    "the autoscaler sees is the same) until the aggregate execution mode of issue #14 makes",
    "production rates cheap to simulate.",
    "",
    "## Overview",
    "",
    "Tracking off minus tracking on, paired by seed, mean ± 95% CI; **clear** where the interval excludes 0.",
    "",
    overview(TRACKING),
    "",
    "Other settings, the named variant minus the first, paired by seed (same figures):",
    "",
    overview(OTHER_SETTINGS),
    "",
    ...sections,
  ].join("\n");
  const tmp = `${OUT}.tmp`;
  writeFileSync(tmp, page);
  renameSync(tmp, OUT);
  process.stderr.write(`wrote ${OUT}\n`);
}

await main();
