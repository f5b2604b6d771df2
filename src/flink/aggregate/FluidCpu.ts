import { fairLevel, speedAt, taskManagerAllocations, type TaskManagerCpu } from "../cpu/TaskManagerCpu.ts";

/**
 * The TaskManagers' CPUs in the aggregate mode: per slice, the CPU time the tasks of a
 * TaskManager would use is set against what the TaskManager gets (its limit, and a fair
 * share of a saturated node); when it does not fit, the cores are shared max-min fairly
 * among the tasks' threads (as in record mode's CpuScheduler) and a task above the level
 * runs at speed level / share for the whole slice: its capacity falls to what that speed
 * allows, and its busy time is its records' cost stretched by the same speed (a task
 * waiting for a CPU is busy). Tasks below the level run at full speed: the fluid model has
 * no moments of contention below saturation, which record mode has.
 */
export class FluidCpu {
  private readonly taskManagers: number;
  private readonly demand: Float64Array;
  /** Per task: the CPU speed of this slice (1: not limited). */
  readonly speed: Float64Array;
  private readonly members: number[][];

  constructor(
    /** Per task: its TaskManager. */
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
   * current capacities (`processed`, head records), what it could take (`available`), its
   * cost per head record (`costMs`), and the slice's length. `nominal` is each task's
   * capacity without CPU limits. True when a capacity changed.
   */
  constrain(sliceMs: number, processed: Float64Array, available: Float64Array, costMs: Float64Array, capacity: Float64Array, nominal: Float64Array): boolean {
    const { demand, members, share, speed } = this;
    demand.fill(0);
    // A task the CPU held back asks for what it could do at full speed.
    const want = (t: number): number => (speed[t]! < 1 ? Math.min(nominal[t]!, available[t]!) : processed[t]!);
    for (let p = 0; p < this.taskManagers; p++) for (const t of members[p]!) demand[p]! += (share[t]! * want(t) * costMs[t]!) / sliceMs;
    const allocation = taskManagerAllocations(demand, this.cpu);
    let changed = false;
    for (let p = 0; p < this.taskManagers; p++) {
      const list = members[p]!;
      if (list.length === 0) continue;
      const level = fairLevel(
        list.map((t) => (share[t]! * want(t) * costMs[t]!) / sliceMs),
        allocation[p]!,
      );
      for (const t of list) {
        // The thread's use at full speed is share x (its busy fraction); above the level it is slowed.
        const use = (share[t]! * want(t) * costMs[t]!) / sliceMs;
        const s = use <= level ? 1 : speedAt(share[t]!, level);
        if (s === speed[t]) continue;
        speed[t] = s;
        capacity[t] = s >= 1 ? nominal[t]! : Math.min(nominal[t]!, (level * sliceMs) / (share[t]! * costMs[t]!));
        changed = true;
      }
    }
    return changed;
  }

  /** Resets the speeds for a new slice. */
  reset(): void {
    this.speed.fill(1);
  }
}
