import type { Environment } from "../../engine/Environment.ts";
import { standardNormal } from "../../engine/distributions.ts";
import type { Random } from "../../engine/random.ts";
import type { FluidCpu } from "./FluidCpu.ts";
import type { FluidTask } from "./FluidTask.ts";
import type { FluidTwoInput } from "./FluidTwoInput.ts";
import { multinomialShares, sharesFromNormals } from "./multinomialShares.ts";
import { costedWaterLevel, waterLevel } from "./waterLevel.ts";

/** One channel between two tasks in aggregate mode. */
export interface FluidChannel {
  readonly producer: number;
  readonly consumer: number;
  /** The share of the producer's output on this edge that goes to this channel. */
  readonly share: number;
  /** Records the channel holds at most: its sender's and receiver's buffers, full. */
  readonly capacity: number;
  /** Which input of a two-input consumer the channel feeds (0 or 1; default 0). */
  readonly input?: number;
}

/**
 * A HASH edge: records go to consumers by their keys' groups. Its channels' shares are
 * drawn afresh every slice around the expected shares, as the slice's records' keys
 * would spread them (multinomialShares), n being the records the edge's producers
 * emitted in the slice before.
 */
export interface KeyedSplit {
  /** The expected share of each consumer, adding up to 1. */
  readonly shares: Float64Array;
  /** The channel indexes into each consumer. */
  readonly channelsTo: readonly (readonly number[])[];
  /** The producing tasks. */
  readonly producers: readonly number[];
  readonly random: Random;
  /**
   * n is the records the producers emit in this slice, not the one before (the slice's
   * normals are drawn first, the shares worked out once the producers' flows are known).
   * SHUFFLE edges use it: a deployment's first slice is split with its own noise, which
   * decides how far a Python consumer's subtasks' bundles fall out of step.
   */
  readonly thisSlice?: boolean;
}

/** Rounds of the back-pressure fixpoint per slice; a chain settles in one or two, a diamond in a few more. */
const MAX_ROUNDS = 32;
/** Trials of the TaskManagers' CPU levels per slice (each solves the flow), then trials that only lower them. */
const CPU_ROUNDS = 24;
const CLEANUP_ROUNDS = 8;
/** Flows below this many records are noise from floating-point arithmetic. */
const EPSILON = 1e-9;

/**
 * The network of a job in the aggregate execution mode: every slice of virtual time it
 * moves records between tasks as flows and queues instead of record by record.
 *
 * In a slice each task can process at most its capacity (the slice over the drawn cost
 * of its records), at most what it has (queued input plus what arrives in the slice; a
 * source: its reader's supply), and at most what its output channels can take. A channel
 * takes what its consumer reads from it in the slice plus its free buffer space; a
 * consumer that cannot read everything reads its channels in equal shares (its input
 * gate serves channels with data round robin, a buffer at a time), a channel with less
 * giving all it has. These limits depend on each other, so each slice repeats a forward
 * pass (what each task processes) and a pass over the channels (which producers must be
 * held back) until no limit changes. The slice's time then splits into busy (the drawn
 * cost of the records processed), back-pressured (held back by an output) and idle.
 *
 * What this leaves out, and why it is small at the rates the mode is for: records in a
 * slice pass through the whole pipeline at once (a record costs micro- to milliseconds,
 * a slice is a second); buffers are counts of records, so the 100 ms output flusher's
 * latency and partly filled buffers are not modelled; a HASH edge splits records by the
 * expected share of its key groups, without the multinomial noise of individual keys.
 */
export class FluidNetwork {
  private readonly n: number;
  /** Per task: capacity in head records this slice, supply/availability, processed, limit from outputs. */
  private readonly capacity: Float64Array;
  private readonly available: Float64Array;
  private readonly processed: Float64Array;
  private readonly limit: Float64Array;
  private readonly costMs: Float64Array;
  /** Per task: its capacity this slice without CPU limits. */
  private readonly nominal: Float64Array;
  /** Per channel: records queued at the slice's start, arriving in it, read by the consumer in it. */
  private readonly queued: Float64Array;
  private readonly arriving: Float64Array;
  private readonly taken: Float64Array;
  /** Channels by consumer (CSR: inputs of task t are inIndex[inStart[t] .. inStart[t+1])). */
  private readonly inStart: Int32Array;
  private readonly inIndex: Int32Array;
  private readonly channelProducer: Int32Array;
  private readonly channelShare: Float64Array;
  private readonly channelCapacity: Float64Array;
  private readonly channelInput: Uint8Array;
  /**
   * Per task: records leaving its chain this slice: processed x outPerRecord, but a Python
   * chain's bundles (what they emit) and a two-input head's matches through the chain after it.
   */
  private readonly emitted: Float64Array;
  /** Per two-input task: records its head emitted this slice (emitted is these through the chain after it). */
  private readonly headOut: Float64Array;
  /** Per two-input task: the records available on each input this slice. */
  private readonly available0: Float64Array;
  private readonly available1: Float64Array;
  /** Per two-input task: of the records it processes this slice, those of input 1 (the first). */
  private readonly read0: Float64Array;
  /** Scratch for a two-input task's channels: records each has, each one's cost, their order by has. */
  private hasScratch = new Float64Array(0);
  private costScratch = new Float64Array(0);
  private orderScratch: number[] = [];
  /** Whether any task has a two-input head (else the one-input arithmetic runs unchanged). */
  private readonly anyTwoInput: boolean;
  private readonly scratch: Float64Array;
  private shareScratch = new Float64Array(0);
  /** Per split drawn from this slice: the task before whose inputs its shares are worked out, and its normals. */
  private readonly splitAt: Int32Array;
  private readonly splitNormals: Float64Array[];
  private advancedTo: number;
  private stopped = false;
  private stepScheduled = false;

  constructor(
    private readonly env: Environment,
    /** In topological order: every producer before its consumers. */
    private readonly tasks: readonly FluidTask[],
    channels: readonly FluidChannel[],
    /** The slice length, ms; slices end on multiples of it (so also on the 5 s view updates when it divides 5000). */
    private readonly sliceMs: number,
    private readonly splits: readonly KeyedSplit[] = [],
    /** The TaskManagers' CPUs, or null when no CPU can ever be short. */
    private readonly cpu: FluidCpu | null = null,
    /**
     * Slices end on phaseMs + k x sliceMs: 0, or for a job whose legacy source bursts and
     * bundle timers count from its tasks' start, that start (their events then fall on
     * slice boundaries, where the mode's input arrives).
     */
    private readonly phaseMs = 0,
  ) {
    const n = tasks.length;
    this.n = n;
    this.capacity = new Float64Array(n);
    this.available = new Float64Array(n);
    this.processed = new Float64Array(n);
    this.limit = new Float64Array(n);
    this.costMs = new Float64Array(n);
    this.nominal = new Float64Array(n);
    const c = channels.length;
    this.queued = new Float64Array(c);
    this.arriving = new Float64Array(c);
    this.taken = new Float64Array(c);
    this.channelProducer = Int32Array.from(channels, (ch) => ch.producer);
    this.channelShare = Float64Array.from(channels, (ch) => ch.share);
    this.channelCapacity = Float64Array.from(channels, (ch) => ch.capacity);
    this.channelInput = Uint8Array.from(channels, (ch) => ch.input ?? 0);
    this.emitted = new Float64Array(n);
    this.headOut = new Float64Array(n);
    this.available0 = new Float64Array(n);
    this.available1 = new Float64Array(n);
    this.read0 = new Float64Array(n);
    this.anyTwoInput = tasks.some((t) => t.twoInput !== null);
    this.inStart = new Int32Array(n + 1);
    for (const ch of channels) this.inStart[ch.consumer + 1]!++;
    for (let t = 0; t < n; t++) this.inStart[t + 1]! += this.inStart[t]!;
    this.inIndex = new Int32Array(c);
    const fill = this.inStart.slice(0, n);
    channels.forEach((ch, i) => {
      if (ch.producer >= ch.consumer) throw new Error("FluidNetwork: tasks must be in topological order");
      this.inIndex[fill[ch.consumer]!++] = i;
    });
    let widest = 0;
    for (let t = 0; t < n; t++) widest = Math.max(widest, this.inStart[t + 1]! - this.inStart[t]!);
    this.scratch = new Float64Array(widest);
    this.advancedTo = env.now;
    this.splitAt = Int32Array.from(splits, (split) => {
      if (split.thisSlice !== true) return -1;
      let first = n;
      for (const list of split.channelsTo) for (const c of list) first = Math.min(first, channels[c]!.consumer);
      return first;
    });
    this.splitNormals = splits.map((split) => new Float64Array(split.thisSlice === true ? split.shares.length : 0));
  }

  /** Starts moving records: a slice ends at every multiple of the slice length. */
  start(): void {
    this.advancedTo = this.env.now;
    this.scheduleStep();
  }

  /** Ends the network (a restart): in-flight records are dropped with it. */
  stop(): void {
    this.stopped = true;
  }

  private scheduleStep(): void {
    if (this.stepScheduled || this.stopped) return;
    this.stepScheduled = true;
    const next = this.phaseMs + (Math.floor((this.env.now - this.phaseMs) / this.sliceMs) + 1) * this.sliceMs;
    this.env.scheduleAt(next, this.onStep);
  }

  private readonly onStep = (): void => {
    this.stepScheduled = false;
    if (this.stopped) return;
    this.advanceTo(this.env.now);
    this.scheduleStep();
  };

  /** Moves records up to `toMs` (called before anything reads the tasks' metrics). */
  advanceTo(toMs: number): void {
    if (this.stopped) return;
    while (this.advancedTo < toMs) {
      const from = this.advancedTo;
      const to = Math.min(toMs, this.phaseMs + (Math.floor((from - this.phaseMs) / this.sliceMs) + 1) * this.sliceMs);
      this.slice(from, to);
      this.advancedTo = to;
    }
  }

  /** Records queued in the channels into task `t` (for inspection). */
  queuedInto(t: number): number {
    let sum = 0;
    for (let k = this.inStart[t]!; k < this.inStart[t + 1]!; k++) sum += this.queued[this.inIndex[k]!]!;
    return sum;
  }

  /** The slice being moved (forward() needs its bounds for window ends and arrival times). */
  private current = { from: 0, to: 0 };

  private slice(from: number, to: number): void {
    const { n, tasks, capacity, limit, costMs } = this;
    this.current = { from, to };
    const ms = to - from;
    for (let t = 0; t < n; t++) {
      const task = tasks[t]!;
      limit[t] = Infinity;
      if (task.python !== null) {
        // A Python chain plans its slice itself (FluidPython): its bundles set what it takes and writes.
        task.python.prepare(from, to);
        costMs[t] = 0;
        capacity[t] = Infinity;
        this.nominal[t] = Infinity;
        this.available[t] = task.source !== null ? task.source.supply(from, to) : 0;
        continue;
      }
      // The slice's capacity: as many records as the slice holds at their mean cost, with
      // their drawn cost; the same draw prices the records actually processed.
      const meanCostMs = task.sliceMeanCostMs();
      // A two-input head draws each input's cost every slice: its inputs' mix may change within it.
      if (meanCostMs <= 0 && task.twoInput !== null) task.twoInput.drawCostMs(ms, 0);
      if (meanCostMs > 0) {
        const nominal = ms / meanCostMs;
        const draws = Math.max(1, Math.round(nominal));
        const drawn = task.drawCostMs(draws, ms);
        const perRecord = drawn > 0 ? drawn / draws : meanCostMs;
        costMs[t] = perRecord;
        capacity[t] = ms / perRecord;
      } else {
        costMs[t] = 0;
        capacity[t] = Infinity;
      }
      if (task.asyncRecordsPerMs !== Infinity) capacity[t] = Math.min(capacity[t]!, task.asyncRecordsPerMs * ms);
      this.nominal[t] = capacity[t]!;
      this.available[t] = task.source !== null ? task.source.supply(from, to) : 0;
    }
    this.splits.forEach((split, k) => {
      if (split.thisSlice !== true) this.drawShares(split);
      else {
        const z = this.splitNormals[k]!;
        for (let j = 0; j < z.length; j++) z[j] = standardNormal(split.random);
      }
    });
    const cpu = this.cpu;
    if (cpu !== null) {
      cpu.reset();
      cpu.cap(ms, costMs, this.nominal, capacity);
    }
    this.settle();
    if (cpu !== null) {
      // CPU limits and back-pressure depend on each other. FluidCpu moves each TaskManager's
      // CPU level towards where its tasks' use meets what it gets, every trial solving the
      // flow afresh at the capacities the levels give (the back-pressure limits recomputed,
      // not only lowered: a capacity may rise); out of rounds, only levels that use too much
      // move, down, so the slice never ends on more CPU than there is (see FluidCpu).
      for (let round = 0; round < CPU_ROUNDS + CLEANUP_ROUNDS && cpu.adjust(ms, this.processed, costMs, round >= CPU_ROUNDS); round++) {
        cpu.cap(ms, costMs, this.nominal, capacity);
        limit.fill(Infinity);
        this.settle();
      }
      cpu.settleSpeeds(ms, this.processed, costMs);
    }
    this.forward();
    this.holdBackProducers();
    const { queued, arriving, taken, processed, available } = this;
    for (let c = 0; c < queued.length; c++) queued[c] = Math.max(0, queued[c]! + arriving[c]! - taken[c]!);
    for (let t = 0; t < n; t++) {
      const task = tasks[t]!;
      const x = processed[t]!;
      if (task.source !== null) task.source.take(x);
      const unconstrained = Math.min(capacity[t]!, available[t]!);
      const two = task.twoInput;
      if (two !== null) {
        // The head's output goes through the operators chained after it: their cost is busy time too.
        const x0 = this.read0[t]!;
        two.commit(x0, x - x0, this.available0[t]!, this.available1[t]!, from, to);
        const head = this.headOut[t]!;
        const busy = x0 * two.perRecordMs[0]! + (x - x0) * two.perRecordMs[1]! + task.drawTailCostMs(head);
        const stretchedTwo = cpu === null ? busy : busy / cpu.speed[t]!;
        task.apply(from, to, { processed: x, headOut: head, busyMs: stretchedTwo, blockedByOutput: limit[t]! < unconstrained - EPSILON });
        continue;
      }
      let stretched = cpu === null ? x * costMs[t]! : (x * costMs[t]!) / cpu.speed[t]!;
      // An async operator's full queue holds the task thread in addToWorkQueue, which is busy
      // time (see Subtask#runAsyncMails): a slice its queue limits is busy throughout.
      if (task.asyncRecordsPerMs !== Infinity && x >= task.asyncRecordsPerMs * ms * (1 - 1e-9) && available[t]! > x + EPSILON) stretched = ms;
      task.apply(from, to, { processed: x, busyMs: stretched, blockedByOutput: limit[t]! < unconstrained - EPSILON });
    }
  }

  /**
   * What two-input task `t` reads this slice: its gate serves the channels with data in
   * equal parts (a buffer at a time, round robin), each input's records at that input's
   * cost, until the slice's time (its capacity at the last mix, as a budget of ms), its
   * output limit or its input runs out. Sets processed[t] and read0[t].
   */
  private readTwoInput(t: number, two: FluidTwoInput): void {
    const { inStart, inIndex, queued, arriving, channelInput } = this;
    const start = inStart[t]!;
    const m = inStart[t + 1]! - start;
    if (this.hasScratch.length < m) {
      this.hasScratch = new Float64Array(m);
      this.costScratch = new Float64Array(m);
    }
    const has = this.hasScratch;
    const cost = this.costScratch;
    const order = this.orderScratch;
    order.length = m;
    for (let k = 0; k < m; k++) {
      const c = inIndex[start + k]!;
      has[k] = queued[c]! + arriving[c]!;
      cost[k] = two.perRecordMs[channelInput[c]!]!;
      order[k] = k;
    }
    order.sort((a, b) => has[a]! - has[b]!);
    // The slice's budget: its length, scaled as the CPU scaled the capacity (1 when not limited).
    const nominal = this.nominal[t]!;
    const budget = (this.current.to - this.current.from) * (Number.isFinite(nominal) && nominal > 0 ? this.capacity[t]! / nominal : 1);
    let level = costedWaterLevel(has, cost, order, budget);
    const limit = this.limit[t]!;
    if (limit !== Infinity) {
      const sorted = Float64Array.from(order, (k) => has[k]!);
      level = Math.min(level, waterLevel(sorted, limit));
    }
    let x = 0;
    let x0 = 0;
    for (let k = 0; k < m; k++) {
      const took = Math.min(has[k]!, level);
      x += took;
      if (channelInput[inIndex[start + k]!] === 0) x0 += took;
    }
    this.processed[t] = Math.max(0, x);
    this.read0[t] = Math.max(0, Math.min(x0, x));
  }

  /** Records leaving task `t`'s chain this slice, given what it processed. */
  private emit(t: number, from: number, to: number): void {
    const task = this.tasks[t]!;
    const two = task.twoInput;
    if (two === null) {
      this.emitted[t] = this.processed[t]! * task.outPerRecord;
      return;
    }
    const x = this.processed[t]!;
    const x0 = this.read0[t]!;
    const head = two.output(x0, x - x0, from, to);
    this.headOut[t] = head;
    this.emitted[t] = head * task.tailReach();
  }

  /** The back-pressure fixpoint at the current capacities. */
  private settle(): void {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.forward();
      if (!this.holdBackProducers()) break;
    }
  }

  /** This slice's shares of a HASH edge's consumers (see KeyedSplit). */
  private drawShares(split: KeyedSplit): void {
    let records = 0;
    for (const p of split.producers) records += this.emitted[p]!;
    const { shares, channelsTo, random } = split;
    const m = shares.length;
    const drawn = this.shareScratch.length >= m ? this.shareScratch : (this.shareScratch = new Float64Array(m));
    multinomialShares(shares, records, random, drawn);
    for (let j = 0; j < m; j++) for (const c of channelsTo[j]!) this.channelShare[c] = drawn[j]!;
  }

  /** A thisSlice split's shares from its normals and its producers' flows in this pass. */
  private sharesOfThisSlice(k: number): void {
    const split = this.splits[k]!;
    let records = 0;
    for (const p of split.producers) records += this.emitted[p]!;
    const m = split.shares.length;
    const drawn = this.shareScratch.length >= m ? this.shareScratch : (this.shareScratch = new Float64Array(m));
    sharesFromNormals(split.shares, records, this.splitNormals[k]!, drawn);
    for (let j = 0; j < m; j++) for (const c of split.channelsTo[j]!) this.channelShare[c] = drawn[j]!;
  }

  /** What each task processes, in topological order, given the limits its outputs set. */
  private forward(): void {
    const { n, tasks, capacity, available, processed, limit, inStart, inIndex, queued, arriving, channelProducer, channelShare, emitted } = this;
    if (this.anyTwoInput) {
      this.forwardTwoInput();
      return;
    }
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < this.splitAt.length; k++) if (this.splitAt[k] === t) this.sharesOfThisSlice(k);
      if (tasks[t]!.source === null) {
        let sum = 0;
        for (let k = inStart[t]!; k < inStart[t + 1]!; k++) {
          const c = inIndex[k]!;
          const p = channelProducer[c]!;
          const a = channelShare[c]! * emitted[p]!;
          arriving[c] = a;
          sum += queued[c]! + a;
        }
        available[t] = sum;
      }
      const python = tasks[t]!.python;
      if (python !== null) {
        processed[t] = python.plan(available[t]!, limit[t]!);
        emitted[t] = python.plannedEmitted;
        continue;
      }
      processed[t] = Math.max(0, Math.min(capacity[t]!, available[t]!, limit[t]!));
      emitted[t] = processed[t]! * tasks[t]!.outPerRecord;
    }
  }

  /** forward() for a job with two-input heads: arrivals from what each producer emitted, available counted per input. */
  private forwardTwoInput(): void {
    const { n, tasks, capacity, available, processed, limit, inStart, inIndex, queued, arriving, channelProducer, channelShare, channelInput, emitted } = this;
    const { from, to } = this.current;
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < this.splitAt.length; k++) if (this.splitAt[k] === t) this.sharesOfThisSlice(k);
      if (tasks[t]!.source === null) {
        let a0 = 0;
        let a1 = 0;
        for (let k = inStart[t]!; k < inStart[t + 1]!; k++) {
          const c = inIndex[k]!;
          const a = channelShare[c]! * emitted[channelProducer[c]!]!;
          arriving[c] = a;
          if (channelInput[c] === 0) a0 += queued[c]! + a;
          else a1 += queued[c]! + a;
        }
        this.available0[t] = a0;
        this.available1[t] = a1;
        available[t] = a0 + a1;
      }
      const python = tasks[t]!.python;
      if (python !== null) {
        processed[t] = python.plan(available[t]!, limit[t]!);
        emitted[t] = python.plannedEmitted;
        continue;
      }
      const two = tasks[t]!.twoInput;
      if (two !== null && tasks[t]!.source === null) this.readTwoInput(t, two);
      else processed[t] = Math.max(0, Math.min(capacity[t]!, available[t]!, limit[t]!));
      this.emit(t, from, to);
    }
  }

  /**
   * What each consumer reads from each of its channels, and the limits that keeps every
   * channel within its capacity. True when a limit changed.
   */
  private holdBackProducers(): boolean {
    const { n, tasks, available, processed, limit, inStart, inIndex, queued, arriving, taken, channelProducer, channelShare, channelCapacity, scratch } = this;
    let changed = false;
    for (let t = 0; t < n; t++) {
      const start = inStart[t]!;
      const end = inStart[t + 1]!;
      if (start === end) continue;
      const x = processed[t]!;
      if (x >= available[t]! - EPSILON) {
        for (let k = start; k < end; k++) {
          const c = inIndex[k]!;
          taken[c] = queued[c]! + arriving[c]!;
        }
      } else {
        // Equal shares, water-filled: the level at which min(has, level) over the channels adds up to x.
        const m = end - start;
        for (let k = 0; k < m; k++) {
          const c = inIndex[start + k]!;
          scratch[k] = queued[c]! + arriving[c]!;
        }
        const level = waterLevel(scratch.subarray(0, m).sort(), x);
        for (let k = start; k < end; k++) {
          const c = inIndex[k]!;
          taken[c] = Math.min(queued[c]! + arriving[c]!, level);
        }
      }
      for (let k = start; k < end; k++) {
        const c = inIndex[k]!;
        if (queued[c]! + arriving[c]! - taken[c]! <= channelCapacity[c]! + EPSILON) continue;
        // The most this channel can take in the slice, as records of its producer's head.
        const p = channelProducer[c]!;
        const room = Math.max(0, channelCapacity[c]! - queued[c]! + taken[c]!);
        const two = tasks[p]!.twoInput;
        let perHead: number;
        if (two === null) perHead = channelShare[c]! * tasks[p]!.outPerRecord;
        else if (two.join?.type === "window") {
          // A window's results leave at its end whatever the input: the task is blocked emitting them, reading nothing.
          if (limit[p]! > 0) {
            limit[p] = 0;
            changed = true;
          }
          continue;
        } else perHead = processed[p]! > 0 ? (channelShare[c]! * this.emitted[p]!) / processed[p]! : 0;
        const most = room / perHead;
        if (most < limit[p]! - EPSILON) {
          limit[p] = most;
          changed = true;
        }
      }
    }
    return changed;
  }
}
