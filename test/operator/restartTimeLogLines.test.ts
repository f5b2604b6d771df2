import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

// Upstream release-1.15.0 reads the tracked restart time twice per reconcile that evaluates:
// JobAutoScalerImpl#runScalingLogic before evaluate (l. 205) and ScalingExecutor#scaleResource
// (l. 106), which runs only once the window is fully collected. With tracking on, each read
// logs "Maximum tracked restart time" (ScalingTracking#getMaxRestartTimeOrDefault). The
// simulator's recording tap reads it too, and must not add a line.
describe("the 'Maximum tracked restart time' DEBUG line", () => {
  const log = runScenario(
    seedScenarioWith((d) => {
      d.simulation.duration = "40min";
    }, { variant: "tracking-on" }),
  ).files["autoscaler.log"]!;
  const count = (text: string) => log.split("\n").filter((l) => l.includes(text)).length;

  it("appears once per evaluation plus once per run of the scaling executor", () => {
    const evaluations = count("Evaluated metrics: ");
    const executorRuns = count("Restart time used in scaling summary computation: ");
    expect(evaluations).toBeGreaterThan(executorRuns);
    expect(executorRuns).toBeGreaterThan(10);
    expect(count("Maximum tracked restart time: ")).toBe(evaluations + executorRuns);
  });
});
