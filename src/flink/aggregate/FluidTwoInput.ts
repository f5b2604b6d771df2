import { mean, type SumSampler } from "../../engine/distributions.ts";
import type { JoinSpec } from "../JobGraph.ts";

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
  private readonly times: [number[], number[]] = [[], []];
  private readonly counts: [number[], number[]] = [[], []];

  constructor(
    readonly inputs: readonly FluidInput[],
    readonly join: JoinSpec | undefined,
    private readonly collision: number,
    startMs: number,
  ) {
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
    if (join?.type === "window") this.windowOutput(join.sizeMs, x0, x1, fromMs, toMs, true);
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

  /** What a window join emits in the slice; with `commit`, also moves its window counts on. */
  private windowOutput(sizeMs: number, x0: number, x1: number, fromMs: number, toMs: number, commit: boolean): number {
    let n0 = this.inWindow[0]!;
    let n1 = this.inWindow[1]!;
    let out = 0;
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
    if (t <= times[0]!) return counts[0]!;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= t) lo = mid;
      else hi = mid;
    }
    const f = (t - times[lo]!) / (times[hi]! - times[lo]!);
    return counts[lo]! + f * (counts[hi]! - counts[lo]!);
  }
}

/** A FluidInput from a cost distribution, its sum sampler and a selectivity. */
export function fluidInput(cost: Parameters<typeof mean>[0], costSum: SumSampler, selectivity: number): FluidInput {
  return { costSum, meanCostMs: mean(cost), selectivity };
}
