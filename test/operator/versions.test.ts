import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith, type SeedDoc } from "../helpers.ts";

/** The seed scenario on `version` with constant restart phases and `conf` added, run for `duration`. */
function run(version: string, duration: string, conf: Record<string, string> = {}, edit: (d: SeedDoc) => void = () => {}) {
  return runScenario(
    seedScenarioWith((d) => {
      (d.spec as Record<string, unknown>).flinkVersion = version;
      Object.assign(d.spec.flinkConfiguration, conf);
      d.simulation.duration = duration;
      (d.simulation as Record<string, unknown>).restart = { inPlace: { podStart: "12s", cancel: "1s", deploy: "1500ms", restore: "500ms" } };
      edit(d);
    }),
  );
}

// On 1.18 (test/operator/rescaleInPlace.test.ts) the map goes 1 -> 2 at 75 s, its new pod
// arrives at 87 s, the job restarts at once and is RUNNING again at 88 s.
describe("the adaptive scheduler's rescale path by spec.flinkVersion", () => {
  it("1.19: with scaling-interval.min 2m, Executing's first look (scheduled when the job started, at 0 + 120 s) restarts it: RUNNING at 121 s", () => {
    const r = run("v1_19", "4m", { "jobmanager.adaptive-scheduler.scaling-interval.min": "2m" });
    const first = r.operator.restarts[0]!;
    expect(first.decisionTimeMs).toBe(75_000);
    expect(first.runningTimeMs).toBe(121_000);
    // From the decision to the restart: the pod, there at 87 s (12 s), then the cooldown's gate
    // until 120 s (33 s).
    expect(first.plan.phases.slice(0, 3)).toEqual([
      { name: "pods", ms: 12_000 },
      { name: "gate", ms: 33_000 },
      { name: "cancel", ms: 1000 },
    ]);
  });

  it("1.19 with the default 30 s cooldown behaves as 1.18 here (75 s is past it): RUNNING at 88 s", () => {
    const r = run("v1_19", "3m");
    expect(r.operator.restarts[0]!.runningTimeMs).toBe(88_000);
  });

  it("2.0 without checkpointing (rescale-trigger.max-delay 0): rescales when the pod brings the desired slots, RUNNING at 88 s", () => {
    const r = run("v2_0", "3m");
    expect(r.operator.restarts[0]!.decisionTimeMs).toBe(75_000);
    expect(r.operator.restarts[0]!.runningTimeMs).toBe(88_000);
  });

  it("2.0 with checkpoints every 30 s: rescales when the first checkpoint after the pod (87 s) completes", () => {
    const r = run("v2_0", "4m", { "execution.checkpointing.interval": "30s" }, (d) => {
      (d.simulation as Record<string, unknown>).state = { checkpointDuration: "1s" };
    });
    const restart = r.operator.restarts[0]!;
    expect(restart.decisionTimeMs).toBe(75_000);
    const completions = r.cluster.checkpoints!.completed;
    const trigger = completions.find((t) => t > 87_000)!;
    expect(trigger).toBeGreaterThan(87_000);
    expect(trigger).toBeLessThanOrEqual(87_000 + 30_000 + 1000);
    expect(restart.runningTimeMs).toBe(trigger + 1000);
    // restarts.csv's phases: the pod (12 s), then the wait for that checkpoint, not more pods.
    expect(restart.plan.phases.slice(0, 2)).toEqual([
      { name: "pods", ms: 12_000 },
      { name: "gate", ms: trigger - 87_000 },
    ]);
  });

  it("gates in-place scaling at >= 1.18 for every newer version too", () => {
    for (const v of ["v1_19", "v1_20", "v2_0", "v2_1", "v2_2"]) expect(run(v, "3m").operator.restarts[0]!.kind).toBe("in-place");
    expect(run("v1_17", "3m").operator.restarts[0]!.kind).toBe("redeploy");
  });
});
