import { deviation, mean } from "d3-array";
import { round, toCsv } from "./csv.ts";
import type { Summary } from "./summary.ts";
import { beyondNoise } from "./verdict.ts";

/** A figure a comparison shows, read from a run's summary (null when the run has none). */
export interface ComparedFigure {
  readonly key: string;
  readonly label: string;
  readonly of: (s: Summary) => number | null;
}

/** The figures every comparison shows. */
export const COMPARED_FIGURES: readonly ComparedFigure[] = [
  { key: "scalings", label: "scalings", of: (s) => s.autoscaling.scalings },
  { key: "restarts", label: "restarts", of: (s) => s.autoscaling.restarts },
  { key: "restart_actual_mean_s", label: "actual restart, mean (s)", of: (s) => s.autoscaling.restart_actual_mean_s },
  { key: "restart_actual_max_s", label: "actual restart, max (s)", of: (s) => s.autoscaling.restart_actual_max_s },
  { key: "restart_until_processing_mean_s", label: "until processing resumed, mean (s)", of: (s) => s.autoscaling.restart_until_processing_mean_s },
  { key: "restart_until_processing_max_s", label: "until processing resumed, max (s)", of: (s) => s.autoscaling.restart_until_processing_max_s },
  { key: "restart_time_used_first_s", label: "restart time used, first (s)", of: (s) => s.autoscaling.restart_time_used_first_s },
  { key: "restart_time_used_last_s", label: "restart time used, last (s)", of: (s) => s.autoscaling.restart_time_used_last_s },
  { key: "scale_ups", label: "vertex scale ups", of: (s) => s.autoscaling.scale_ups },
  { key: "scale_downs", label: "vertex scale downs", of: (s) => s.autoscaling.scale_downs },
  { key: "source_backpressured_share", label: "share of time back-pressured", of: (s) => s.source_backpressured_share },
  { key: "slot_hours", label: "slot-hours", of: (s) => s.slot_hours },
  { key: "core_hours", label: "core-hours", of: (s) => s.core_hours },
  { key: "memory_gib_hours", label: "memory GiB-hours", of: (s) => s.memory_gib_hours },
  { key: "cost", label: "cost", of: (s) => s.cost },
  { key: "records_processed", label: "records processed", of: (s) => s.records_delivered_to_sinks },
  { key: "lag_max", label: "lag, max (records)", of: (s) => s.lag_max },
  { key: "lag_mean", label: "lag, mean (records)", of: (s) => s.lag_mean },
  { key: "lag_s_max", label: "lag, max (s behind)", of: (s) => s.lag_s_max },
  { key: "lag_s_mean", label: "lag, mean (s behind)", of: (s) => s.lag_s_mean },
  { key: "time_lag_above_60s_s", label: "time lag > 60 s (s)", of: (s) => s.time_lag_above_60s_s },
];

/** COMPARED_FIGURES and, per vertex of `example` (a run of the scenario), its final and highest parallelism. */
export function comparedFigures(example: Summary): ComparedFigure[] {
  const perVertex = example.vertices.flatMap((v): ComparedFigure[] => [
    { key: `parallelism_final:${v.name}`, label: `final parallelism, ${v.name}`, of: (s) => s.vertices.find((x) => x.name === v.name)?.parallelism ?? null },
    { key: `parallelism_max_reached:${v.name}`, label: `max parallelism reached, ${v.name}`, of: (s) => s.vertices.find((x) => x.name === v.name)?.parallelism_max_reached ?? null },
  ]);
  return [...COMPARED_FIGURES, ...perVertex];
}

/** The label of a figure key of comparison.csv, per-vertex keys (`parallelism_final:<vertex>`) included. */
export function figureLabel(key: string): string {
  const fixed = COMPARED_FIGURES.find((f) => f.key === key);
  if (fixed !== undefined) return fixed.label;
  const m = /^(parallelism_final|parallelism_max_reached):(.*)$/.exec(key);
  if (m === null) return key;
  return `${m[1] === "parallelism_final" ? "final parallelism" : "max parallelism reached"}, ${m[2]}`;
}

/** Student's t quantile 0.975 for df 1..30, then interpolated in 1/df towards the normal 1.96. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const T975_TAIL: readonly [number, number][] = [
  [30, 2.042],
  [40, 2.021],
  [60, 2.0],
  [120, 1.98],
  [Infinity, 1.96],
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[Math.round(df) - 1]!;
  for (let i = 1; i < T975_TAIL.length; i++) {
    const [d0, t0] = T975_TAIL[i - 1]!;
    const [d1, t1] = T975_TAIL[i]!;
    if (df <= d1) {
      const x = (1 / df - 1 / d0) / (1 / d1 - 1 / d0);
      return t0 + x * (t1 - t0);
    }
  }
  return 1.96;
}

/** Mean and half-width of the 95% confidence interval (t distribution); half-width NaN for n < 2. */
export function meanWithInterval(values: readonly number[]): { mean: number; halfWidth: number; n: number } {
  const n = values.length;
  const m = mean(values) ?? NaN;
  if (n < 2) return { mean: m, halfWidth: NaN, n };
  return { mean: m, halfWidth: (tQuantile975(n - 1) * deviation(values)!) / Math.sqrt(n), n };
}

/** Runs of one variant, one summary per seed (seeds in the same order for every variant). */
export interface VariantRuns {
  readonly variant: string;
  readonly seeds: readonly number[];
  readonly summaries: readonly Summary[];
}

export interface ComparisonRow {
  readonly variant: string;
  readonly figure: string;
  readonly n: number;
  readonly mean: number;
  readonly ci95: number;
  /** Paired difference from the first variant, seed by seed (NaN for the first variant). */
  readonly diffMean: number;
  readonly diffCi95: number;
}

const finite = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));

export function compare(runs: readonly VariantRuns[]): ComparisonRow[] {
  const base = runs[0]!;
  const rows: ComparisonRow[] = [];
  const figures = comparedFigures(base.summaries[0]!);
  for (const r of runs) {
    for (const f of figures) {
      const values = r.summaries.map(f.of);
      const stats = meanWithInterval(finite(values));
      let diff = { mean: NaN, halfWidth: NaN };
      if (r !== base) {
        const baseValues = base.summaries.map(f.of);
        const paired = values.map((v, i) => (v === null || baseValues[i] === null ? null : v - baseValues[i]!));
        diff = meanWithInterval(finite(paired));
      }
      rows.push({ variant: r.variant, figure: f.key, n: stats.n, mean: stats.mean, ci95: stats.halfWidth, diffMean: diff.mean, diffCi95: diff.halfWidth });
    }
  }
  return rows;
}

const num = (x: number) => (Number.isNaN(x) ? undefined : round(x, 4));

export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  return toCsv(
    ["variant", "figure", "n", "mean", "ci95", "diff_vs_first_mean", "diff_vs_first_ci95", "diff_beyond_noise"],
    rows.map((r) => {
      // yes: the paired 95% interval excludes 0; no: it holds 0; empty: the first variant, or one seed (no interval).
      const beyond = beyondNoise(r);
      return [r.variant, r.figure, r.n, num(r.mean), num(r.ci95), num(r.diffMean), num(r.diffCi95), beyond === null ? undefined : beyond ? "yes" : "no"];
    }),
  );
}

/** A side-by-side table: one column per variant, "mean ± ci" with replications. */
export function comparisonTable(runs: readonly VariantRuns[], rows: readonly ComparisonRow[]): string {
  const fmt = (m: number, ci: number) => (Number.isNaN(m) ? "-" : `${round(m, 3)}${Number.isNaN(ci) ? "" : ` ± ${round(ci, 3)}`}`);
  const header = ["", ...runs.map((r) => r.variant), ...runs.slice(1).map((r) => `${r.variant} - ${runs[0]!.variant}`)];
  const body = comparedFigures(runs[0]!.summaries[0]!).map((f) => {
    const cells = runs.map((r) => {
      const row = rows.find((x) => x.variant === r.variant && x.figure === f.key)!;
      return fmt(row.mean, row.ci95);
    });
    const diffs = runs.slice(1).map((r) => {
      const row = rows.find((x) => x.variant === r.variant && x.figure === f.key)!;
      return fmt(row.diffMean, row.diffCi95);
    });
    return [f.label, ...cells, ...diffs];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => line[i]!.length)));
  return [header, ...body].map((line) => line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")).join("\n");
}
