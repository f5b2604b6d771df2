import type { FlinkMetric } from "./FlinkMetric.ts";

/** A required metric is missing for a vertex (MetricNotFoundException). */
export class MetricNotFoundException extends Error {
  constructor(
    readonly metric: FlinkMetric,
    readonly jobVertexId: string,
  ) {
    super(`Could not find required metric ${metric} for ${jobVertexId}`);
    this.name = "MetricNotFoundException";
  }
}
