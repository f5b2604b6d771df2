import { describe, expect, it } from "vitest";
import { buildSummary, type RunOutcome } from "../../src/record/summary.ts";
import type { TimeseriesRow } from "../../src/record/TimeseriesRecorder.ts";
import { TimeseriesStats } from "../../src/record/TimeseriesStats.ts";

/** The rows fed sample by sample, as the run does (one vertex: one row per sample). */
function statsOf(rows: readonly TimeseriesRow[]): TimeseriesStats {
  const stats = new TimeseriesStats();
  for (const r of rows) stats.addSample([r]);
  return stats;
}

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
    execution: "record",
    taskManagers: 1,
    slotsPerTaskManager: 1,
    events: 0,
    vertices: [{ id: "v", name: "Source: k", isSource: true, isSink: false, parallelism: 1, maxParallelism: 1, recordsIn: 0, recordsOut: 0, lastOperatorRecordsIn: 0, busyMs: 1, backPressuredMs: 0, idleMs: 0, parallelismLimit: { value: 1, by: "its max parallelism" } }],
    timeseries: statsOf(rows),
    flinkConfiguration: {},
    warnings: [],
    slotHours: 0,
    cost: { taskManagerHours: 0, taskManager: { cores: 1, memoryBytes: 1 }, jobManager: { cores: 1, memoryBytes: 1, replicas: 1 }, prices: undefined },
    autoscalerOff: null,
    autoscaling: {
      evaluations: 0,
      scalings: restartsMs.length,
      restarts: restartsMs.map((ms, i) => ({ decisionTimeMs: i, actualMs: ms, untilProcessingMs: ms + 2000, restartTimeUsedMs: 0, kind: "in-place" })),
      restartTimeUsedFirstMs: null,
      restartTimeUsedLastMs: null,
      scaleUps: 0,
      scaleDowns: 0,
      events: 0,
      restartTimeExplanations: [],
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

describe("TimeseriesStats", () => {
  const row = (vertex: string, busy: number, pending: number | undefined): TimeseriesRow => ({
    timeS: 10,
    vertex,
    parallelism: 1,
    recordsInPerS: 0,
    recordsOutPerS: 0,
    busyMsPerS: busy,
    backpressuredMsPerS: 0,
    idleMsPerS: 0,
    pendingRecords: pending,
    jobStatus: "RUNNING",
  });

  it("sums pending records over the vertices of a sample and averages over the samples that report any", () => {
    const stats = new TimeseriesStats();
    stats.addSample([row("a", 1, 10), row("b", 2, 5)]); // 15
    stats.addSample([row("a", 1, undefined), row("b", 2, undefined)]); // no report: not a sample of lag
    stats.addSample([row("a", 1, 0), row("b", 2, 30)]); // 30
    stats.addSample([row("a", 1, 3), row("b", 2, undefined)]); // 3
    // (15 + 30 + 3) / 3 = 16, max 30
    expect(stats.lag()).toEqual({ max: 30, mean: 16 });
  });

  it("gives lag in seconds of production: pending over the producers' rate at the sample, and the time above 60 s", () => {
    // 100 records/s produced until t = 20 s, 50 records/s after.
    const stats = new TimeseriesStats((t) => (t < 20_000 ? 100 : 50));
    const at = (timeS: number, pending: number | undefined) => ({ ...row("k", 0, pending), timeS });
    stats.addSample([at(10, 5000)]); // 50 s
    stats.addSample([at(20, 4000)]); // 80 s (50/s from t = 20 s)
    stats.addSample([at(30, undefined)]); // not a sample of lag
    stats.addSample([at(40, 7000)]); // 140 s
    const lag = stats.lagSeconds()!;
    expect(lag.max).toBe(140);
    expect(lag.mean).toBeCloseTo((50 + 80 + 140) / 3, 12);
    expect(lag.samplesAbove).toBe(2);
    // Without producers (datagen) there are no seconds to give.
    const none = new TimeseriesStats();
    none.addSample([at(10, 5000)]);
    expect(none.lagSeconds()).toBeNull();
  });

  it("counts samples at each parallelism and the highest parallelism per vertex", () => {
    const stats = new TimeseriesStats();
    for (const p of [1, 1, 2, 4, 4, 4, 2]) stats.addSample([{ ...row("m", 0, undefined), parallelism: p }]);
    expect(stats.samplesAtParallelism("m")).toEqual([
      [1, 2],
      [2, 2],
      [4, 3],
    ]);
    expect(stats.maxParallelism("m")).toBe(4);
    expect(stats.maxParallelism("other")).toBe(0);
  });

  it("keeps each vertex's highest busy time, skipping NaN; 0 for a vertex never sampled", () => {
    const stats = new TimeseriesStats();
    stats.addSample([row("a", NaN, undefined), row("b", 700, undefined)]);
    stats.addSample([row("a", 250, undefined), row("b", NaN, undefined)]);
    stats.addSample([row("a", 100, undefined), row("b", 699, undefined)]);
    expect(stats.maxBusyMsPerS("a")).toBe(250);
    expect(stats.maxBusyMsPerS("b")).toBe(700);
    expect(stats.maxBusyMsPerS("c")).toBe(0);
    expect(stats.lag()).toBeNull();
  });
});

describe("restart-time explanations in summary.json", () => {
  it("counts every explained scaling by cause and keeps the words of the first 20 and of the last evaluation", () => {
    const base = run(10, () => 0, () => 0);
    const explanation = (scaling: number | null, cause: "tracking-disabled" | "longest-recorded") => ({ scaling, time_s: 0, used_s: 120, actual_s: 10, actual_scaling: 1, cause, text: "t" });
    const many = [...Array.from({ length: 25 }, (_, i) => explanation(i + 1, i < 24 ? "tracking-disabled" : "longest-recorded")), explanation(null, "tracking-disabled")];
    const s = buildSummary({ ...base, autoscaling: { ...base.autoscaling, restartTimeExplanations: many } });
    expect(s.autoscaling.restart_time_explanation_causes).toEqual({ "tracking-disabled": 24, "longest-recorded": 1 });
    expect(s.autoscaling.restart_time_explanations.map((e) => e.scaling)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), null]);
  });
});
