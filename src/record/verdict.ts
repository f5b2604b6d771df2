/**
 * Verdicts: whether a difference between two configurations is beyond noise, in words a
 * user can repeat. A difference is beyond noise when the 95% confidence interval of its
 * per-seed (paired) differences excludes 0: mean ± t(0.975, n-1) · sd/√n (comparison.ts).
 */
import type { ComparisonRow } from "./comparison.ts";

/** A figure's paired difference from the baseline over n seeds, and the baseline's mean. */
export interface FigureDifference {
  readonly n: number;
  readonly baseMean: number;
  readonly diffMean: number;
  /** Half-width of the 95% interval; NaN with fewer than 2 seeds. */
  readonly diffCi95: number;
}

/** true: the interval excludes 0; false: it holds 0; null: one seed (no interval) or no difference to judge. */
export function beyondNoise(d: { readonly n: number; readonly diffMean: number; readonly diffCi95: number }): boolean | null {
  if (!Number.isFinite(d.diffMean) || d.n < 2 || !Number.isFinite(d.diffCi95)) return null;
  return Math.abs(d.diffMean) > d.diffCi95;
}

type Unit = "percent" | "seconds" | "money" | "rate";

/** The headline figures a verdict speaks of, in this order (those the runs have). */
export const HEADLINE_FIGURES: readonly { readonly key: string; readonly words: string; readonly unit: Unit }[] = [
  { key: "core_hours", words: "core-hours", unit: "percent" },
  { key: "cost", words: "cost", unit: "money" },
  { key: "lag_s_max", words: "max lag", unit: "seconds" },
  { key: "records_processed", words: "records processed", unit: "percent" },
  { key: "scalings", words: "scalings", unit: "rate" },
];

/** Decimals that show two significant digits of x (0 to 4). */
function decimalsFor(x: number): number {
  if (!(Math.abs(x) > 0) || !Number.isFinite(x)) return 0;
  return Math.min(4, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(x)))));
}

/** A number to the decimals its interval supports (two significant digits of the interval, else of the number). */
function figure(x: number, interval: number, signed: boolean): string {
  const d = decimalsFor(Number.isFinite(interval) && interval > 0 ? interval : x);
  const text = Math.abs(x).toFixed(d);
  if (Number(text) === 0) return "0";
  return `${x < 0 ? "-" : signed ? "+" : ""}${text}`;
}

export interface VerdictContext {
  /** The runs' length: scalings are said per day (runs of a day or more) or per hour. */
  readonly durationS: number;
  /** simulation.prices' currency; null: no prices (no cost). */
  readonly currency: string | null;
}

/** One figure's difference as words: "-9.0% core-hours (±1.3%)", "+6.8 s max lag (±1.1 s)", "+2.0 scalings a day (±0.5)". */
export function differenceWords(key: string, d: FigureDifference, ctx: VerdictContext): string | undefined {
  const h = HEADLINE_FIGURES.find((f) => f.key === key);
  if (h === undefined || !Number.isFinite(d.diffMean)) return undefined;
  const hasInterval = d.n >= 2 && Number.isFinite(d.diffCi95);
  let mean = d.diffMean;
  let half = d.diffCi95;
  let unit = "";
  let words = h.words;
  let pre = "";
  if (h.unit === "percent" && Number.isFinite(d.baseMean) && d.baseMean !== 0) {
    mean = (100 * d.diffMean) / Math.abs(d.baseMean);
    half = (100 * d.diffCi95) / Math.abs(d.baseMean);
    unit = "%";
  } else if (h.unit === "seconds") {
    pre = " s";
  } else if (h.unit === "money") {
    pre = ctx.currency === null ? "" : ` ${ctx.currency}`;
  } else if (h.unit === "rate") {
    const perDay = ctx.durationS >= 86_400;
    const scale = (perDay ? 86_400 : 3_600) / ctx.durationS;
    mean *= scale;
    half *= scale;
    words = `${h.words} ${perDay ? "a day" : "an hour"}`;
  }
  const main = `${figure(mean, hasInterval ? half : NaN, true)}${unit}${pre} ${words}`;
  return hasInterval ? `${main} (±${figure(half, half, false)}${unit}${pre})` : main;
}

/** The differences of `rows`' variant from the first variant, by figure key. */
export function differencesOf(rows: readonly ComparisonRow[], variant: string): (key: string) => FigureDifference | undefined {
  const base = rows[0]?.variant;
  return (key) => {
    const r = rows.find((x) => x.variant === variant && x.figure === key);
    const b = rows.find((x) => x.variant === base && x.figure === key);
    if (r === undefined || b === undefined) return undefined;
    return { n: r.n, baseMean: b.mean, diffMean: r.diffMean, diffCi95: r.diffCi95 };
  };
}

/**
 * The verdict on one configuration against the baseline, over the headline figures:
 * "utilization.target 0.8 vs 0.7 (5 seeds): -9.0% core-hours (±1.3%), +6.8 s max lag (±1.1 s);
 * within noise: +0.4 scalings a day (±0.9)". With one seed it says that noise is unknown and
 * how to learn it.
 */
export function verdictLine(label: string, n: number, differences: (key: string) => FigureDifference | undefined, ctx: VerdictContext): string {
  const said = HEADLINE_FIGURES.flatMap((h) => {
    const d = differences(h.key);
    const words = d === undefined ? undefined : differenceWords(h.key, d, ctx);
    return d === undefined || words === undefined ? [] : [{ words, name: h.words, beyond: beyondNoise(d), same: d.diffMean === 0 && !(d.diffCi95 > 0) }];
  });
  const seeds = `${n} seed${n === 1 ? "" : "s"}`;
  if (said.length === 0) return `${label} (${seeds}): no headline figure to compare`;
  if (said.every((s) => s.same)) return `${label} (${seeds}): no difference in ${said.map((s) => s.name).join(", ")} (the same${n < 2 ? "" : " on every seed"})`;
  if (n < 2) {
    return `${label} (1 seed): ${said.map((s) => s.words).join(", ")}; one seed cannot tell these from noise: rerun with --replications 5 (or more)`;
  }
  const beyond = said.filter((s) => s.beyond === true).map((s) => s.words);
  const within = said.filter((s) => s.beyond !== true && !s.same).map((s) => s.words);
  const same = said.filter((s) => s.same).map((s) => s.name);
  const rest = [...(within.length > 0 ? [`within noise: ${within.join(", ")}`] : []), ...(same.length > 0 ? [`unchanged: ${same.join(", ")}`] : [])].join("; ");
  if (beyond.length === 0) return `${label} (${seeds}): no difference beyond noise (${rest})`;
  return `${label} (${seeds}): ${beyond.join(", ")}${rest === "" ? "" : `; ${rest}`}`;
}

/** A comparison's verdicts: one line per variant after the first. */
export function comparisonVerdicts(rows: readonly ComparisonRow[], ctx: VerdictContext): string[] {
  const variants = [...new Set(rows.map((r) => r.variant))];
  const n = Math.max(0, ...rows.map((r) => (Number.isFinite(r.n) ? r.n : 0)));
  return variants.slice(1).map((v) => verdictLine(`${v} vs ${variants[0]}`, n, differencesOf(rows, v), ctx));
}

/** A grid key as a verdict names it: the autoscaler's prefix dropped ("utilization.target"). */
export function shortKey(key: string): string {
  return key.replace(/^(kubernetes\.operator\.)?job\.autoscaler\./, "");
}

/** A sweep cell as verdicts read it: its grid values, seeds and differences from the baseline cell. */
export interface VerdictCell {
  readonly values: readonly string[];
  readonly baseline: boolean;
  readonly n: number;
  readonly difference: (key: string) => FigureDifference | undefined;
}

/** A sweep's verdicts: a heading naming the baseline cell, then one line per other cell ("utilization.target 0.8 (5 seeds): ..."). */
export function sweepVerdicts(keys: readonly string[], cells: readonly VerdictCell[], ctx: VerdictContext): string[] {
  const label = (c: VerdictCell) => keys.map((k, i) => `${shortKey(k)} ${c.values[i]}`).join(", ");
  const base = cells.find((c) => c.baseline);
  if (base === undefined || cells.length < 2) return [];
  return [`against the baseline cell (${label(base)}):`, ...cells.filter((c) => !c.baseline).map((c) => verdictLine(label(c), c.n, c.difference, ctx))];
}
