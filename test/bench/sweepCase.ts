/**
 * The sweep benchmark, in a process of its own (spawned by run.ts): a sweep of the seed
 * scenario through the compiled library (dist/index.mjs, whose workers run dist/worker.mjs,
 * as the command line's do). CPU time is the process's, worker threads included: the
 * process tree's, since the workers are threads of this one process.
 * Prints one JSON line. Usage: sweepCase.ts <jobs> <replications> [duration]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [jobs = "2", replications = "250", duration] = process.argv.slice(2);
const lib = (await import(pathToFileURL(resolve("dist/index.mjs")).href)) as typeof import("../../src/index.ts");

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await lib.sweep({
  scenarioFile: "scenarios/backpressure.yaml",
  grid: ["variant=tracking-on,tracking-off", "job.autoscaler.utilization.target=0.5,0.7"],
  replications: Number(replications),
  jobs: Number(jobs),
  ...(duration === undefined ? {} : { duration }),
});
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `${JSON.stringify({
    jobs: Number(jobs),
    runs: result.runs.length,
    wallMs: Math.round(wallMs),
    cpuMs: Math.round(cpuMs),
    runMs: Math.round(result.runMs),
    cores: Math.round((cpuMs / wallMs) * 100) / 100,
    cellsCsv: result.files["cells.csv"],
  })}\n`,
);
