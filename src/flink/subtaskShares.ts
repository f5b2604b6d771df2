/**
 * What each subtask of a vertex is assigned of the vertex's input, from the job graph
 * alone: a Kafka source subtask its partitions (KafkaSourceEnumerator#getSplitOwner); a
 * subtask behind a HASH edge its key groups (KeyGroupRangeAssignment) and the share of the
 * keys' records they hold under the edge's key distribution (Zipf skew); behind a FORWARD
 * edge what the same-index producer has; otherwise (REBALANCE, SHUFFLE, RESCALE, a
 * datagen source) an even 1/p. With several input edges the shares are averaged over the
 * edges (not weighted by their rates: a simplification, docs/report.md says so).
 */
import type { FlinkCluster } from "./FlinkCluster.ts";
import type { JobVertex } from "./JobGraph.ts";
import { DEFAULT_KEYS, KeyRouting } from "./partitioners.ts";
import { splitOwner } from "./sources/KafkaTopic.ts";

export interface SubtaskAssignment {
  /** Kafka partitions (sources) or key groups (keyed input) owned; null when the input is not partitioned. */
  readonly units: number | null;
  /** Expected share of the vertex's input records, 0..1, over the subtasks adding up to 1. */
  readonly share: number;
}

/** KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex: how many key groups operator index `i` owns. */
export function keyGroupsOf(maxParallelism: number, parallelism: number, i: number): number {
  const start = Math.floor((i * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((i + 1) * maxParallelism + parallelism - 1) / parallelism) - 1;
  return end - start + 1;
}

/** Every vertex's subtasks' assignments at the graph's current parallelism. */
export function subtaskAssignments(cluster: FlinkCluster): Map<string, SubtaskAssignment[]> {
  const graph = cluster.graph;
  const out = new Map<string, SubtaskAssignment[]>();
  const even = (p: number): SubtaskAssignment[] => Array.from({ length: p }, () => ({ units: null, share: 1 / p }));
  const ofSource = (v: JobVertex): SubtaskAssignment[] => {
    const p = v.parallelism;
    const units = new Array<number>(p).fill(0);
    let total = 0;
    for (const op of v.operators) {
      const topic = cluster.topics.get(op.id);
      if (topic === undefined) continue;
      for (let k = 0; k < topic.partitions; k++) units[splitOwner(topic.name, k, p)]!++;
      total += topic.partitions;
    }
    return total === 0 ? even(p) : units.map((u) => ({ units: u, share: u / total }));
  };
  // Topological order: a FORWARD edge's producer is done before its consumer.
  for (const v of graph.vertices) {
    const p = v.parallelism;
    if (v.isSource) {
      out.set(v.id, ofSource(v));
      continue;
    }
    const inputs = graph.edges.filter((e) => e.target === v);
    if (inputs.length === 0) {
      out.set(v.id, even(p));
      continue;
    }
    const shares = new Float64Array(p);
    let keyed = false;
    for (const e of inputs) {
      if (e.shipStrategy === "HASH") {
        keyed = true;
        const s = new KeyRouting(e.keys ?? DEFAULT_KEYS, v.maxParallelism, p).channelShares();
        for (let i = 0; i < p; i++) shares[i]! += s[i]! / inputs.length;
      } else if (e.shipStrategy === "FORWARD" && e.source.parallelism === p) {
        const upstream = out.get(e.source.id)!;
        for (let i = 0; i < p; i++) shares[i]! += upstream[i]!.share / inputs.length;
      } else for (let i = 0; i < p; i++) shares[i]! += 1 / p / inputs.length;
    }
    out.set(
      v.id,
      Array.from(shares, (share, i) => ({ units: keyed ? keyGroupsOf(v.maxParallelism, p, i) : null, share })),
    );
  }
  return out;
}
