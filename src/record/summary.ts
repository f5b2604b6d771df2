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
  readonly autoscaling: AutoscalingOutcome;
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
    events: run.events,
    // What sources emitted: a legacy source counts no input, only output.
    records_produced: sources.reduce((a, v) => a + v.recordsOut, 0),
    // Counted at the sink operator, not at the input of its chain (a chained filter drops records before it).
    records_delivered_to_sinks: sinks.reduce((a, v) => a + v.lastOperatorRecordsIn, 0),
    source_backpressured_share: sources.length === 0 ? 0 : round(mean(sources, (v) => share(v.backPressuredMs, v)) ?? 0, 4),
    ...lagFigures(run.timeseries, run.sampleIntervalMs),
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
