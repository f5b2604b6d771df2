import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

/** The seed scenario with constant restart phases, run for `duration`. */
function run(duration: string) {
  return runScenario(
    seedScenarioWith((d) => {
      d.simulation.duration = duration;
      (d.simulation as Record<string, unknown>).restart = { inPlace: { podStart: "12s", cancel: "1s", deploy: "1500ms", restore: "500ms" } };
    }),
  );
}

const mapParallelism = (r: ReturnType<typeof run>) => r.cluster.graph.vertices.find((v) => !v.isSource)!.parallelism;

describe("in-place rescale on Flink 1.18's adaptive scheduler", () => {
  // The first full metric window closes at 75 s (first sample after stabilization at 15 s,
  // plus 60 s) and the map goes 1 -> 2, which needs one new TaskManager pod (12 s).
  it("keeps the job RUNNING at the old parallelism while the pod starts", () => {
    const r = run("86s");
    expect(r.operator.restarts[0]!.decisionTimeMs).toBe(75_000);
    expect(r.cluster.getStatus()).toBe("RUNNING");
    expect(r.cluster.effectiveStatus()).toBe("RUNNING");
    expect(mapParallelism(r)).toBe(1);
  });

  it("restarts when the slot arrives (75 + 12 s), cancelling for 1 s", () => {
    const r = run("87500ms");
    expect(r.cluster.getStatus()).toBe("RESTARTING");
    expect(r.cluster.taskManagers).toBe(2);
  });

  it("is RUNNING at the new parallelism at 88 s, its tasks deploying and restoring for 2 s (effective status CREATED)", () => {
    const r = run("89s");
    expect(r.cluster.getStatus()).toBe("RUNNING");
    expect(r.cluster.effectiveStatus()).toBe("CREATED");
    expect(mapParallelism(r)).toBe(2);
    expect(r.operator.restarts[0]!.runningTimeMs).toBe(88_000);
    expect(r.operator.restarts[0]!.plan.phases).toEqual([
      { name: "pods", ms: 12_000 },
      { name: "cancel", ms: 1000 },
      { name: "resources", ms: 0 },
    ]);
    const after = run("91s");
    expect(after.cluster.effectiveStatus()).toBe("RUNNING");
  });

  it("lets the autoscaler measure 13 s: decision to the RUNNING timestamp, logged as PT13S", () => {
    const r = run("10m");
    const lines = r.operator.log.lines.map((l) => l.text).filter((t) => t.includes("Restart time used in scaling summary computation"));
    expect(lines[0]).toMatch(/: PT2M$/);
    expect(lines[1]).toMatch(/: PT13S$/);
  });
});
