import type { TimeseriesRow } from "./TimeseriesRecorder.ts";

/** Lag in seconds above which a sample counts as late (summary: time_lag_above_60s_s). */
export const LAG_THRESHOLD_S = 60;

/** What is kept of one vertex across samples. */
interface VertexStats {
  /** Highest busy ms/s seen (undefined while every value was NaN). */
  maxBusy: number | undefined;
  rows: number;
  maxParallelism: number;
  /** Samples at each parallelism. */
  readonly samplesAt: Map<number, number>;
}

/**
 * The figures summary.json takes from the timeseries, gathered sample by sample so that
 * no run keeps its rows: lag (pending records summed over the vertices of a sample, in
 * records and in seconds of production), each vertex's highest busy time, highest parallelism and time
 * at each parallelism. Same values as d3's max and mean over the rows: a mean is one
 * running sum divided at the end, in the same order, and NaN is skipped.
 */
export class TimeseriesStats {
  private lagMax = -Infinity;
  private lagSum = 0;
  private lagSamples = 0;
  private lagSecondsMax = -Infinity;
  private lagSecondsSum = 0;
  private lagSecondsSamples = 0;
  private samplesAboveThreshold = 0;
  private readonly vertices = new Map<string, VertexStats>();

  constructor(
    /** Records/s the job's sources receive at a virtual time in ms (the topics' producers), if known. */
    private readonly arrivalRate: ((timeMs: number) => number) | null = null,
  ) {}

  /** One sample: every vertex's row at one instant. */
  addSample(rows: readonly TimeseriesRow[]): void {
    let pending = 0;
    let reported = false;
    for (const r of rows) {
      if (r.pendingRecords !== undefined) {
        pending += r.pendingRecords;
        reported = true;
      }
      let v = this.vertices.get(r.vertex);
      if (v === undefined) this.vertices.set(r.vertex, (v = { maxBusy: undefined, rows: 0, maxParallelism: 0, samplesAt: new Map() }));
      v.rows++;
      const busy = r.busyMsPerS;
      if (busy === busy && (v.maxBusy === undefined || busy > v.maxBusy)) v.maxBusy = busy;
      if (r.parallelism > v.maxParallelism) v.maxParallelism = r.parallelism;
      v.samplesAt.set(r.parallelism, (v.samplesAt.get(r.parallelism) ?? 0) + 1);
    }
    if (!reported) return;
    this.lagSamples++;
    this.lagSum += pending;
    if (pending > this.lagMax) this.lagMax = pending;
    // The backlog in seconds of production: how far behind the head of the topic the job
    // reads (a consumer's time lag). Not the time to drain it at the rate the job reads:
    // that rate is 0 during a restart and climbs from 0 after one (MeterView's 60 s
    // window), so the figure would be infinite or huge exactly when lag matters.
    const rate = this.arrivalRate?.(rows[0]!.timeS * 1000) ?? 0;
    if (rate > 0) {
      const seconds = pending / rate;
      this.lagSecondsSamples++;
      this.lagSecondsSum += seconds;
      if (seconds > this.lagSecondsMax) this.lagSecondsMax = seconds;
      if (seconds > LAG_THRESHOLD_S) this.samplesAboveThreshold++;
    }
  }

  /** Max and mean of the summed pending records over samples; null when no source reports them. */
  lag(): { max: number; mean: number } | null {
    return this.lagSamples === 0 ? null : { max: this.lagMax, mean: this.lagSum / this.lagSamples };
  }

  /** Lag in seconds of production: max, mean, and samples above LAG_THRESHOLD_S; null when never known. */
  lagSeconds(): { max: number; mean: number; samplesAbove: number } | null {
    return this.lagSecondsSamples === 0 ? null : { max: this.lagSecondsMax, mean: this.lagSecondsSum / this.lagSecondsSamples, samplesAbove: this.samplesAboveThreshold };
  }

  /** A vertex's highest busy ms/s: 0 without rows, null when all were NaN (a legacy source). */
  maxBusyMsPerS(vertex: string): number | null {
    const v = this.vertices.get(vertex);
    if (v === undefined || v.rows === 0) return 0;
    return v.maxBusy ?? null;
  }

  /** The highest parallelism a vertex was sampled at (0 when never sampled). */
  maxParallelism(vertex: string): number {
    return this.vertices.get(vertex)?.maxParallelism ?? 0;
  }

  /** Samples at each parallelism, in increasing parallelism. */
  samplesAtParallelism(vertex: string): [number, number][] {
    return [...(this.vertices.get(vertex)?.samplesAt ?? [])].sort((a, b) => a[0] - b[0]);
  }
}
