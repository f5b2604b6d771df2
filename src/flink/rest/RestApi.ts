import { JOB_STATUSES, type FlinkCluster, type JobStatus } from "../FlinkCluster.ts";
import type { JobGraph } from "../JobGraph.ts";
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

/** Subtask metric values per vertex as one fetch found them, and the job deployment (task attempts) they came from. */
interface FetchedMetrics {
  readonly values: ReadonlyMap<string, VertexMetricValues>;
  readonly deployment: number;
}

const NO_METRICS: ReadonlyMap<string, VertexMetricValues> = new Map();

/** metrics.fetcher.update-interval: the REST API serves metric values at most this old. */
export const DEFAULT_METRIC_FETCHER_UPDATE_INTERVAL_MS = 10_000;

const HEAP_MAX = 512 * 1024 * 1024;

/**
 * The TaskManager metrics /taskmanagers/metrics serves. The simulation does not model
 * memory; these are steady values of a healthy TaskManager (heap 25% used, no GC
 * pressure), so memory checks never block.
 */
const TASK_MANAGER_METRICS: ReadonlyMap<string, number> = new Map([
  ["Status.JVM.Memory.Heap.Max", HEAP_MAX],
  ["Status.JVM.Memory.Heap.Used", HEAP_MAX / 4],
  ["Status.Flink.Memory.Managed.Used", 0],
  ["Status.JVM.Memory.Metaspace.Used", 64 * 1024 * 1024],
  ["Status.JVM.GarbageCollector.All.TimeMsPerSecond", 0],
]);

/**
 * The REST-shaped view over the simulated cluster: what the autoscaler's collector
 * would get from Flink's REST API. Subtask metrics go through a metric store refreshed
 * at most every `metrics.fetcher.update-interval` (10 s), as Flink's MetricFetcher does.
 */
export class RestApi {
  private storeTime = -Infinity;
  private storeJobManager = 0;
  private store: FetchedMetrics = { values: NO_METRICS, deployment: -1 };
  private planOf: { readonly graph: JobGraph; readonly nodes: JobPlanNode[] } | null = null;

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
      this.store = { values: NO_METRICS, deployment: -1 };
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
    const vertex = this.metricStore().values.get(vertexId);
    if (vertex === undefined) return [];
    if (metricNames === undefined) return vertex.listing();
    const result: AggregatedMetric[] = [];
    for (const id of metricNames) {
      const m = vertex.aggregate(id);
      if (m !== undefined) result.push(m);
    }
    return result;
  }

  /** GET /jobmanager/metrics?get=... */
  getJobManagerMetrics(metricNames: readonly string[]): Metric[] {
    const result: Metric[] = [];
    for (const id of metricNames) {
      const value = this.jobManagerMetric(id);
      if (value !== undefined) result.push({ id, value: String(value) });
    }
    return result;
  }

  /** One JobManager metric's value, undefined for a name it does not have; only what is asked is computed (the autoscaler asks at every reconcile). */
  private jobManagerMetric(id: string): number | undefined {
    const c = this.cluster;
    switch (id) {
      case "taskSlotsTotal":
        return c.slotsTotal();
      case "taskSlotsAvailable":
        return c.slotsTotal() - (c.getStatus() === "RUNNING" ? c.slotsRequired() : 0);
      case "numRegisteredTaskManagers":
        return c.taskManagers;
      case "numRunningJobs":
        return c.getStatus() === "RUNNING" ? 1 : 0;
      default:
        return undefined;
    }
  }

  /**
   * GET /taskmanagers/metrics?get=...&agg=min,max,avg: JVM and memory metrics aggregated
   * over TaskManagers (TASK_MANAGER_METRICS). Like Flink, nothing is returned when one
   * requested name is unknown.
   */
  getAggregatedTaskManagerMetrics(metricNames: readonly string[]): AggregatedMetric[] {
    if (this.cluster.taskManagers === 0) return [];
    const result: AggregatedMetric[] = [];
    for (const id of metricNames) {
      const value = TASK_MANAGER_METRICS.get(id);
      if (value === undefined) return [];
      result.push({ id, min: value, max: value, avg: value });
    }
    return result;
  }

  /** GET /jobs/:jobid */
  getJobDetails(): JobDetailsInfo {
    const c = this.cluster;
    // Job details read each running attempt's own metrics (MutableIOMetrics#addIOMetrics ->
    // MetricStore#getSubtaskAttemptMetricStore): none until a fetch from the current attempts
    // (the adaptive scheduler numbers a rescale's attempts on), so their counts add nothing.
    const fetched = this.metricStore();
    const store = fetched.deployment === c.deployments ? fetched.values : NO_METRICS;
    const timestamps = {} as Record<JobStatus, number>;
    for (const s of JOB_STATUSES) timestamps[s] = c.statusTimestamp(s);
    const status = c.allTasksRunning() ? "RUNNING" : c.getStatus() === "RUNNING" ? "DEPLOYING" : "CREATED";
    const startTime = c.statusTimestamp("RUNNING");
    const vertices: JobVertexDetailsInfo[] = [];
    for (const v of c.graph.vertices) {
      const m = store.get(v.id);
      vertices.push({
        id: v.id,
        name: v.name,
        maxParallelism: v.maxParallelism,
        parallelism: v.parallelism,
        status,
        "start-time": startTime,
        slotSharingGroupId: v.slotSharingGroup,
        metrics: {
          "read-records": m?.sum("numRecordsIn") ?? 0,
          "write-records": m?.sum("numRecordsOut") ?? 0,
          "accumulated-backpressured-time": m?.sum("accumulatedBackPressuredTimeMs") ?? 0,
          "accumulated-idle-time": m?.sum("accumulatedIdleTime") ?? 0,
          "accumulated-busy-time": m?.sum("accumulatedBusyTime") ?? 0,
        },
      });
    }
    return {
      jid: c.jobId,
      name: c.graph.name,
      state: c.getStatus(),
      "start-time": c.statusTimestamp("CREATED"),
      now: c.epochMs(this.now()),
      maxParallelism: -1,
      timestamps,
      vertices,
      plan: { jid: c.jobId, name: c.graph.name, type: "STREAMING", nodes: this.planNodes() },
    };
  }

  /** The plan's nodes of the graph deployed now; a graph is never changed, so they are made once per graph (every reconcile asks). */
  private planNodes(): JobPlanNode[] {
    const graph = this.cluster.graph;
    if (this.planOf?.graph === graph) return this.planOf.nodes;
    const nodes = graph.vertices.map((v): JobPlanNode => {
      const inputs = graph.edges
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
    this.planOf = { graph, nodes };
    return nodes;
  }
}

/**
 * One vertex's subtask metrics as one fetch found them: the names the vertex lists and,
 * per name, the values of the subtasks that report it, in subtask order. A vertex's names
 * are the union over its subtasks (first seen, first listed; Flink's is a HashSet), as Flink
 * 1.18 serves them (flink-runtime rest/handler/job/metrics/AbstractAggregatingMetricsHandler.java
 * #getAvailableMetrics, read in a 1.18-SNAPSHOT tree), and a metric is aggregated over the
 * subtasks that have it (#getAggregatedMetricValues): each Kafka reader reports only its own
 * partitions' currentOffset. The values are one row, the subtasks' values one after the
 * other, read through a layout made once per set of subtasks (a fetch at every reconcile
 * made a map and an array per name before).
 */
export class VertexMetricValues {
  constructor(
    private readonly layout: MetricLayout,
    private readonly row: readonly number[],
  ) {}

  /** The names, in the order the REST API lists them. */
  get names(): readonly string[] {
    return this.layout.names;
  }

  /** The answer without names asked: the names as metrics without values (entries shared by the answers, the list new). */
  listing(): AggregatedMetric[] {
    return this.layout.listing.slice();
  }

  get size(): number {
    return this.layout.names.length;
  }

  keys(): IterableIterator<string> {
    return this.layout.names.values();
  }

  /** The values of the subtasks reporting `name`, in subtask order (undefined: none does). */
  get(name: string): number[] | undefined {
    return this.layout.positions.get(name)?.map((i) => this.row[i]!);
  }

  /** The sum over the subtasks reporting `name` (0: none does). */
  sum(name: string): number {
    const at = this.layout.positions.get(name);
    let sum = 0;
    if (at !== undefined) for (const i of at) sum += this.row[i]!;
    return sum;
  }

  /** min, max, avg and sum over the subtasks reporting `name`, in the REST answer's key order (the collector's DEBUG lines print it as JSON). */
  aggregate(id: string): AggregatedMetric | undefined {
    const at = this.layout.positions.get(id);
    if (at === undefined) return undefined;
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const i of at) {
      const v = this.row[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { id, min, max, avg: sum / at.length, sum };
  }
}

/** Where each name's values are in a vertex's row, for one list of subtasks (each with its own fixed names). */
interface MetricLayout {
  readonly perTask: readonly (readonly string[])[];
  readonly names: readonly string[];
  readonly listing: readonly AggregatedMetric[];
  readonly positions: ReadonlyMap<string, readonly number[]>;
}

function layoutOf(perTask: readonly (readonly string[])[]): MetricLayout {
  const positions = new Map<string, number[]>();
  const names: string[] = [];
  let offset = 0;
  for (const taskNames of perTask) {
    for (let i = 0; i < taskNames.length; i++) {
      const at = positions.get(taskNames[i]!);
      if (at === undefined) {
        positions.set(taskNames[i]!, [offset + i]);
        names.push(taskNames[i]!);
      } else at.push(offset + i);
    }
    offset += taskNames.length;
  }
  return { perTask, names, listing: names.map((id) => Object.freeze({ id })), positions };
}

type SnapshotTask = { readonly metrics: Pick<TaskMetrics, "metricNames" | "writeValues"> };

/** The layouts of the last snapshot, per list of subtasks: a task's names are fixed for its life (TaskMetrics#metricNames). */
const layouts = new WeakMap<readonly SnapshotTask[], MetricLayout>();

function layoutFor(tasks: readonly SnapshotTask[]): MetricLayout {
  const cached = layouts.get(tasks);
  if (cached !== undefined && sameNames(tasks, cached)) return cached;
  const layout = layoutOf(tasks.map((t) => t.metrics.metricNames()));
  layouts.set(tasks, layout);
  return layout;
}

function sameNames(tasks: readonly SnapshotTask[], layout: MetricLayout): boolean {
  if (layout.perTask.length !== tasks.length) return false;
  for (let i = 0; i < tasks.length; i++) if (tasks[i]!.metrics.metricNames() !== layout.perTask[i]) return false;
  return true;
}

/** Current values of every subtask metric, per vertex (VertexMetricValues). */
export function snapshotSubtaskMetrics(
  cluster: Pick<FlinkCluster, "syncMetrics"> & { readonly subtasks: ReadonlyMap<string, readonly SnapshotTask[]> },
  nowMs: number,
): Map<string, VertexMetricValues> {
  cluster.syncMetrics();
  const store = new Map<string, VertexMetricValues>();
  for (const [vertexId, tasks] of cluster.subtasks) {
    const layout = layoutFor(tasks);
    const row: number[] = [];
    let offset = 0;
    for (let t = 0; t < tasks.length; t++) {
      tasks[t]!.metrics.writeValues(nowMs, row, offset);
      offset += layout.perTask[t]!.length;
    }
    store.set(vertexId, new VertexMetricValues(layout, row));
  }
  return store;
}
