import { FLINK_CLIENT_TIMEOUT, METRICS_WINDOW, OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS, STABILIZATION_INTERVAL } from "./config/AutoScalerOptions.ts";
import type { Configuration } from "./config/Configuration.ts";
import { NotReadyException } from "./exceptions/NotReadyException.ts";
import type { JobAutoScalerContext } from "./JobAutoScalerContext.ts";
import type { AggregatedMetric, Metric } from "./metrics/AggregatedMetric.ts";
import { CollectedMetricHistory } from "./metrics/CollectedMetricHistory.ts";
import type { CollectedMetrics } from "./metrics/CollectedMetrics.ts";
import { findAll, findAny, FINISHED_METRICS, type FlinkMetric } from "./metrics/FlinkMetric.ts";
import { MetricNotFoundException } from "./metrics/MetricNotFoundException.ts";
import type { ScalingMetric } from "./metrics/ScalingMetric.ts";
import { updateVertexList } from "./metrics/ScalingHistoryUtils.ts";
import { computeDataRateMetrics, computeGlobalMetrics, computeLagMetrics, computeLoadMetrics, roundMetric } from "./metrics/ScalingMetrics.ts";
import type { JobDetailsInfo, RestClusterClient } from "./RestClusterClient.ts";
import { ScalingMetricEvaluator } from "./ScalingMetricEvaluator.ts";
import type { AutoScalerStateStore } from "./state/AutoScalerStateStore.ts";
import { ioMetricsFrom, type IOMetrics } from "./topology/IOMetrics.ts";
import { JobTopology } from "./topology/JobTopology.ts";
import { excludeVerticesFromScaling } from "./utils/AutoScalerUtils.ts";
import { UNSET_CLOCK, type Clock } from "./utils/Clock.ts";
import { readable } from "./utils/DateTimeUtils.ts";
import { getLogger } from "./utils/Logger.ts";
import { TreeMap } from "./utils/TreeMap.ts";

const LOG = getLogger("org.apache.flink.autoscaler.ScalingMetricCollector");

const PARTITION_REGEX =
  /^.*?(\.kafkaCluster\.(?<kafkaCluster>.+))?\.KafkaSourceReader\.topic\.(?<kafkaTopic>.+)\.partition\.(?<kafkaId>\d+)\.currentOffset$|^.*\.PulsarConsumer\.(?<pulsarTopic>.+)-partition-(?<pulsarId>\d+)\..*\.numMsgsReceived$/;

/**
 * Collects metrics into a windowed history (ScalingMetricCollector): detects a job change
 * by its RUNNING timestamp, waits out the stabilization interval, keeps one metric window
 * of samples, and turns Flink metrics into scaling metrics.
 */
export abstract class ScalingMetricCollector<KEY, Context extends JobAutoScalerContext<KEY>> {
  private readonly availableVertexMetricNames = new Map<KEY, Map<string, Map<string, FlinkMetric>>>();
  private readonly histories = new Map<KEY, TreeMap<CollectedMetrics>>();
  protected readonly jobsWithGcMetrics = new Map<KEY, boolean>();
  protected clock: Clock = UNSET_CLOCK;

  updateMetrics(ctx: Context, stateStore: AutoScalerStateStore<KEY, Context>): CollectedMetricHistory {
    const jobKey = ctx.getJobKey();
    const conf = ctx.getConfiguration();
    const now = this.clock.instant();

    let metricHistory = this.histories.get(jobKey);
    if (metricHistory === undefined) {
      metricHistory = stateStore.getCollectedMetrics(ctx);
      this.histories.set(jobKey, metricHistory);
    }

    const jobDetailsInfo = this.getJobDetailsInfo(ctx, conf.get(FLINK_CLIENT_TIMEOUT));
    const jobRunningTs = this.getJobRunningTs(jobDetailsInfo);
    // A job change shows as a RUNNING timestamp after our earliest sample.
    if (!metricHistory.isEmpty() && jobRunningTs > metricHistory.firstKey()) {
      LOG.info("Job updated at {}. Clearing metrics.", readable(jobRunningTs));
      stateStore.removeCollectedMetrics(ctx);
      this.cleanup(ctx.getJobKey());
      metricHistory.clear();
      this.histories.set(jobKey, metricHistory);
    }
    const topology = this.getJobTopologyAndUpdate(ctx, stateStore, jobDetailsInfo);

    const stableTime = jobRunningTs + conf.get(STABILIZATION_INTERVAL);
    const isStabilizing = now < stableTime;

    // When the metric window is full.
    const metricWindowSize = this.getMetricWindowSize(conf);
    const windowFullTime = getWindowFullTime(metricHistory.tailMap(stableTime), now, metricWindowSize);

    const filteredVertexMetricNames = this.queryFilteredMetricNamesOrNotReady(ctx, topology, isStabilizing);
    const collectedVertexMetrics = this.queryAllAggregatedMetrics(ctx, filteredVertexMetricNames);
    const collectedJmMetrics = this.queryJmMetrics(ctx);
    const collectedTmMetrics = this.queryTmMetrics(ctx);

    const scalingMetrics = this.convertToScalingMetrics(jobKey, collectedVertexMetrics, collectedJmMetrics, collectedTmMetrics, topology, conf);

    metricHistory.put(now, scalingMetrics);

    const collectedMetrics = new CollectedMetricHistory(topology, metricHistory, jobRunningTs);
    if (now < windowFullTime) {
      if (isStabilizing) {
        LOG.info("Stabilizing until {}", readable(stableTime));
      } else {
        LOG.info("Metric window is not full until {}. {} samples collected so far", readable(windowFullTime), metricHistory.size);
      }
    } else {
      collectedMetrics.setFullyCollected(true);
      // Drop samples older than the window.
      const trimBefore = now - metricWindowSize;
      const numDropped = metricHistory.removeHead(trimBefore);
      LOG.debug("Metric window is now full. Dropped {} samples before {}, keeping {}.", numDropped, readable(trimBefore), metricHistory.size);
    }

    stateStore.storeCollectedMetrics(ctx, metricHistory);
    return collectedMetrics;
  }

  protected abstract queryJmMetrics(ctx: Context): Map<FlinkMetric, Metric>;

  protected abstract queryTmMetrics(ctx: Context): Map<FlinkMetric, AggregatedMetric>;

  protected abstract queryAllAggregatedMetrics(
    ctx: Context,
    filteredVertexMetricNames: Map<string, Map<string, FlinkMetric>>,
  ): Map<string, Map<FlinkMetric, AggregatedMetric>>;

  protected getMetricWindowSize(conf: Configuration): number {
    return conf.get(METRICS_WINDOW);
  }

  /** When the job last switched to RUNNING (epoch ms). */
  getJobRunningTs(jobDetailsInfo: JobDetailsInfo): number {
    const runningTs = jobDetailsInfo.timestamps.RUNNING;
    if (runningTs === undefined || runningTs === null) throw new Error("Unable to find when the job was switched to RUNNING.");
    return runningTs;
  }

  protected getJobTopologyAndUpdate(ctx: Context, stateStore: AutoScalerStateStore<KEY, Context>, jobDetailsInfo: JobDetailsInfo): JobTopology {
    const t = this.getJobTopology(jobDetailsInfo);
    updateVertexList(stateStore, ctx, this.clock.instant(), new Set(t.getVerticesInTopologicalOrder()));
    this.updateKafkaPulsarSourceNumPartitions(ctx, jobDetailsInfo.jid, t);
    excludeVerticesFromScaling(ctx.getConfiguration(), t.getFinishedVertices());
    return t;
  }

  getJobTopology(jobDetailsInfo: JobDetailsInfo): JobTopology {
    const slotSharingGroupIdMap = new Map<string, string>();
    const maxParallelismMap = new Map<string, number>();
    const metrics = new Map<string, IOMetrics>();
    const finished = new Set<string>();
    for (const d of jobDetailsInfo.vertices) {
      if (d.slotSharingGroupId !== undefined) slotSharingGroupIdMap.set(d.id, d.slotSharingGroupId);
      maxParallelismMap.set(d.id, d.maxParallelism);
      if (d.status === "FINISHED") finished.add(d.id);
      metrics.set(d.id, ioMetricsFrom(d.metrics));
    }
    return JobTopology.fromJsonPlan(jobDetailsInfo.plan, slotSharingGroupIdMap, maxParallelismMap, metrics, finished);
  }

  private updateKafkaPulsarSourceNumPartitions(ctx: Context, jobId: string, topology: JobTopology): void {
    const restClient = ctx.getRestClusterClient();
    for (const vertexInfo of topology.getVertexInfos().values()) {
      if (vertexInfo.inputs.size !== 0) continue;
      const sourceVertex = vertexInfo.id;
      const partitions = new Set<string>();
      for (const name of this.queryAggregatedMetricNames(restClient, jobId, sourceVertex)) {
        // A speed-up only: the pattern matches no name without one of its two literal parts (it backtracks on every other name).
        if (!name.includes(".KafkaSourceReader.topic.") && !name.includes(".PulsarConsumer.")) continue;
        const m = PARTITION_REGEX.exec(name);
        if (m === null) continue;
        const g = m.groups!;
        partitions.add(g.kafkaTopic !== undefined ? `${g.kafkaCluster ?? "null"}-${g.kafkaTopic}-${g.kafkaId}` : `${g.pulsarTopic}-${g.pulsarId}`);
      }
      const numPartitions = partitions.size;
      if (numPartitions > 0) {
        LOG.debug("Updating source {} max parallelism based on available partitions to {}", sourceVertex, numPartitions);
        topology.get(sourceVertex).setNumSourcePartitions(numPartitions);
      }
    }
  }

  private convertToScalingMetrics(
    jobKey: KEY,
    collectedMetrics: Map<string, Map<FlinkMetric, AggregatedMetric>>,
    collectedJmMetrics: Map<FlinkMetric, Metric>,
    collectedTmMetrics: Map<FlinkMetric, AggregatedMetric>,
    jobTopology: JobTopology,
    conf: Configuration,
  ): CollectedMetrics {
    const out = new Map<string, Map<ScalingMetric, number>>();
    let metricsByVertex: ReadonlyMap<string, ReadonlyMap<FlinkMetric, AggregatedMetric>> = collectedMetrics;
    if (jobTopology.getFinishedVertices().size > 0) {
      const copy = new Map<string, ReadonlyMap<FlinkMetric, AggregatedMetric>>(collectedMetrics);
      for (const v of jobTopology.getFinishedVertices()) copy.set(v, FINISHED_METRICS);
      metricsByVertex = copy;
    }
    for (const [jobVertexID, vertexFlinkMetrics] of metricsByVertex) {
      LOG.debug("Calculating vertex scaling metrics for {} from {}", jobVertexID, vertexFlinkMetrics);
      const vertexScalingMetrics = new Map<ScalingMetric, number>();
      out.set(jobVertexID, vertexScalingMetrics);
      if (jobTopology.isSource(jobVertexID)) computeLagMetrics(vertexFlinkMetrics, vertexScalingMetrics);
      computeLoadMetrics(jobVertexID, vertexFlinkMetrics, vertexScalingMetrics, jobTopology.get(jobVertexID).getIoMetrics(), conf);
      const metricHistory = this.histories.get(jobKey) ?? new TreeMap<CollectedMetrics>();
      const minObservations = conf.get(OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS);
      computeDataRateMetrics(jobVertexID, vertexFlinkMetrics, vertexScalingMetrics, jobTopology, conf, () =>
        ScalingMetricEvaluator.getAverage("OBSERVED_TPR", jobVertexID, metricHistory, minObservations),
      );
      for (const [k, v] of vertexScalingMetrics) vertexScalingMetrics.set(k, roundMetric(v));
      LOG.debug("Vertex scaling metrics for {}: {}", jobVertexID, vertexScalingMetrics);
    }
    const globalMetrics = computeGlobalMetrics(collectedJmMetrics, collectedTmMetrics, conf);
    LOG.debug("Global metrics: {}", globalMetrics);
    return { vertexMetrics: out, globalMetrics };
  }

  private queryFilteredMetricNamesOrNotReady(ctx: Context, topology: JobTopology, isStabilizing: boolean): Map<string, Map<string, FlinkMetric>> {
    try {
      return this.queryFilteredMetricNames(ctx, topology);
    } catch (e) {
      if (e instanceof MetricNotFoundException && isStabilizing) throw new NotReadyException(e.message, { cause: e });
      throw e;
    }
  }

  /** The metric names to query per vertex: all vertices the first time, sources again every time. */
  protected queryFilteredMetricNames(ctx: Context, topology: JobTopology): Map<string, Map<string, FlinkMetric>> {
    const vertices = topology.getVerticesInTopologicalOrder();
    const previous = this.availableVertexMetricNames.get(ctx.getJobKey());
    let names: Map<string, Map<string, FlinkMetric>>;
    if (previous !== undefined && sameKeys(previous, topology.getVertexInfos())) {
      names = new Map(previous);
      for (const [k, v] of this.queryFilteredMetricNamesOf(ctx, topology, vertices.filter((v) => topology.isSource(v)))) names.set(k, v);
    } else {
      names = this.queryFilteredMetricNamesOf(ctx, topology, vertices);
    }
    this.availableVertexMetricNames.set(ctx.getJobKey(), names);
    for (const v of topology.getFinishedVertices()) names.delete(v);
    return names;
  }

  private queryFilteredMetricNamesOf(ctx: Context, topology: JobTopology, vertices: readonly string[]): Map<string, Map<string, FlinkMetric>> {
    const restClient = ctx.getRestClusterClient();
    const out = new Map<string, Map<string, FlinkMetric>>();
    for (const v of vertices) {
      if (topology.getFinishedVertices().has(v)) continue;
      out.set(v, this.getFilteredVertexMetricNames(restClient, ctx.getJobID(), v, topology));
    }
    return out;
  }

  getFilteredVertexMetricNames(restClient: RestClusterClient, jobID: string | null, jobVertexID: string, topology: JobTopology): Map<string, FlinkMetric> {
    const allMetricNames = this.queryAggregatedMetricNames(restClient, jobID, jobVertexID);
    const filteredMetrics = new Map<string, FlinkMetric>();
    const requiredMetrics: FlinkMetric[] = ["BUSY_TIME_PER_SEC"];
    if (topology.isSource(jobVertexID)) {
      requiredMetrics.push("BACKPRESSURE_TIME_PER_SEC", "SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", "SOURCE_TASK_NUM_RECORDS_IN");
      // Not every source reports pendingRecords (legacy sources, idle Kafka readers).
      const pendingRecordsMetric = findAll("PENDING_RECORDS", allMetricNames);
      if (pendingRecordsMetric.length === 0) {
        LOG.warn("pendingRecords metric for {} could not be found. Either a legacy source or an idle source. Assuming no pending records.", jobVertexID);
      }
      for (const m of pendingRecordsMetric) filteredMetrics.set(m, "PENDING_RECORDS");
      const out = findAny("SOURCE_TASK_NUM_RECORDS_OUT", allMetricNames);
      if (out !== undefined) filteredMetrics.set(out, "SOURCE_TASK_NUM_RECORDS_OUT");
    }
    for (const flinkMetric of requiredMetrics) {
      const name = findAny(flinkMetric, allMetricNames);
      if (name === undefined) throw new MetricNotFoundException(flinkMetric, jobVertexID);
      filteredMetrics.set(name, flinkMetric);
    }
    return filteredMetrics;
  }

  protected queryAggregatedMetricNames(restClient: RestClusterClient, jobID: string | null, jobVertexID: string): string[] {
    return restClient.getAggregatedSubtaskMetrics(jobID, jobVertexID).map((m) => m.id);
  }

  getJobDetailsInfo(context: Context, _clientTimeout: number): JobDetailsInfo {
    return context.getRestClusterClient().getJobDetails(context.getJobID());
  }

  cleanup(jobKey: KEY): void {
    this.histories.delete(jobKey);
    this.availableVertexMetricNames.delete(jobKey);
    this.jobsWithGcMetrics.delete(jobKey);
  }

  setClock(clock: Clock): void {
    this.clock = clock;
  }

  getHistories(): Map<KEY, TreeMap<CollectedMetrics>> {
    return this.histories;
  }

  getAvailableVertexMetricNames(): Map<KEY, Map<string, Map<string, FlinkMetric>>> {
    return this.availableVertexMetricNames;
  }
}

function getWindowFullTime(metricsAfterStable: TreeMap<CollectedMetrics>, now: number, metricWindowSize: number): number {
  return metricsAfterStable.isEmpty() ? now + metricWindowSize : metricsAfterStable.firstKey() + metricWindowSize;
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}
