import type { Sampler } from "../../engine/distributions.ts";
import type { JoinSpec } from "../JobGraph.ts";

/** Times in ascending order with a weight each (records; fractional after a rescale split a subtask's contents). */
export interface WeightedTimes {
  readonly times: Float64Array;
  readonly weights: Float64Array;
}

/** What a join subtask holds as keyed state (see state/JoinState.ts), in record mode. */
export interface JoinContents {
  /** Interval join: per input, the buffered records' arrival times. */
  readonly arrivals: readonly [WeightedTimes, WeightedTimes] | null;
  /** Window join: per input, the records of the window ending at `endMs`. */
  readonly window: { readonly endMs: number; readonly records: readonly [number, number] } | null;
}

/**
 * The head operator of a two-input task in record mode (TwoInputStreamTask, Flink 1.18.1):
 * what a record of each input costs and how many records the operator emits for it.
 *
 * Records carry no keys in the simulator: a HASH edge draws each record's key to choose
 * its channel and forgets it. A join therefore emits, for the records it has, the
 * expected number of matches given its key groups: two records of this subtask have the
 * same key with probability `collision` (the sum of its keys' squared probabilities over
 * its share squared; 1 / its key count for uniform keys). Fractions carry over to the
 * next emission, as a filter's selectivity does, so no record is lost to rounding and the
 * output is deterministic given the inputs (whose arrival the seeded key draws decide).
 *
 * Records of both inputs count into one numRecordsIn, the head operator's, which is also
 * the task's (StreamTwoInputProcessorFactory#create and TaskIOMetricGroup#reuseRecordsInputCounter,
 * release-1.18.1), as Subtask#takeInput and #beginRecord count them.
 */
export class TwoInputHead {
  /** Per input: fractional output carried between records (co-process and interval join). */
  private readonly carry = [0, 0];
  /** Window join: records of each input in the current window; the carry of its emissions. */
  private readonly inWindow = [0, 0];
  private windowCarry = 0;
  /** Window join: the end of a window restored from before a restart (null: the window running now). */
  private restoredWindowEndMs: number | null = null;
  /** Interval join: arrival times of each input's records still able to match (sorted, oldest first). */
  private readonly buffers: [ArrivalBuffer, ArrivalBuffer] = [new ArrivalBuffer(), new ArrivalBuffer()];

  constructor(
    /** Per input: its cost sampler and selectivity. */
    private readonly inputs: readonly { readonly cost: Sampler; readonly selectivity: number }[],
    readonly join: JoinSpec | undefined,
    /** The chance that two records of this subtask have the same key (see the class comment). */
    private readonly collision: number,
  ) {}

  /** Draws the cost of a record of `input`. */
  cost(input: number): number {
    return this.inputs[input]!.cost();
  }

  /** The records the operator emits for a record of `input` arriving at `now`. */
  onRecord(input: number, now: number): number {
    const join = this.join;
    if (join === undefined) return this.emit(input, this.inputs[input]!.selectivity);
    if (join.type === "window") {
      this.inWindow[input]!++;
      return 0;
    }
    // IntervalJoinOperator#processElement: match the other side's buffered records, then buffer this one.
    const own = this.buffers[input]!;
    const other = this.buffers[1 - input]!;
    // A record of input 1 at t pairs with input 2's in [t + lower, t + upper]; one of input 2 with input 1's in [t - upper, t - lower].
    const from = input === 0 ? now + join.lowerMs : now - join.upperMs;
    const to = input === 0 ? now + join.upperMs : now - join.lowerMs;
    const matches = other.countBetween(from, to) * this.collision;
    own.push(now);
    this.prune(now, join.lowerMs, join.upperMs);
    return this.emit(input, matches);
  }

  /** A window join's window ended: the records it emits (the expected pairs with equal keys), and a new window. */
  fireWindow(): number {
    const exact = this.windowCarry + this.inWindow[0]! * this.inWindow[1]! * this.collision;
    const out = Math.floor(exact + 1e-9);
    this.windowCarry = exact - out;
    this.inWindow[0] = 0;
    this.inWindow[1] = 0;
    this.restoredWindowEndMs = null;
    return out;
  }

  /**
   * Whether a window restored after a restart ended while the job was down: its timer is
   * then overdue and fires as soon as the task runs (InternalTimerServiceImpl#startTimerService
   * registers the earliest restored processing-time timer, which fires at once when past;
   * release-1.18.1).
   */
  windowOverdue(now: number): boolean {
    return this.restoredWindowEndMs !== null && this.restoredWindowEndMs <= now;
  }

  /**
   * Records the join holds as keyed state at `now`: an interval join's buffered records no
   * later arrival is too late for (the ones its cleanup timers have not removed yet), a
   * window join's records of the running window.
   */
  bufferedRecords(now: number): number {
    const join = this.join;
    if (join === undefined) return 0;
    if (join.type === "window") return this.inWindow[0]! + this.inWindow[1]!;
    this.prune(now, join.lowerMs, join.upperMs);
    return this.buffers[0].weight + this.buffers[1].weight;
  }

  /** The join's contents at `now` (what a checkpoint or a savepoint holds). */
  contents(now: number): JoinContents {
    const join = this.join;
    if (join?.type === "window") {
      const endMs = this.restoredWindowEndMs ?? (Math.floor(now / join.sizeMs) + 1) * join.sizeMs;
      return { arrivals: null, window: { endMs, records: [this.inWindow[0]!, this.inWindow[1]!] } };
    }
    if (join?.type === "interval") {
      this.prune(now, join.lowerMs, join.upperMs);
      return { arrivals: [this.buffers[0].entries(), this.buffers[1].entries()], window: null };
    }
    return { arrivals: null, window: null };
  }

  /**
   * Starts from restored contents: each part is an old subtask's contents with the share of
   * them this subtask's keys carry (state/JoinState.ts#keyTransfer). A restored window
   * keeps its end: if that passed while the job was down, it fires first (windowOverdue).
   */
  restore(parts: readonly { readonly contents: JoinContents; readonly share: number }[]): void {
    const join = this.join;
    if (join?.type === "window") {
      for (const { contents, share } of parts) {
        if (contents.window === null || share <= 0) continue;
        this.inWindow[0]! += contents.window.records[0] * share;
        this.inWindow[1]! += contents.window.records[1] * share;
        this.restoredWindowEndMs = contents.window.endMs;
      }
      return;
    }
    if (join?.type !== "interval") return;
    for (const j of [0, 1] as const) {
      const merged: { t: number; w: number }[] = [];
      for (const { contents, share } of parts) {
        const a = contents.arrivals?.[j];
        if (a === undefined || share <= 0) continue;
        for (let i = 0; i < a.times.length; i++) merged.push({ t: a.times[i]!, w: a.weights[i]! * share });
      }
      merged.sort((x, y) => x.t - y.t);
      for (const m of merged) this.buffers[j].push(m.t, m.w);
    }
  }

  /** Drops the records no later arrival can pair with any more (the operator's cleanup timers). */
  private prune(now: number, lowerMs: number, upperMs: number): void {
    this.buffers[0].dropBefore(now - upperMs);
    this.buffers[1].dropBefore(now + lowerMs);
  }

  private emit(input: number, expected: number): number {
    const exact = this.carry[input]! + expected;
    const out = Math.floor(exact + 1e-9);
    this.carry[input] = exact - out;
    return out;
  }
}

/**
 * Arrival times in the order they came (non-decreasing), each with a weight (1 for a
 * record; a share of one after a rescale), in a growable ring. The weights are kept as a
 * running total, so that a range's weight is two binary searches and a difference.
 */
export class ArrivalBuffer {
  private times = new Float64Array(64);
  /** Per entry, the total weight pushed up to and including it. */
  private totals = new Float64Array(64);
  private head = 0;
  private size = 0;
  /** The total weight of the entries dropped so far. */
  private dropped = 0;
  /** The total weight pushed so far. */
  private pushed = 0;

  push(t: number, weight = 1): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      const totals = new Float64Array(this.times.length * 2);
      for (let i = 0; i < this.size; i++) {
        times[i] = this.at(i);
        totals[i] = this.totalAt(i);
      }
      this.times = times;
      this.totals = totals;
      this.head = 0;
    }
    this.pushed += weight;
    const k = (this.head + this.size) % this.times.length;
    this.times[k] = t;
    this.totals[k] = this.pushed;
    this.size++;
  }

  /** Entries held. */
  get length(): number {
    return this.size;
  }

  /** Their total weight (records). */
  get weight(): number {
    return this.pushed - this.dropped;
  }

  /** A copy of the entries, oldest first. */
  entries(): WeightedTimes {
    const times = new Float64Array(this.size);
    const weights = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.at(i);
      weights[i] = this.totalAt(i) - this.totalBefore(i);
    }
    return { times, weights };
  }

  private at(i: number): number {
    return this.times[(this.head + i) % this.times.length]!;
  }

  private totalAt(i: number): number {
    return this.totals[(this.head + i) % this.totals.length]!;
  }

  /** The total weight before entry i (of those held). */
  private totalBefore(i: number): number {
    return i === 0 ? this.dropped : this.totalAt(i - 1);
  }

  /** Drops the times before `t`. */
  dropBefore(t: number): void {
    while (this.size > 0 && this.at(0) < t) {
      this.dropped = this.totalAt(0);
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  /** The weight of the times in [from, to] (their count when every weight is 1). */
  countBetween(from: number, to: number): number {
    if (to < from) return 0;
    return this.totalBefore(this.firstAbove(to)) - this.totalBefore(this.firstAtOrAbove(from));
  }

  private firstAtOrAbove(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstAbove(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
