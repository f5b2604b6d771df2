/**
 * npm run bench: measures the simulator side by side with the bare event loop and
 * writes out/bench/results.json. Figures are ratios of runs made in the same process.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { bareLoopRun, measure, seedScenarioRun, type CaseResult } from "./cases.ts";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const results: CaseResult[] = [];
const log = (r: CaseResult) => {
  results.push(r);
  process.stdout.write(
    `${r.name.padEnd(34)} wall ms min/median/max ${r.wallMs.min}/${r.wallMs.median}/${r.wallMs.max}  ` +
      `${r.events} events  ${r.eventsPerSecond.toLocaleString("en-US")} events/s  virtual/wall ${r.virtualToWall.toLocaleString("en-US")}x  peak heap ${r.peakHeapMiB} MiB\n`,
  );
};

const seed1h = measure("seed scenario, 1 h virtual", runs, () => seedScenarioRun("1h"));
log(seed1h);
const seed24h = measure("seed scenario, 24 h virtual", runs, () => seedScenarioRun("24h"));
log(seed24h);
const bare = measure("bare event loop, same events as 24 h", runs, () => bareLoopRun(seed24h.events));
log(bare);
const modelShareOfLimit = seed24h.eventsPerSecond / bare.eventsPerSecond;
process.stdout.write(`model events/s as a fraction of the bare loop's: ${modelShareOfLimit.toFixed(3)}\n`);

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version, platform: process.platform };
mkdirSync("out/bench", { recursive: true });
writeFileSync(
  "out/bench/results.json",
  `${JSON.stringify({ date: new Date().toISOString(), machine, runsPerCase: runs, results, modelShareOfLimit }, null, 2)}\n`,
);
process.stdout.write(`wrote out/bench/results.json (${machine.cores} cores, Node ${machine.node})\n`);
