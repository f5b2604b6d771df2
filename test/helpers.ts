import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { parseScenario } from "../src/scenario/parseScenario.ts";
import { type Scenario, type ScenarioOverrides } from "../src/scenario/Scenario.ts";

export const SEED_SCENARIO = "scenarios/backpressure.yaml";

/** The seed scenario with `edit` applied to its parsed YAML (for variations in tests). */
export function seedScenarioWith(edit: (doc: SeedDoc) => void, overrides: ScenarioOverrides = {}): Scenario {
  const doc = parseDocument(readFileSync(SEED_SCENARIO, "utf8")).toJS() as SeedDoc;
  edit(doc);
  return parseScenario("test.yaml", JSON.stringify(doc), overrides);
}

/** The parts of the seed scenario tests change. */
export interface SeedDoc {
  spec: { flinkConfiguration: Record<string, string>; job: { parallelism: number } };
  simulation: {
    duration?: string;
    seed?: number;
    sampleInterval?: string;
    job: { operators: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    operator?: { reconcileDuration?: unknown };
  };
}

/** The operator with `id` in a seed document. */
export function operator(doc: SeedDoc, id: string): Record<string, unknown> {
  const op = doc.simulation.job.operators.find((o) => o.id === id);
  if (op === undefined) throw new Error(`no operator ${id}`);
  return op;
}

/** stderr without the progress lines a run prints once it has taken a second of wall time (a loaded machine gets them, an idle one not). */
export function withoutProgress(stderr: string): string {
  return stderr.replace(/^\[sim\] .*\n/gm, "");
}
