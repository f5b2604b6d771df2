import type { EvaluatedScalingMetric } from "./EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "./ScalingMetric.ts";

/** The AutoScaler metric group's counters (AutoscalerFlinkMetrics without the metric registration). */
export interface AutoscalerFlinkMetrics {
  numScalings: number;
  numErrors: number;
  numBalanced: number;
}

/** RECOMMENDED_PARALLELISM starts as the current PARALLELISM. */
export function initRecommendedParallelism(evaluatedMetrics: Map<string, Map<ScalingMetric, EvaluatedScalingMetric>>): void {
  for (const metrics of evaluatedMetrics.values()) metrics.set("RECOMMENDED_PARALLELISM", metrics.get("PARALLELISM")!);
}

/** No recommendation while the metric window is not full (upstream puts null). */
export function resetRecommendedParallelism(evaluatedMetrics: Map<string, Map<ScalingMetric, EvaluatedScalingMetric>>): void {
  for (const metrics of evaluatedMetrics.values()) metrics.delete("RECOMMENDED_PARALLELISM");
}
