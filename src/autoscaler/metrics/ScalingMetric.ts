/** The metrics the autoscaler computes per vertex and per job (ScalingMetric enum). */
export const SCALING_METRICS = {
  LOAD: { calculateAverage: true },
  TRUE_PROCESSING_RATE: { calculateAverage: true },
  OBSERVED_TPR: { calculateAverage: true },
  TARGET_DATA_RATE: { calculateAverage: true },
  CATCH_UP_DATA_RATE: { calculateAverage: false },
  LAG: { calculateAverage: false },
  PARALLELISM: { calculateAverage: false },
  RECOMMENDED_PARALLELISM: { calculateAverage: false },
  MAX_PARALLELISM: { calculateAverage: false },
  NUM_SOURCE_PARTITIONS: { calculateAverage: false },
  SCALE_UP_RATE_THRESHOLD: { calculateAverage: false },
  SCALE_DOWN_RATE_THRESHOLD: { calculateAverage: false },
  EXPECTED_PROCESSING_RATE: { calculateAverage: false },
  NUM_RECORDS_IN: { calculateAverage: false },
  NUM_RECORDS_OUT: { calculateAverage: false },
  ACCUMULATED_BUSY_TIME: { calculateAverage: false },
  GC_PRESSURE: { calculateAverage: false },
  HEAP_MEMORY_USED: { calculateAverage: true },
  MANAGED_MEMORY_USED: { calculateAverage: true },
  METASPACE_MEMORY_USED: { calculateAverage: true },
  HEAP_MAX_USAGE_RATIO: { calculateAverage: true },
  NUM_TASK_SLOTS_USED: { calculateAverage: false },
} as const;

export type ScalingMetric = keyof typeof SCALING_METRICS;

export const REPORTED_VERTEX_METRICS: ReadonlySet<ScalingMetric> = new Set<ScalingMetric>([
  "LOAD",
  "TRUE_PROCESSING_RATE",
  "TARGET_DATA_RATE",
  "CATCH_UP_DATA_RATE",
  "LAG",
  "PARALLELISM",
  "RECOMMENDED_PARALLELISM",
  "MAX_PARALLELISM",
  "NUM_SOURCE_PARTITIONS",
  "SCALE_UP_RATE_THRESHOLD",
  "SCALE_DOWN_RATE_THRESHOLD",
  "EXPECTED_PROCESSING_RATE",
]);

export function isCalculateAverage(metric: ScalingMetric): boolean {
  return SCALING_METRICS[metric].calculateAverage;
}

/**
 * `metrics.get(metric)` where upstream dereferences the result at once, which throws a
 * NullPointerException when the metric is absent: here an error naming the metric and
 * `where` it was looked for ("the evaluated metrics of vertex ...").
 */
export function requireMetric<V>(metrics: ReadonlyMap<ScalingMetric, V>, metric: ScalingMetric, where: string): V {
  const value = metrics.get(metric);
  if (value === undefined) throw new Error(`Missing metric ${metric} in ${where}`);
  return value;
}

/** requireMetric on one vertex's evaluated metrics. */
export function requireVertexMetric<V>(metrics: ReadonlyMap<ScalingMetric, V>, metric: ScalingMetric, vertex: string): V {
  return requireMetric(metrics, metric, `the evaluated metrics of vertex ${vertex}`);
}
