/** Flink REST's AggregatedMetric (a subtask metric aggregated over subtasks); absent fields are undefined. */
export interface AggregatedMetric {
  readonly id: string;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly avg?: number | undefined;
  readonly sum?: number | undefined;
  readonly skew?: number | undefined;
}

/** Flink REST's Metric (a JobManager metric: an id and its value as text). */
export interface Metric {
  readonly id: string;
  readonly value?: string | undefined;
}

export function aggregatedMetric(id: string, min: number, max: number, avg: number, sum: number, skew = NaN): AggregatedMetric {
  return { id, min, max, avg, sum, skew };
}
