import type { EvaluatedScalingMetric } from "./metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "./metrics/ScalingMetric.ts";

/** One vertex's scaling decision: from and to which parallelism, on which metrics. */
export class ScalingSummary {
  constructor(
    readonly currentParallelism: number,
    readonly newParallelism: number,
    readonly metrics: Map<ScalingMetric, EvaluatedScalingMetric>,
  ) {
    if (currentParallelism === newParallelism) {
      throw new Error("Current parallelism should not be equal to newParallelism during scaling.");
    }
  }

  getCurrentParallelism(): number {
    return this.currentParallelism;
  }

  getNewParallelism(): number {
    return this.newParallelism;
  }

  getMetrics(): Map<ScalingMetric, EvaluatedScalingMetric> {
    return this.metrics;
  }

  isScaledUp(): boolean {
    return this.newParallelism > this.currentParallelism;
  }
}
