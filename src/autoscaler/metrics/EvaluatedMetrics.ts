import type { EvaluatedScalingMetric } from "./EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "./ScalingMetric.ts";

/** The evaluation of one run of the scaling logic: per vertex (by JobVertexID) and global metrics. */
export interface EvaluatedMetrics {
  readonly vertexMetrics: Map<string, Map<ScalingMetric, EvaluatedScalingMetric>>;
  readonly globalMetrics: Map<ScalingMetric, EvaluatedScalingMetric>;
}
