import type { AggregatedMetric, Metric } from "./metrics/AggregatedMetric.ts";
import type { IOMetricsInfo } from "./topology/IOMetrics.ts";
import type { JsonPlan } from "./topology/JobTopology.ts";

/** A job vertex in /jobs/:jobid, the fields the autoscaler reads. */
export interface JobVertexDetailsInfo {
  readonly id: string;
  readonly name: string;
  readonly maxParallelism: number;
  readonly parallelism: number;
  readonly status: string;
  readonly metrics: IOMetricsInfo;
  readonly slotSharingGroupId?: string;
}

/** /jobs/:jobid (JobDetailsInfo), the fields the autoscaler reads. */
export interface JobDetailsInfo {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly timestamps: Readonly<Record<string, number>>;
  readonly vertices: readonly JobVertexDetailsInfo[];
  readonly plan: JsonPlan;
}

/**
 * The REST calls the autoscaler makes (Flink's RestClusterClient, reduced to them):
 * job details, aggregated subtask metrics (names only when `metricNames` is absent),
 * JobManager metrics, and TaskManager metrics aggregated over all TaskManagers.
 */
export interface RestClusterClient {
  getJobDetails(jobId: string | null): JobDetailsInfo;
  getAggregatedSubtaskMetrics(jobId: string | null, vertexId: string, metricNames?: readonly string[]): AggregatedMetric[];
  getJobManagerMetrics(metricNames: readonly string[]): Metric[];
  getAggregatedTaskManagerMetrics(metricNames: readonly string[]): AggregatedMetric[];
}
