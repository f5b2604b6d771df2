/** The sweep report's verdicts: each cell against the baseline cell, from cells.csv (src/record/verdict.ts). */
import { parse } from "csv-parse/sync";
import { HEADLINE_FIGURES, sweepVerdicts, type VerdictCell } from "../record/verdict.ts";
import { escapeHtml, paragraph } from "./page.ts";

const number = (x: string | undefined) => (x === undefined || x === "" ? NaN : Number(x));

/** The verdict lines of a sweep's cells.csv (`keys`: the grid's keys; the baseline is the row whose `baseline` is true). */
export function sweepVerdictLines(cellsCsv: string, keys: readonly string[], durationS: number): string[] {
  const rows = parse(cellsCsv, { columns: true }) as Record<string, string>[];
  const base = rows.find((r) => r.baseline === "true");
  const cells = rows.map(
    (r): VerdictCell => ({
      values: keys.map((k) => r[k] ?? ""),
      baseline: r === base,
      n: Math.max(0, ...HEADLINE_FIGURES.map((h) => number(r[`${h.key}_n`])).filter(Number.isFinite)),
      difference: (key) => {
        const diffMean = number(r[`${key}_diff_mean`]);
        const baseMean = number(base?.[`${key}_mean`]);
        if (Number.isNaN(diffMean) || Number.isNaN(baseMean)) return undefined;
        return { n: number(r[`${key}_n`]), baseMean, diffMean, diffCi95: number(r[`${key}_diff_ci95`]) };
      },
    }),
  );
  return sweepVerdicts(keys, cells, { durationS, currency: null });
}

/** The verdicts as a page block: a list, and what "beyond noise" means. */
export function sweepVerdictBlocks(cellsCsv: string, keys: readonly string[], durationS: number): string[] {
  const [heading, ...lines] = sweepVerdictLines(cellsCsv, keys, durationS);
  if (heading === undefined) return [paragraph("One cell: nothing to compare.")];
  return [
    paragraph(`Each cell ${heading}`),
    `<ul class="verdicts">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`,
    paragraph("Beyond noise: the 95% confidence interval of the per-seed differences excludes 0 (mean ± t(0.975, n−1) · sd/√n).", "note"),
  ];
}
