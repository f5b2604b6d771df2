import type { TaskManagerCpu } from "../flink/cpu/TaskManagerCpu.ts";
import { FlinkConfigReader } from "./flinkConfiguration.ts";

/** A CPU setting in flinkConfiguration that is no positive number: the key and the problem. */
export class CpuSettingError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${key}: ${problem}`);
  }
}

function positive(r: FlinkConfigReader, key: string): number | undefined {
  const found = r.get(key);
  if (found === undefined) return undefined;
  const n = Number(found.value.trim());
  if (found.value.trim() === "" || !Number.isFinite(n)) throw new CpuSettingError(key, `'${found.value}' is not a number of cores; valid: a number greater than 0`);
  if (!(n > 0)) throw new CpuSettingError(key, `must be a number of cores greater than 0, got ${n}`);
  return n;
}

/**
 * The TaskManager pods' CPU, as the operator and Flink set it:
 * - the operator (FlinkConfigBuilder#configureCpu, release-1.15.0) writes
 *   spec.taskManager.resource.cpu to kubernetes.taskmanager.cpu.amount (and, for Flink
 *   older than 1.17, kubernetes.taskmanager.cpu), over what flinkConfiguration says;
 * - Flink 1.18.1 (KubernetesWorkerResourceSpecFactory#getDefaultCpus,
 *   TaskExecutorProcessUtils#getCpuCoresWithFallback) takes taskmanager.cpu.cores if set,
 *   else kubernetes.taskmanager.cpu.amount (deprecated key kubernetes.taskmanager.cpu) if
 *   above 0, else taskmanager.numberOfTaskSlots;
 * - KubernetesUtils#getResourceRequirements (1.18.1) requests that and limits it to
 *   cpu x kubernetes.taskmanager.cpu.limit-factor (KubernetesConfigOptions: default 1.0;
 *   KubernetesTaskManagerParameters checks it is >= 1).
 * Flink rejects taskmanager.cpu.cores <= 0 and silently ignores a kubernetes key <= 0; the
 * simulator rejects both, as a CPU of 0 is a mistake.
 */
export function readTaskManagerCpu(
  config: Readonly<Record<string, string>>,
  specCpu: number | undefined,
  slotsPerTaskManager: number,
  nodes: { readonly count: number; readonly cores: number } | undefined,
): TaskManagerCpu {
  const r = new FlinkConfigReader(config);
  const cores = positive(r, "taskmanager.cpu.cores");
  const amount = positive(r, "kubernetes.taskmanager.cpu.amount");
  const deprecated = positive(r, "kubernetes.taskmanager.cpu");
  const requestCores = cores ?? specCpu ?? amount ?? deprecated ?? slotsPerTaskManager;
  const factorText = r.get("kubernetes.taskmanager.cpu.limit-factor");
  let factor = 1;
  if (factorText !== undefined) {
    factor = Number(factorText.value.trim());
    if (factorText.value.trim() === "" || !Number.isFinite(factor)) throw new CpuSettingError(factorText.key, `'${factorText.value}' is not a number; valid: a factor of at least 1 (the limit is cpu x limit-factor)`);
    if (!(factor >= 1)) throw new CpuSettingError(factorText.key, `must be at least 1 (the limit is cpu x limit-factor), got ${factor}`);
  }
  return { requestCores, limitCores: requestCores * factor, nodes };
}



/**
 * Why the job's TaskManager pods may not all fit on `cpu.nodes`, or undefined when they do.
 * The default scheduler's NodeResourcesFit filter admits a pod only while the node's
 * requested cores stay within its allocatable cores; the simulator does not model Pending
 * pods and runs them all, so a scenario that relies on more pods than fit says so.
 * `largestParallelism`: the most subtasks any vertex can reach (its max parallelism, capped
 * by job.autoscaler.vertex.max-parallelism).
 */
export function podsBeyondNodes(cpu: TaskManagerCpu, slotsPerTaskManager: number, largestParallelism: number): string | undefined {
  const nodes = cpu.nodes;
  if (nodes === undefined) return undefined;
  // A hair of slack: 0.1 + 0.2 requested cores must fit on 0.3.
  const perNode = Math.floor(nodes.cores / cpu.requestCores + 1e-9);
  const fit = nodes.count * perNode;
  const wanted = Math.ceil(largestParallelism / slotsPerTaskManager);
  if (wanted <= fit) return undefined;
  const nodeText = `${nodes.count} node${nodes.count === 1 ? "" : "s"} of ${nodes.cores} cores`;
  return (
    `the job can reach ${wanted} TaskManager pods (parallelism up to ${largestParallelism}, ${slotsPerTaskManager} slot${slotsPerTaskManager === 1 ? "" : "s"} each), ` +
    `but ${nodeText} fit${nodes.count === 1 ? "s" : ""} ${fit} requesting ${cpu.requestCores} core${cpu.requestCores === 1 ? "" : "s"} each: Kubernetes would leave the rest Pending ` +
    `(NodeResourcesFit), the simulator runs them all; request less CPU with a higher kubernetes.taskmanager.cpu.limit-factor (burstable pods), or add nodes`
  );
}

/** Whether the scenario says what CPU its TaskManagers get (else Flink's fallback: one core per slot). */
export function cpuIsSet(config: Readonly<Record<string, string>>, specCpu: number | undefined): boolean {
  const r = new FlinkConfigReader(config);
  return specCpu !== undefined || ["taskmanager.cpu.cores", "kubernetes.taskmanager.cpu.amount", "kubernetes.taskmanager.cpu"].some((k) => r.get(k) !== undefined);
}

/**
 * Why Flink's fallback CPU (one core per slot, when the scenario sets none) can be short for
 * this job, or undefined. A slot holds one subtask of every vertex (one slot sharing group),
 * each wanting up to its peakDemand in cores at once; when a slot's tasks can want more than
 * one core, a TaskManager's busy time includes waiting for the CPU, which a scenario that
 * never mentions CPU would not expect.
 */
export function fallbackCpuShortage(slotPeakCores: number, slotsPerTaskManager: number): string | undefined {
  if (slotPeakCores <= 1 + 1e-9) return undefined;
  const round = (x: number) => Math.round(x * 100) / 100;
  return (
    `no CPU is set for the TaskManagers, so Flink's fallback gives each ${slotsPerTaskManager} core${slotsPerTaskManager === 1 ? "" : "s"} (one per slot), ` +
    `but one slot's tasks can want up to ${round(slotPeakCores)} cores at once: they will share it, and their busy time includes waiting for the CPU; ` +
    `set spec.taskManager.resource.cpu to what your pods get`
  );
}
