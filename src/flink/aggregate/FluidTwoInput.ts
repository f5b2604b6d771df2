import { mean, type SumSampler } from "../../engine/distributions.ts";
import type { JoinSpec } from "../JobGraph.ts";

/** What a join subtask holds as keyed state (see state/JoinState.ts), in aggregate mode. */
export interface FluidJoinContents {
  /** Interval join: per input, its cumulative arrivals, (time, records) points oldest first, linear in between. */
  readonly arrivals: readonly [ArrivalCurve, ArrivalCurve] | null;
  /** Window join: per input, the records of the window ending at `endMs`. */
  readonly window: { readonly endMs: number; readonly records: readonly [number, number] } | null;
}

export interface ArrivalCurve {
  readonly times: readonly number[];
  readonly counts: readonly number[];
}

/** Input `j` of a two-input head in aggregate mode: sums of its records' costs, its mean cost and selectivity. */
export interface FluidInput {
  readonly costSum: SumSampler;
  readonly meanCostMs: number;
  readonly selectivity: number;
}

/**
 * The head operator of a two-input task in the aggregate mode, the counterpart of record
 * mode's TwoInputHead: the slice's records of each input go in as flows and what the
 * operator emits follows from them, as an expectation over the keys (`collision`, the
 * chance that two of the subtask's records share a key).
 *
 * - co-process: each input's records times its selectivity;
 * - tumbling window join: the window's records of each input are counted; the slice
 *   holding a window's end emits n1 x n2 x collision, at once (records in the slice are
 *   spread evenly over it, so a window end inside a slice splits them by time);
 * - interval join: each input's arrivals are kept as a cumulative count over time (a
 *   point per slice, linear in between: records spread evenly over a slice), and a
 *   slice's records of input 1 pair with input 2's arrived in [t + lower, min(t + upper,
 *   t)] and those of input 2 with input 1's in [t - upper, min(t - lower, t)], t being
 *   the slice's middle, where a record arrives on average.
 *
 * `output` is a pure function of the slice (the network evaluates it several times while
 * it settles back-pressure); `commit` applies the slice once it is settled.
 */
export class FluidTwoInput {
  /** The share of each input in the records available last slice (what prices the next slice's capacity). */
  readonly mix = new Float64Array([0.5, 0.5]);
  /** Window join: records of each input in the window running at the last commit. */
  private readonly inWindow = new Float64Array(2);
  /** Interval join: per input, (time, cumulative records) points, oldest first. */
  private times: [number[], number[]] = [[], []];
  private counts: [number[], number[]] = [[], []];
  /** The end of the last slice committed. */
  private lastCommitMs: number;
  /** Window join: the pairs of a restored window whose end passed while the job was down, emitted in the first slice. */
  private overduePairs = 0;

  constructor(
    readonly inputs: readonly FluidInput[],
    readonly join: JoinSpec | undefined,
    private readonly collision: number,
    private readonly startMs: number,
  ) {
    this.lastCommitMs = startMs;
    for (const j of [0, 1]) {
      this.times[j]!.push(startMs);
      this.counts[j]!.push(0);
    }
  }

  /** Mean cost of a head record at the current mix, ms. */
  meanCostMs(): number {
    return this.mix[0]! * this.inputs[0]!.meanCostMs + this.mix[1]! * this.inputs[1]!.meanCostMs;
  }

  /** This slice's drawn cost of one record of each input, ms (drawSliceCosts sets them). */
  readonly perRecordMs = new Float64Array(2);

  /**
   * Draws this slice's cost per record of each input (the sum of as many records as the
   * slice holds at its mean cost, over their number) and returns `n` head records' cost
   * at the current mix.
   */
  drawCostMs(sliceMs: number, n: number): number {
    for (const j of [0, 1]) {
      const input = this.inputs[j]!;
      if (input.meanCostMs <= 0) {
        this.perRecordMs[j] = 0;
        continue;
      }
      const draws = Math.max(1, Math.round(sliceMs / input.meanCostMs));
      this.perRecordMs[j] = input.costSum(draws) / draws;
    }
    return n * this.costAt(this.mix[0]!, this.mix[1]!);
  }

  /** The cost of a head record when its inputs have `a0` and `a1` records to give, ms. */
  costAt(a0: number, a1: number): number {
    const total = a0 + a1;
    if (total <= 0) return this.mix[0]! * this.perRecordMs[0]! + this.mix[1]! * this.perRecordMs[1]!;
    return (a0 * this.perRecordMs[0]! + a1 * this.perRecordMs[1]!) / total;
  }

  /** Records the operator emits in the slice [fromMs, toMs) given `x0` and `x1` records of its two inputs. */
  output(x0: number, x1: number, fromMs: number, toMs: number): number {
    const join = this.join;
    if (join === undefined) return x0 * this.inputs[0]!.selectivity + x1 * this.inputs[1]!.selectivity;
    if (join.type === "window") return this.windowOutput(join.sizeMs, x0, x1, fromMs, toMs, false);
    const t = (fromMs + toMs) / 2;
    const { lowerMs, upperMs } = join;
    // The slice's own arrivals count as spread over it: a provisional point at its end.
    const left = this.between(1, t + lowerMs, Math.min(t + upperMs, t), toMs, x1);
    const right = this.between(0, t - upperMs, Math.min(t - lowerMs, t), toMs, x0);
    return (x0 * left + x1 * right) * this.collision;
  }

  /** Applies the settled slice: window counts, arrival history, and the mix for the next slice. */
  commit(x0: number, x1: number, available0: number, available1: number, fromMs: number, toMs: number): void {
    const join = this.join;
    this.lastCommitMs = toMs;
    if (join?.type === "window") {
      this.windowOutput(join.sizeMs, x0, x1, fromMs, toMs, true);
      this.overduePairs = 0;
    }
    if (join?.type === "interval") {
      const keep = toMs - Math.max(Math.abs(join.lowerMs), Math.abs(join.upperMs)) - (toMs - fromMs);
      const x = [x0, x1];
      for (const j of [0, 1]) {
        const times = this.times[j]!;
        const counts = this.counts[j]!;
        times.push(toMs);
        counts.push(counts[counts.length - 1]! + x[j]!);
        // Points no later arrival can reach; the newest of them stays as the base of interpolation.
        let drop = 0;
        while (drop + 1 < times.length && times[drop + 1]! < keep) drop++;
        if (drop > 0) {
          times.splice(0, drop);
          counts.splice(0, drop);
        }
      }
    }
    const total = available0 + available1;
    if (total > 0) {
      this.mix[0] = available0 / total;
      this.mix[1] = available1 / total;
    }
  }

  /**
   * Records the join holds as keyed state as of the last committed slice: an interval
   * join's records still able to match (input 1's of the last `upper`, input 2's of the
   * last `-lower`, as the cleanup timers keep them), a window join's of the running window.
   */
  bufferedRecords(): number {
    const join = this.join;
    if (join === undefined) return 0;
    if (join.type === "window") return this.inWindow[0]! + this.inWindow[1]!;
    const t = this.lastCommitMs;
    const kept = (j: number, spanMs: number) => (spanMs > 0 ? this.cumulative(j, t, t, 0) - this.cumulative(j, t - spanMs, t, 0) : 0);
    return kept(0, join.upperMs) + kept(1, -join.lowerMs);
  }

  /** The join's contents as of the last committed slice (what a checkpoint or a savepoint holds). */
  contents(): FluidJoinContents {
    const join = this.join;
    if (join?.type === "window") {
      const endMs = (Math.floor(this.lastCommitMs / join.sizeMs) + 1) * join.sizeMs;
      return { arrivals: null, window: { endMs, records: [this.inWindow[0]!, this.inWindow[1]!] } };
    }
    if (join?.type === "interval") {
      const curve = (j: number): ArrivalCurve => ({ times: [...this.times[j]!], counts: [...this.counts[j]!] });
      return { arrivals: [curve(0), curve(1)], window: null };
    }
    return { arrivals: null, window: null };
  }

  /**
   * Starts from restored contents: each part is an old subtask's contents with the share of
   * them this subtask's keys carry (state/JoinState.ts#keyTransfer). Interval join: the
   * shares of the old arrival curves, added up, then nothing until this deployment's start
   * (no arrivals while the job was down). Window join: the shares of the old window's
   * records; a window that ended while the job was down fires in the first slice (its
   * overdue processing-time timer fires as soon as the task runs).
   */
  restore(parts: readonly { readonly contents: FluidJoinContents; readonly share: number }[]): void {
    const join = this.join;
    if (join?.type === "window") {
      let endMs = Infinity;
      for (const { contents, share } of parts) {
        if (contents.window === null || share <= 0) continue;
        this.inWindow[0]! += contents.window.records[0] * share;
        this.inWindow[1]! += contents.window.records[1] * share;
        endMs = contents.window.endMs;
      }
      if (endMs <= this.startMs) {
        this.overduePairs = this.inWindow[0]! * this.inWindow[1]! * this.collision;
        this.inWindow.fill(0);
      }
      return;
    }
    if (join?.type !== "interval") return;
    for (const j of [0, 1] as const) {
      const curves = parts.filter((p) => p.share > 0 && p.contents.arrivals !== null).map((p) => ({ curve: p.contents.arrivals![j], share: p.share }));
      const times = [...new Set(curves.flatMap((c) => c.curve.times.filter((t) => t <= this.startMs)))].sort((a, b) => a - b);
      if (times.length === 0) continue;
      const counts = times.map((t) => curves.reduce((sum, c) => sum + c.share * curveAt(c.curve, t), 0));
      if (times[times.length - 1]! < this.startMs) {
        times.push(this.startMs);
        counts.push(counts[counts.length - 1]!);
      }
      this.times[j] = times;
      this.counts[j] = counts;
    }
  }

  /** What a window join emits in the slice; with `commit`, also moves its window counts on. */
  private windowOutput(sizeMs: number, x0: number, x1: number, fromMs: number, toMs: number, commit: boolean): number {
    let n0 = this.inWindow[0]!;
    let n1 = this.inWindow[1]!;
    let out = this.overduePairs;
    let at = fromMs;
    const span = toMs - fromMs;
    // Every window end in (from, to]: the records before it belong to the ending window.
    for (let end = (Math.floor(fromMs / sizeMs) + 1) * sizeMs; end <= toMs; end += sizeMs) {
      const f = span > 0 ? (end - at) / span : 0;
      n0 += x0 * f;
      n1 += x1 * f;
      out += n0 * n1 * this.collision;
      n0 = 0;
      n1 = 0;
      at = end;
    }
    const rest = span > 0 ? (toMs - at) / span : 0;
    if (commit) {
      this.inWindow[0] = n0 + x0 * rest;
      this.inWindow[1] = n1 + x1 * rest;
    }
    return out;
  }

  /** Records of input `j` arrived in [from, to], with the slice's `x` spread up to `sliceEnd`. */
  private between(j: number, from: number, to: number, sliceEnd: number, x: number): number {
    if (to <= from) return 0;
    return this.cumulative(j, to, sliceEnd, x) - this.cumulative(j, from, sliceEnd, x);
  }

  /** Records of input `j` arrived by `t` (linear between points; the slice's records rise to `x` at its end). */
  private cumulative(j: number, t: number, sliceEnd: number, x: number): number {
    const times = this.times[j]!;
    const counts = this.counts[j]!;
    const last = times.length - 1;
    if (t >= times[last]!) {
      const base = counts[last]!;
      const span = sliceEnd - times[last]!;
      if (span <= 0) return base;
      return base + x * Math.min(1, (t - times[last]!) / span);
    }
    return pointsAt(times, counts, t);
  }
}

/** A cumulative arrival curve's value at `t`: linear between its points, flat beyond them. */
function curveAt(c: ArrivalCurve, t: number): number {
  return pointsAt(c.times, c.counts, t);
}

/** The piecewise-linear curve through (times[i], counts[i]) at `t`, flat beyond its ends. */
function pointsAt(times: readonly number[], counts: readonly number[], t: number): number {
  const last = times.length - 1;
  if (t >= times[last]!) return counts[last]!;
  if (t <= times[0]!) return counts[0]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid;
  }
  return counts[lo]! + ((t - times[lo]!) / (times[hi]! - times[lo]!)) * (counts[hi]! - counts[lo]!);
}

/** A FluidInput from a cost distribution, its sum sampler and a selectivity. */
export function fluidInput(cost: Parameters<typeof mean>[0], costSum: SumSampler, selectivity: number): FluidInput {
  return { costSum, meanCostMs: mean(cost), selectivity };
}
