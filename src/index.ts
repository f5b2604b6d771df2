/**
 * The simulator as a library, in Node: load a scenario, run it, sweep a grid of settings
 * over seeds, merge a sharded sweep. Nothing touches the disk unless asked: runs keep their
 * files in memory by default, and sweeps write only with `out`. The command line is a user
 * of these. The isomorphic part (src/browser.ts) is re-exported whole; src/node/ adds files,
 * folders and worker threads.
 */
export * from "./browser.ts";
import "./node/chartLibraries.ts";
export { loadScenario, loadScenarioVariants, DISK_SCENARIO_FILES } from "./node/loadScenario.ts";
export { folderOutput, FileSink } from "./node/FileSink.ts";
export { sweep, runSweep, type SweepOptions, type SweepResult, type SweepRun } from "./node/sweep/sweep.ts";
export { planSweep, type SweepPlan, type SweepRequest } from "./node/sweep/plan.ts";
export { mergeShards, type MergeResult } from "./node/sweep/merge.ts";
