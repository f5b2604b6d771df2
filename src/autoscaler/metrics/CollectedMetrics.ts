import type { ScalingMetric } from "./ScalingMetric.ts";

/** The scaling metrics of one collection: per vertex (by JobVertexID) and global. */
export interface CollectedMetrics {
  readonly vertexMetrics: Map<string, Map<ScalingMetric, number>>;
  readonly globalMetrics: Map<ScalingMetric, number> | null;
}
