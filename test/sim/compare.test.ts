import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { compare, meanWithInterval, tQuantile975 } from "../../src/record/comparison.ts";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { operator, SEED_SCENARIO, seedScenarioWith } from "../helpers.ts";

describe("variants", () => {
  it("resolve from simulation.variants, the seed scenario shipping tracking-on and tracking-off", () => {
    const variants = loadScenarioVariants(SEED_SCENARIO);
    expect(variants.map((v) => v.variant)).toEqual(["tracking-on", "tracking-off"]);
    expect(variants[0]!.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"]).toBe("true");
    expect(variants[1]!.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"]).toBe("false");
    expect(new Set(variants.map((v) => v.seed)).size).toBe(1);
    expect(() => loadScenarioVariants(SEED_SCENARIO, { variant: "traking-off" })).toThrow(/did you mean 'tracking-off'/);
  });

  it("share random numbers: a configuration change leaves the draws of untouched components as they were", () => {
    // Two variants differ only in restart.time; the restart model, costs and partitioner draw from their own streams.
    const make = (restartTime: string) =>
      runScenario(
        seedScenarioWith((d) => {
          d.simulation.duration = "40min";
          d.spec.flinkConfiguration["job.autoscaler.utilization.target"] = "0.5";
          d.spec.flinkConfiguration["job.autoscaler.utilization.max"] = "0.6";
          d.spec.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"] = "false";
          d.spec.flinkConfiguration["job.autoscaler.restart.time"] = restartTime;
          operator(d, "map").cost = { distribution: "lognormal", median: "1900ms", p95: "2300ms" };
        }),
      );
    const a = make("2m");
    const b = make("5m");
    const n = Math.min(a.operator.restarts.length, b.operator.restarts.length);
    expect(n).toBeGreaterThanOrEqual(2);
    // The k-th job restart draws the same cancel in both variants (restart/in-place/cancel).
    const cancels = (r: typeof a) => r.operator.restarts.flatMap((x) => x.plan.phases.filter((p) => p.name === "cancel").map((p) => p.ms));
    const k = Math.min(cancels(a).length, cancels(b).length);
    expect(k).toBeGreaterThanOrEqual(2);
    expect(cancels(b).slice(0, k)).toEqual(cancels(a).slice(0, k));
    // The pods and resources phases are waits for the new TaskManagers, each pod's start drawn in turn from
    // restart/in-place/podStart: as long as the rescales so far asked for the same parallelism (the same pods,
    // at the same times), the whole restart is the same. Once a target differs, so do the pods drawn for it.
    const same = (i: number) => {
      const [x, y] = [a.operator.restarts[i]!, b.operator.restarts[i]!];
      return x.decisionTimeMs === y.decisionTimeMs && [...x.parallelism].every(([id, p]) => y.parallelism.get(id) === p);
    };
    let i = 0;
    for (; i < n && same(i); i++) expect(b.operator.restarts[i]!.plan.phases).toEqual(a.operator.restarts[i]!.plan.phases);
    expect(i).toBeGreaterThanOrEqual(1);
    // Until the first decision the runs are the same record for record.
    const firstDecision = Math.min(a.operator.restarts[0]!.decisionTimeMs, b.operator.restarts[0]!.decisionTimeMs) / 1000;
    const before = (r: typeof a) => r.timeseries.rows.filter((x) => x.timeS <= firstDecision);
    expect(before(b)).toEqual(before(a));
    // ...and the configuration did change a decision figure.
    expect(b.operator.decisions[0]!.scaleDownThreshold).not.toBe(a.operator.decisions[0]!.scaleDownThreshold);
  });
});

describe("replications", () => {
  it("give confidence intervals that narrow about as 1/sqrt(N)", () => {
    const runs = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        runScenario(
          seedScenarioWith(
            (d) => {
              d.simulation.duration = "15min";
              d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
              operator(d, "map").parallelism = 3;
              operator(d, "sink").parallelism = 3;
              operator(d, "map").cost = { distribution: "exponential", mean: "400ms" };
            },
            { seed: 100 + i },
          ),
        ).summary.records_delivered_to_sinks,
      );
    const small = meanWithInterval(runs(4));
    const large = meanWithInterval(runs(16));
    // Expected ratio of half-widths: (t(3) / sqrt 4) / (t(15) / sqrt 16) = (3.182 / 2) / (2.131 / 4) = 2.99,
    // with the sample deviations varying around the same value.
    const expected = (tQuantile975(3) / 2) / (tQuantile975(15) / 4);
    const ratio = small.halfWidth / large.halfWidth;
    expect(ratio).toBeGreaterThan(expected / 2);
    expect(ratio).toBeLessThan(expected * 2);
    expect(Math.abs(small.mean - large.mean)).toBeLessThan(small.halfWidth + large.halfWidth);
  });

  it("compares variants paired by seed", () => {
    const summaries = (scale: number) => [10, 12, 14].map((x) => ({ ...fakeSummary(), records_delivered_to_sinks: x * scale }));
    const rows = compare([
      { variant: "a", seeds: [1, 2, 3], summaries: summaries(1) },
      { variant: "b", seeds: [1, 2, 3], summaries: summaries(2) },
    ]);
    const b = rows.find((r) => r.variant === "b" && r.figure === "records_processed")!;
    expect(b.mean).toBe(24);
    expect(b.diffMean).toBe(12); // pairs (20-10, 24-12, 28-14)
    expect(b.diffCi95).toBeCloseTo(tQuantile975(2) * 2 / Math.sqrt(3), 9); // deviation of (10, 12, 14) is 2
  });
});

function fakeSummary() {
  return runScenario(seedScenarioWith((d) => (d.simulation.duration = "1min"))).summary;
}
