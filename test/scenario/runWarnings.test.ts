import { describe, expect, it } from "vitest";
import { bareDurationArgument, runWarnings } from "../../src/scenario/runWarnings.ts";

const MIN = 60_000;

/** A scenario's fields runWarnings reads: the autoscaler on, the Helm chart's 15 s reconcile interval. */
function scenario(conf: Record<string, string>, durationMs: number, reconcileIntervalMs = 15_000) {
  return { file: "s.yaml", flinkConfiguration: { "job.autoscaler.enabled": "true", ...conf }, durationMs, reconcileIntervalMs };
}

describe("bare numbers for --duration", () => {
  it("refuses a bare number with a hint, and lets a unit through", () => {
    expect(bareDurationArgument("--duration", "90")).toBe(
      "--duration 90 is 90 milliseconds (a bare number is ms in Flink's duration syntax): did you mean 90s? Write 90ms if you mean milliseconds",
    );
    expect(bareDurationArgument("--duration", " 0 ")).toMatch(/^--duration 0 is 0 milliseconds/);
    for (const ok of ["90s", "90ms", "1 min", "PT90S", "2h"]) expect(bareDurationArgument("--duration", ok)).toBeUndefined();
  });
});

describe("runs that make no autoscaler evaluation", () => {
  it("warns when the run ends before max(R, ceil(S / R) R) + W, with upstream's defaults (S 5 min, W 15 min)", () => {
    // ceil(300 / 15) x 15 s = 300 s, + 900 s: 20 min.
    expect(runWarnings(scenario({}, 20 * MIN))).toEqual([]);
    expect(runWarnings(scenario({}, 20 * MIN - 1))).toEqual([
      "s.yaml: the run (19m59.999s) ends before the autoscaler's first evaluation, at 20m at the earliest " +
        "(job.autoscaler.stabilization.interval 5m, then job.autoscaler.metrics.window 15m, on the 15s reconcile interval): run longer or shorten them",
    ]);
  });

  it("puts the first sample on the reconcile at or after stabilization, never before the first reconcile", () => {
    const first = (s: string, w: string, durationMs: number) => runWarnings(scenario({ "job.autoscaler.stabilization.interval": s, "job.autoscaler.metrics.window": w }, durationMs));
    // The seed's 5 s and 1 min: the first sample at 15 s, the first evaluation at 75 s (the seed's log, 17:01:15).
    expect(first("5s", "1m", 75_000)).toEqual([]);
    expect(first("5s", "1m", 74_999)[0]).toMatch(/at 1m15s at the earliest/);
    // 16 s: the reconcile at 30 s, then 60 s: 90 s.
    expect(first("16s", "1m", 89_999)[0]).toMatch(/at 1m30s at the earliest/);
    expect(first("16s", "1m", 90_000)).toEqual([]);
    // No stabilization: the first reconcile comes one interval after the start: 15 + 60 = 75 s.
    expect(first("0s", "1m", 74_999)[0]).toMatch(/at 1m15s at the earliest/);
    // A 60 s reconcile interval and 5 s: 60 + 60 = 120 s.
    expect(runWarnings(scenario({ "job.autoscaler.stabilization.interval": "5s", "job.autoscaler.metrics.window": "1m" }, 119_999, 60_000))[0]).toMatch(/at 2m at the earliest/);
  });

  it("warns that a window shorter than the reconcile interval never holds two samples", () => {
    expect(runWarnings(scenario({ "job.autoscaler.metrics.window": "14s" }, 24 * 60 * MIN))).toEqual([
      "s.yaml: the autoscaler will never evaluate: job.autoscaler.metrics.window (14s) is shorter than the reconcile interval (15s), so the window never holds the two samples it needs",
    ]);
    expect(runWarnings(scenario({ "job.autoscaler.metrics.window": "15s", "job.autoscaler.stabilization.interval": "0s" }, 30_000))).toEqual([]);
  });

  it("warns of an autoscaler duration under a second written as a bare number, under its key or a fallback key", () => {
    expect(runWarnings(scenario({ "job.autoscaler.metrics.window": "300", "job.autoscaler.stabilization.interval": "1m" }, 2 * 60 * MIN))).toEqual([
      "s.yaml: job.autoscaler.metrics.window: 300 is 300 ms (a bare number is milliseconds in Flink's syntax); did you mean 300s?",
      "s.yaml: the autoscaler will never evaluate: job.autoscaler.metrics.window (0.3s) is shorter than the reconcile interval (15s), so the window never holds the two samples it needs",
    ]);
    expect(runWarnings(scenario({ "kubernetes.operator.job.autoscaler.restart.time": "120" }, 2 * 60 * MIN))).toEqual([
      "s.yaml: kubernetes.operator.job.autoscaler.restart.time: 120 is 120 ms (a bare number is milliseconds in Flink's syntax); did you mean 120s?",
    ]);
    // 0 switches some off, and from a second on milliseconds may be meant.
    expect(runWarnings(scenario({ "job.autoscaler.scale-down.interval": "0", "job.autoscaler.restart.time": "120000" }, 2 * 60 * MIN))).toEqual([]);
  });

  it("says nothing when the autoscaler is off", () => {
    expect(runWarnings({ ...scenario({ "job.autoscaler.metrics.window": "300" }, 60_000), flinkConfiguration: { "job.autoscaler.metrics.window": "300" } })).toEqual([]);
  });
});
