import { aggregateUnsupported, type AggregateCpuContext, type ExecutionMode } from "../flink/FlinkCluster.ts";
import type { JobSpec } from "../flink/JobGraph.ts";
import type { LoadProfileSpec } from "../flink/sources/LoadProfile.ts";

/** simulation.execution as a scenario states it. */
export type ExecutionSetting = ExecutionMode | "auto";

/**
 * `auto` runs in aggregate from this peak source rate (records/s, all sources together)
 * on: below it record by record costs less wall time than the aggregate mode's fixed
 * cost per slice, measured by `npm run bench -- execution` (docs/performance.md).
 */
export const AUTO_AGGREGATE_FROM_RECORDS_PER_SECOND = 1000;

/** The highest rate a load profile reaches (noise aside). */
export function peakRate(load: LoadProfileSpec): number {
  switch (load.profile) {
    case "constant":
      return load.rate;
    case "steps":
      return Math.max(0, ...load.steps.map((s) => s.rate));
    case "ramp":
      return Math.max(load.from, load.to);
    case "sine":
      return Math.max(load.min, load.max);
    case "trace":
      return Math.max(0, ...load.points.map((p) => p.rate));
  }
}

/**
 * The mode a run uses: `record` and `aggregate` as stated (aggregate only where it can
 * run the job: an Error otherwise, with the reason), `auto` aggregate from
 * AUTO_AGGREGATE_FROM_RECORDS_PER_SECOND on where it can, record otherwise. `cpu` (the
 * TaskManagers' CPU and slots) lets it tell whether a Python worker could be short of CPU,
 * which aggregate does not model (aggregateUnsupported); without it that is not checked.
 */
export function resolveExecution(setting: ExecutionSetting, job: JobSpec, cpu?: AggregateCpuContext): ExecutionMode {
  if (setting === "record") return "record";
  const why = aggregateUnsupported(job, cpu);
  if (setting === "aggregate") {
    if (why !== null) throw new Error(`${why}; use execution: record (or auto, which picks record for this job)`);
    return "aggregate";
  }
  if (why !== null) return "record";
  let rate = 0;
  for (const op of job.operators) if (op.source !== undefined) rate += peakRate(op.source.load);
  return rate >= AUTO_AGGREGATE_FROM_RECORDS_PER_SECOND ? "aggregate" : "record";
}
