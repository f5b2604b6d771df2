import type { FlinkCluster } from "./FlinkCluster.ts";

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
  /** Sum of pendingRecords; during a restart a Kafka topic's backlog; undefined for datagen and non-sources. */
  readonly pendingRecords: number | undefined;
  readonly jobStatus: string;
}


/**
 * Current metrics of every vertex, read live (without the REST metric fetcher's delay).
 * Reads the few gauges it needs directly: this runs at every sample.
 */
export function sampleVertices(cluster: FlinkCluster, _nowMs: number): VertexSample[] {
  cluster.syncMetrics();
  return cluster.graph.vertices.map((v) => {
    const tasks = cluster.subtasks.get(v.id) ?? [];
    let recordsIn = 0;
    let recordsOut = 0;
    let busy = 0;
    let backPressured = 0;
    let idle = 0;
    let pending: number | undefined;
    for (const t of tasks) {
      const m = t.metrics;
      recordsIn += v.isSource ? m.operators[0]!.numRecordsInPerSecond.getRate() : m.numRecordsInPerSecond.getRate();
      recordsOut += m.numRecordsOutPerSecond.getRate();
      busy += m.busyTimeMsPerSecond();
      backPressured += m.backPressuredTimeMsPerSecond();
      idle += m.idleTime.getValue();
      const p = m.sourceMetrics?.().get("pendingRecords");
      if (p !== undefined) pending = (pending ?? 0) + p;
    }
    // No reader reports it (the job is restarting): the topic's backlog, as a consumer-lag
    // exporter outside the job would show it; it keeps growing while the job is down.
    if (pending === undefined && v.isSource) {
      for (const op of v.operators) {
        const topic = cluster.topics.get(op.id);
        if (topic !== undefined) pending = (pending ?? 0) + topic.totalBacklog();
      }
    }
    const n = tasks.length;
    return {
      vertexId: v.id,
      vertex: v.name,
      parallelism: v.parallelism,
      recordsInPerSecond: recordsIn,
      recordsOutPerSecond: recordsOut,
      // No running task (a restart): Flink has no value to report.
      busyTimeMsPerSecond: n === 0 ? NaN : busy / n,
      backPressuredTimeMsPerSecond: n === 0 ? NaN : backPressured / n,
      idleTimeMsPerSecond: n === 0 ? NaN : idle / n,
      pendingRecords: pending,
      jobStatus: cluster.getStatus(),
    };
  });
}

/** Exact totals per vertex since deployment: records and ms spent in each state, summed over subtasks. */
export interface VertexTotals {
  readonly vertexId: string;
  readonly recordsIn: number;
  readonly recordsOut: number;
  /** Records into the chain's last operator (a sink vertex: what reached its sink operator, after chained filters). */
  readonly lastOperatorRecordsIn: number;
  readonly busyMs: number;
  readonly backPressuredMs: number;
  readonly idleMs: number;
}

export function vertexTotals(cluster: FlinkCluster): VertexTotals[] {
  cluster.syncMetrics();
  return cluster.graph.vertices.map((v) => {
    const tasks = cluster.subtasks.get(v.id) ?? [];
    const retired = cluster.retired.get(v.id);
    let recordsIn = retired?.recordsIn ?? 0;
    let recordsOut = retired?.recordsOut ?? 0;
    let lastOperatorRecordsIn = retired?.lastOperatorRecordsIn ?? 0;
    let busyMs = retired?.busyMs ?? 0;
    let backPressuredMs = retired?.backPressuredMs ?? 0;
    let idleMs = retired?.idleMs ?? 0;
    for (const t of tasks) {
      recordsIn += v.isSource ? t.metrics.operators[0]!.numRecordsIn.count : t.metrics.numRecordsIn.count;
      recordsOut += t.metrics.numRecordsOut.count;
      lastOperatorRecordsIn += t.metrics.operators.at(-1)!.numRecordsIn.count;
      const s = t.timeInStates();
      busyMs += s.busy;
      backPressuredMs += s.backpressured;
      idleMs += s.idle;
    }
    return { vertexId: v.id, recordsIn, recordsOut, lastOperatorRecordsIn, busyMs, backPressuredMs, idleMs };
  });
}
