import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InitError, missingSimulationMessage, simulationSkeleton } from "../../src/scenario/initSkeleton.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const example = readFileSync(new URL("../fixtures/operator/autoscaling.yaml", import.meta.url), "utf8");

describe("init: a simulation: skeleton for a FlinkDeployment", () => {
  it("appends a skeleton that loads and runs as written (the operator's own example, nested configuration)", () => {
    const text = simulationSkeleton(example, "autoscaling.yaml");
    expect(text.startsWith(example.trimEnd())).toBe(true);
    const scenario = parseScenario("autoscaling.yaml", text, { duration: "10m" });
    expect(scenario.flinkConfiguration["job.autoscaler.enabled"]).toBe("true");
    const run = runScenario(scenario, { output: { kind: "none" } });
    expect(run.summary).toBeDefined();
  }, 60_000);

  it("refuses what is no FlinkDeployment, or already has simulation:", () => {
    expect(() => simulationSkeleton("kind: ConfigMap\n", "cm.yaml")).toThrow(InitError);
    expect(() => simulationSkeleton(readFileSync("scenarios/backpressure.yaml", "utf8"), "b.yaml")).toThrow(/^b\.yaml: already has a simulation: block$/);
  });

  it("the missing-simulation message is one line naming init and import", () => {
    const m = missingSimulationMessage("d.yaml");
    expect(m).not.toContain("\n");
    expect(m).toContain("npm run sim -- init d.yaml");
    expect(m).toContain("npm run sim -- import");
  });
});
