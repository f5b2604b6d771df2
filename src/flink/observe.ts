import type { FlinkCluster } from "./FlinkCluster.ts";
import { operatorMetricName } from "./metrics/names.ts";
import { snapshotSubtaskMetrics } from "./rest/RestApi.ts";

/** One vertex at one instant, as Flink's REST API would aggregate it over its subtasks. */
export interface VertexSample {
  readonly vertexId: string;
  readonly vertex: string;
  readonly parallelism: number;
  /** Sum over subtasks of numRecordsInPerSecond (a source: its source operator's, as the autoscaler reads it). */
  readonly recordsInPerSecond: number;
  /** Sum over subtasks of numRecordsOutPerSecond. */
  readonly recordsOutPerSecond: number;
  /** Averages over subtasks of the time gauges (ms/s). */
  readonly busyTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  /** Sum of pendingRecords; undefined when the source does not report it (datagen, non-sources). */
  readonly pendingRecords: number | undefined;
  readonly jobStatus: string;
}

/** The summed `<source>.pendingRecords` of a vertex, undefined when it reports none. */
function pendingRecordsOf(m: ReadonlyMap<string, number[]>): number | undefined {
  let found = false;
  let total = 0;
  for (const [name, values] of m) {
    if (!name.endsWith(".pendingRecords")) continue;
    found = true;
    for (const v of values) total += v;
  }
  return found ? total : undefined;
}

const sum = (values: readonly number[] | undefined) => (values ?? []).reduce((a, b) => a + b, 0);
const avg = (values: readonly number[] | undefined) => (values === undefined || values.length === 0 ? 0 : sum(values) / values.length);

/** Current metrics of every vertex, read live (without the REST metric fetcher's delay). */
export function sampleVertices(cluster: FlinkCluster, nowMs: number): VertexSample[] {
  const store = snapshotSubtaskMetrics(cluster, nowMs);
  return cluster.graph.vertices.map((v) => {
    const m = store.get(v.id) ?? new Map<string, number[]>();
    const inName = v.isSource ? `${operatorMetricName(v.operators[0]!.name)}.numRecordsInPerSecond` : "numRecordsInPerSecond";
    return {
      vertexId: v.id,
      vertex: v.name,
      parallelism: v.parallelism,
      recordsInPerSecond: sum(m.get(inName)),
      recordsOutPerSecond: sum(m.get("numRecordsOutPerSecond")),
      busyTimeMsPerSecond: avg(m.get("busyTimeMsPerSecond")),
      backPressuredTimeMsPerSecond: avg(m.get("backPressuredTimeMsPerSecond")),
      idleTimeMsPerSecond: avg(m.get("idleTimeMsPerSecond")),
      pendingRecords: pendingRecordsOf(m),
      jobStatus: cluster.getStatus(),
    };
  });
}

/** Exact totals per vertex since deployment: records and ms spent in each state, summed over subtasks. */
export interface VertexTotals {
  readonly vertexId: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly busyMs: number;
  readonly backPressuredMs: number;
  readonly idleMs: number;
}

export function vertexTotals(cluster: FlinkCluster): VertexTotals[] {
  return cluster.graph.vertices.map((v) => {
    const tasks = cluster.subtasks.get(v.id) ?? [];
    const retired = cluster.retired.get(v.id);
    let recordsIn = retired?.recordsIn ?? 0;
    let recordsOut = retired?.recordsOut ?? 0;
    let busyMs = retired?.busyMs ?? 0;
    let backPressuredMs = retired?.backPressuredMs ?? 0;
    let idleMs = retired?.idleMs ?? 0;
    for (const t of tasks) {
      recordsIn += v.isSource ? t.metrics.operators[0]!.numRecordsIn.count : t.metrics.numRecordsIn.count;
      recordsOut += t.metrics.numRecordsOut.count;
      const s = t.timeInStates();
      busyMs += s.busy;
      backPressuredMs += s.backpressured;
      idleMs += s.idle;
    }
    return { vertexId: v.id, recordsIn, recordsOut, busyMs, backPressuredMs, idleMs };
  });
}
