import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { operator, SEED_SCENARIO, seedScenarioWith } from "../helpers.ts";

/** The seed job with randomness that matters: 4 map subtasks behind shuffle(), lognormal costs. */
const randomJob = (seed: number) =>
  seedScenarioWith(
    (d) => {
      d.simulation.duration = "20min";
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      operator(d, "map").parallelism = 4;
      operator(d, "sink").parallelism = 4;
      operator(d, "map").cost = { distribution: "lognormal", median: "300ms", p95: "900ms" };
    },
    { seed },
  );

describe("determinism", () => {
  it("gives byte-identical files for the same scenario and seed", () => {
    const a = runScenario(loadScenario(SEED_SCENARIO, { duration: "30min" }));
    const b = runScenario(loadScenario(SEED_SCENARIO, { duration: "30min" }));
    // Every file, the autoscaler's log and decisions included.
    expect(Object.keys(a.files).sort()).toEqual(["autoscaler.log", "configmap.yaml", "decisions.csv", "events.csv", "restarts.csv", "summary.json", "timeseries.csv"]);
    for (const name of Object.keys(a.files)) expect(b.files[name], name).toBe(a.files[name]);
    const c = runScenario(randomJob(7));
    const d = runScenario(randomJob(7));
    expect(d.files).toEqual(c.files);
  });

  it("changes what is random with another seed", () => {
    const a = runScenario(randomJob(7));
    const b = runScenario(randomJob(8));
    expect(b.files["timeseries.csv"]).not.toBe(a.files["timeseries.csv"]);
    // ...but not what is not random: the datagen source's schedule and the configuration.
    expect(b.summary.vertices.map((v) => v.parallelism)).toEqual(a.summary.vertices.map((v) => v.parallelism));
  });
});
