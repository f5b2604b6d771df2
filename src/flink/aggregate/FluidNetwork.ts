import type { Environment } from "../../engine/Environment.ts";
import type { Random } from "../../engine/random.ts";
import type { FluidCpu } from "./FluidCpu.ts";
import type { FluidTask } from "./FluidTask.ts";
import { multinomialShares } from "./multinomialShares.ts";
import { waterLevel } from "./waterLevel.ts";

/** One channel between two tasks in aggregate mode. */
export interface FluidChannel {
  readonly producer: number;
  readonly consumer: number;
  /** The share of the producer's output on this edge that goes to this channel. */
  readonly share: number;
  /** Records the channel holds at most: its sender's and receiver's buffers, full. */
  readonly capacity: number;
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
}

/** Rounds of the back-pressure fixpoint per slice; a chain settles in one or two, a diamond in a few more. */
const MAX_ROUNDS = 32;
/** Rounds of CPU limits against back-pressure per slice. */
const CPU_ROUNDS = 4;
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
  private readonly scratch: Float64Array;
  private shareScratch = new Float64Array(0);
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
    const next = (Math.floor(this.env.now / this.sliceMs) + 1) * this.sliceMs;
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
      const to = Math.min(toMs, (Math.floor(from / this.sliceMs) + 1) * this.sliceMs);
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

  private slice(from: number, to: number): void {
    const { n, tasks, capacity, limit, costMs } = this;
    const ms = to - from;
    for (let t = 0; t < n; t++) {
      const task = tasks[t]!;
      limit[t] = Infinity;
      // The slice's capacity: as many records as the slice holds at their mean cost, with
      // their drawn cost; the same draw prices the records actually processed.
      if (task.meanCostMs > 0) {
        const nominal = ms / task.meanCostMs;
        const draws = Math.max(1, Math.round(nominal));
        const drawn = task.drawCostMs(draws);
        const perRecord = drawn > 0 ? drawn / draws : task.meanCostMs;
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
    for (const split of this.splits) this.drawShares(split);
    this.settle();
    const cpu = this.cpu;
    if (cpu !== null) {
      cpu.reset();
      // CPU limits and back-pressure depend on each other: a few rounds of both.
      for (let round = 0; round < CPU_ROUNDS && cpu.constrain(ms, this.processed, this.available, costMs, capacity, this.nominal); round++) this.settle();
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
      let stretched = cpu === null ? x * costMs[t]! : (x * costMs[t]!) / cpu.speed[t]!;
      // An async operator's full queue holds the task thread in addToWorkQueue, which is busy
      // time (see Subtask#runAsyncMails): a slice its queue limits is busy throughout.
      if (task.asyncRecordsPerMs !== Infinity && x >= task.asyncRecordsPerMs * ms * (1 - 1e-9) && available[t]! > x + EPSILON) stretched = ms;
      task.apply(from, to, { processed: x, busyMs: stretched, blockedByOutput: limit[t]! < unconstrained - EPSILON });
    }
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
    for (const p of split.producers) records += this.processed[p]! * this.tasks[p]!.outPerRecord;
    const { shares, channelsTo, random } = split;
    const m = shares.length;
    const drawn = this.shareScratch.length >= m ? this.shareScratch : (this.shareScratch = new Float64Array(m));
    multinomialShares(shares, records, random, drawn);
    for (let j = 0; j < m; j++) for (const c of channelsTo[j]!) this.channelShare[c] = drawn[j]!;
  }

  /** What each task processes, in topological order, given the limits its outputs set. */
  private forward(): void {
    const { n, tasks, capacity, available, processed, limit, inStart, inIndex, queued, arriving, channelProducer, channelShare } = this;
    for (let t = 0; t < n; t++) {
      if (tasks[t]!.source === null) {
        let sum = 0;
        for (let k = inStart[t]!; k < inStart[t + 1]!; k++) {
          const c = inIndex[k]!;
          const p = channelProducer[c]!;
          const a = channelShare[c]! * processed[p]! * tasks[p]!.outPerRecord;
          arriving[c] = a;
          sum += queued[c]! + a;
        }
        available[t] = sum;
      }
      processed[t] = Math.max(0, Math.min(capacity[t]!, available[t]!, limit[t]!));
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
        const perHead = channelShare[c]! * tasks[p]!.outPerRecord;
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
