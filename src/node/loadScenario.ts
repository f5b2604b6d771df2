import { readFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { parseScenario, parseScenarioVariants } from "../scenario/parseScenario.ts";
import { ScenarioError } from "../scenario/ScenarioError.ts";
import type { ScenarioFiles } from "../scenario/ScenarioFiles.ts";
import type { Scenario, ScenarioOverrides } from "../scenario/Scenario.ts";

/** Files named by a scenario, read from the disk relative to the scenario's folder. */
export const DISK_SCENARIO_FILES: ScenarioFiles = {
  read(scenarioFile, name) {
    const path = resolvePath(dirname(scenarioFile), name);
    try {
      return { text: readFileSync(path, "utf8") };
    } catch {
      return { error: `looked for ${path}` };
    }
  },
};

function readScenarioText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ScenarioError(file, "", code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a scenario file" : `cannot be read (${code})`);
  }
}

/** Reads, parses and validates a scenario file; every problem is a ScenarioError. */
export function loadScenario(file: string, overrides: ScenarioOverrides = {}): Scenario {
  return parseScenario(file, readScenarioText(file), overrides, DISK_SCENARIO_FILES);
}

/** Every variant of a scenario file, each resolved (the same seed for all: common random numbers). */
export function loadScenarioVariants(file: string, overrides: ScenarioOverrides = {}): Scenario[] {
  return parseScenarioVariants(file, readScenarioText(file), overrides, DISK_SCENARIO_FILES);
}
