// Ports of upstream's DateTimeUtilsTest and ResourceCheckUtilsTest (flink-autoscaler, release-1.15.0).
import { describe, expect, it } from "vitest";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import { readable } from "../../src/autoscaler/utils/DateTimeUtils.ts";
import { estimateNumTaskSlotsAfterRescale } from "../../src/autoscaler/utils/ResourceCheckUtils.ts";
import { newJobVertexID } from "./testing.ts";

describe("DateTimeUtilsTest", () => {
  it("testConvertInstantToReadableFormat", () => {
    expect(readable(1702456327000, "Asia/Shanghai")).toBe("2023-12-13 16:32:07");
    expect(readable(1702456327000, "Europe/Berlin")).toBe("2023-12-13 09:32:07");
    expect(readable(1702456327000)).toBe("2023-12-13 08:32:07");
  });

  it("formats UTC the same through its fast path as through the zone database", () => {
    // Etc/UTC takes the Intl path; UTC the toISOString one. Leap day, year end, epoch, a millisecond before a second.
    for (const ms of [0, 951_782_400_000, 1_704_067_199_999, 1_702_456_327_000]) {
      expect(readable(ms)).toBe(readable(ms, "Etc/UTC"));
    }
  });

  it("formats UTC the same within a day as across days, in any order (it reuses the day it printed last)", () => {
    let seed = 99;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const times = [86_399_999, 86_400_000, 253_402_300_799_999, 1_715_878_815_000, 1_715_878_830_000, 1_715_904_000_000];
    for (let i = 0; i < 2000; i++) times.push(Math.floor(next() * 253_402_000_000_000), times[times.length - 1]! + Math.floor(next() * 100_000_000));
    for (const ms of times) {
      const iso = new Date(ms).toISOString();
      expect(readable(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
    }
  });
});

describe("ResourceCheckUtilsTest", () => {
  it("testEstimateNumTaskSlotsAfterRescale", () => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const [sourceParallelism, sinkParallelism] = [2, 3];
    const metrics = new Map<string, Map<ScalingMetric, EvaluatedScalingMetric>>([
      [source, new Map([["PARALLELISM", EvaluatedScalingMetric.of(sourceParallelism)]])],
      [sink, new Map([["PARALLELISM", EvaluatedScalingMetric.of(sinkParallelism)]])],
    ]);
    const summaries = new Map([[source, new ScalingSummary(sourceParallelism, 7, new Map())]]);
    // Slot sharing: the largest parallelism.
    expect(estimateNumTaskSlotsAfterRescale(metrics, summaries, Math.max(sourceParallelism, sinkParallelism))).toBe(7);
    // No slot sharing: the sum.
    expect(estimateNumTaskSlotsAfterRescale(metrics, summaries, sourceParallelism + sinkParallelism)).toBe(10);
    // Partly shared: assumed not shared.
    expect(estimateNumTaskSlotsAfterRescale(metrics, summaries, sourceParallelism + sinkParallelism - 1)).toBe(10);
  });
});
