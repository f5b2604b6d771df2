/**
 * comparison.csv as a table on a page: one column per variant (mean, ± its 95% interval
 * with replications) and the paired difference of each later variant from the first,
 * as the comparison computed them (src/record/comparison.ts); nothing is recomputed here.
 */
import { COMPARED_FIGURES, type ComparisonRow } from "../record/comparison.ts";
import { table } from "./page.ts";

function meanText(mean: number, ci: number): string {
  if (Number.isNaN(mean)) return "-";
  const m = String(Math.round(mean * 1000) / 1000);
  return Number.isNaN(ci) ? m : `${m} ± ${Math.round(ci * 1000) / 1000}`;
}

/** Variants in the order comparison.csv lists them (the first is the one differences are taken from). */
export function comparedVariants(rows: readonly ComparisonRow[]): string[] {
  return [...new Set(rows.map((r) => r.variant))];
}

/** Replications behind each mean: the largest n of any figure (figures a run lacks count fewer). */
export function replications(rows: readonly ComparisonRow[]): number {
  return Math.max(0, ...rows.map((r) => (Number.isFinite(r.n) ? r.n : 0)));
}

export function comparisonTableHtml(rows: readonly ComparisonRow[]): string {
  const variants = comparedVariants(rows);
  const base = variants[0];
  const figures = [...new Set(rows.map((r) => r.figure))];
  const label = (key: string) => COMPARED_FIGURES.find((f) => f.key === key)?.label ?? key;
  const headers = ["figure", ...variants, ...variants.slice(1).map((v) => `${v} − ${base}`)];
  const body = figures.map((figure) => {
    const of = (variant: string) => rows.find((r) => r.variant === variant && r.figure === figure);
    return [
      label(figure),
      ...variants.map((v) => {
        const r = of(v);
        return r === undefined ? "-" : meanText(r.mean, r.ci95);
      }),
      ...variants.slice(1).map((v) => {
        const r = of(v);
        return r === undefined ? "-" : meanText(r.diffMean, r.diffCi95);
      }),
    ];
  });
  return table(headers, body, { numeric: headers.map((_, i) => i).slice(1), className: "comparison" });
}
