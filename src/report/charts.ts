/**
 * What every chart of a report shares: the time axis, the colours, the size, and the
 * downsampling of its series (with a record of what was reduced, for the page's note).
 */
import { bandEnvelope, minMaxDownsample, type BandPoint, type DownsampleResult, type Point } from "./downsample.ts";

/** Plot width in pixels; the page scales the SVG down on narrow screens. */
export const CHART_WIDTH = 900;
/** Buckets per series: two points each at most, a little over one per pixel of the plot. */
export const SERIES_BUCKETS = 600;

/** Categorical colours (Tableau 10), in a fixed order so the same vertex or variant keeps its colour. */
export const PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d", "#ff9da6", "#bab0ac"] as const;

export function colours(n: number): string[] {
  return Array.from({ length: n }, (_, i) => PALETTE[i % PALETTE.length]!);
}

/** The x axis of every time chart: minutes since the start for up to 6 h, hours beyond. */
export interface TimeAxis {
  readonly unit: "min" | "h";
  readonly perSecond: number;
  readonly title: string;
  readonly domain: readonly [number, number];
}

export function timeAxis(durationS: number): TimeAxis {
  const unit = durationS <= 6 * 3600 ? "min" : "h";
  const perSecond = unit === "min" ? 1 / 60 : 1 / 3600;
  return { unit, perSecond, title: unit === "min" ? "minutes since the start" : "hours since the start", domain: [0, durationS * perSecond] };
}

/**
 * A number rounded to `decimals` places, trailing zeros dropped, thousands separated by
 * commas: 1365.5 -> "1,365.5". By hand, because toLocaleString goes through ICU and cost a
 * second for the 11,000 decisions of a day's run.
 */
export function formatNumber(x: number, decimals = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const f = 10 ** decimals;
  const rounded = Math.round(Math.abs(x) * f) / f;
  const [whole, fraction] = String(rounded).split(".");
  // String() of a rounded double can use an exponent only beyond 1e21: not a simulated figure.
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${x < 0 && rounded !== 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** Seconds as the page writes them: "75 s", "1,365 s (22.8 min)". */
export function formatSeconds(s: number): string {
  const text = `${formatNumber(s)} s`;
  return s >= 600 ? `${text} (${formatNumber(s / 60, 1)} min)` : text;
}

/** A y value for a chart: null (a break in the line) where the series has no finite value. */
export function yValue(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Series reduced for drawing, and what was reduced: one line per series on the page. */
export class DownsampleLog {
  readonly reduced: { readonly chart: string; readonly series: string; readonly from: number; readonly to: number }[] = [];

  /** `series` min/max-downsampled over the run's time range; logged when points were dropped. */
  downsample(chart: string, series: string, points: readonly Point[], range: readonly [number, number]): Point[] {
    const r = minMaxDownsample(points, SERIES_BUCKETS, range);
    if (r.reduced) this.reduced.push({ chart, series, from: r.inputCount, to: r.points.length });
    return r.points;
  }

  /** A series downsampled already (runData.ts), logged as downsample() would have. */
  add(chart: string, series: string, r: DownsampleResult): Point[] {
    if (r.reduced) this.reduced.push({ chart, series, from: r.inputCount, to: r.points.length });
    return r.points;
  }

  /** A band reduced already (runData.ts), logged as band() would have; `from`: the rows given. */
  addBand(chart: string, series: string, r: { readonly points: BandPoint[]; readonly reduced: boolean; readonly from: number }): BandPoint[] {
    if (r.reduced) this.bands.push({ chart, series, from: r.from, to: r.points.length });
    return r.points;
  }

  /** A band reduced to its envelope over the run's time range; logged when rows were merged. */
  band(chart: string, series: string, rows: readonly BandPoint[], range: readonly [number, number]): BandPoint[] {
    const r = bandEnvelope(rows, SERIES_BUCKETS, range);
    if (r.reduced) this.bands.push({ chart, series, from: rows.length, to: r.points.length });
    return r.points;
  }

  readonly bands: { readonly chart: string; readonly series: string; readonly from: number; readonly to: number }[] = [];

  /** The page's sentence about it, or undefined when every point was drawn. */
  note(): string | undefined {
    if (this.reduced.length === 0 && this.bands.length === 0) return undefined;
    const from = Math.max(...this.reduced.map((r) => r.from), ...this.bands.map((r) => r.from));
    return (
      `Long series are drawn downsampled: ${this.reduced.length + this.bands.length} series of up to ${formatNumber(from)} samples are drawn from the lowest and the highest ` +
      `sample of each of ${SERIES_BUCKETS} equal spans of time (every peak and trough kept, the points between them left out)` +
      (this.bands.length === 0 ? "" : "; threshold bands from their lowest and highest bound in each span") +
      `. Parallelism, decisions and restarts are drawn whole (see the note on decision markers); the CSV files hold every sample.`
    );
  }
}
