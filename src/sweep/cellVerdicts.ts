import type { VerdictCell } from "../record/verdict.ts";
import { FIGURE_KEYS, type CellStats } from "./tables.ts";

/** A cell of cells.csv as a verdict reads it: its paired differences from the baseline cell, by figure key. */
export function verdictCell(c: CellStats, base: CellStats): VerdictCell {
  return {
    values: c.values,
    baseline: c.baseline,
    n: Math.max(0, ...c.figures.map((f) => f.n)),
    difference: (key) => {
      const i = FIGURE_KEYS.indexOf(key);
      const f = c.figures[i];
      const b = base.figures[i];
      if (f === undefined || b === undefined || f.diffMean === null || b.mean === null) return undefined;
      return { n: f.n, baseMean: b.mean, diffMean: f.diffMean, diffCi95: f.diffCi95 ?? NaN };
    },
  };
}
