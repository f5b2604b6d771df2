/**
 * Fewer points for long series, chosen so that the picture stays true: a chart a few
 * hundred pixels wide cannot show 8,640 samples a day anyway, but it must still show
 * every spike. Each bucket of time keeps its lowest and its highest sample (in time
 * order), so every extreme survives and the drawn envelope is the one the full series
 * would draw; step series (parallelism) lose nothing at all.
 */

/** A sample: x (time) and y. */
export type Point = readonly [x: number, y: number];

/** What a downsampling did, for the note on the page. */
export interface DownsampleResult {
  readonly points: Point[];
  /** Finite samples given. */
  readonly inputCount: number;
  /** Whether points were dropped. */
  readonly reduced: boolean;
}

/**
 * The bucket of x among `buckets` equal spans of [x0, x1], clamped to the first and last
 * (a zero-width range is one bucket): the one rule every reducer here shares.
 */
function bucketing(buckets: number, x0: number, x1: number): (x: number) => number {
  const width = (x1 - x0) / buckets;
  return (x) => (width > 0 ? Math.min(buckets - 1, Math.max(0, Math.floor((x - x0) / width))) : 0);
}

/**
 * The lowest and highest point of each of `buckets` equal spans of [x0, x1] (default: the
 * series' own first and last x), in time order; a bucket with one point keeps it once.
 * A point whose y is not finite (a gauge Flink did not report, an Infinity rate) is a gap:
 * the output keeps one such point where each gap begins, so a chart breaks its line there
 * instead of bridging it, and the extremes on either side of a gap stay on their side.
 * Series of at most 2 x `buckets` finite points are returned whole, but for their gaps:
 * each run of non-finite points is kept as its first (a chart breaks its line the same at
 * one as at many; a legacy source's busy time, NaN at each of 864,000 samples in 100 days,
 * is one point).
 */
export function minMaxDownsample(series: readonly Point[], buckets: number, range?: readonly [number, number]): DownsampleResult {
  const finiteCount = series.reduce((n, p) => (Number.isFinite(p[1]) ? n + 1 : n), 0);
  if (finiteCount <= 2 * buckets) return { points: collapseGaps(series), inputCount: finiteCount, reduced: false };
  const x0 = range?.[0] ?? series[0]![0];
  const x1 = range?.[1] ?? series[series.length - 1]![0];
  const bucketOf = bucketing(buckets, x0, x1);
  const out: Point[] = [];
  let current = -1;
  let low: Point | undefined;
  let high: Point | undefined;
  const flush = () => {
    if (low === undefined || high === undefined) return;
    if (low === high) out.push(low);
    else if (low[0] <= high[0]) out.push(low, high);
    else out.push(high, low);
    low = high = undefined;
  };
  let inGap = false;
  for (const p of series) {
    if (!Number.isFinite(p[1])) {
      if (!inGap) {
        flush();
        out.push(p);
        inGap = true;
      }
      continue;
    }
    inGap = false;
    const b = bucketOf(p[0]);
    if (b !== current || low === undefined || high === undefined) {
      flush();
      current = b;
      low = p;
      high = p;
    } else {
      // Ties keep the earlier point: the same input always gives the same output.
      if (p[1] < low[1]) low = p;
      if (p[1] > high[1]) high = p;
    }
  }
  flush();
  return { points: out, inputCount: finiteCount, reduced: out.length < series.length };
}

/** `series` with each run of non-finite y (a gap) reduced to its first point. */
export function collapseGaps(series: readonly Point[]): Point[] {
  const out: Point[] = [];
  let inGap = false;
  for (const p of series) {
    const gap = !Number.isFinite(p[1]);
    if (!(gap && inGap)) out.push(p);
    inGap = gap;
  }
  return out;
}

/**
 * minMaxDownsample over a series given point by point, in bounded memory: it holds the
 * series whole only while it has at most 2 x `buckets` finite points, and otherwise the
 * buckets done so far (two points each) and the gaps' first points. `result()` equals
 * minMaxDownsample(the whole series, buckets, range) (test/report/downsample.test.ts).
 */
export class MinMaxReducer {
  private whole: Point[] | undefined = [];
  private wholeInGap = false;
  private finite = 0;
  private total = 0;
  private readonly out: Point[] = [];
  private current = -1;
  private low: Point | undefined;
  private high: Point | undefined;
  private inGap = false;
  private readonly bucketOf: (x: number) => number;

  constructor(
    private readonly buckets: number,
    range: readonly [number, number],
  ) {
    this.bucketOf = bucketing(buckets, range[0], range[1]);
  }

  private flush(): void {
    const { low, high } = this;
    if (low === undefined || high === undefined) return;
    if (low === high) this.out.push(low);
    else if (low[0] <= high[0]) this.out.push(low, high);
    else this.out.push(high, low);
    this.low = this.high = undefined;
  }

  push(p: Point): void {
    this.total++;
    const finite = Number.isFinite(p[1]);
    if (finite) this.finite++;
    if (this.whole !== undefined) {
      if (this.finite > 2 * this.buckets) this.whole = undefined;
      else if (!(!finite && this.wholeInGap)) this.whole.push(p);
      this.wholeInGap = !finite;
    }
    if (!finite) {
      if (!this.inGap) {
        this.flush();
        this.out.push(p);
        this.inGap = true;
      }
      return;
    }
    this.inGap = false;
    const b = this.bucketOf(p[0]);
    if (b !== this.current || this.low === undefined || this.high === undefined) {
      this.flush();
      this.current = b;
      this.low = p;
      this.high = p;
    } else {
      if (p[1] < this.low[1]) this.low = p;
      if (p[1] > this.high[1]) this.high = p;
    }
  }

  /** The downsampled series; call once, after the last point. */
  result(): DownsampleResult {
    if (this.whole !== undefined) return { points: this.whole, inputCount: this.finite, reduced: false };
    this.flush();
    return { points: this.out, inputCount: this.finite, reduced: this.out.length < this.total };
  }
}

/**
 * A step series (a value that holds until the next change) reduced to its changes: the
 * first point, each point whose value differs from the one before, and the last point so
 * that the line reaches the end. Lossless for a chart drawn with step interpolation.
 */
export function stepChanges(series: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    if (i === 0 || i === series.length - 1 || p[1] !== series[i - 1]![1]) out.push(p);
  }
  return out;
}

/** stepChanges over a series given point by point: holds only the changes. */
export class StepReducer {
  private readonly out: Point[] = [];
  private last: Point | undefined;
  private lastKept = false;

  push(p: Point): void {
    this.lastKept = this.last === undefined || p[1] !== this.last[1];
    if (this.lastKept) this.out.push(p);
    this.last = p;
  }

  /** stepChanges of the series given; call once, after the last point. */
  result(): Point[] {
    if (this.last !== undefined && !this.lastKept) this.out.push(this.last);
    this.lastKept = true;
    return this.out;
  }
}

/** A band at x: from lo to hi. */
export type BandPoint = readonly [x: number, lo: number, hi: number];

/**
 * A band (the thresholds between which the autoscaler leaves a vertex alone) reduced to
 * its outer envelope: in each of `buckets` equal spans of [x0, x1], the lowest lo and the
 * highest hi, held from the span's first x to its last. Drawn, it covers every band the
 * full series would draw. Rows with a non-finite bound are left out. Bands of at most
 * 2 x `buckets` rows are returned whole.
 */
export function bandEnvelope(rows: readonly BandPoint[], buckets: number, range: readonly [number, number]): { points: BandPoint[]; reduced: boolean } {
  const finite = rows.filter((r) => Number.isFinite(r[1]) && Number.isFinite(r[2]));
  if (finite.length <= 2 * buckets) return { points: finite, reduced: false };
  const bucketOf = bucketing(buckets, range[0], range[1]);
  const out: BandPoint[] = [];
  let i = 0;
  while (i < finite.length) {
    const b = bucketOf(finite[i]![0]);
    const first = finite[i]!;
    let last = first;
    let lo = first[1];
    let hi = first[2];
    for (i++; i < finite.length && bucketOf(finite[i]![0]) === b; i++) {
      last = finite[i]!;
      lo = Math.min(lo, last[1]);
      hi = Math.max(hi, last[2]);
    }
    out.push([first[0], lo, hi]);
    if (last !== first) out.push([last[0], lo, hi]);
  }
  return { points: out, reduced: out.length < finite.length };
}

/** bandEnvelope over rows given one by one, in bounded memory; `result()` equals bandEnvelope of them all. */
export class BandReducer {
  private whole: BandPoint[] | undefined = [];
  private finite = 0;
  /** Rows given, finite or not. */
  count = 0;
  private readonly out: BandPoint[] = [];
  private run: { bucket: number; first: BandPoint; last: BandPoint; lo: number; hi: number } | undefined;
  private readonly bucketOf: (x: number) => number;

  constructor(
    private readonly buckets: number,
    range: readonly [number, number],
  ) {
    this.bucketOf = bucketing(buckets, range[0], range[1]);
  }

  private flush(): void {
    const r = this.run;
    if (r === undefined) return;
    this.out.push([r.first[0], r.lo, r.hi]);
    if (r.last !== r.first) this.out.push([r.last[0], r.lo, r.hi]);
    this.run = undefined;
  }

  push(row: BandPoint): void {
    this.count++;
    if (!(Number.isFinite(row[1]) && Number.isFinite(row[2]))) return;
    this.finite++;
    if (this.whole !== undefined) {
      if (this.finite > 2 * this.buckets) this.whole = undefined;
      else this.whole.push(row);
    }
    const b = this.bucketOf(row[0]);
    const r = this.run;
    if (r !== undefined && r.bucket === b) {
      r.last = row;
      r.lo = Math.min(r.lo, row[1]);
      r.hi = Math.max(r.hi, row[2]);
    } else {
      this.flush();
      this.run = { bucket: b, first: row, last: row, lo: row[1], hi: row[2] };
    }
  }

  result(): { points: BandPoint[]; reduced: boolean } {
    if (this.whole !== undefined) return { points: this.whole, reduced: false };
    this.flush();
    return { points: this.out, reduced: this.out.length < this.finite };
  }
}

/**
 * A series sampled at irregular instants (the autoscaler's evaluations) with a gap (a
 * point of y NaN) wherever two samples lie more than `maxGap` apart, so that a line
 * breaks across the time nothing was measured (a restart, the metric window filling
 * again) instead of drawing a slope through it.
 */
export function breakLongGaps(series: readonly Point[], maxGap: number): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < series.length; i++) {
    const p = series[i]!;
    if (i > 0 && p[0] - series[i - 1]![0] > maxGap) out.push([(series[i - 1]![0] + p[0]) / 2, NaN]);
    out.push(p);
  }
  return out;
}
