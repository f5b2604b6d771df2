import { parse as parseCsv } from "csv-parse/sync";
import { COMPARED_FIGURES, meanWithInterval } from "../record/comparison.ts";
import { round, toCsv, type CsvCell } from "../record/csv.ts";
import type { Summary } from "../record/summary.ts";
import type { Cell, GridAxis } from "./grid.ts";
import { SweepError } from "./SweepError.ts";

/** The headline figures a sweep keeps of every run (runs.csv's columns, the names --figures and --rank take): those a comparison shows, in its order. */
export const FIGURE_KEYS: readonly string[] = COMPARED_FIGURES.map((f) => f.key);

/** A run's figures, in FIGURE_KEYS' order (null where the run has none, e.g. no restart). */
export function figuresOf(summary: Summary): (number | null)[] {
  return COMPARED_FIGURES.map((f) => f.of(summary));
}

/** One run of a sweep: its cell (index from 0), its seed and its figures in FIGURE_KEYS' order (runs.csv's row; a sweep's result names them, SweepRun). */
export interface RunRow {
  readonly cell: number;
  readonly seed: number;
  readonly figures: readonly (number | null)[];
}

const runsHeader = (axes: readonly GridAxis[]) => ["cell", ...axes.map((a) => a.key), "seed", ...FIGURE_KEYS];

/** runs.csv: one row per run, in the order given (the sweep's run order). */
export function runsCsv(axes: readonly GridAxis[], cells: readonly Cell[], rows: readonly RunRow[]): string {
  return toCsv(
    runsHeader(axes),
    rows.map((r): CsvCell[] => [r.cell + 1, ...cells[r.cell]!.values, r.seed, ...r.figures.map((f) => (f === null ? undefined : f))]),
  );
}

/**
 * The rows of a runs.csv written for this grid. Numbers print as JavaScript's shortest
 * round-trip form, so each figure reads back as the very double that was written: the
 * cells computed from a merge equal those of the single run, bit for bit.
 */
export function parseRunsCsv(text: string, axes: readonly GridAxis[], cells: readonly Cell[], where: string): RunRow[] {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: false }) as string[][];
  } catch (e) {
    throw new SweepError(`${where}: runs.csv is not CSV: ${(e as Error).message}`);
  }
  const header = runsHeader(axes);
  if (records.length === 0 || records[0]!.join(",") !== header.join(",")) throw new SweepError(`${where}: runs.csv's columns are not those of this sweep (${header.slice(0, 4).join(",")},...)`);
  return records.slice(1).map((r, i) => {
    const line = i + 2;
    const cell = Number(r[0]) - 1;
    if (!Number.isInteger(cell) || cells[cell] === undefined) throw new SweepError(`${where}: runs.csv line ${line}: no cell ${r[0]}`);
    if (axes.some((_, a) => r[1 + a] !== cells[cell]!.values[a])) throw new SweepError(`${where}: runs.csv line ${line}: cell ${cell + 1}'s values are not the grid's`);
    const seed = Number(r[1 + axes.length]);
    const figures = r.slice(2 + axes.length).map((x) => (x === "" ? null : Number(x)));
    if (!Number.isSafeInteger(seed) || figures.some((f) => f !== null && Number.isNaN(f))) throw new SweepError(`${where}: runs.csv line ${line}: a seed or figure is not a number`);
    return { cell, seed, figures };
  });
}

const num = (x: number): number | null => (Number.isNaN(x) ? null : round(x, 4));
const finite = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));

/** A figure over a cell's runs: n, mean and 95% half-width; its paired difference from the baseline (null for the baseline). Rounded to 4 decimals, as cells.csv holds them. */
export interface FigureStats {
  readonly n: number;
  readonly mean: number | null;
  readonly ci95: number | null;
  readonly diffMean: number | null;
  readonly diffCi95: number | null;
}

/** A row of cells.csv, by name: `cell.values["job.autoscaler.utilization.target"]`, `cell.figures.slot_hours.mean`. */
export interface CellStats {
  /** From 1, as in the files. */
  readonly cell: number;
  /** The cell's value of each grid key, by key (in the grid's order). */
  readonly values: Readonly<Record<string, string>>;
  readonly runs: number;
  readonly baseline: boolean;
  /** Every figure of FIGURE_KEYS, by name (in FIGURE_KEYS' order). */
  readonly figures: Readonly<Record<string, FigureStats>>;
}

/**
 * Per cell and figure its n, mean and 95% confidence half-width (Student's t, as
 * comparison.csv), and the mean and half-width of its difference from the baseline cell,
 * paired seed by seed. `rows` hold every run.
 */
export function cellStats(axes: readonly GridAxis[], cells: readonly Cell[], seeds: readonly number[], rows: readonly RunRow[], baseline: number): CellStats[] {
  const grouped = cells.map(() => new Map<number, RunRow>());
  for (const r of rows) grouped[r.cell]!.set(r.seed, r);
  const byCell = grouped.map((own) => seeds.map((s) => own.get(s)));
  const base = byCell[baseline]!;
  return cells.map((c) => {
    const runs = byCell[c.index]!;
    const figures = FIGURE_KEYS.map((key, f): [string, FigureStats] => {
      const values = runs.map((r) => r?.figures[f] ?? null);
      const own = meanWithInterval(finite(values));
      let diff = { mean: NaN, halfWidth: NaN };
      if (c.index !== baseline) {
        const paired = values.map((v, i) => {
          const b = base[i]?.figures[f] ?? null;
          return v === null || b === null ? null : v - b;
        });
        diff = meanWithInterval(finite(paired));
      }
      return [key, { n: own.n, mean: num(own.mean), ci95: num(own.halfWidth), diffMean: num(diff.mean), diffCi95: num(diff.halfWidth) }];
    });
    return {
      cell: c.index + 1,
      values: Object.fromEntries(axes.map((a, i) => [a.key, c.values[i]!])),
      runs: runs.filter((r) => r !== undefined).length,
      baseline: c.index === baseline,
      figures: Object.fromEntries(figures),
    };
  });
}

/**
 * cells.csv: one row per cell; per figure `_n`, `_mean`, `_ci95`, `_diff_mean`, `_diff_ci95`
 * (the difference empty for the baseline). `figures`: which, in which order (default: all
 * of FIGURE_KEYS, the layout every sweep without --figures writes).
 */
export function cellsCsv(axes: readonly GridAxis[], stats: readonly CellStats[], figures: readonly string[] = FIGURE_KEYS): string {
  const columns = ["cell", ...axes.map((a) => a.key), "runs", "baseline", ...figures.flatMap((k) => [`${k}_n`, `${k}_mean`, `${k}_ci95`, `${k}_diff_mean`, `${k}_diff_ci95`])];
  const cell = (x: number | null): CsvCell => (x === null ? undefined : x);
  return toCsv(
    columns,
    stats.map((c): CsvCell[] => [
      c.cell,
      ...axes.map((a) => c.values[a.key]),
      c.runs,
      c.baseline,
      ...figures.flatMap((k) => {
        const f = c.figures[k]!;
        return [f.n, cell(f.mean), cell(f.ci95), cell(f.diffMean), cell(f.diffCi95)];
      }),
    ]),
  );
}
