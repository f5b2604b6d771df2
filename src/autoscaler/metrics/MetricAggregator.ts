import type { MetricAggregatorName } from "../config/AutoScalerOptions.ts";
import type { AggregatedMetric } from "./AggregatedMetric.ts";

export type MetricAggregator = MetricAggregatorName;

/** MetricAggregator#get: the aggregate the aggregator names, NaN for a missing metric. */
export function getAggregate(aggregator: MetricAggregator, metric: AggregatedMetric | undefined): number {
  if (metric === undefined) return NaN;
  const value = aggregator === "AVG" ? metric.avg : aggregator === "MAX" ? metric.max : metric.min;
  // Upstream unboxes the Double: a NullPointerException when Flink did not send the aggregate.
  if (value === undefined) throw new Error(`Flink metric ${metric.id} has no ${aggregator.toLowerCase()}`);
  return value;
}
