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

/** A TaskManager whose task waits for the CPU and that uses within this fraction below its allocation has met it. */
const TOLERANCE = 1e-3;

/**
 * The TaskManagers' CPUs in the aggregate mode, the slice's counterpart of record mode's
 * CpuScheduler. Under a CFS quota a TaskManager's threads all run at full speed until the
 * quota runs out, a fraction f of the way into the slice (see unthrottledShare), then all
 * wait. So a TaskManager's CPU in a slice is one number, its level f: a task does at most
 * what it does in f of the slice (its capacity falls to f x slice / cost), and a task that
 * uses all of that waited for the CPU: it runs at speed f, its records' cost stretched by
 * 1/f (waiting for the CPU mid-record is busy time). A task that stops short of f x slice
 * waits for input or for an output buffer (idle or back-pressured, not busy) and leaves
 * the rest to the TaskManager's other threads.
 *
 * The right levels are where each TaskManager with a task waiting for the CPU uses what it
 * gets (its limit, less on a saturated node: a fair share of the node's cores) and none
 * uses more, in the flow that those levels' capacities give. FluidNetwork solves that flow
 * afresh for every trial of the levels (back-pressure limits recomputed from scratch); a
 * task's CPU demand is what it processes at the trial's levels, with a task at its level
 * wanting more, whatever trickled in: so a consumer the CPU holds back, and that holds its
 * producers back in turn, still counts as short (issue #23: counted from what arrived, it
 * was restored to full speed while its producers stayed held).
 *
 * Why it cannot oscillate. Each trial moves a TaskManager that uses too much, or too
 * little while a task waits, a weight w times the way to the water-filling level of its
 * flow (where its threads would use exactly its share if the others kept their needs).
 * That level can overshoot: a consumer that holds back every source moves the whole
 * node's use, not only its own, so the node's fair share moves against it. At each
 * overshoot (a step back the way the last came) either the miss is at most half the miss
 * at the overshoot before, or w halves. So if a level kept turning, either w would go to 0
 * (and with it every swing, a step being at most w) or the misses at its turns would: no
 * swing of fixed size can repeat. The trials are bounded all the same (FluidNetwork's
 * CPU_ROUNDS); the last ones only lower the levels of TaskManagers that use more than they
 * get (lower capacities, lower flows), so the slice ends on no more CPU than there is: a
 * check after every slice of the CPU-bound job at 10^3 to 10^6 records/s found none over.
 * A TaskManager left under its share by more than TOLERANCE loses a little throughput.
 */
export class FluidCpu {
  private readonly taskManagers: number;
  private readonly members: number[][];
  /** Per task: the CPU speed of this slice (1: not limited). */
  readonly speed: Float64Array;
  /**
   * Per TaskManager: the level f of this trial; the weight of its steps (0..1]; the direction of
   * its last step (-1 down, 1 up, 0 none); its miss (ms of CPU used more or less than it
   * gets) at its last overshoot.
   */
  private readonly level: Float64Array;
  private readonly weight: Float64Array;
  private readonly direction: Int8Array;
  private readonly missAtTurn: Float64Array;
  /** Per TaskManager, scratch: CPU ms used in the trial's flow, cores demanded, and whether a task waits for the CPU. */
  private readonly used: Float64Array;
  private readonly demand: Float64Array;
  private readonly short: Uint8Array;

  constructor(
    taskManagerOf: Int32Array,
    /** Per task: the CPU share of its chain's cost (cost-weighted cpuShare). */
    private readonly share: Float64Array,
    private readonly cpu: TaskManagerCpu,
  ) {
    let n = 0;
    for (const p of taskManagerOf) n = Math.max(n, p + 1);
    this.taskManagers = n;
    this.speed = new Float64Array(taskManagerOf.length).fill(1);
    this.members = Array.from({ length: n }, () => []);
    taskManagerOf.forEach((p, t) => {
      if (share[t]! > 0) this.members[p]!.push(t);
    });
    this.level = new Float64Array(n).fill(1);
    this.weight = new Float64Array(n).fill(1);
    this.direction = new Int8Array(n);
    this.missAtTurn = new Float64Array(n);
    this.used = new Float64Array(n);
    this.demand = new Float64Array(n);
    this.short = new Uint8Array(n);
  }

  /**
   * A new slice. The levels start where the last slice's ended (1, full speed, at a
   * deployment's first): from one second to the next the answer moves little. So do the
   * weights, doubled (at most 1): how far the water-filling level overshoots depends on
   * the job's shape (a consumer holding back every source of an 8-way HASH edge moves the
   * node's use some 8 times its own), which changes slowly; doubled, a weight the last
   * slice cut for a passing reason recovers in a few slices.
   */
  reset(): void {
    this.speed.fill(1);
    for (let p = 0; p < this.taskManagers; p++) this.weight[p] = Math.min(1, 2 * this.weight[p]!);
    this.direction.fill(0);
    this.missAtTurn.fill(Infinity);
  }

  /** Sets each task's capacity for the current levels: what it does in f x slice, at most `nominal`. */
  cap(sliceMs: number, costMs: Float64Array, nominal: Float64Array, capacity: Float64Array): void {
    for (let p = 0; p < this.taskManagers; p++) {
      const f = this.level[p]!;
      for (const t of this.members[p]!) capacity[t] = f >= 1 || costMs[t]! <= 0 ? nominal[t]! : Math.min(nominal[t]!, (f * sliceMs) / costMs[t]!);
    }
  }

  /** Whether task t of a TaskManager at level f used all of f x slice (so waited for the CPU). */
  private waitsForCpu(t: number, f: number, sliceMs: number, processed: Float64Array, costMs: Float64Array): boolean {
    return f < 1 && costMs[t]! > 0 && processed[t]! * costMs[t]! >= f * sliceMs * (1 - 1e-9);
  }

  /**
   * Sets the trial's flow (`processed` head records per task at the capacities cap() set)
   * against the CPU and moves the levels that do not fit towards the answer. True when a
   * level moved: the caller caps the capacities again, solves the flow again and calls
   * again. `lowerOnly`: only TaskManagers using more than they get move (down).
   */
  adjust(sliceMs: number, processed: Float64Array, costMs: Float64Array, lowerOnly = false): boolean {
    const { members, share, level, used, demand, short, weight, direction, missAtTurn } = this;
    for (let p = 0; p < this.taskManagers; p++) {
      let ms = 0;
      let waits = 0;
      for (const t of members[p]!) {
        ms += share[t]! * processed[t]! * costMs[t]!;
        if (this.waitsForCpu(t, level[p]!, sliceMs, processed, costMs)) waits = 1;
      }
      used[p] = ms;
      short[p] = waits;
      // A TaskManager with a task waiting for the CPU wants more than it uses (how much
      // more does not matter: it gets its fair share of the node, at most its limit).
      demand[p] = waits === 1 ? Infinity : ms / sliceMs;
    }
    const allocation = taskManagerAllocations(demand, this.cpu);
    let moved = false;
    for (let p = 0; p < this.taskManagers; p++) {
      const list = members[p]!;
      if (list.length === 0) continue;
      const budget = allocation[p]! * sliceMs;
      // Never more than it gets; up to TOLERANCE less while a task waits for the CPU.
      const over = used[p]! > budget * (1 + 1e-12);
      const under = !lowerOnly && short[p] === 1 && used[p]! < budget * (1 - TOLERANCE);
      if (!over && !under) continue;
      const f = level[p]!;
      // The water-filling level this flow suggests (tasks waiting for the CPU would run all
      // slice): below f when the TaskManager uses more than it gets, above when less.
      const runnable = list.map((t) => (this.waitsForCpu(t, f, sliceMs, processed, costMs) ? Infinity : processed[t]! * costMs[t]!));
      const suggested = Math.min(
        1,
        unthrottledShare(
          runnable,
          list.map((t) => share[t]!),
          budget * (1 - TOLERANCE / 2),
          sliceMs,
        ),
      );
      // A step back the way the last one came is an overshoot: unless its miss is at most
      // half the miss at the last one, the weight of the steps to come halves.
      const step = over ? -1 : 1;
      const miss = Math.abs(used[p]! - budget);
      if (direction[p] === -step) {
        if (miss > missAtTurn[p]! / 2) weight[p]! /= 2;
        missAtTurn[p] = miss;
      }
      // The first step, down from full speed to the level the slice's full demand allows, sets no direction.
      direction[p] = f >= 1 ? 0 : step;
      const next = lowerOnly ? suggested : f + weight[p]! * (suggested - f);
      if (next !== f) {
        level[p] = next;
        moved = true;
      }
    }
    return moved;
  }

  /** Sets the slice's speeds from its final flow: f for the tasks that waited for the CPU, 1 for the rest. */
  settleSpeeds(sliceMs: number, processed: Float64Array, costMs: Float64Array): void {
    for (let p = 0; p < this.taskManagers; p++) {
      const f = this.level[p]!;
      for (const t of this.members[p]!) this.speed[t] = this.waitsForCpu(t, f, sliceMs, processed, costMs) ? f : 1;
    }
  }
}
