import type { Sampler } from "../../engine/distributions.ts";
import type { JoinSpec } from "../JobGraph.ts";

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
    // Records no later arrival can pair with any more (the operator's cleanup timers).
    this.buffers[0].dropBefore(now - join.upperMs);
    this.buffers[1].dropBefore(now + join.lowerMs);
    return this.emit(input, matches);
  }

  /** A window join's window ended: the records it emits (the expected pairs with equal keys), and a new window. */
  fireWindow(): number {
    const exact = this.windowCarry + this.inWindow[0]! * this.inWindow[1]! * this.collision;
    const out = Math.floor(exact + 1e-9);
    this.windowCarry = exact - out;
    this.inWindow[0] = 0;
    this.inWindow[1] = 0;
    return out;
  }

  private emit(input: number, expected: number): number {
    const exact = this.carry[input]! + expected;
    const out = Math.floor(exact + 1e-9);
    this.carry[input] = exact - out;
    return out;
  }
}

/** Arrival times in the order they came (non-decreasing), in a growable ring. */
export class ArrivalBuffer {
  private times = new Float64Array(64);
  private head = 0;
  private size = 0;

  push(t: number): void {
    if (this.size === this.times.length) {
      const grown = new Float64Array(this.times.length * 2);
      for (let i = 0; i < this.size; i++) grown[i] = this.at(i);
      this.times = grown;
      this.head = 0;
    }
    this.times[(this.head + this.size) % this.times.length] = t;
    this.size++;
  }

  get length(): number {
    return this.size;
  }

  private at(i: number): number {
    return this.times[(this.head + i) % this.times.length]!;
  }

  /** Drops the times before `t`. */
  dropBefore(t: number): void {
    while (this.size > 0 && this.at(0) < t) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  /** How many times lie in [from, to]. */
  countBetween(from: number, to: number): number {
    if (to < from) return 0;
    return this.firstAbove(to) - this.firstAtOrAbove(from);
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
