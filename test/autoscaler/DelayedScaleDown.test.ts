// Port of upstream's DelayedScaleDownTest and AutoScalerUtilsTest (flink-autoscaler, release-1.15.0).
import { describe, expect, it } from "vitest";
import { VERTEX_EXCLUDE_IDS } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { DelayedScaleDown, RecommendedParallelism, type VertexDelayedScaleDownInfo } from "../../src/autoscaler/DelayedScaleDown.ts";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import {
  computeBaselineProcessingRate,
  excludeVertexFromScaling,
  excludeVerticesFromScaling,
  getTargetProcessingCapacity,
  optimizeLinearScalingCoefficient,
} from "../../src/autoscaler/utils/AutoScalerUtils.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { newJobVertexID, SECOND } from "./testing.ts";

const vertex = newJobVertexID();
const instant = Date.parse("2024-05-16T17:00:00Z");
const plus = (s: number) => instant + s * SECOND;

function assertInfo(info: VertexDelayedScaleDownInfo, expectedTriggerTime: number, expectedMax: RecommendedParallelism, windowStartTime: number) {
  expect(info.getFirstTriggerTime()).toBe(expectedTriggerTime);
  expect(info.getMaxRecommendedParallelism(windowStartTime)).toEqual(expectedMax);
}

describe("DelayedScaleDownTest", () => {
  it("testWrongWindowStartTime", () => {
    const d = new DelayedScaleDown();
    const info = d.triggerScaleDown(vertex, instant, 5, true);
    assertInfo(info, instant, new RecommendedParallelism(instant, 5, true), instant);
    expect(() => info.getMaxRecommendedParallelism(plus(1))).toThrow(/should be called after triggering a scale down/);
  });

  it("testMaxRecommendedParallelismForInitialWindow", () => {
    const d = new DelayedScaleDown();
    expect(d.isUpdated()).toBe(false);
    d.triggerScaleDown(vertex, instant, 5, true);
    d.triggerScaleDown(vertex, plus(1), 9, false);
    d.triggerScaleDown(vertex, plus(2), 4, true);
    d.triggerScaleDown(vertex, plus(3), 5, true);
    const info = d.triggerScaleDown(vertex, plus(4), 6, true);
    assertInfo(info, instant, new RecommendedParallelism(plus(1), 9, false), instant); // [5, 9, 4, 5, 6] -> 9
    assertInfo(info, instant, new RecommendedParallelism(plus(1), 9, false), plus(1)); // 5, [9, 4, 5, 6] -> 9
    assertInfo(info, instant, new RecommendedParallelism(plus(4), 6, true), plus(2)); // 5, 9, [4, 5, 6] -> 6
    assertInfo(info, instant, new RecommendedParallelism(plus(4), 6, true), plus(3));
    assertInfo(info, instant, new RecommendedParallelism(plus(4), 6, true), plus(4));
  });

  it("testMaxRecommendedParallelismForSlidingWindow", () => {
    const d = new DelayedScaleDown();
    expect(d.isUpdated()).toBe(false);
    assertInfo(d.triggerScaleDown(vertex, instant, 5, true), instant, new RecommendedParallelism(instant, 5, true), instant);
    assertInfo(d.triggerScaleDown(vertex, plus(1), 8, false), instant, new RecommendedParallelism(plus(1), 8, false), instant);
    assertInfo(d.triggerScaleDown(vertex, plus(2), 6, true), instant, new RecommendedParallelism(plus(1), 8, false), instant);
    assertInfo(d.triggerScaleDown(vertex, plus(3), 4, true), instant, new RecommendedParallelism(plus(1), 8, false), instant);
    assertInfo(d.triggerScaleDown(vertex, plus(4), 3, true), instant, new RecommendedParallelism(plus(1), 8, false), plus(1));
    assertInfo(d.triggerScaleDown(vertex, plus(5), 3, true), instant, new RecommendedParallelism(plus(2), 6, true), plus(2));
    assertInfo(d.triggerScaleDown(vertex, plus(6), 3, true), instant, new RecommendedParallelism(plus(3), 4, true), plus(3));
    const info = d.triggerScaleDown(vertex, plus(7), 3, true);
    for (let offset = 4; offset <= 7; offset++) assertInfo(info, instant, new RecommendedParallelism(plus(7), 3, true), plus(offset));
    assertInfo(d.triggerScaleDown(vertex, plus(9), 9, false), instant, new RecommendedParallelism(plus(9), 9, false), plus(7));
  });

  it("testTriggerUpdateAndClean", () => {
    const d = new DelayedScaleDown();
    expect(d.isUpdated()).toBe(false);
    assertInfo(d.triggerScaleDown(vertex, instant, 5, true), instant, new RecommendedParallelism(instant, 5, true), instant);
    expect(d.isUpdated()).toBe(true);
    assertInfo(d.triggerScaleDown(vertex, plus(5), 3, true), instant, new RecommendedParallelism(instant, 5, true), instant);
    assertInfo(d.triggerScaleDown(vertex, plus(10), 8, true), instant, new RecommendedParallelism(plus(10), 8, true), instant);
    d.clearVertex(vertex);
    expect(d.getDelayedVertices().size).toBe(0);
    assertInfo(d.triggerScaleDown(vertex, plus(15), 4, true), plus(15), new RecommendedParallelism(plus(15), 4, true), instant);
    d.clearAll();
    expect(d.getDelayedVertices().size).toBe(0);
    assertInfo(d.triggerScaleDown(vertex, plus(16), 2, true), plus(16), new RecommendedParallelism(plus(16), 2, true), instant);
  });
});

describe("AutoScalerUtilsTest", () => {
  it("testVertexExclusion", () => {
    const conf = new Configuration();
    const [v1, v2, v3] = [newJobVertexID(), newJobVertexID(), newJobVertexID()];
    expect(excludeVertexFromScaling(conf, v1)).toBe(true);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toEqual([v1]);
    expect(excludeVertexFromScaling(conf, v1)).toBe(false);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toEqual([v1]);
    expect(excludeVerticesFromScaling(conf, [v1, v2, v3])).toBe(true);
    expect(new Set(conf.get(VERTEX_EXCLUDE_IDS))).toEqual(new Set([v1, v2, v3]));
    expect(excludeVerticesFromScaling(conf, [v1, v2])).toBe(false);
    expect(new Set(conf.get(VERTEX_EXCLUDE_IDS))).toEqual(new Set([v1, v2, v3]));
  });
});

// Cases upstream's tests leave open in AutoScalerUtils; expected values from its formulas, by hand.
describe("AutoScalerUtils beyond upstream's tests", () => {
  const metrics = (tpr: number) => new Map<ScalingMetric, EvaluatedScalingMetric>([["TRUE_PROCESSING_RATE", EvaluatedScalingMetric.avg(tpr)]]);
  const summary = (p: number, tpr: number) => new ScalingSummary(p, p + 1, metrics(tpr));

  it("the baseline rate is per subtask at the smallest parallelism, the latest of equals, and NaN without history", () => {
    expect(computeBaselineProcessingRate(new TreeMap())).toBeNaN();
    // Parallelism 2 twice, then 4: the later parallelism-2 summary, 300 / 2.
    const h = new TreeMap<ScalingSummary>([
      [plus(0), summary(2, 100)],
      [plus(1), summary(2, 300)],
      [plus(2), summary(4, 1000)],
    ]);
    expect(computeBaselineProcessingRate(h)).toBe(150);
    // A parallelism-1 summary is the baseline as it is, the latest one.
    h.put(plus(3), summary(1, 70));
    h.put(plus(4), summary(1, 80));
    expect(computeBaselineProcessingRate(h)).toBe(80);
  });

  it("the target capacity is unknown without a catch-up rate (not Math.round(NaN) = 0)", () => {
    const m = new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(NaN)],
      ["TARGET_DATA_RATE", EvaluatedScalingMetric.avg(100)],
    ]);
    expect(getTargetProcessingCapacity(m, new Configuration(), 0.5, true, 0)).toBeNaN();
    // With one: 0 + 100 x 0 s / 1800 s + 100 / 0.5 = 200.
    m.set("CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(0));
    expect(getTargetProcessingCapacity(m, new Configuration(), 0.5, true, 0)).toBe(200);
  });

  it("the coefficient is 1 when nothing can be fitted", () => {
    expect(optimizeLinearScalingCoefficient([], [], 10, 1, 0.5)).toBe(1);
    // sum(p x r) / (sum(p^2) x baseline) = (1 x 10 + 2 x 15) / (5 x 10) = 0.8, within [0.5, 1].
    expect(optimizeLinearScalingCoefficient([1, 2], [10, 15], 10, 1, 0.5)).toBe(0.8);
  });
});
