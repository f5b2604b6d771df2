import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { loadScenario } from "../loadScenario.ts";
import { variantNames } from "../../scenario/parseScenario.ts";
import { type ScenarioOverrides } from "../../scenario/Scenario.ts";
import { ScenarioError, suggestion } from "../../scenario/ScenarioError.ts";
import { scenarioSchema } from "../../scenario/schema.ts";
import type { SweepPlan } from "../../sweep/SweepPlan.ts";
export type { SweepPlan };
import { cellLabel, cellsOf, checkAxes, gridAxis, parseGridArg, resolveBaseline, runsOfShard, VARIANT_AXIS, type Cell, type GridAxis, type Shard } from "../../sweep/grid.ts";
import { SweepError } from "../../sweep/SweepError.ts";
import { parseFigures, parseRank } from "../../sweep/tableChoice.ts";

/** What a sweep is asked: the library's sweep() options that decide its results and files. */
export interface SweepRequest {
  readonly scenarioFile: string;
  /** Axes in order (the first varies slowest): `[{key, values}]`, `{key: values}` or `["KEY=V1,V2"]` as on the command line. */
  readonly grid?: readonly GridAxis[] | Readonly<Record<string, readonly (string | number | boolean)[]>> | readonly string[];
  /** Seeds per cell: seed .. seed + replications - 1 (default 1). */
  readonly replications?: number;
  /** The first seed (default: the scenario's simulation.seed). */
  readonly seed?: number;
  /** --set for every cell. */
  readonly set?: Readonly<Record<string, string>>;
  readonly duration?: string;
  /** The variant of every cell when the grid has no `variant` axis (default: the scenario's first). */
  readonly variant?: string;
  readonly strict?: boolean;
  /** The cell differences are paired against: its number (from 1) or `KEY=VALUE[,KEY=VALUE]` (default: the first cell). */
  readonly baseline?: string | number;
  /** Run only this slice of the sweep's runs. */
  readonly shard?: Shard;
  /** Keep every run's files (needs an output folder). */
  readonly keepRuns?: boolean;
  /** The figures cells.csv, the report and the console show, in this order: names of FIGURE_KEYS, or `"a,b,c"` (default: all). */
  readonly figures?: string | readonly string[];
  /** Orders the cells of the console and the report by a figure's mean: `FIGURE`, `FIGURE:asc` or `FIGURE:desc`. */
  readonly rank?: string;
}

/** A sweep checked and laid out: what every run is and what the files will say. */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

function axesOf(grid: SweepRequest["grid"]): GridAxis[] {
  if (grid === undefined) return [];
  if (Array.isArray(grid)) return grid.map((a: string | GridAxis) => (typeof a === "string" ? parseGridArg(a) : gridAxis(a.key, a.values.map(String))));
  return Object.entries(grid as Record<string, readonly (string | number | boolean)[]>).map(([key, values]) => gridAxis(key, values.map(String)));
}

/** A cell's overrides (without the seed): the fixed --set, its grid values, its variant. */
export function cellOverrides(plan: Pick<SweepPlan, "axes" | "set" | "duration" | "variant" | "strict">, cell: Cell): ScenarioOverrides {
  const set: Record<string, string> = { ...plan.set };
  let variant = plan.variant ?? undefined;
  plan.axes.forEach((a, i) => {
    if (a.key === VARIANT_AXIS) variant = cell.values[i];
    else set[a.key] = cell.values[i]!;
  });
  return { set, variant, strict: plan.strict, ...(plan.duration === null ? {} : { duration: plan.duration }) };
}

/**
 * Checks a sweep before any run: the grid, every cell's scenario (so a bad value fails
 * now, naming its cell, not after hours), the seeds, the baseline and the shard.
 */
export function planSweep(request: SweepRequest): SweepPlan {
  const file = request.scenarioFile;
  const axes = axesOf(request.grid);
  const set = { ...request.set };
  checkAxes(axes, set);
  const rank = request.rank === undefined ? undefined : parseRank(request.rank);
  const chosen = request.figures === undefined ? undefined : parseFigures(request.figures);
  // The ranked figure is among cells.csv's, so that the report can rank by it too.
  const figures = chosen === undefined || rank === undefined || chosen.includes(rank.figure) ? chosen : [...chosen, rank.figure];
  const replications = request.replications ?? 1;
  if (!(Number.isSafeInteger(replications) && replications >= 1)) throw new SweepError(`--replications expects a positive integer, got ${replications}`);
  // The file on its own first: its errors are the file's, not a cell's.
  loadScenario(file);
  const text = readFileSync(file, "utf8");
  const variantAxis = axes.find((a) => a.key === VARIANT_AXIS);
  if (variantAxis !== undefined) {
    if (request.variant !== undefined) throw new SweepError("--variant and --grid variant=... both pick the variant; drop one of them");
    const names = variantNames(scenarioSchema.parse(parseDocument(text).toJS()));
    for (const v of variantAxis.values) {
      if (!names.includes(v)) throw new SweepError(`--grid variant: '${v}' is not a variant of ${file}${suggestion(v, names)}; it has ${names.join(", ")}`);
    }
  }
  const cells = cellsOf(axes);
  const partial = { axes, set, duration: request.duration ?? null, variant: variantAxis === undefined ? (request.variant ?? null) : null, strict: request.strict ?? false };
  const warnings = new Set<string>();
  let durationMs = 0;
  let fileSeed = 0;
  let variant = partial.variant;
  for (const cell of cells) {
    try {
      const s = loadScenario(file, { ...cellOverrides(partial, cell), ...(request.seed === undefined ? {} : { seed: request.seed }) });
      for (const w of s.warnings) warnings.add(w);
      if (cell.index === 0) {
        durationMs = s.durationMs;
        fileSeed = s.seed;
        if (variantAxis === undefined) variant = s.variant;
      }
    } catch (e) {
      if (e instanceof ScenarioError && axes.length > 0) throw new ScenarioError(e.file, e.path, `${e.problem} (in grid cell ${cellLabel(axes, cell)})`);
      throw e;
    }
  }
  const firstSeed = request.seed ?? fileSeed;
  if (!Number.isSafeInteger(firstSeed + replications - 1)) throw new SweepError(`seeds ${firstSeed}.. for ${replications} replications pass ${MAX_SEED}, the largest a double holds exactly`);
  const seeds = Array.from({ length: replications }, (_, i) => firstSeed + i);
  const baseline = resolveBaseline(request.baseline, axes, cells);
  return {
    file,
    scenario: loadScenarioName(file),
    scenarioSha256: createHash("sha256").update(text).digest("hex"),
    axes,
    cells,
    seeds,
    baseline,
    variant,
    set,
    duration: partial.duration,
    durationS: durationMs / 1000,
    strict: partial.strict,
    keepRuns: request.keepRuns ?? false,
    shard: request.shard,
    runs: runsOfShard(cells.length * seeds.length, request.shard),
    warnings: [...warnings],
    ...(figures === undefined ? {} : { figures }),
    ...(rank === undefined ? {} : { rank }),
  };
}

function loadScenarioName(file: string): string {
  return file.replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "");
}

/** The cell and seed of run `run` (cell-major, seed-minor). */
export function runAt(plan: Pick<SweepPlan, "cells" | "seeds">, run: number): { cell: Cell; seed: number } {
  return { cell: plan.cells[Math.floor(run / plan.seeds.length)]!, seed: plan.seeds[run % plan.seeds.length]! };
}
