/**
 * The CPU of the simulated TaskManagers, as Kubernetes gives it to their pods.
 *
 * Flink 1.18.1 (KubernetesUtils#getResourceRequirements, called by InitTaskManagerDecorator)
 * sets the TaskManager container's request to `cpu` and its limit to
 * `cpu x kubernetes.taskmanager.cpu.limit-factor`; the kernel enforces the limit as a CFS
 * quota, so the limit is what the container can use. Requests decide placement only.
 */
export interface TaskManagerCpu {
  /** The container's CPU request, cores (spec.taskManager.resource.cpu, or Flink's fallback). */
  readonly requestCores: number;
  /** The container's CPU limit, cores: request x limit-factor (the CFS quota per period). */
  readonly limitCores: number;
  /** The Kubernetes nodes the TaskManager pods run on; undefined: nodes never limit. */
  readonly nodes?: { readonly count: number; readonly cores: number } | undefined;
}

/**
 * The node TaskManager `taskManager` runs on. The default scheduler's NodeResourcesFit
 * plugin scores nodes LeastAllocated by requests: identical pods created one after another
 * go to the node with the fewest requested cores, ties to the lowest index (Kubernetes
 * breaks ties at random; the lowest index keeps runs deterministic). Pods that would not fit
 * are placed all the same (no Pending pods are modelled; scenarios that rely on them get a
 * warning: podsBeyondNodes in src/scenario/taskManagerCpu.ts).
 */
export function nodeOf(taskManager: number, cpu: TaskManagerCpu): number {
  return cpu.nodes === undefined ? taskManager : taskManager % cpu.nodes.count;
}

/**
 * The max-min fair level of `capacity` over `demands` (processor sharing with equal weights,
 * as CFS gives runnable threads of one cgroup equal shares): each demand gets
 * min(demand, level). Infinity when all demands fit.
 */
export function fairLevel(demands: ArrayLike<number>, capacity: number): number {
  const n = demands.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += demands[i]!;
  if (total <= capacity) return Infinity;
  const sorted = Float64Array.from(demands).sort();
  let left = capacity;
  for (let k = 0; k < n; k++) {
    const share = left / (n - k);
    if (sorted[k]! >= share) return share;
    left -= sorted[k]!;
  }
  return Infinity;
}

/**
 * The cores each TaskManager gets: its demand capped by its limit, and on a saturated node
 * a fair share of the node (equal pods have equal cpu.shares/weights, from equal requests).
 * `demand[p]` is TaskManager p's demand in cores.
 */
export function taskManagerAllocations(demand: ArrayLike<number>, cpu: TaskManagerCpu): Float64Array {
  const n = demand.length;
  const capped = new Float64Array(n);
  for (let p = 0; p < n; p++) capped[p] = Math.min(demand[p]!, cpu.limitCores);
  const nodes = cpu.nodes;
  if (nodes === undefined) return capped;
  const out = new Float64Array(n);
  for (let node = 0; node < Math.min(nodes.count, n); node++) {
    const pods: number[] = [];
    for (let p = node; p < n; p += nodes.count) pods.push(p);
    const level = fairLevel(pods.map((p) => capped[p]!), nodes.cores);
    for (const p of pods) out[p] = Math.min(capped[p]!, level);
  }
  return out;
}

/** The speed (0..1] of work with CPU share `share` under level `level`: min(share, level) / share. */
export function speedAt(share: number, level: number): number {
  return share <= level ? 1 : level / share;
}
