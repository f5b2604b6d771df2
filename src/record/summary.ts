import { mean } from "d3-array";
import { round } from "./csv.ts";
import type { TimeseriesRow } from "./TimeseriesRecorder.ts";

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
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
  readonly events: number;
  readonly vertices: readonly VertexOutcome[];
  readonly timeseries: readonly TimeseriesRow[];
  readonly flinkConfiguration: Readonly<Record<string, string>>;
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
  return {
    scenario: run.scenario,
    variant: run.variant,
    deployment: run.deployment,
    seed: run.seed,
    startTime: run.startTime,
    duration_s: durationS,
    sample_interval_s: run.sampleIntervalMs / 1000,
    task_managers: run.taskManagers,
    slots,
    slot_hours: round((slots * durationS) / 3600, 3),
    events: run.events,
    records_produced: sources.reduce((a, v) => a + v.recordsIn, 0),
    records_delivered_to_sinks: sinks.reduce((a, v) => a + v.recordsIn, 0),
    source_backpressured_share: sources.length === 0 ? 0 : round(mean(sources, (v) => share(v.backPressuredMs, v)) ?? 0, 4),
    vertices: run.vertices.map((v) => {
      const rows = run.timeseries.filter((r) => r.vertex === v.name);
      return {
        id: v.id,
        name: v.name,
        parallelism: v.parallelism,
        max_parallelism: v.maxParallelism,
        records_in: v.recordsIn,
        records_out: v.recordsOut,
        mean_records_in_per_s: round(v.recordsIn / durationS, 4),
        busy_share: share(v.busyMs, v),
        backpressured_share: share(v.backPressuredMs, v),
        idle_share: share(v.idleMs, v),
        max_busy_ms_per_s: rows.length === 0 ? 0 : Math.max(...rows.map((r) => r.busyMsPerS)),
      };
    }),
    effective_configuration: run.flinkConfiguration,
  };
}

export type Summary = ReturnType<typeof buildSummary>;
