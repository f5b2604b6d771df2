import { max, mean } from "d3-array";
import { round } from "./csv.ts";
import { MAX_EXPLAINED_SCALINGS, type RestartTimeExplanation } from "./restartTimeExplanations.ts";
import type { TimeseriesStats } from "./TimeseriesStats.ts";

/** What the summary needs to know of one vertex at the end of a run. */
export interface VertexOutcome {
  readonly id: string;
  readonly name: string;
  readonly isSource: boolean;
  /** No outgoing edge: the end of a pipeline. */
  readonly isSink: boolean;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Records into the chain's last operator: for a sink vertex, what reached the sink operator. */
  readonly lastOperatorRecordsIn: number;
  readonly busyMs: number;
  readonly backPressuredMs: number;
  readonly idleMs: number;
  /** The highest parallelism the autoscaler may give the vertex, and what sets it. */
  readonly parallelismLimit: { readonly value: number; readonly by: string };
}

export interface RunOutcome {
  readonly scenario: string;
  readonly variant: string;
  readonly deployment: string;
  readonly seed: number;
  readonly startTime: string;
  readonly durationMs: number;
  readonly sampleIntervalMs: number;
  /** The execution mode the run used (record or aggregate). */
  readonly execution: string;
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
  readonly events: number;
  readonly vertices: readonly VertexOutcome[];
  /** What the samples added up to (the rows themselves are not kept). */
  readonly timeseries: TimeseriesStats;
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  /** Likely mistakes in the scenario that were not errors. */
  readonly warnings: readonly string[];
  /** Slot-hours used, TaskManagers coming and going included. */
  readonly slotHours: number;
  /** What the pods cost: TaskManager-hours (slot-hours' timeline), the pods' requests and the prices. */
  readonly cost: CostInputs;
  /** Why the autoscaler could not raise the parallelism, when it is off (null: it is on). */
  readonly autoscalerOff: string | null;
  readonly autoscaling: AutoscalingOutcome;
}

export interface CostInputs {
  readonly taskManagerHours: number;
  readonly taskManager: { readonly cores: number; readonly memoryBytes: number };
  readonly jobManager: { readonly cores: number; readonly memoryBytes: number; readonly replicas: number };
  readonly prices: { readonly coreHour: number; readonly gibHour: number; readonly currency: string } | undefined;
}

/** What the operator and the autoscaler did during the run. */
export interface AutoscalingOutcome {
  /** Runs of the scaling executor (scaling decisions evaluated). */
  readonly evaluations: number;
  readonly scalings: number;
  /** Each restart: from the decision to RUNNING (what the autoscaler tracks), and to every task running (processing resumed). */
  readonly restarts: readonly {
    readonly decisionTimeMs: number;
    readonly actualMs: number | null;
    readonly untilProcessingMs: number | null;
    readonly restartTimeUsedMs: number;
    readonly kind: string;
  }[];
  /** Restart time used at the first and at the last evaluation; null without evaluations. */
  readonly restartTimeUsedFirstMs: number | null;
  readonly restartTimeUsedLastMs: number | null;
  /** Executed vertex parallelism changes, up and down (one scaling may move several vertices). */
  readonly scaleUps: number;
  readonly scaleDowns: number;
  readonly events: number;
  /** Where the restart time used differs from an actual restart by more than 2x, why (restartTimeExplanations.ts). */
  readonly restartTimeExplanations: readonly RestartTimeExplanation[];
}

/** summary.json: the run's headline figures, deterministic (no wall-clock values). */
export function buildSummary(run: RunOutcome) {
  const share = (part: number, v: VertexOutcome) => {
    const total = v.busyMs + v.backPressuredMs + v.idleMs;
    return total > 0 ? round(part / total, 4) : 0;
  };
  const sources = run.vertices.filter((v) => v.isSource);
  const sinks = run.vertices.filter((v) => v.isSink);
  const durationS = run.durationMs / 1000;
  const slots = run.taskManagers * run.slotsPerTaskManager;
  const a = run.autoscaling;
  const actuals = a.restarts.map((r) => r.actualMs).filter((x): x is number => x !== null);
  const untilProcessing = a.restarts.map((r) => r.untilProcessingMs).filter((x): x is number => x !== null);
  return {
    scenario: run.scenario,
    variant: run.variant,
    deployment: run.deployment,
    seed: run.seed,
    startTime: run.startTime,
    duration_s: durationS,
    sample_interval_s: run.sampleIntervalMs / 1000,
    execution: run.execution,
    task_managers: run.taskManagers,
    slots,
    slot_hours: round(run.slotHours, 3),
    ...costFigures(run.cost, run.durationMs),
    events: run.events,
    // What sources emitted: a legacy source counts no input, only output.
    records_produced: sources.reduce((a, v) => a + v.recordsOut, 0),
    // Counted at the sink operator, not at the input of its chain (a chained filter drops records before it).
    records_delivered_to_sinks: sinks.reduce((a, v) => a + v.lastOperatorRecordsIn, 0),
    source_backpressured_share: sources.length === 0 ? 0 : round(mean(sources, (v) => share(v.backPressuredMs, v)) ?? 0, 4),
    ...lagFigures(run.timeseries, run.sampleIntervalMs),
    keeping_up: keepingUp(run, sources, durationS),
    autoscaling: {
      evaluations: a.evaluations,
      scalings: a.scalings,
      restarts: a.restarts.length,
      restart_actual_mean_s: actuals.length === 0 ? null : round(mean(actuals)! / 1000, 3),
      restart_actual_max_s: actuals.length === 0 ? null : round(max(actuals)! / 1000, 3),
      restart_until_processing_mean_s: untilProcessing.length === 0 ? null : round(mean(untilProcessing)! / 1000, 3),
      restart_until_processing_max_s: untilProcessing.length === 0 ? null : round(max(untilProcessing)! / 1000, 3),
      restart_time_used_first_s: a.restartTimeUsedFirstMs === null ? null : a.restartTimeUsedFirstMs / 1000,
      restart_time_used_last_s: a.restartTimeUsedLastMs === null ? null : a.restartTimeUsedLastMs / 1000,
      scalings_per_h: round(a.scalings / (durationS / 3600), 4),
      scale_ups: a.scaleUps,
      scale_downs: a.scaleDowns,
      events: a.events,
      // Each scaling's cause counted; the first MAX_EXPLAINED_SCALINGS scalings and the last evaluation in words (a month's run may scale hundreds of times).
      restart_time_explanation_causes: explanationCauses(a.restartTimeExplanations),
      restart_time_explanations: a.restartTimeExplanations.filter((e, i) => e.scaling === null || i < MAX_EXPLAINED_SCALINGS),
    },
    vertices: run.vertices.map((v) => {
      return {
        id: v.id,
        name: v.name,
        parallelism: v.parallelism,
        // The highest parallelism the vertex ran at, and how long it ran at each (from the samples).
        parallelism_max_reached: Math.max(v.parallelism, run.timeseries.maxParallelism(v.name)),
        time_at_parallelism_s: Object.fromEntries(run.timeseries.samplesAtParallelism(v.name).map(([p, n]) => [String(p), round((n * run.sampleIntervalMs) / 1000, 3)])),
        max_parallelism: v.maxParallelism,
        records_in: v.recordsIn,
        records_out: v.recordsOut,
        mean_records_in_per_s: round(v.recordsIn / durationS, 4),
        busy_share: share(v.busyMs, v),
        backpressured_share: share(v.backPressuredMs, v),
        idle_share: share(v.idleMs, v),
        // NaN (a legacy source's busy time) skipped; null when every sample was NaN.
        max_busy_ms_per_s: run.timeseries.maxBusyMsPerS(v.name),
      };
    }),
    effective_configuration: run.flinkConfiguration,
    warnings: run.warnings,
  };
}

export type Summary = ReturnType<typeof buildSummary>;

/** How many scalings each cause explains (the last evaluation not counted), in the order the causes first appear. */
function explanationCauses(explanations: readonly RestartTimeExplanation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of explanations) if (e.scaling !== null) out[e.cause] = (out[e.cause] ?? 0) + 1;
  return out;
}

const GIB = 1024 ** 3;

/**
 * Core-hours and memory-GiB-hours of the pods' requests: every TaskManager for the time it is
 * registered (slot-hours' timeline), the JobManager's replicas for the whole run; the cost
 * with prices (null without).
 */
export function costFigures(c: CostInputs, durationMs: number) {
  const jmHours = (c.jobManager.replicas * durationMs) / 3_600_000;
  const coreHours = c.taskManagerHours * c.taskManager.cores + jmHours * c.jobManager.cores;
  const gibHours = (c.taskManagerHours * c.taskManager.memoryBytes + jmHours * c.jobManager.memoryBytes) / GIB;
  return {
    core_hours: round(coreHours, 4),
    memory_gib_hours: round(gibHours, 4),
    cost: c.prices === undefined ? null : round(coreHours * c.prices.coreHour + gibHours * c.prices.gibHour, 4),
    cost_basis: {
      task_manager_hours: round(c.taskManagerHours, 4),
      task_manager: { cpu: c.taskManager.cores, memory_gib: round(c.taskManager.memoryBytes / GIB, 4) },
      job_manager: { cpu: c.jobManager.cores, memory_gib: round(c.jobManager.memoryBytes / GIB, 4), replicas: c.jobManager.replicas },
      prices: c.prices === undefined ? null : { core_hour: c.prices.coreHour, gib_hour: c.prices.gibHour, currency: c.prices.currency },
    },
  };
}

/** More than this share of the run back-pressured at the sources, or lagging over 60 s: the job cannot keep up. */
export const CANNOT_KEEP_UP_SHARE = 0.5;

const percent = (share: number) => `${(100 * share).toFixed(1)}%`;

/**
 * Whether the job kept up with its sources: not when its sources were back-pressured, or its
 * lag above 60 s, for most of the run; then which vertex sat at its parallelism limit.
 */
function keepingUp(run: RunOutcome, sources: readonly VertexOutcome[], durationS: number) {
  const busy = (v: VertexOutcome) => v.busyMs + v.backPressuredMs + v.idleMs;
  const backPressured = sources.length === 0 ? 0 : (mean(sources, (v) => (busy(v) > 0 ? v.backPressuredMs / busy(v) : 0)) ?? 0);
  const lagSeconds = run.timeseries.lagSeconds();
  const lagging = lagSeconds === null ? null : (lagSeconds.samplesAbove * run.sampleIntervalMs) / 1000 / durationS;
  const keepsUp = backPressured <= CANNOT_KEEP_UP_SHARE && (lagging ?? 0) <= CANNOT_KEEP_UP_SHARE;
  const atLimit = run.vertices
    .map((v) => ({ v, reached: Math.max(v.parallelism, run.timeseries.maxParallelism(v.name)) }))
    .filter(({ v, reached }) => reached >= v.parallelismLimit.value)
    .map(({ v }) => `${v.name} reached parallelism ${v.parallelismLimit.value}, its limit (${v.parallelismLimit.by})`);
  const limit = atLimit.length > 0 ? atLimit.join("; ") : run.autoscalerOff !== null ? run.autoscalerOff : "no vertex reached its parallelism limit";
  const why = lagging !== null && lagging > backPressured ? `the lag was above 60 s for ${percent(lagging)} of the run` : `${sources.length === 1 ? "the source was" : "the sources were"} back-pressured ${percent(backPressured)} of the run`;
  return {
    keeps_up: keepsUp,
    lagging_share: lagging === null ? null : round(lagging, 4),
    limit: keepsUp ? null : limit,
    verdict: keepsUp ? "the job kept up with its sources" : `${why}: the job could not keep up; ${limit}`,
  };
}

/**
 * Lag over the samples: pending records summed over the sources (max, mean), the same in
 * seconds of production (pending / the topics' produce rate: max, mean), and the time above
 * LAG_THRESHOLD_S (60 s); null when no source reports pending records.
 */
function lagFigures(stats: TimeseriesStats, sampleIntervalMs: number) {
  const lag = stats.lag();
  const seconds = stats.lagSeconds();
  return {
    lag_max: lag === null ? null : lag.max,
    lag_mean: lag === null ? null : round(lag.mean, 3),
    lag_s_max: seconds === null ? null : round(seconds.max, 3),
    lag_s_mean: seconds === null ? null : round(seconds.mean, 3),
    // Named after LAG_THRESHOLD_S (60).
    time_lag_above_60s_s: seconds === null ? null : round((seconds.samplesAbove * sampleIntervalMs) / 1000, 3),
  };
}
