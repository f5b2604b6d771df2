/**
 * Which figures a sweep's tables show (`--figures a,b,c`) and the order of their cells
 * (`--rank FIGURE[:asc|:desc]`): checked against the figures a sweep keeps, so that a
 * misspelt name is one line listing the valid ones.
 */
import { suggestion } from "../scenario/ScenarioError.ts";
import { SweepError } from "./SweepError.ts";
import { FIGURE_KEYS, type CellStats } from "./tables.ts";

/** Cells ordered by a figure's mean: ascending (the smallest first) or descending. */
export interface Rank {
  readonly figure: string;
  readonly descending: boolean;
}

function unknownFigure(flag: string, name: string): SweepError {
  return new SweepError(`${flag}: unknown figure '${name}'${suggestion(name, FIGURE_KEYS)}; the figures are ${FIGURE_KEYS.join(", ")}`);
}

/** `--figures a,b,c` (or the library's array): each a figure of FIGURE_KEYS, given once, at least one. */
export function parseFigures(given: string | readonly string[]): string[] {
  const names = (typeof given === "string" ? given.split(",") : [...given]).map((n) => n.trim());
  if (names.length === 0 || names.some((n) => n === "")) throw new SweepError(`--figures expects figure names separated by commas, got '${names.join(",")}'; the figures are ${FIGURE_KEYS.join(", ")}`);
  for (const n of names) if (!FIGURE_KEYS.includes(n)) throw unknownFigure("--figures", n);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new SweepError(`--figures: '${twice}' is given twice`);
  return names;
}

/** `--rank FIGURE`, `FIGURE:asc` or `FIGURE:desc`. */
export function parseRank(text: string): Rank {
  const m = /^([^:]*)(?::(.*))?$/.exec(text.trim())!;
  const figure = m[1]!.trim();
  const direction = m[2]?.trim();
  if (figure === "") throw new SweepError(`--rank expects FIGURE, FIGURE:asc or FIGURE:desc, got '${text}'`);
  if (!FIGURE_KEYS.includes(figure)) throw unknownFigure("--rank", figure);
  if (direction !== undefined && direction !== "asc" && direction !== "desc") throw new SweepError(`--rank ${figure}: the order is asc or desc, got '${direction}'`);
  return { figure, descending: direction === "desc" };
}

/** A rank as --rank takes it, and as sweep.json keeps it: `lag_s_max:desc`. */
export const rankText = (r: Rank): string => `${r.figure}:${r.descending ? "desc" : "asc"}`;

/**
 * The console's figures without --figures: the count of scalings, the restart time the
 * autoscaler used, the cost (core-hours where the sweep has them, slot-hours otherwise, and
 * money where it has that), the records processed and the lag in seconds and in records.
 */
export function defaultTableFigures(): string[] {
  const cost = FIGURE_KEYS.includes("core_hours") ? "core_hours" : "slot_hours";
  return ["scalings", "restart_time_used_last_s", cost, "cost", "records_processed", "lag_s_max", "lag_max"].filter((k) => FIGURE_KEYS.includes(k));
}

/**
 * The figures a table shows: those chosen, the ranked one added last if not among them;
 * without a choice, the default ones that some cell has a value of.
 */
export function tableFigures(cells: readonly CellStats[], chosen: readonly string[] | undefined, rank: Rank | undefined): string[] {
  const shown = chosen === undefined ? defaultTableFigures().filter((k) => cells.some((c) => c.figures[k]?.mean != null)) : [...chosen];
  if (rank !== undefined && !shown.includes(rank.figure)) shown.push(rank.figure);
  return shown;
}

/** What ranking needs of a cell: its number and its figures' means by name. */
export interface RankedCell {
  readonly cell: number;
  readonly figures: Readonly<Record<string, { readonly mean: number | null } | undefined>>;
}

/** Cells by their mean of the ranked figure; cells without it last; ties by cell number. Without a rank, as given. */
export function rankCells<C extends RankedCell>(cells: readonly C[], rank: Rank | undefined): C[] {
  if (rank === undefined) return [...cells];
  const key = (c: C) => c.figures[rank.figure]?.mean ?? null;
  return [...cells].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? a.cell - b.cell : x === null ? 1 : -1;
    return x === y ? a.cell - b.cell : (rank.descending ? y - x : x - y);
  });
}
