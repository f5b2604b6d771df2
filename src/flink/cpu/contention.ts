import type { OperatorSpec } from "../JobGraph.ts";
import { nodeOf, type TaskManagerCpu } from "./TaskManagerCpu.ts";

/** Whether an operator costs anything at all (a constant 0 never takes a CPU). */
function costs(op: OperatorSpec): boolean {
  return !(op.cost.kind === "constant" && op.cost.value === 0) || op.python !== undefined;
}

/**
 * The most cores a subtask of a job vertex with these chained operators can ask for at
 * once: its task thread (the largest CPU share of its operators), with a Python
 * operator the Python worker beside it, and with a Kafka source whose fetches cost time
 * its split fetcher thread (FetchingKafkaReader).
 */
export function peakDemand(chain: readonly OperatorSpec[]): number {
  const python = chain.findIndex((op) => op.python !== undefined);
  const threadOps = python < 0 ? chain : chain.slice(0, python);
  const workerOps = python < 0 ? [] : chain.slice(python);
  const peak = (ops: readonly OperatorSpec[]) => Math.max(0, ...ops.filter(costs).map((op) => op.cpuShare ?? 1));
  const fetch = chain[0]?.source?.connector === "kafka" ? chain[0].source.fetchCost : undefined;
  const fetcher = fetch === undefined || (fetch.kind === "constant" && fetch.value === 0) ? 0 : 1;
  return peak(threadOps) + peak(workerOps) + fetcher;
}

/**
 * Per TaskManager: whether its threads can ever want more CPU than it gets, given each
 * TaskManager's peak demand (the sum of its subtasks' peakDemand). Where they cannot, work
 * is never stretched and runs without the CPU model (exactly as before it existed).
 */
export function mayContend(peak: readonly number[], cpu: TaskManagerCpu): boolean[] {
  const out = peak.map((d) => d > cpu.limitCores);
  const nodes = cpu.nodes;
  if (nodes === undefined) return out;
  const used = new Map<number, number>();
  peak.forEach((d, p) => used.set(nodeOf(p, cpu), (used.get(nodeOf(p, cpu)) ?? 0) + Math.min(d, cpu.limitCores)));
  return peak.map((_, p) => out[p]! || used.get(nodeOf(p, cpu))! > nodes.cores);
}
