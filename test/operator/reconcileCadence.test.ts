import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

/** Virtual ms of each reconcile: every reconcile logs the metric evaluator's restart-time line or collects metrics once. */
function reconcileTimes(reconcileDuration: unknown): number[] {
  const result = runScenario(
    seedScenarioWith((d) => {
      d.simulation.duration = "3min";
      d.simulation.operator = { reconcileDuration };
    }),
  );
  const start = result.cluster.options.startEpochMs;
  const times = result.operator.log.lines.map((l) => l.timeMs - start);
  return [...new Set(times)];
}

describe("the operator's reconcile cadence (the next reconcile an interval after the previous one ends)", () => {
  it("with a constant 300 ms reconcile, reconciles at 15 s, then every 15.3 s", () => {
    // Hand computation: first at the interval (15,000 ms), then +15,000 + 300 each time.
    expect(reconcileTimes("300ms").slice(0, 5)).toEqual([15_000, 30_300, 45_600, 60_900, 76_200]);
  });

  it("with a zero-length reconcile, every 15 s exactly", () => {
    expect(reconcileTimes("0ms").slice(0, 4)).toEqual([15_000, 30_000, 45_000, 60_000]);
  });

  it("with the seed's calibration (median 210 ms), six periods take 91.2 s give or take the seed's spread (its log: 91.20, 91.31, 91.41 s)", () => {
    // Calibrated on the seed's gaps: this checks the wiring and the distribution, not a prediction.
    const times = reconcileTimes({ distribution: "lognormal", median: "210ms", p95: "240ms" });
    const sixPeriods = times[6]! - times[0]!;
    expect(sixPeriods).toBeGreaterThanOrEqual(6 * 15_150);
    expect(sixPeriods).toBeLessThanOrEqual(6 * 15_260);
  });

  it("by default (0 ms for now), every 15 s as before", () => {
    expect(reconcileTimes(undefined).slice(0, 3)).toEqual([15_000, 30_000, 45_000]);
  });
});
