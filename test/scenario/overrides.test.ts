import { describe, expect, it } from "vitest";
import { loadScenario, loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const load = (set: Record<string, string>, more: Parameters<typeof loadScenario>[1] = {}) => loadScenario(SEED_SCENARIO, { ...more, set });

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("no error");
}

describe("--set reaches the document (spec.* and simulation.* paths)", () => {
  it("sets simulation values, operators by id, and leaves them out of the Flink configuration", () => {
    const s = load({ "simulation.recordSize": "1kb", "simulation.job.operators[map].cost": "3s", "simulation.job.operators[source].source.rowsPerSecond": "20" });
    expect(s.recordSizeBytes).toBe(1024);
    expect(s.job.operators.find((o) => o.id === "map")!.cost).toEqual({ kind: "constant", value: 3000 });
    expect(s.job.operators.find((o) => o.id === "source")!.source).toMatchObject({ load: { profile: "constant", rate: 20 } });
    expect(Object.keys(s.flinkConfiguration).filter((k) => k.startsWith("simulation"))).toEqual([]);
  });

  it("takes flow mappings as YAML, numbers as numbers, and anything else as text", () => {
    const s = load({ "simulation.job.operators[1].cost": "{distribution: uniform, min: 1s, max: 3s}", "simulation.job.name": "Orders: v2" });
    expect(s.job.operators[1]!.cost).toEqual({ kind: "uniform", min: 1000, max: 3000 });
    expect(s.job.name).toBe("Orders: v2");
  });

  it("creates missing mappings on the way and wins over the variant's value", () => {
    const [on, off] = loadScenarioVariants(SEED_SCENARIO, { set: { "simulation.restart.inPlace.podStart": "5s", "job.autoscaler.restart.time-tracking.enabled": "true" } });
    for (const s of [on!, off!]) {
      expect(s.restart.inPlace.podStart).toEqual({ kind: "constant", value: 5000 });
      // a Flink key from --set wins over the variant's (tracking-off sets it false)
      expect(s.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"]).toBe("true");
    }
  });

  it("sets spec paths too (spec.job.parallelism)", () => {
    const s = load({ "spec.job.parallelism": "2" });
    expect(s.cluster.defaultParallelism).toBe(2);
  });

  it("does not change the document for the next variant or load", () => {
    load({ "simulation.recordSize": "1kb" });
    expect(load({}).recordSizeBytes).toBe(64);
  });

  it.each([
    ["simulation.job.operators[mapp].cost", "1s", "--set simulation.job.operators[mapp].cost: no entry of simulation.job.operators has the id 'mapp' (did you mean 'map'?); its ids: source, map, sink"],
    ["simulation.job.operators[3].cost", "1s", "--set simulation.job.operators[3].cost: simulation.job.operators has 3 entries, so no [3]"],
    ["simulation.recrdSize", "1kb", "simulation.recrdSize (from --set): unknown key 'recrdSize' (did you mean 'recordSize'?)"],
    ["simulation.recordSize", "lots", "simulation.recordSize (from --set): 'lots' is not a memory size"],
    ["simulation.recordSize.x", "1", "--set simulation.recordSize.x: simulation.recordSize is string \"64b\", not a mapping, so it has no 'x'"],
    ["simulation..x", "1", "--set simulation..x: '.x' is not a key"],
    ["simulation.job.operators[", "1", "--set simulation.job.operators[: a '[' without its ']'"],
    ["simulation", "1", "--set simulation: name a key inside it"],
    ["spec.flinkConfiguration.a", "1", "set a Flink key by its name alone"],
    ["metadata.name", "x", "the deployment's identity cannot be set"],
    ["simulation.variants.x", "1", "a variant cannot be changed from the command line"],
    ["simulation.job.operators[map].cost", "{distribution: uniform, min: 1s}", "simulation.job.operators[1].cost.max (from --set): expected a duration"],
  ])("refuses --set %s=%s with one line naming it", (key, value, message) => {
    const text = errorOf(() => load({ [key]: value }));
    expect(text).toContain(message);
    expect(text.startsWith(`${SEED_SCENARIO}: `)).toBe(true);
    expect(text).not.toContain("\n");
  });

  it("refuses simulation.seed and simulation.duration beside --seed and --duration", () => {
    expect(errorOf(() => load({ "simulation.seed": "3" }, { seed: 4 }))).toContain("--set simulation.seed: --seed sets it too");
    expect(errorOf(() => load({ "simulation.duration": "1h" }, { duration: "2h" }))).toContain("--set simulation.duration: --duration sets it too");
    expect(load({ "simulation.seed": "3", "simulation.duration": "20min" })).toMatchObject({ seed: 3, durationMs: 1_200_000 });
  });
});
