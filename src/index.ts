/**
 * The simulator as a library: load a scenario, run it, sweep a grid of settings over
 * seeds, merge a sharded sweep. Nothing touches the disk unless asked: runs keep their
 * files in memory by default, and sweeps write only with `out`. The command line is a
 * user of these.
 */
export { loadScenario, loadScenarioVariants, parseScenario, type Scenario, type ScenarioOverrides } from "./scenario/loadScenario.ts";
export { ScenarioError } from "./scenario/ScenarioError.ts";
export { runScenario, ScenarioRun, RUN_FILES, type RunFile, type RunOptions, type RunOutput, type RunResult } from "../sim/runScenario.ts";
export type { Summary } from "./record/summary.ts";
export { sweep, runSweep, type SweepOptions, type SweepResult, type SweepRun } from "./sweep/sweep.ts";
export { planSweep, type SweepPlan, type SweepRequest } from "./sweep/plan.ts";
export { mergeShards, type MergeResult } from "./sweep/merge.ts";
export { SweepError } from "./sweep/SweepError.ts";
export type { Cell, GridAxis, Shard } from "./sweep/grid.ts";
export { FIGURE_KEYS, type CellStats, type FigureStats } from "./sweep/tables.ts";
