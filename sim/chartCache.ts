/**
 * Run by the build (sim/build.mjs) from its own bundle: draws the report of an hour of the
 * seed scenario, then writes V8's code cache of vega's and vega-lite's bundles, with the
 * bytecode of every function that report ran, into the folder given
 * (src/node/chartLibraries.ts reads it from there).
 * `node dist/chart-cache.mjs <scenario file> <cache folder>`.
 */
import { writeChartCache } from "../src/node/chartLibraries.ts";
import { loadScenarioVariants } from "../src/node/loadScenario.ts";
import { runReportHtml } from "../src/report/runReport.ts";
import { runScenario } from "../src/run/runScenario.ts";

const [scenarioFile, dir] = process.argv.slice(2);
if (scenarioFile === undefined || dir === undefined) throw new Error("usage: chart-cache.mjs <scenario file> <cache folder>");
const [scenario] = loadScenarioVariants(scenarioFile, { duration: "1h", variant: "tracking-on" });
await runReportHtml(runScenario(scenario!, { output: { kind: "memory" } }).files);
writeChartCache(dir);
