import { describe, expect, it } from "vitest";
import { runScenario, ScenarioRun } from "../../src/run/runScenario.ts";
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

/**
 * New overrides while an in-place rescale is pending. The autoscaler's own decisions are
 * switched off (scaling.enabled false) and overrides are put in its state store by hand, as
 * ScalingExecutor stores them: each reconcile's JobAutoScalerImpl#applyParallelismOverrides
 * hands them to the realizer. Pods start in 20 s; one slot per TaskManager.
 */
describe("new overrides during a pending in-place rescale (operator release-1.15.0, NativeFlinkService#scale)", () => {
  function pendingRun() {
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "3m";
      d.spec.flinkConfiguration["job.autoscaler.scaling.enabled"] = "false";
      (d.simulation as Record<string, unknown>).restart = { inPlace: { podStart: "20s", cancel: "1s", deploy: "1500ms", restore: "500ms" } };
    });
    const run = new ScenarioRun(scenario);
    const map = run.cluster.graph.vertices.find((v) => !v.isSource)!.id;
    const jobKey = run.operator.resource.jobKey;
    const store = (p: number) => run.operator.stateStore.storeParallelismOverrides({ getJobKey: () => jobKey } as never, new Map([[map, String(p)]]));
    const parallelism = () => run.cluster.graph.vertices.find((v) => v.id === map)!.parallelism;
    return { run, store, parallelism };
  }

  // Reconciles at 15, 30, ... s. Overrides map: 2 stored at 70 s are realized at 75 s: one new
  // pod (75 + 20 = 95 s). map: 3 stored at 80 s are realized at 90 s, while the job still runs
  // at 1: the PUT raises the upper bound to 3, the ResourceManager asks for one more pod
  // (90 + 20 = 110 s). At 95 s the first pod's slot lets the map grow (1.18: at once): cancel
  // 1 s, then 2 slots of the 3 desired, so the resource-stabilization-timeout (10 s) runs:
  // RUNNING at 106 s with 2. At 110 s the second pod: restart, cancel 1 s, all 3 slots:
  // RUNNING at 111 s with 3. The first rescale never gets a RUNNING timestamp of its own.
  it("applies them at once: the job goes 1 -> 2 (106 s) -> 3 (111 s) with the pods both requests asked for", () => {
    const { run, store, parallelism } = pendingRun();
    run.advance(70_000);
    store(2);
    run.advance(80_000);
    store(3);
    run.advance(94_000);
    expect(parallelism()).toBe(1);
    expect(run.cluster.getStatus()).toBe("RUNNING");
    run.advance(108_000);
    expect(parallelism()).toBe(2);
    expect(run.cluster.taskManagers).toBe(2);
    run.advance(112_000);
    expect(parallelism()).toBe(3);
    expect(run.cluster.taskManagers).toBe(3);
    const [first, second] = run.operator.restarts;
    expect(run.operator.restarts).toHaveLength(2);
    expect(first!.decisionTimeMs).toBe(75_000);
    expect(first!.runningTimeMs).toBeNull();
    expect(second!.decisionTimeMs).toBe(90_000);
    expect(second!.runningTimeMs).toBe(111_000);
    expect(second!.restarts).toBe(2);
  });

  // map: 2 realized at 75 s (pod at 95 s); map: 1 again at 90 s: the PUT lowers the upper
  // bound back to what runs, Executing has nothing to change, the pod not yet started is
  // released, and the job never restarts.
  it("takes back a pending scale-up without a restart when they return to what the job runs with", () => {
    const { run, store, parallelism } = pendingRun();
    run.advance(70_000);
    store(2);
    run.advance(80_000);
    store(1);
    run.advance(120_000);
    expect(parallelism()).toBe(1);
    expect(run.cluster.taskManagers).toBe(1);
    expect(run.operator.taskManagerTimeline.map(([, n]) => n)).toEqual([1]);
    expect(run.operator.restarts.map((r) => r.restarts)).toEqual([0, 0]);
  });
});
