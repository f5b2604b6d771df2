import { JOB_STATUSES, type FlinkCluster, type JobStatus } from "../FlinkCluster.ts";
import type { JobVertex } from "../JobGraph.ts";
import type { TaskMetrics } from "../metrics/TaskMetrics.ts";

/** One entry of /jobs/:jobid/vertices/:vertexid/subtasks/metrics (AggregatedMetric). */
export interface AggregatedMetric {
  readonly id: string;
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly sum?: number;
}

/** One entry of /jobmanager/metrics. */
export interface Metric {
  readonly id: string;
  readonly value?: string;
}

/** The per-vertex I/O totals of job details (IOMetricsInfo). */
export interface IOMetricsInfo {
  readonly "read-records": number;
  readonly "write-records": number;
  readonly "accumulated-backpressured-time": number;
  readonly "accumulated-idle-time": number;
  readonly "accumulated-busy-time": number;
}

export interface JobVertexDetailsInfo {
  readonly id: string;
  readonly name: string;
  readonly maxParallelism: number;
  readonly parallelism: number;
  readonly status: string;
  readonly "start-time": number;
  readonly metrics: IOMetricsInfo;
  /** Not in Flink's job details; Flink serves it from /jobs/:jobid/vertices/:vertexid (slotSharingGroupId in the job plan's vertex info). */
  readonly slotSharingGroupId: string;
}

export interface JobPlanInput {
  readonly num: number;
  readonly id: string;
  readonly ship_strategy: string;
  readonly exchange: string;
}

export interface JobPlanNode {
  readonly id: string;
  readonly parallelism: number;
  readonly operator: string;
  readonly operator_strategy: string;
  readonly description: string;
  readonly inputs?: JobPlanInput[];
  readonly optimizer_properties: Record<string, never>;
}

/** /jobs/:jobid (JobDetailsInfo), the fields the autoscaler and a user read. */
export interface JobDetailsInfo {
  readonly jid: string;
  readonly name: string;
  readonly state: JobStatus;
  readonly "start-time": number;
  readonly now: number;
  readonly maxParallelism: number;
  readonly timestamps: Record<JobStatus, number>;
  readonly vertices: JobVertexDetailsInfo[];
  readonly plan: { readonly jid: string; readonly name: string; readonly type: "STREAMING"; readonly nodes: JobPlanNode[] };
}

/** Subtask metric values per vertex and name as one fetch found them, and the job deployment (task attempts) they came from. */
interface FetchedMetrics {
  readonly values: Map<string, Map<string, number[]>>;
  readonly deployment: number;
}

/** metrics.fetcher.update-interval: the REST API serves metric values at most this old. */
export const DEFAULT_METRIC_FETCHER_UPDATE_INTERVAL_MS = 10_000;

function aggregate(id: string, values: readonly number[]): AggregatedMetric {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  // Built whole, in the answer's key order (the collector's DEBUG lines print it as JSON): no spread into a second object per metric.
  return { id, min, max, avg: sum / values.length, sum };
}

/**
 * The REST-shaped view over the simulated cluster: what the autoscaler's collector
 * would get from Flink's REST API. Subtask metrics go through a metric store refreshed
 * at most every `metrics.fetcher.update-interval` (10 s), as Flink's MetricFetcher does.
 */
export class RestApi {
  private storeTime = -Infinity;
  private storeJobManager = 0;
  private store: FetchedMetrics = { values: new Map(), deployment: -1 };

  constructor(
    private readonly cluster: FlinkCluster,
    private readonly now: () => number,
    private readonly fetcherUpdateIntervalMs = DEFAULT_METRIC_FETCHER_UPDATE_INTERVAL_MS,
    /** false: an update is fetched before the request is served (an ablation, not Flink). */
    private readonly servePreviousFetch = true,
  ) {}

  /**
   * The JobManager's MetricStore as a request finds it (flink-runtime
   * rest/handler/legacy/metrics, release-1.18.1). A restart does not trigger a fetch. After
   * an in-place rescale the JobManager is the same: until its next fetch the store keeps
   * what it last fetched from the old tasks (MetricStore#updateCurrentExecutionAttempts,
   * run with the next fetch, drops them). A redeploy starts a new JobManager, whose
   * MetricFetcherImpl has never fetched (lastUpdateTime 0) and whose store is empty.
   */
  private metricStore(): FetchedMetrics {
    const now = this.now();
    if (this.storeJobManager === 0) {
      // The first JobManager's first request is served a fetch of its own. Not Flink: its store
      // would be empty like a redeployed one's (a simplification kept for the seed's calibration).
      this.storeJobManager = this.cluster.jobManagerStarts;
      this.storeTime = now;
      this.store = { values: snapshotSubtaskMetrics(this.cluster, now), deployment: this.cluster.deployments };
      return this.store;
    }
    if (this.storeJobManager !== this.cluster.jobManagerStarts) {
      this.storeJobManager = this.cluster.jobManagerStarts;
      this.storeTime = -Infinity;
      this.store = { values: new Map(), deployment: -1 };
    }
    // MetricFetcherImpl#update (release-1.18.1) starts an asynchronous fetch when the last
    // one is older than the interval and returns at once: the request that triggers it is
    // served the previous fetch's values (none from a new JobManager); later requests get the new ones.
    if (now - this.storeTime > this.fetcherUpdateIntervalMs) {
      const served = this.store;
      this.storeTime = now;
      this.store = { values: snapshotSubtaskMetrics(this.cluster, now), deployment: this.cluster.deployments };
      return this.servePreviousFetch ? served : this.store;
    }
    return this.store;
  }

  /** GET /jobs/:jobid/vertices/:vertexid/subtasks/metrics[?get=a,b]. Without names: the metric names. */
  getAggregatedSubtaskMetrics(vertexId: string, metricNames?: readonly string[]): AggregatedMetric[] {
    const byName = this.metricStore().values.get(vertexId);
    if (byName === undefined) return [];
    if (metricNames === undefined) return [...byName.keys()].map((id) => ({ id }));
    const result: AggregatedMetric[] = [];
    for (const id of metricNames) {
      const values = byName.get(id);
      if (values !== undefined) result.push(aggregate(id, values));
    }
    return result;
  }

  /** GET /jobmanager/metrics?get=... */
  getJobManagerMetrics(metricNames: readonly string[]): Metric[] {
    const c = this.cluster;
    const running = c.getStatus() === "RUNNING";
    const used = running ? c.slotsRequired() : 0;
    const values: Record<string, number> = {
      taskSlotsTotal: c.slotsTotal(),
      taskSlotsAvailable: c.slotsTotal() - used,
      numRegisteredTaskManagers: c.taskManagers,
      numRunningJobs: running ? 1 : 0,
    };
    return metricNames.filter((n) => n in values).map((id) => ({ id, value: String(values[id]) }));
  }

  /**
   * GET /taskmanagers/metrics?get=...&agg=min,max,avg: JVM and memory metrics aggregated
   * over TaskManagers. The simulation does not model memory; these are steady values of a
   * healthy TaskManager (heap 25% used, no GC pressure), so memory checks never block.
   * Like Flink, nothing is returned when one requested name is unknown.
   */
  getAggregatedTaskManagerMetrics(metricNames: readonly string[]): AggregatedMetric[] {
    if (this.cluster.taskManagers === 0) return [];
    const heapMax = 512 * 1024 * 1024;
    const values: Record<string, number> = {
      "Status.JVM.Memory.Heap.Max": heapMax,
      "Status.JVM.Memory.Heap.Used": heapMax / 4,
      "Status.Flink.Memory.Managed.Used": 0,
      "Status.JVM.Memory.Metaspace.Used": 64 * 1024 * 1024,
      "Status.JVM.GarbageCollector.All.TimeMsPerSecond": 0,
    };
    if (!metricNames.every((n) => n in values)) return [];
    return metricNames.map((id) => ({ id, min: values[id]!, max: values[id]!, avg: values[id]! }));
  }

  /** GET /jobs/:jobid */
  getJobDetails(): JobDetailsInfo {
    const c = this.cluster;
    // Job details read each running attempt's own metrics (MutableIOMetrics#addIOMetrics ->
    // MetricStore#getSubtaskAttemptMetricStore): none until a fetch from the current attempts
    // (the adaptive scheduler numbers a rescale's attempts on), so their counts add nothing.
    const fetched = this.metricStore();
    const store = fetched.deployment === c.deployments ? fetched.values : new Map<string, Map<string, number[]>>();
    const timestamps = Object.fromEntries(JOB_STATUSES.map((s) => [s, c.statusTimestamp(s)])) as Record<JobStatus, number>;
    const sum = (v: JobVertex, name: string) => (store.get(v.id)?.get(name) ?? []).reduce((a, b) => a + b, 0);
    const vertices = c.graph.vertices.map(
      (v): JobVertexDetailsInfo => ({
        id: v.id,
        name: v.name,
        maxParallelism: v.maxParallelism,
        parallelism: v.parallelism,
        status: c.allTasksRunning() ? "RUNNING" : c.getStatus() === "RUNNING" ? "DEPLOYING" : "CREATED",
        "start-time": c.statusTimestamp("RUNNING"),
        slotSharingGroupId: v.slotSharingGroup,
        metrics: {
          "read-records": sum(v, "numRecordsIn"),
          "write-records": sum(v, "numRecordsOut"),
          "accumulated-backpressured-time": sum(v, "accumulatedBackPressuredTimeMs"),
          "accumulated-idle-time": sum(v, "accumulatedIdleTime"),
          "accumulated-busy-time": sum(v, "accumulatedBusyTime"),
        },
      }),
    );
    const nodes = c.graph.vertices.map((v): JobPlanNode => {
      const inputs = c.graph.edges
        .filter((e) => e.target === v)
        .map((e, num) => ({ num, id: e.source.id, ship_strategy: e.shipStrategy, exchange: "pipelined_bounded" }));
      return {
        id: v.id,
        parallelism: v.parallelism,
        operator: "",
        operator_strategy: "",
        description: v.name,
        ...(inputs.length > 0 ? { inputs } : {}),
        optimizer_properties: {},
      };
    });
    return {
      jid: c.jobId,
      name: c.graph.name,
      state: c.getStatus(),
      "start-time": c.statusTimestamp("CREATED"),
      now: c.epochMs(this.now()),
      maxParallelism: -1,
      timestamps,
      vertices,
      plan: { jid: c.jobId, name: c.graph.name, type: "STREAMING", nodes },
    };
  }
}

/**
 * Current values of every subtask metric, grouped by vertex and name: one value per
 * subtask that reports the name, in subtask order. A vertex's names are the union over
 * its subtasks (first seen, first listed; Flink's is a HashSet), as Flink 1.18 serves them
 * (flink-runtime rest/handler/job/metrics/AbstractAggregatingMetricsHandler.java
 * #getAvailableMetrics, read in a 1.18-SNAPSHOT tree), and a metric is aggregated over the
 * subtasks that have it (#getAggregatedMetricValues): each Kafka reader reports only its
 * own partitions' currentOffset.
 */
export function snapshotSubtaskMetrics(
  cluster: Pick<FlinkCluster, "syncMetrics"> & { readonly subtasks: ReadonlyMap<string, readonly { readonly metrics: Pick<TaskMetrics, "metricNames" | "writeValues"> }[]> },
  nowMs: number,
): Map<string, Map<string, number[]>> {
  cluster.syncMetrics();
  const store = new Map<string, Map<string, number[]>>();
  const row: number[] = [];
  for (const [vertexId, tasks] of cluster.subtasks) {
    const byName = new Map<string, number[]>();
    for (const t of tasks) {
      const names = t.metrics.metricNames();
      t.metrics.writeValues(nowMs, row);
      for (let i = 0; i < names.length; i++) {
        const values = byName.get(names[i]!);
        if (values === undefined) byName.set(names[i]!, [row[i]!]);
        else values.push(row[i]!);
      }
    }
    store.set(vertexId, byName);
  }
  return store;
}
