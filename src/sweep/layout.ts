/** What a sweep's folder holds and where: sweep.json, runs.csv, cells.csv, kept runs' folders. */
import type { Cell, Shard } from "./grid.ts";
import type { SweepPlan } from "./SweepPlan.ts";
import { rankText } from "./tableChoice.ts";
import { cellStats, cellsCsv, FIGURE_KEYS, runsCsv, type CellStats, type RunRow } from "./tables.ts";

/** The files of a sweep (or shard) from its plan and its runs' rows, in run order. */
export function sweepFiles(plan: SweepPlan, rows: readonly RunRow[]): { files: Record<string, string>; cells: CellStats[] } {
  const files: Record<string, string> = { "sweep.json": sweepJson(plan), "runs.csv": runsCsv(plan.axes, plan.cells, rows) };
  if (plan.shard !== undefined) return { files, cells: [] };
  const cells = cellStats(plan.axes, plan.cells, plan.seeds, rows, plan.baseline);
  files["cells.csv"] = cellsCsv(plan.axes, cells, plan.figures);
  return { files, cells };
}

/** sweep.json: what a sweep is, everything that decides its results (a shard's also says which shard). */
export function sweepJson(plan: SweepPlan): string {
  return `${JSON.stringify(
    {
      scenario: plan.scenario,
      scenario_sha256: plan.scenarioSha256,
      variant: plan.variant,
      grid: plan.axes,
      cells: plan.cells.length,
      seed: plan.seeds[0],
      replications: plan.seeds.length,
      runs: plan.cells.length * plan.seeds.length,
      set: plan.set,
      duration: plan.duration,
      duration_s: plan.durationS,
      baseline: plan.baseline + 1,
      keep_runs: plan.keepRuns,
      figures: FIGURE_KEYS,
      // Only when chosen, so that a sweep without them writes the sweep.json it always did.
      ...(plan.figures === undefined ? {} : { cells_figures: plan.figures }),
      ...(plan.rank === undefined ? {} : { rank: rankText(plan.rank) }),
      ...(plan.shard === undefined ? {} : { shard: plan.shard }),
    },
    null,
    2,
  )}\n`;
}

/** The folder a sweep writes under <out>/<scenario>/: sweep/, or sweep-shard-I-of-N/ for a shard. */
export function sweepFolderName(shard: Shard | undefined): string {
  return shard === undefined ? "sweep" : `sweep-shard-${shard.index}-of-${shard.count}`;
}

/** A kept run's folder inside the sweep's: runs/cell-<n>/seed-<s>, cell numbers padded so that they sort. */
export function runFolder(plan: Pick<SweepPlan, "cells">, cell: Cell, seed: number): string {
  return `runs/cell-${String(cell.index + 1).padStart(String(plan.cells.length).length, "0")}/seed-${seed}`;
}
