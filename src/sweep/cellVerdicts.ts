import type { VerdictCell } from "../record/verdict.ts";
import type { CellStats } from "./tables.ts";

/** A cell of cells.csv as a verdict reads it: its paired differences from the baseline cell, by figure key. */
export function verdictCell(c: CellStats, base: CellStats): VerdictCell {
  return {
    // The grid's values in the grid's order (CellStats keeps them by key, in that order).
    values: Object.values(c.values),
    baseline: c.baseline,
    n: Math.max(0, ...Object.values(c.figures).map((f) => f.n)),
    difference: (key) => {
      const f = c.figures[key];
      const b = base.figures[key];
      if (f === undefined || b === undefined || f.diffMean === null || b.mean === null) return undefined;
      return { n: f.n, baseMean: b.mean, diffMean: f.diffMean, diffCi95: f.diffCi95 ?? NaN };
    },
  };
}
