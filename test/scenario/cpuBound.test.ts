import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";

/** scenarios/cpu-bound.yaml for 15 virtual minutes: its first two scale-ups and the evaluation after them. */
function run(variant: "detection-on" | "detection-off") {
  return runScenario(loadScenario("scenarios/cpu-bound.yaml", { variant, duration: "15min" })).files;
}

describe("scenarios/cpu-bound.yaml: a scale-up on a saturated node", () => {
  it("raises INEFFECTIVESCALING after 4 -> 8; with detection on, no further scale-up (the job stays at 8)", () => {
    const files = run("detection-on");
    const events = files["events.csv"]!.split("\n");
    const ineffective = events.filter((l) => l.includes(",IneffectiveScaling,"));
    expect(ineffective.length).toBeGreaterThanOrEqual(1);
    expect(ineffective[0]).toContain("Blocking of ineffective scaling decisions is enabled");
    expect(events.filter((l) => l.includes(",ScalingReport,")).map((l) => /Parallelism (\d+) -> (\d+)/.exec(l)![0])).toEqual(["Parallelism 2 -> 4", "Parallelism 4 -> 8"]);
  });

  it("with detection off logs the same event and scales on to 16 TaskManagers that buy nothing", () => {
    const events = run("detection-off")["events.csv"]!.split("\n");
    expect(events.some((l) => l.includes(",IneffectiveScaling,") && l.includes("is disabled"))).toBe(true);
    expect(events.filter((l) => l.includes(",ScalingReport,")).map((l) => /Parallelism (\d+) -> (\d+)/.exec(l)![0])).toEqual(["Parallelism 2 -> 4", "Parallelism 4 -> 8", "Parallelism 8 -> 16"]);
  });
});
