import { describe, expect, it } from "vitest";
import { buildSummary, type RunOutcome } from "../../src/record/summary.ts";
import type { TimeseriesRow } from "../../src/record/TimeseriesRecorder.ts";

/** A run of `samples` samples of one source vertex; busy ms/s and pending records given per sample. */
function run(samples: number, busy: (i: number) => number, pending: (i: number) => number, restartsMs: readonly number[] = []): RunOutcome {
  const rows: TimeseriesRow[] = Array.from({ length: samples }, (_, i) => ({
    timeS: (i + 1) * 10,
    vertex: "Source: k",
    parallelism: 1,
    recordsInPerS: 0,
    recordsOutPerS: 0,
    busyMsPerS: busy(i),
    backpressuredMsPerS: 0,
    idleMsPerS: 0,
    pendingRecords: pending(i),
    jobStatus: "RUNNING",
  }));
  return {
    scenario: "s",
    variant: "default",
    deployment: "d",
    seed: 1,
    startTime: "2024-05-16T17:00:00.000Z",
    durationMs: samples * 10_000,
    sampleIntervalMs: 10_000,
    taskManagers: 1,
    slotsPerTaskManager: 1,
    events: 0,
    vertices: [{ id: "v", name: "Source: k", isSource: true, isSink: false, parallelism: 1, maxParallelism: 1, recordsIn: 0, recordsOut: 0, busyMs: 1, backPressuredMs: 0, idleMs: 0 }],
    timeseries: rows,
    flinkConfiguration: {},
    warnings: [],
    slotHours: 0,
    autoscaling: {
      evaluations: 0,
      scalings: restartsMs.length,
      restarts: restartsMs.map((ms, i) => ({ decisionTimeMs: i, actualMs: ms, restartTimeUsedMs: 0, kind: "in-place" })),
      restartTimesUsedMs: [],
      lastRescaleRunningMs: null,
      events: 0,
    },
  };
}

describe("summary.json of long runs", () => {
  it("takes maxima over a million samples and restarts (a run of 115 virtual days at 10 s) without spreading them into Math.max", () => {
    const n = 1_000_000;
    // busy peaks at sample 777,777 (999), pending records at sample 123,456 (n + 5)
    const s = buildSummary(run(n, (i) => (i === 777_777 ? 999 : i % 500), (i) => (i === 123_456 ? n + 5 : i)));
    expect(s.vertices[0]!.max_busy_ms_per_s).toBe(999);
    expect(s.lag_max).toBe(n + 5);
    // 300,000 restarts, the last and longest 61.5 s
    const restarts = Array.from({ length: 300_000 }, (_, i) => (i === 299_999 ? 61_500 : 12_000));
    expect(buildSummary(run(10, () => 0, () => 0, restarts)).autoscaling.restart_actual_max_s).toBe(61.5);
  });

  it("reports no busy maximum for a vertex whose busy time Flink reports as NaN (a legacy source)", () => {
    expect(buildSummary(run(100, () => NaN, () => 0)).vertices[0]!.max_busy_ms_per_s).toBeNull();
  });
});
