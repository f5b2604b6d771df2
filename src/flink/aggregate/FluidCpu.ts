import { taskManagerAllocations, type TaskManagerCpu } from "../cpu/TaskManagerCpu.ts";

/**
 * The level `f` (0..1] at which sum over threads of share x min(runnable, f x sliceMs)
 * equals `cpuMs`: under a CFS quota every thread runs at full speed while the container
 * has quota left, so a thread that would be runnable longer than the unthrottled part of
 * the slice gets that part, the others all they need. Infinity when everything fits.
 */
function unthrottledShare(runnable: readonly number[], share: readonly number[], cpuMs: number, sliceMs: number): number {
  const order = runnable.map((_, i) => i).sort((a, b) => runnable[a]! - runnable[b]!);
  let weight = 0;
  for (const i of order) weight += share[i]!;
  let left = cpuMs;
  for (const i of order) {
    const level = left / weight;
    if (runnable[i]! >= level) return level / sliceMs;
    left -= share[i]! * runnable[i]!;
    weight -= share[i]!;
  }
  return Infinity;
}

/**
 * The TaskManagers' CPUs in the aggregate mode, the slice's counterpart of record mode's
 * CpuScheduler: the CPU time a TaskManager's tasks would use in the slice is set against
 * what it gets (limit x slice, less on a saturated node: its fair share of the node's
 * cores). When it does not fit, the quota runs out a fraction f into the slice (see
 * unthrottledShare): a task that needs more than that runs at speed f, its capacity falls
 * to what it does in f of the slice, and its busy time is its records' cost stretched by
 * 1/f (waiting for the CPU mid-record is busy). Tasks that need less run at full speed.
 */
export class FluidCpu {
  private readonly taskManagers: number;
  private readonly demand: Float64Array;
  /** Per task: the CPU speed of this slice (1: not limited). */
  readonly speed: Float64Array;
  private readonly members: number[][];

  constructor(
    taskManagerOf: Int32Array,
    /** Per task: the CPU share of its chain's cost (cost-weighted cpuShare). */
    private readonly share: Float64Array,
    private readonly cpu: TaskManagerCpu,
  ) {
    let n = 0;
    for (const p of taskManagerOf) n = Math.max(n, p + 1);
    this.taskManagers = n;
    this.demand = new Float64Array(n);
    this.speed = new Float64Array(taskManagerOf.length).fill(1);
    this.members = Array.from({ length: n }, () => []);
    taskManagerOf.forEach((p, t) => {
      if (share[t]! > 0) this.members[p]!.push(t);
    });
  }

  /**
   * Caps the capacity of the tasks the CPU holds back, given what each processes at the
   * current capacities (`processed`, head records), what it could take (`available`), what
   * its outputs let it emit (`outputLimit`, Infinity when they do not hold it back), its
   * cost per head record (`costMs`), and the slice's length. `nominal` is each task's
   * capacity without CPU limits. True when a capacity changed.
   */
  constrain(sliceMs: number, processed: Float64Array, available: Float64Array, outputLimit: Float64Array, costMs: Float64Array, capacity: Float64Array, nominal: Float64Array): boolean {
    const { demand, members, share, speed } = this;
    // Nominal busy ms each task wants; a task the CPU held back asks for what it could do at
    // full speed, but no more than its outputs take: a thread waiting for an output buffer is
    // not runnable, so the CPU it leaves goes to the TaskManager's other threads.
    const runnable = (t: number): number => (speed[t]! < 1 ? Math.min(nominal[t]!, available[t]!, outputLimit[t]!) : processed[t]!) * costMs[t]!;
    demand.fill(0);
    for (let p = 0; p < this.taskManagers; p++) for (const t of members[p]!) demand[p]! += (share[t]! * runnable(t)) / sliceMs;
    const allocation = taskManagerAllocations(demand, this.cpu);
    let changed = false;
    for (let p = 0; p < this.taskManagers; p++) {
      const list = members[p]!;
      if (list.length === 0) continue;
      const busy = list.map(runnable);
      const f = unthrottledShare(
        busy,
        list.map((t) => share[t]!),
        allocation[p]! * sliceMs,
        sliceMs,
      );
      list.forEach((t, k) => {
        const s = busy[k]! <= f * sliceMs ? 1 : f;
        if (s === speed[t]) return;
        speed[t] = s;
        capacity[t] = s >= 1 ? nominal[t]! : Math.min(nominal[t]!, (f * sliceMs) / costMs[t]!);
        changed = true;
      });
    }
    return changed;
  }

  /** Resets the speeds for a new slice. */
  reset(): void {
    this.speed.fill(1);
  }
}
