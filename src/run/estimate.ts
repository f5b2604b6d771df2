/**
 * What a run will cost before it starts: wall time and bytes written, worked out from the
 * scenario alone (duration, reconcile and sample intervals, job graph, source rates,
 * execution mode), so that the command line can say so before an hour-long or
 * many-gigabyte run, and say what would make it cheaper.
 *
 * The model, per run (one variant, one seed):
 *
 *   wall = START + reconciles x vertices x PER_VERTEX_RECONCILE          (the operator, the autoscaler, its DEBUG log)
 *        + handlings x PER_RECORD_HANDLING                               (record execution only)
 *        + virtual seconds x PER_AGGREGATE_SECOND                        (aggregate execution only: its slices)
 *        + REPORT + virtual days x REPORT_PER_DAY                        (report.html, unless --no-report)
 *
 * where handlings = virtual seconds x the records each operator receives per second plus
 * those the sources emit, at the sources' peak rates (a source emits its rate; an operator
 * receives what its inputs emit, and emits that x its selectivity), and
 *
 *   bytes = reconciles x (LOG_BYTES_PER_RECONCILE + vertices x LOG_BYTES_PER_VERTEX_RECONCILE)   (autoscaler.log, DEBUG)
 *         + samples x vertices x TIMESERIES_ROW_BYTES + reconciles x vertices x DECISION_ROW_BYTES
 *         + samples x subtasks x SUBTASK_ROW_BYTES                                      (subtasks.csv, with --subtasks or simulation.subtasks)
 *
 * where subtasks is an upper bound: the sum over vertices of the most subtasks a vertex can
 * have, its parallelism limit (parallelismLimit.ts) while the autoscaler may scale, else its
 * parallelism (a scaled job holds fewer for most of the run).
 *
 * Calibration (this project's 2-core machine, Node 20). The wall figures are the quiet
 * machine's, as docs/performance.md and issue 26 give them (the machine was loaded 10x over
 * when this was written, so runs timed then would not have been): the seed's 24 h, one
 * variant, record execution, 2 vertices, 10 rows/s: 1.3 s for the run, 2.1 s as a whole
 * process; the 24-partition Kafka job (2 vertices: source, enrich -> sink), 24 h in
 * aggregate: 2.8 to 3.0 s; the same job for 1 h record by record at 100, 1,000 and 3,000
 * records/s: 252, 746 and 1,678 ms. So:
 * - PER_RECORD_HANDLING: (1,678 - 746 ms) / (2,000 records/s x 3 handlings x 3,600 s) =
 *   0.043 us, (746 - 252) / (900 x 3 x 3,600) = 0.051 us: 0.05 us;
 * - PER_VERTEX_RECONCILE: (1.3 s - the seed's 30 handlings/s x 86,400 s x 0.05 us = 0.13 s)
 *   / 5,760 reconciles / 2 vertices = 0.1 ms;
 * - PER_AGGREGATE_SECOND: (2.9 s - 2 vertices x 5,760 x 0.1 ms) / 86,400 s = 20 us.
 * The model then gives the Kafka hour at 1,000 and 3,000 records/s 588 and 1,668 ms
 * (measured 746 and 1,678) and 100 records/s 102 ms (measured 252: short runs carry a
 * warm-up the model leaves out). The report's figures were measured on 2026-12-05 as CPU
 * time on the loaded machine and halved (the seed's day, 2.1 s whole when quiet, took 4.0 s
 * of CPU time that day): 1.3 s of CPU for a 1 h run's report, 2.2 s for 7 days': about
 * 0.6 s and 0.07 s a day.
 * Disk figures are a day's files measured on 2026-12-05: the seed's 33.9 MB of log (5,882
 * bytes a reconcile), 17,280 timeseries rows in 964 KB (56 bytes a row), 11,454 decision
 * rows in 1.15 MB (100 bytes; a row per vertex per reconcile here, an upper bound: none
 * while the metric window fills again); kafka-24-partitions' and kafka-daily's logs, also 2
 * vertices, 6,035 and 5,796 bytes a reconcile. Of a reconcile's 29 lines in the seed's log,
 * about 4,200 bytes are per vertex (metrics queried and computed, the scaler's reasoning)
 * and 1,750 are not: 1,750 + 2,100 a vertex (5,950 with 2 vertices). subtasks.csv: the seed's
 * 6 h with --subtasks (tracking-on), 26,065 rows in 1,594,767 bytes (61 bytes a row), about
 * 12 subtasks a sample against the bound's 24 (both vertices' max parallelism 12).
 * Expect the wall time within a factor of 2 for short runs and of about 10-20% for long
 * ones on a quiet machine; test/run/estimate.test.ts checks the formulas against figures
 * worked out by hand.
 */
import { AUTOSCALER_ENABLED, SCALING_ENABLED } from "../autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../autoscaler/config/Configuration.ts";
import { aggregateUnsupported } from "../flink/FlinkCluster.ts";
import { buildJobGraph } from "../flink/JobGraph.ts";
import { peakRate } from "../scenario/executionMode.ts";
import type { Scenario } from "../scenario/Scenario.ts";
import { parallelismLimit } from "./parallelismLimit.ts";

/** Starting the process and the run (loading, building the cluster). */
export const START_S = 0.3;
/** The operator's reconcile, the autoscaler's evaluation and its DEBUG log, per vertex. */
export const PER_VERTEX_RECONCILE_S = 0.0001;
/** One record received or emitted by one operator, in record execution. */
export const PER_RECORD_HANDLING_S = 5e-8;
/** A virtual second of aggregate execution (its slices and view updates). */
export const PER_AGGREGATE_SECOND_S = 2e-5;
/** report.html: charts and page, and reading the files per virtual day. */
export const REPORT_S = 0.6;
export const REPORT_PER_DAY_S = 0.07;
/**
 * autoscaler.log at INFO (simulation.logLevel) against DEBUG: 1,067,739 against 8,437,116
 * bytes for the seed's tracking-on variant over 6 h (measured 2026-12-05).
 */
const INFO_LOG_SHARE = 0.127;

/** autoscaler.log at DEBUG, per reconcile, and per reconcile and vertex. */
export const LOG_BYTES_PER_RECONCILE = 1750;
export const LOG_BYTES_PER_VERTEX_RECONCILE = 2100;
export const TIMESERIES_ROW_BYTES = 56;
export const DECISION_ROW_BYTES = 100;
export const SUBTASK_ROW_BYTES = 61;

/** One run's estimate. */
export interface RunEstimate {
  readonly virtualS: number;
  readonly vertices: number;
  readonly reconciles: number;
  /** Records received by an operator or emitted by a source per virtual second, at the sources' peak rates (record execution; 0 in aggregate). */
  readonly handlingsPerS: number;
  /** Subtasks per sample in subtasks.csv, an upper bound (0 when the run does not write it). */
  readonly subtasksPerSample: number;
  /** Wall seconds, by part. */
  readonly wall: { readonly start: number; readonly autoscaler: number; readonly records: number; readonly aggregate: number; readonly report: number };
  readonly wallS: number;
  /** Bytes, by file. */
  readonly bytes: FileBytes;
  readonly totalBytes: number;
}

/** Bytes by file. */
export interface FileBytes {
  readonly log: number;
  readonly timeseries: number;
  readonly decisions: number;
  readonly subtasks: number;
}

/**
 * The most subtasks the job can have at once: each vertex's parallelism limit while the
 * autoscaler may scale it (job.autoscaler.enabled and .scaling.enabled), else its parallelism.
 */
export function maxSubtasks(s: Scenario, graph: ReturnType<typeof buildJobGraph>): number {
  const conf = new Configuration(s.flinkConfiguration);
  const scales = conf.get(AUTOSCALER_ENABLED) && conf.get(SCALING_ENABLED);
  return graph.vertices.reduce((sum, v) => sum + (scales ? Math.max(v.parallelism, parallelismLimit(v, conf).value) : v.parallelism), 0);
}

/** Records each operator receives plus those the sources emit, per second, at the sources' peak rates. */
export function recordHandlingsPerSecond(job: Scenario["job"]): number {
  const emitted = new Map<string, number>();
  const emits = (id: string, path: readonly string[]): number => {
    const known = emitted.get(id);
    if (known !== undefined) return known;
    // A cycle is not a job graph; count it once rather than loop.
    if (path.includes(id)) return 0;
    const op = job.operators.find((o) => o.id === id);
    if (op === undefined) return 0;
    const out = op.source !== undefined ? peakRate(op.source.load) : received(id, [...path, id]) * op.selectivity;
    emitted.set(id, out);
    return out;
  };
  const received = (id: string, path: readonly string[]) => job.edges.filter((e) => e.to === id).reduce((sum, e) => sum + emits(e.from, path), 0);
  let total = 0;
  for (const op of job.operators) total += received(op.id, []) + (op.source !== undefined ? emits(op.id, []) : 0);
  return total;
}

/** The cost of one run of `s` (one variant, one seed); `report`: whether report.html is drawn. */
export function estimateRun(s: Scenario, report: boolean): RunEstimate {
  const virtualS = s.durationMs / 1000;
  const graph = buildJobGraph(s.job, { defaultParallelism: s.cluster.defaultParallelism, maxParallelism: s.cluster.maxParallelism, parallelismOverrides: s.cluster.parallelismOverrides });
  const vertices = graph.vertices.length;
  const reconciles = Math.floor(s.durationMs / s.reconcileIntervalMs);
  const samples = Math.floor(s.durationMs / s.sampleIntervalMs);
  const handlingsPerS = s.execution === "record" ? recordHandlingsPerSecond(s.job) : 0;
  const subtasksPerSample = s.subtasks ? maxSubtasks(s, graph) : 0;
  const wall = {
    start: START_S,
    autoscaler: reconciles * vertices * PER_VERTEX_RECONCILE_S,
    records: virtualS * handlingsPerS * PER_RECORD_HANDLING_S,
    aggregate: s.execution === "aggregate" ? virtualS * PER_AGGREGATE_SECOND_S : 0,
    report: report ? REPORT_S + (virtualS / 86_400) * REPORT_PER_DAY_S : 0,
  };
  const logShare = s.logLevel === "INFO" ? INFO_LOG_SHARE : 1;
  const bytes = {
    log: logShare * reconciles * (LOG_BYTES_PER_RECONCILE + vertices * LOG_BYTES_PER_VERTEX_RECONCILE),
    timeseries: samples * vertices * TIMESERIES_ROW_BYTES,
    decisions: reconciles * vertices * DECISION_ROW_BYTES,
    subtasks: samples * subtasksPerSample * SUBTASK_ROW_BYTES,
  };
  return {
    virtualS,
    vertices,
    reconciles,
    handlingsPerS,
    subtasksPerSample,
    wall,
    wallS: wall.start + wall.autoscaler + wall.records + wall.aggregate + wall.report,
    bytes,
    totalBytes: bytes.log + bytes.timeseries + bytes.decisions + bytes.subtasks,
  };
}

/** What the command runs: its variants, seeds per variant, and which seeds' files it writes. */
export interface CommandPlan {
  readonly scenarios: readonly Scenario[];
  readonly seeds: number;
  /** --keep-runs: every seed's files are written, not only the first's. */
  readonly keepRuns: boolean;
  readonly report: boolean;
}

export interface CommandEstimate {
  readonly runs: readonly RunEstimate[];
  readonly wallS: number;
  readonly totalBytes: number;
  readonly bytes: FileBytes;
  /** Wall seconds the reports take. */
  readonly reportS: number;
}

/**
 * The whole command: every variant's seeds run (the first seed's files are written, or
 * every seed's with --keep-runs; only written runs are reported on).
 */
export function estimateCommand(plan: CommandPlan): CommandEstimate {
  const runs = plan.scenarios.map((s) => estimateRun(s, plan.report));
  const written = plan.keepRuns ? plan.seeds : 1;
  let wallS = 0;
  let reportS = 0;
  const bytes = { log: 0, timeseries: 0, decisions: 0, subtasks: 0 };
  for (const r of runs) {
    const run = r.wallS - r.wall.report - r.wall.start;
    // The process starts once; every seed runs; the reports are drawn for the written runs.
    wallS += plan.seeds * run + written * r.wall.report;
    reportS += written * r.wall.report;
    bytes.log += written * r.bytes.log;
    bytes.timeseries += written * r.bytes.timeseries;
    bytes.decisions += written * r.bytes.decisions;
    bytes.subtasks += written * r.bytes.subtasks;
  }
  wallS += START_S;
  return { runs, wallS, reportS, bytes, totalBytes: bytes.log + bytes.timeseries + bytes.decisions + bytes.subtasks };
}

/** From here on a run is said to be long or big: a warning on stderr before it starts. */
export const WARN_WALL_S = 180;
export const WARN_BYTES = 2e9;
/** From here on the command line asks before it starts (on a terminal), or wants --yes. */
export const CONFIRM_WALL_S = 1800;
export const CONFIRM_BYTES = 10e9;

export type Verdict = "fine" | "warn" | "confirm";

export function verdict(e: CommandEstimate): Verdict {
  if (e.wallS >= CONFIRM_WALL_S || e.totalBytes >= CONFIRM_BYTES) return "confirm";
  if (e.wallS >= WARN_WALL_S || e.totalBytes >= WARN_BYTES) return "warn";
  return "fine";
}

/** "45 s", "9 min", "2.5 h". */
export function formatWall(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** "850 MB", "14.4 GB" (decimal units, as df -H). */
export function formatBytes(b: number): string {
  if (b < 1e9) return `${Math.round(b / 1e6)} MB`;
  return `${(b / 1e9).toFixed(1)} GB`;
}

/**
 * The warning: the estimates, where they come from, and what would make the run cheaper,
 * the largest saving first among those that apply.
 */
export function costWarning(plan: CommandPlan, e: CommandEstimate): string {
  const first = plan.scenarios[0]!;
  const r = e.runs[0]!;
  const days = r.virtualS / 86_400;
  const what =
    `${days >= 2 ? `${formatNumber(days)} days` : `${formatNumber(r.virtualS / 3600)} h`} of virtual time` +
    (plan.scenarios.length > 1 ? ` x ${plan.scenarios.length} variants` : "") +
    (plan.seeds > 1 ? ` x ${plan.seeds} seeds` : "") +
    `, ${first.execution} execution`;
  const files = [`${formatBytes(e.bytes.log)} of autoscaler.log (${first.logLevel})`, `${formatBytes(e.bytes.timeseries)} of timeseries.csv`, `${formatBytes(e.bytes.decisions)} of decisions.csv`];
  if (e.bytes.subtasks > 0) files.push(`${formatBytes(e.bytes.subtasks)} of subtasks.csv (at most)`);
  const cheaper: string[] = ["a shorter --duration"];
  if (plan.scenarios.length > 1) cheaper.push(`--variant NAME (runs one of the ${plan.scenarios.length} variants)`);
  if (plan.seeds > 1) cheaper.push(`fewer --replications (${plan.seeds})${plan.keepRuns ? " or no --keep-runs" : ""}`);
  const records = e.runs.reduce((sum, x) => sum + x.wall.records, 0) * plan.seeds;
  // Only where the aggregate mode can run the job (what `auto` checks too, executionMode.ts).
  const aggregateCan = aggregateUnsupported(first.job, { cpu: first.cpu, slotsPerTaskManager: first.cluster.slotsPerTaskManager }) === null;
  if (first.execution === "record" && records > 0.3 * e.wallS && aggregateCan) cheaper.push(`simulation.execution: aggregate (record by record, ${formatNumber(r.handlingsPerS)} records handled per second take about ${formatWall(records)})`);
  if (first.logLevel === "DEBUG" && e.bytes.log > 0.3 * e.totalBytes) cheaper.push("simulation.logLevel: INFO (about an eighth of the log's bytes)");
  if (e.bytes.subtasks > 0.1 * e.totalBytes) cheaper.push("no --subtasks (simulation.subtasks: false)");
  if (e.bytes.timeseries > 0.1 * e.totalBytes) cheaper.push(`a longer simulation.sampleInterval (now ${first.sampleIntervalMs / 1000} s)`);
  if (plan.report && e.reportS >= 10) cheaper.push(`--no-report (about ${formatWall(e.reportS)})`);
  return `${first.file}: this run would take about ${formatWall(e.wallS)} and write about ${formatBytes(e.totalBytes)} (${what}: ${files.join(", ")}). Cheaper: ${cheaper.join("; ")}.`;
}

function formatNumber(x: number): string {
  return x >= 100 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}
