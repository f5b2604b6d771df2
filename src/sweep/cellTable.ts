/**
 * The sweep's console table: a row per cell, for each figure shown its mean ± 95% CI and
 * its paired difference from the baseline, rounded to what the interval supports
 * (intervalRounding.ts), each figure in its unit (figureFormats.ts).
 */
import { figureFormat, inUnit } from "./figureFormats.ts";
import type { GridAxis } from "./grid.ts";
import { formatWithInterval } from "./intervalRounding.ts";
import { rankCells, rankText, tableFigures, type Rank } from "./tableChoice.ts";
import type { CellStats, FigureStats } from "./tables.ts";

/** Cells the console lists at most; the rest are in cells.csv. */
export const TABLE_CELLS = 40;

export interface CellTableOptions {
  /** --figures; default: tableFigures' choice. */
  readonly figures?: readonly string[];
  readonly rank?: Rank;
}

const shown = (key: string, mean: number | null, ci: number | null) => formatWithInterval(inUnit(key, mean), inUnit(key, ci));

/** The table's text, headed by a line saying what its numbers are; no trailing newline. */
export function cellTable(axes: readonly GridAxis[], cells: readonly CellStats[], options: CellTableOptions = {}): string {
  const figures = tableFigures(cells, options.figures, options.rank);
  // Differences only when there is another cell to differ from.
  const withDiffs = cells.length > 1;
  const columns = figures.flatMap((k) => (withDiffs ? [{ key: k, diff: false }, { key: k, diff: true }] : [{ key: k, diff: false }]));
  const header = ["cell", ...axes.map((a) => a.key), ...columns.map((c) => (c.diff ? `Δ ${c.key}` : c.key))];
  const units = ["", ...axes.map(() => ""), ...columns.map((c) => figureFormat(c.key).unit)];
  const value = (c: CellStats, column: { key: string; diff: boolean }) => {
    const f: FigureStats | undefined = c.figures[column.key];
    if (f === undefined) return "-";
    if (!column.diff) return shown(column.key, f.mean, f.ci95);
    return c.baseline ? "baseline" : shown(column.key, f.diffMean, f.diffCi95);
  };
  const ranked = rankCells(cells, options.rank);
  const body = ranked.slice(0, TABLE_CELLS).map((c) => [`${c.cell}${c.baseline ? "*" : ""}`, ...axes.map((a) => c.values[a.key]!), ...columns.map((col) => value(c, col))]);
  const lines = units.some((u) => u !== "") ? [header, units, ...body] : [header, ...body];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const text = lines.map((l) => l.map((x, i) => (i <= axes.length ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join("  ").trimEnd());
  if (cells.length > TABLE_CELLS) text.push(`... ${cells.length - TABLE_CELLS} more cells in cells.csv`);
  const oneSeed = cells.every((c) => c.runs < 2);
  const what = oneSeed ? "one seed per cell, so no confidence interval (--replications N gives one): 4 significant digits" : "mean ± 95% CI, rounded to the CI's second significant digit";
  const diffs = withDiffs ? "; Δ: difference from the baseline cell (*), paired by seed" : "";
  const order = options.rank === undefined ? "" : `; ranked by ${rankText(options.rank)}`;
  return [`${what}${diffs}${order}`, ...text].join("\n");
}
