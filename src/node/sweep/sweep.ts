import { availableParallelism } from "node:os";
import { join } from "node:path";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { overridesJson } from "../../record/overridesFile.ts";
import { commitFolder } from "../writeRunFiles.ts";
import { sweepStage } from "./stage.ts";
import { cellLabel } from "../../sweep/grid.ts";
import { sweepFiles, runFolder, sweepFolderName } from "../../sweep/layout.ts";
import { cellOverrides, planSweep, runAt, type SweepPlan, type SweepRequest } from "./plan.ts";
import { createPool } from "./pool.ts";
import { FIGURE_KEYS, type CellStats, type RunRow } from "../../sweep/tables.ts";
import { SweepError } from "../../sweep/SweepError.ts";
import type { RunTask } from "./worker.ts";

export interface SweepOptions extends SweepRequest {
  /** Parallel runs (default: os.availableParallelism()); 1 runs them in this thread. */
  readonly jobs?: number;
  /** Write the files under `<out>/<scenario>/sweep/` (a shard: `sweep-shard-I-of-N/`); without it nothing touches the disk. */
  readonly out?: string;
  /** Called after each run with the runs done and the runs this sweep (or shard) does. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Stops the sweep: the pool is closed, nothing is written, the promise rejects. */
  readonly signal?: AbortSignal;
  /** The order runs are handed to the pool (tests: results must not depend on it). */
  readonly dispatchOrder?: (runs: readonly number[]) => readonly number[];
}

/** A run's cell values by key, its seed and its figures by name: a row of runs.csv. */
export interface SweepRun {
  readonly cell: number;
  readonly grid: Readonly<Record<string, string>>;
  readonly seed: number;
  readonly figures: Readonly<Record<string, number | null>>;
}

export interface SweepResult {
  readonly plan: SweepPlan;
  /** The runs done, in run order (cell by cell, seed by seed): runs.csv's rows. */
  readonly runs: readonly SweepRun[];
  /** cells.csv's rows; empty for a shard (a merge computes them). */
  readonly cells: readonly CellStats[];
  /** The files' text: sweep.json, runs.csv and, but for a shard, cells.csv. */
  readonly files: Readonly<Record<string, string>>;
  /** The folder written, when `out` was given. */
  readonly dir: string | undefined;
  /** Sum of the runs' own wall times, ms (the work the pool spread; not in any file). */
  readonly runMs: number;
}

function namedRun(plan: SweepPlan, row: RunRow): SweepRun {
  const cell = plan.cells[row.cell]!;
  return {
    cell: row.cell + 1,
    grid: Object.fromEntries(plan.axes.map((a, i) => [a.key, cell.values[i]!])),
    seed: row.seed,
    figures: Object.fromEntries(FIGURE_KEYS.map((k, i) => [k, row.figures[i]!])),
  };
}

function taskOf(plan: SweepPlan, run: number, stage: string | undefined): RunTask {
  const { cell, seed } = runAt(plan, run);
  const overrides = { ...cellOverrides(plan, cell), seed };
  if (!plan.keepRuns || stage === undefined) return { file: plan.file, overrides };
  const grid = Object.fromEntries(plan.axes.map((a, i) => [a.key, cell.values[i]!]));
  const record = overridesJson({
    scenario: plan.scenario,
    variant: grid.variant ?? plan.variant ?? "",
    seed,
    duration: plan.duration,
    set: overrides.set ?? {},
    cell: cell.index + 1,
    grid,
  });
  return { file: plan.file, overrides, keep: { dir: join(stage, runFolder(plan, cell, seed)), overridesJson: record } };
}

/**
 * Runs a sweep: every cell of the grid with the same seeds (common random numbers), on
 * `jobs` worker threads. The files are the same byte for byte whatever the number of
 * workers or the order runs finish in: each run's figures go to its place in run order.
 * With `out`, the sweep's folder is written beside its target and renamed into place
 * whole; an error or an abort leaves the previous folder as it was.
 */
export async function runSweep(plan: SweepPlan, options: Omit<SweepOptions, keyof SweepRequest> = {}): Promise<SweepResult> {
  if (plan.keepRuns && options.out === undefined) throw new SweepError("keepRuns needs an output folder (out) to keep the runs' files in");
  const target = options.out === undefined ? undefined : join(options.out, plan.scenario, sweepFolderName(plan.shard));
  const stage = target === undefined ? undefined : sweepStage(target);
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), plan.runs.length));
  const pool = createPool(jobs);
  const rows = new Map<number, RunRow>();
  let runMs = 0;
  const stopped = () => options.signal?.aborted === true;
  const onAbort = () => void pool.close();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const order = options.dispatchOrder?.(plan.runs) ?? plan.runs;
    await Promise.all(
      order.map(async (run) => {
        const { cell, seed } = runAt(plan, run);
        let result;
        try {
          result = await pool.run(taskOf(plan, run, stage));
        } catch (e) {
          if (stopped()) throw new Error("the sweep was stopped");
          throw new Error(`run ${run + 1} (cell ${cell.index + 1}: ${cellLabel(plan.axes, cell)}, seed ${seed}) failed: ${(e as Error).message}`);
        }
        rows.set(run, { cell: cell.index, seed, figures: result.figures });
        runMs += result.runMs;
        options.onProgress?.(rows.size, plan.runs.length);
      }),
    );
    if (stopped()) throw new Error("the sweep was stopped");
    const ordered = plan.runs.map((r) => rows.get(r)!);
    const { files, cells } = sweepFiles(plan, ordered);
    if (stage !== undefined && target !== undefined) {
      mkdirSync(stage, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(stage, name), text);
      commitFolder(stage, target);
    }
    return { plan, runs: ordered.map((r) => namedRun(plan, r)), cells, files, dir: target, runMs };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await pool.close();
    if (stage !== undefined) rmSync(stage, { recursive: true, force: true });
  }
}

/** Plans and runs a sweep (see planSweep and runSweep). */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  return runSweep(planSweep(options), options);
}
