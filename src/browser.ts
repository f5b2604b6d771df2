/**
 * The library's isomorphic face: what runs in a browser as well as in Node (the
 * playground imports this). Scenarios come in as text, runs keep their files in memory,
 * reports come out as strings; nothing here reads or writes a disk. src/index.ts adds
 * Node's adapters (files, folders, worker threads) on top.
 */
export { parseScenario, parseScenarioVariants, variantNames } from "./scenario/parseScenario.ts";
export type { Scenario, ScenarioOverrides } from "./scenario/Scenario.ts";
export { NO_SCENARIO_FILES, type ScenarioFiles } from "./scenario/ScenarioFiles.ts";
export { ScenarioError } from "./scenario/ScenarioError.ts";
export { runScenario, ScenarioRun, RUN_FILES, OPTIONAL_RUN_FILES, type RunFile, type RunOptions, type RunOutput, type RunResult } from "./run/runScenario.ts";
export type { Summary } from "./record/summary.ts";
export type { TextSink } from "./record/TextSink.ts";
export { useChartLibraries, type ChartLibraries } from "./report/renderSvg.ts";
export { SweepError } from "./sweep/SweepError.ts";
export type { Cell, GridAxis, Shard } from "./sweep/grid.ts";
export { FIGURE_KEYS, type CellStats, type FigureStats } from "./sweep/tables.ts";
// A sweep's figures by name: their units, the rounding to the CI, --figures and --rank (docs/sweeps.md).
export { FIGURE_FORMATS, figureFormat, type FigureFormat } from "./sweep/figureFormats.ts";
export { formatWithInterval, roundToInterval } from "./sweep/intervalRounding.ts";
export { parseFigures, parseRank, rankCells, type Rank } from "./sweep/tableChoice.ts";
export { cellTable } from "./sweep/cellTable.ts";
export { replay, replayJson, replayTable, gridCombinations, ReplayError, REPLAY_LIMITS, type ReplayInput, type ReplayResult, type ReplayConfiguration, type ReplayVertex } from "./ingest/replay.ts";
// The reports, the comparison and a sweep's tables from their inputs (the playground draws and zips them in the page).
export { runReportHtml } from "./report/runReport.ts";
export { comparisonReportHtml } from "./report/comparisonReport.ts";
export { sweepReportHtml } from "./report/sweepReport.ts";
export { compare, comparisonCsv, type VariantRuns } from "./record/comparison.ts";
export { cellLabel, cellsOf, checkAxes, parseGridArg, VARIANT_AXIS } from "./sweep/grid.ts";
export { figuresOf, type RunRow } from "./sweep/tables.ts";
export { sweepFiles } from "./sweep/layout.ts";
export type { SweepPlan } from "./sweep/SweepPlan.ts";
export { scenarioName } from "./scenario/ScenarioFiles.ts";
