import type { RestClusterClient } from "../autoscaler/RestClusterClient.ts";
import type { RestApi } from "../flink/rest/RestApi.ts";

/** The autoscaler's REST client, answered by the simulated cluster's REST view. */
export function simulatedRestClusterClient(rest: RestApi): RestClusterClient {
  return {
    getJobDetails: () => rest.getJobDetails(),
    getAggregatedSubtaskMetrics: (_jobId, vertexId, names) => rest.getAggregatedSubtaskMetrics(vertexId, names),
    getJobManagerMetrics: (names) => rest.getJobManagerMetrics(names),
    getAggregatedTaskManagerMetrics: (names) => rest.getAggregatedTaskManagerMetrics(names),
  };
}
