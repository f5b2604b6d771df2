import type { JobAutoScalerContext } from "./JobAutoScalerContext.ts";
import type { AggregatedMetric, Metric } from "./metrics/AggregatedMetric.ts";
import type { FlinkMetric } from "./metrics/FlinkMetric.ts";
import type { RestClusterClient } from "./RestClusterClient.ts";
import { ScalingMetricCollector } from "./ScalingMetricCollector.ts";
import { getLogger } from "./utils/Logger.ts";

const LOG = getLogger("org.apache.flink.autoscaler.RestApiMetricsCollector");

const COMMON_TM_METRIC_NAMES = new Map<string, FlinkMetric>([
  ["Status.JVM.Memory.Heap.Max", "HEAP_MEMORY_MAX"],
  ["Status.JVM.Memory.Heap.Used", "HEAP_MEMORY_USED"],
  ["Status.Flink.Memory.Managed.Used", "MANAGED_MEMORY_USED"],
  ["Status.JVM.Memory.Metaspace.Used", "METASPACE_MEMORY_USED"],
]);

const TM_METRIC_NAMES_WITH_GC = new Map<string, FlinkMetric>([
  ...COMMON_TM_METRIC_NAMES,
  ["Status.JVM.GarbageCollector.All.TimeMsPerSecond", "TOTAL_GC_TIME_PER_SEC"],
]);

/** Collects metrics through Flink's REST API (RestApiMetricsCollector). */
export class RestApiMetricsCollector<KEY, Context extends JobAutoScalerContext<KEY>> extends ScalingMetricCollector<KEY, Context> {
  protected queryAllAggregatedMetrics(
    ctx: Context,
    filteredVertexMetricNames: Map<string, Map<string, FlinkMetric>>,
  ): Map<string, Map<FlinkMetric, AggregatedMetric>> {
    const out = new Map<string, Map<FlinkMetric, AggregatedMetric>>();
    for (const [vertex, metrics] of filteredVertexMetricNames) out.set(vertex, this.queryAggregatedVertexMetrics(ctx, vertex, metrics));
    return out;
  }

  protected queryAggregatedVertexMetrics(ctx: Context, jobVertexID: string, metrics: Map<string, FlinkMetric>): Map<FlinkMetric, AggregatedMetric> {
    LOG.debug("Querying metrics {} for {}", metrics, jobVertexID);
    const response = ctx.getRestClusterClient().getAggregatedSubtaskMetrics(ctx.getJobID(), jobVertexID, [...metrics.keys()]);
    return aggregateByFlinkMetric(metrics, response);
  }

  protected queryJmMetrics(ctx: Context): Map<FlinkMetric, Metric> {
    const metrics = new Map<string, FlinkMetric>([
      ["taskSlotsTotal", "NUM_TASK_SLOTS_TOTAL"],
      ["taskSlotsAvailable", "NUM_TASK_SLOTS_AVAILABLE"],
    ]);
    return this.queryJmMetricsOf(ctx.getRestClusterClient(), metrics);
  }

  protected queryJmMetricsOf(restClient: RestClusterClient, metrics: Map<string, FlinkMetric>): Map<FlinkMetric, Metric> {
    const out = new Map<FlinkMetric, Metric>();
    for (const m of restClient.getJobManagerMetrics([...metrics.keys()])) out.set(metrics.get(m.id)!, m);
    return out;
  }

  protected queryTmMetrics(ctx: Context): Map<FlinkMetric, AggregatedMetric> {
    const restClient = ctx.getRestClusterClient();
    // Flink returns nothing when one requested name is missing, so the GC metric is probed once.
    let hasGcMetrics = this.jobsWithGcMetrics.get(ctx.getJobKey());
    if (hasGcMetrics === undefined) {
      hasGcMetrics = this.queryAggregatedTmMetrics(restClient, TM_METRIC_NAMES_WITH_GC).size > 0;
      LOG.debug(hasGcMetrics ? "TaskManager GC metrics found" : "No GC metrics found, using only heap information");
      this.jobsWithGcMetrics.set(ctx.getJobKey(), hasGcMetrics);
    }
    const tmMetrics = this.queryAggregatedTmMetrics(restClient, hasGcMetrics ? TM_METRIC_NAMES_WITH_GC : COMMON_TM_METRIC_NAMES);
    if (tmMetrics.size > 0) return tmMetrics;
    // Not even the required metrics: try again at the next call.
    this.jobsWithGcMetrics.delete(ctx.getJobKey());
    throw new Error("Missing required TM metrics");
  }

  protected queryAggregatedTmMetrics(restClient: RestClusterClient, metrics: Map<string, FlinkMetric>): Map<FlinkMetric, AggregatedMetric> {
    return aggregateByFlinkMetric(metrics, restClient.getAggregatedTaskManagerMetrics([...metrics.keys()]));
  }
}

/** Groups REST metrics by the FlinkMetric they stand for, merging several (e.g. pendingRecords of several readers). */
function aggregateByFlinkMetric(metrics: Map<string, FlinkMetric>, response: readonly AggregatedMetric[]): Map<FlinkMetric, AggregatedMetric> {
  const out = new Map<FlinkMetric, AggregatedMetric>();
  for (const m of response) {
    const key = metrics.get(m.id)!;
    const m1 = out.get(key);
    if (m1 === undefined) {
      out.set(key, m);
      continue;
    }
    out.set(key, {
      id: `${m1.id}-${m.id}`,
      min: m1.min !== undefined ? Math.min(m1.min, m.min!) : undefined,
      max: m1.max !== undefined ? Math.max(m1.max, m.max!) : undefined,
      // An average cannot be merged.
      avg: undefined,
      sum: m1.sum !== undefined ? m1.sum + m.sum! : undefined,
      skew: m1.skew !== undefined ? Math.max(m1.skew, m.skew!) : undefined,
    });
  }
  return out;
}
