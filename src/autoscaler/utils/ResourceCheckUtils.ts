import type { EvaluatedScalingMetric } from "../metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../metrics/ScalingMetric.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import { toInt } from "./JavaCompat.ts";

type VertexMetrics = ReadonlyMap<string, ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>>;

/** Slots after a rescale: the largest new parallelism with slot sharing, their sum without. */
export function estimateNumTaskSlotsAfterRescale(
  vertexMetrics: VertexMetrics,
  scalingSummaries: ReadonlyMap<string, ScalingSummary>,
  numTaskSlotsUsed: number,
): number {
  const newParallelisms = computeNewParallelisms(scalingSummaries, vertexMetrics);
  const values = [...newParallelisms.values()];
  if (currentMaxParallelism(vertexMetrics) === numTaskSlotsUsed) return values.reduce((a, b) => Math.max(a, b), 0);
  return values.reduce((a, b) => a + b, 0);
}

export function computeNewParallelisms(scalingSummaries: ReadonlyMap<string, ScalingSummary>, vertexMetrics: VertexMetrics): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, metrics] of vertexMetrics) {
    const summary = scalingSummaries.get(id);
    out.set(id, summary !== undefined ? summary.newParallelism : toInt(metrics.get("PARALLELISM")!.getCurrent()));
  }
  return out;
}

function currentMaxParallelism(vertexMetrics: VertexMetrics): number {
  let max = 0;
  for (const m of vertexMetrics.values()) max = Math.max(max, toInt(m.get("PARALLELISM")!.getCurrent()));
  return max;
}
