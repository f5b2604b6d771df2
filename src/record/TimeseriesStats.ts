import type { TimeseriesRow } from "./TimeseriesRecorder.ts";

/**
 * The figures summary.json takes from the timeseries, gathered sample by sample so that
 * no run keeps its rows: lag (pending records summed over the vertices of a sample) and
 * each vertex's highest busy time. Same values as d3's max and mean over the rows: the
 * mean is one running sum divided at the end, in the same order, and NaN is skipped.
 */
export class TimeseriesStats {
  private lagMax = -Infinity;
  private lagSum = 0;
  private lagSamples = 0;
  /** Per vertex name: the highest busy ms/s seen (undefined while every value was NaN) and the number of rows. */
  private readonly busy = new Map<string, { max: number | undefined; rows: number }>();

  /** One sample: every vertex's row at one instant. */
  addSample(rows: readonly TimeseriesRow[]): void {
    let pending = 0;
    let reported = false;
    for (const r of rows) {
      if (r.pendingRecords !== undefined) {
        pending += r.pendingRecords;
        reported = true;
      }
      let b = this.busy.get(r.vertex);
      if (b === undefined) this.busy.set(r.vertex, (b = { max: undefined, rows: 0 }));
      b.rows++;
      const v = r.busyMsPerS;
      if (v === v && (b.max === undefined || v > b.max)) b.max = v;
    }
    if (!reported) return;
    this.lagSamples++;
    this.lagSum += pending;
    if (pending > this.lagMax) this.lagMax = pending;
  }

  /** Max and mean of the summed pending records over samples; null when no source reports them. */
  lag(): { max: number; mean: number } | null {
    return this.lagSamples === 0 ? null : { max: this.lagMax, mean: this.lagSum / this.lagSamples };
  }

  /** A vertex's highest busy ms/s: 0 without rows, null when all were NaN (a legacy source). */
  maxBusyMsPerS(vertex: string): number | null {
    const b = this.busy.get(vertex);
    if (b === undefined || b.rows === 0) return 0;
    return b.max ?? null;
  }
}
