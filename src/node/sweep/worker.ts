import { folderOutput } from "../FileSink.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runScenario } from "../../run/runScenario.ts";
import { loadScenario } from "../loadScenario.ts";
import { type Scenario, type ScenarioOverrides } from "../../scenario/Scenario.ts";
import { figuresOf } from "../../sweep/tables.ts";

/** One run of a sweep, as a worker receives it (plain data: it crosses threads). */
export interface RunTask {
  readonly file: string;
  /** The cell's overrides and the run's seed. */
  readonly overrides: ScenarioOverrides & { readonly seed: number };
  /** With --keep-runs: the folder to write the run's files into, and its overrides.json. */
  readonly keep?: { readonly dir: string; readonly overridesJson: string };
}

export interface RunTaskResult {
  readonly figures: readonly (number | null)[];
  /** Wall time of the run itself, ms (for the pool's overhead; never written to a file). */
  readonly runMs: number;
}

/** Scenarios resolved per cell: a cell's runs differ only by seed, so each file is parsed once per cell and thread. */
const resolved = new Map<string, Scenario>();

function scenarioOf(task: RunTask): Scenario {
  const { seed, ...cell } = task.overrides;
  const key = JSON.stringify([task.file, cell]);
  let scenario = resolved.get(key);
  if (scenario === undefined) {
    if (resolved.size >= 256) resolved.clear();
    scenario = loadScenario(task.file, cell);
    resolved.set(key, scenario);
  }
  return { ...scenario, seed };
}

/** Runs one sweep run: its figures, and its files when it is kept. */
export default function runTask(task: RunTask): RunTaskResult {
  const started = performance.now();
  const scenario = scenarioOf(task);
  if (task.keep !== undefined) {
    mkdirSync(task.keep.dir, { recursive: true });
    writeFileSync(join(task.keep.dir, "overrides.json"), task.keep.overridesJson);
  }
  const result = runScenario(scenario, { output: task.keep === undefined ? { kind: "none" } : folderOutput(task.keep.dir) });
  return { figures: figuresOf(result.summary), runMs: performance.now() - started };
}
