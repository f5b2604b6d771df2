// Port of upstream's JobVertexScalerTest (flink-autoscaler, release-1.15.0): same inputs, same expected outputs.
import { beforeEach, describe, expect, it } from "vitest";
import {
  CATCH_UP_DURATION,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  OBSERVED_SCALABILITY_ENABLED,
  OBSERVED_SCALABILITY_MIN_OBSERVATIONS,
  RESTART_TIME,
  SCALE_DOWN_INTERVAL,
  SCALING_EFFECTIVENESS_DETECTION_ENABLED,
  SCALING_EVENT_INTERVAL,
  SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE,
  UTILIZATION_TARGET,
  VERTEX_MAX_PARALLELISM,
  VERTEX_MIN_PARALLELISM,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { DelayedScaleDown } from "../../src/autoscaler/DelayedScaleDown.ts";
import type { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import {
  INEFFECTIVE_SCALING,
  ineffectiveMessage,
  JobVertexScaler,
  ParallelismChange,
  SCALING_LIMITED,
  scaleLimitedMessage,
} from "../../src/autoscaler/JobVertexScaler.ts";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import type { ShipStrategy } from "../../src/autoscaler/topology/ShipStrategy.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { createDefaultJobAutoScalerContext, logLines, MINUTE, newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";

type Ctx = JobAutoScalerContext<string>;
const NOT_ADJUST_INPUTS: ShipStrategy[] = ["REBALANCE", "RESCALE"];
const adjustmentInputsProvider: ShipStrategy[][] = [["HASH"], ["REBALANCE", "HASH", "RESCALE"]];

describe("JobVertexScalerTest", () => {
  const vertex = newJobVertexID();
  let eventCollector: TestingEventCollector<string, Ctx>;
  let vertexScaler: JobVertexScaler<string, Ctx>;
  let context: Ctx;
  let conf: Configuration;
  let restartTime: number;
  const instant = Date.parse("2024-05-16T17:00:00Z");
  const clock = new FixedClock(instant);

  beforeEach(() => {
    eventCollector = new TestingEventCollector<string, Ctx>(() => clock.instant());
    vertexScaler = new JobVertexScaler(eventCollector);
    vertexScaler.setClock(clock);
    clock.set(instant);
    conf = new Configuration();
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    conf.set(CATCH_UP_DURATION, 0);
    context = createDefaultJobAutoScalerContext(conf);
    restartTime = conf.get(RESTART_TIME);
  });

  function evaluated(parallelism: number, targetDataRate: number, trueProcessingRate: number): Map<ScalingMetric, EvaluatedScalingMetric> {
    const metrics = new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["PARALLELISM", EvaluatedScalingMetric.of(parallelism)],
      ["MAX_PARALLELISM", EvaluatedScalingMetric.of(720)],
      ["NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(0)],
      ["TARGET_DATA_RATE", new EvaluatedScalingMetric(targetDataRate, targetDataRate)],
      ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(0)],
      ["TRUE_PROCESSING_RATE", new EvaluatedScalingMetric(trueProcessingRate, trueProcessingRate)],
      ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)],
      ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)],
    ]);
    ScalingMetricEvaluator.computeProcessingRateThresholds(metrics, conf, false, restartTime);
    return metrics;
  }

  const compute = (
    op: string,
    inputs: ShipStrategy[],
    metrics: Map<ScalingMetric, EvaluatedScalingMetric>,
    history: TreeMap<ScalingSummary>,
    delayedScaleDown: DelayedScaleDown,
  ) => vertexScaler.computeScaleTargetParallelism(context, op, inputs, metrics, history, restartTime, delayedScaleDown);

  function expectChange(actual: ParallelismChange, expected: ParallelismChange) {
    expect(actual.equals(expected), `${actual} should equal ${expected}`).toBe(true);
  }

  const scale = (current: number, inputs: ShipStrategy[], partitions: number, maxP: number, factor: number, lower: number, upper: number) =>
    JobVertexScaler.scale(vertex, current, inputs, partitions, maxP, factor, lower, upper, eventCollector, context);

  function assertParallelismChange(parallelism: number, targetDataRate: number, tpr: number, expected: ParallelismChange, d: DelayedScaleDown) {
    expectChange(compute(vertex, NOT_ADJUST_INPUTS, evaluated(parallelism, targetDataRate, tpr), new TreeMap(), d), expected);
  }

  it.each(adjustmentInputsProvider)("testParallelismScaling %s", (...inputs) => {
    const op = newJobVertexID();
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    const d = new DelayedScaleDown();
    const empty = () => new TreeMap<ScalingSummary>();
    expectChange(compute(op, inputs, evaluated(10, 50, 100), empty(), d), ParallelismChange.build(5, 10, true));
    conf.set(UTILIZATION_TARGET, 0.8);
    expectChange(compute(op, inputs, evaluated(10, 50, 100), empty(), d), ParallelismChange.build(8, 10, false));
    expectChange(compute(op, inputs, evaluated(10, 80, 100), empty(), d), ParallelismChange.noChange(10));
    expectChange(compute(op, inputs, evaluated(10, 60, 100), empty(), d), ParallelismChange.build(8, 10, false));
    expectChange(compute(op, inputs, evaluated(10, 59, 100), empty(), d), ParallelismChange.build(8, 10, false));
    conf.set(UTILIZATION_TARGET, 0.5);
    expectChange(compute(op, inputs, evaluated(2, 100, 40), empty(), d), ParallelismChange.build(10, 2, true));
    conf.set(UTILIZATION_TARGET, 0.6);
    expectChange(compute(op, inputs, evaluated(2, 100, 100), empty(), d), ParallelismChange.build(4, 2, true));
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(MAX_SCALE_DOWN_FACTOR, 0.5);
    expectChange(compute(op, inputs, evaluated(10, 10, 100), empty(), d), ParallelismChange.build(5, 10, true));
    conf.set(MAX_SCALE_DOWN_FACTOR, 0.6);
    expectChange(compute(op, inputs, evaluated(10, 10, 100), empty(), d), ParallelismChange.build(4, 10, true));
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(MAX_SCALE_UP_FACTOR, 0.5);
    expectChange(compute(op, inputs, evaluated(10, 200, 10), empty(), d), ParallelismChange.build(15, 10, true));
    conf.set(MAX_SCALE_UP_FACTOR, 0.6);
    expectChange(compute(op, inputs, evaluated(10, 200, 10), empty(), d), ParallelismChange.build(16, 10, true));
  });

  it("testParallelismComputation", () => {
    const [min, max] = [1, INTEGER_MAX_VALUE];
    expect(scale(1, NOT_ADJUST_INPUTS, 0, 720, 0.0001, min, max)).toBe(1);
    expect(scale(2, NOT_ADJUST_INPUTS, 0, 720, 0.1, min, max)).toBe(1);
    expect(scale(6, NOT_ADJUST_INPUTS, 0, 720, 0.8, min, max)).toBe(5);
    expect(scale(16, NOT_ADJUST_INPUTS, 0, 128, 1.5, min, max)).toBe(24);
    expect(scale(200, NOT_ADJUST_INPUTS, 0, 720, 2, min, max)).toBe(400);
    expect(scale(200, NOT_ADJUST_INPUTS, 0, 720, INTEGER_MAX_VALUE, min, max)).toBe(720);
  });

  it.each(adjustmentInputsProvider)("testParallelismComputationWithAdjustment %s", (...inputs) => {
    const [min, max] = [1, INTEGER_MAX_VALUE];
    expect(scale(6, inputs, 0, 36, 0.8, min, max)).toBe(6);
    expect(scale(16, inputs, 0, 128, 1.5, min, max)).toBe(32);
    expect(scale(200, inputs, 0, 720, 1.3, min, max)).toBe(360);
    expect(scale(200, inputs, 0, 720, INTEGER_MAX_VALUE, min, max)).toBe(720);
    expect(scale(10, inputs, 0, 128, 2.5, min, max)).toBe(32); // EVENLY_SPREAD
    context.getConfiguration().set(SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE, "MAXIMIZE_UTILISATION");
    expect(scale(10, inputs, 0, 128, 2.5, min, max)).toBe(26);
  });

  it.each(adjustmentInputsProvider)("testParallelismComputationWithLimit %s", (...inputs) => {
    expect(scale(6, inputs, 0, 720, 0.8, 1, 700)).toBe(5);
    expect(scale(8, inputs, 0, 720, 0.8, 8, 700)).toBe(8);
    expect(scale(16, inputs, 0, 128, 1.5, 1, INTEGER_MAX_VALUE)).toBe(32);
    expect(scale(16, inputs, 0, 128, 1.5, 60, INTEGER_MAX_VALUE)).toBe(64);
    expect(scale(200, inputs, 0, 720, 2, 1, 300)).toBe(240);
    expect(scale(200, inputs, 0, 720, INTEGER_MAX_VALUE, 1, 600)).toBe(360);
  });

  it("ensureMinParallelismDoesNotExceedMax", () => {
    expect(() => scale(200, NOT_ADJUST_INPUTS, 0, 720, INTEGER_MAX_VALUE, 500, 499)).toThrow(/lower limitation must not be greater/);
  });

  it("testMinParallelismLimitIsUsed", () => {
    conf.set(VERTEX_MIN_PARALLELISM, 5);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    const d = new DelayedScaleDown();
    expectChange(compute(newJobVertexID(), NOT_ADJUST_INPUTS, evaluated(10, 100, 500), new TreeMap(), d), ParallelismChange.build(5, 10, true));
    // The current parallelism wins when it is lower.
    expectChange(compute(newJobVertexID(), NOT_ADJUST_INPUTS, evaluated(4, 100, 500), new TreeMap(), d), ParallelismChange.noChange(4));
  });

  it("testMaxParallelismLimitIsUsed", () => {
    conf.set(VERTEX_MAX_PARALLELISM, 10);
    conf.set(UTILIZATION_TARGET, 1);
    const d = new DelayedScaleDown();
    expectChange(compute(newJobVertexID(), NOT_ADJUST_INPUTS, evaluated(10, 500, 100), new TreeMap(), d), ParallelismChange.noChange(10));
    // The current parallelism wins when it is higher.
    expectChange(compute(newJobVertexID(), NOT_ADJUST_INPUTS, evaluated(12, 500, 100), new TreeMap(), d), ParallelismChange.noChange(12));
  });

  it("testDisableScaleDownInterval", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    assertParallelismChange(10, 50, 100, ParallelismChange.build(5, 10, true), new DelayedScaleDown());
  });

  it("testScaleDownAfterInterval", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, MINUTE);
    const d = new DelayedScaleDown();
    clock.set(instant);
    assertParallelismChange(100, 800, 1000, ParallelismChange.noChange(100), d);
    clock.set(instant + 10 * SECOND);
    assertParallelismChange(100, 900, 1000, ParallelismChange.noChange(100), d);
    clock.set(instant + 40 * SECOND);
    assertParallelismChange(100, 720, 1000, ParallelismChange.noChange(100), d);
    clock.set(instant + 59 * SECOND);
    assertParallelismChange(100, 640, 1000, ParallelismChange.noChange(100), d);
    // The largest recommendation within the interval wins.
    clock.set(instant + 60 * SECOND);
    assertParallelismChange(100, 700, 1000, ParallelismChange.build(90, 100, false), d);
  });

  it("testImmediateScaleUpWithinScaleDownInterval", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, MINUTE);
    const d = new DelayedScaleDown();
    assertParallelismChange(100, 800, 1000, ParallelismChange.noChange(100), d);
    expect(d.getDelayedVertices().size).toBeGreaterThan(0);
    clock.set(instant + 10 * SECOND);
    assertParallelismChange(100, 900, 1000, ParallelismChange.noChange(100), d);
    expect(d.getDelayedVertices().size).toBeGreaterThan(0);
    clock.set(instant + 12 * SECOND);
    assertParallelismChange(100, 1700, 1000, ParallelismChange.build(170, 100, true), d);
    expect(d.getDelayedVertices().size).toBe(0);
  });

  it("testCancelDelayedScaleDownAfterNewParallelismIsSame", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, MINUTE);
    const d = new DelayedScaleDown();
    assertParallelismChange(100, 800, 1000, ParallelismChange.noChange(100), d);
    clock.set(instant + 10 * SECOND);
    assertParallelismChange(100, 900, 1000, ParallelismChange.noChange(100), d);
    expect(d.getDelayedVertices().size).toBeGreaterThan(0);
    clock.set(instant + 12 * SECOND);
    assertParallelismChange(100, 1000, 1000, ParallelismChange.noChange(100), d);
    expect(d.getDelayedVertices().size).toBe(0);
  });

  it("testIneffectiveScalingDetection", () => {
    const op = newJobVertexID();
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, true);
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    let ev = evaluated(5, 100, 50);
    const history = new TreeMap<ScalingSummary>();
    const d = new DelayedScaleDown();
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(10, 5, true));
    expect(ev.get("EXPECTED_PROCESSING_RATE")!.getCurrent()).toBe(100);
    history.put(instant, new ScalingSummary(5, 10, ev));

    // Effective (80%): may scale further.
    ev = evaluated(10, 180, 90);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(20, 10, true));
    expect(ev.get("EXPECTED_PROCESSING_RATE")!.getCurrent()).toBe(180);
    history.put(instant + 1, new ScalingSummary(10, 20, ev));

    // Ineffective: 90 -> 94 of the expected 90 -> 180.
    ev = evaluated(20, 180, 94);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.noChange(20));
    // Still below 10%.
    ev = evaluated(20, 180, 98);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.noChange(20));
    // The user rescaled manually: current parallelism does not match the last decision.
    ev = evaluated(10, 180, 90);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(20, 10, true));
    // Over 10%: effective.
    ev = evaluated(20, 180, 100);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(36, 20, true));
    expect(ev.has("EXPECTED_PROCESSING_RATE")).toBe(true);
    // Ineffective, but detection is off.
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, false);
    ev = evaluated(20, 180, 90);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(40, 20, true));
    expect(ev.has("EXPECTED_PROCESSING_RATE")).toBe(true);
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, true);
    // Scale down is allowed even after an ineffective scale up.
    ev = evaluated(20, 45, 90);
    expectChange(compute(op, NOT_ADJUST_INPUTS, ev, history, d), ParallelismChange.build(10, 20, true));
    expect(ev.has("EXPECTED_PROCESSING_RATE")).toBe(true);
  });

  it.each(adjustmentInputsProvider)("testSendingIneffectiveScalingEvents %s", (...inputs) => {
    const jobVertexID = newJobVertexID();
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, true);
    conf.set(UTILIZATION_TARGET, 1.0);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    let ev = evaluated(5, 100, 50);
    const history = new TreeMap<ScalingSummary>();
    const d = new DelayedScaleDown();
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.build(10, 5, true));
    expect(ev.get("EXPECTED_PROCESSING_RATE")!.getCurrent()).toBe(100);
    history.put(instant, new ScalingSummary(5, 10, ev));

    ev = evaluated(10, 180, 90);
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.build(20, 10, true));
    expect(ev.get("EXPECTED_PROCESSING_RATE")!.getCurrent()).toBe(180);
    history.put(instant + 1, new ScalingSummary(10, 20, ev));
    expect(eventCollector.events).toHaveLength(0);

    // Ineffective: an event.
    ev = evaluated(20, 180, 95);
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.noChange(20));
    expect(eventCollector.events).toHaveLength(1);
    let event = eventCollector.poll()!;
    expect(event.message).toBe(ineffectiveMessage(jobVertexID, 90.0, 5.0, true));
    expect(event.message).toContain("(expected increase: 90.0, actual increase 5.0)");
    expect(event.reason).toBe(INEFFECTIVE_SCALING);
    expect(event.count).toBe(1);

    // Repeated within the default interval: no event (the rate moved slightly).
    const tpr = ev.get("TRUE_PROCESSING_RATE")!;
    ev.set("TRUE_PROCESSING_RATE", EvaluatedScalingMetric.avg(tpr.getAverage() + 0.01));
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.noChange(20));
    expect(eventCollector.events).toHaveLength(0);
    ev.set("TRUE_PROCESSING_RATE", tpr);

    conf.set(SCALING_EVENT_INTERVAL, 1800 * SECOND);
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.noChange(20));
    expect(eventCollector.events).toHaveLength(0);

    // Interval 0: the event again.
    conf.set(SCALING_EVENT_INTERVAL, 0);
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.noChange(20));
    expect(eventCollector.events).toHaveLength(1);
    event = eventCollector.poll()!;
    expect(event.message).toBe(ineffectiveMessage(jobVertexID, 90.0, 5.0, true));
    expect(event.reason).toBe(INEFFECTIVE_SCALING);
    expect(event.count).toBe(2);

    // Detection off: scales, and says blocking is disabled.
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, false);
    expectChange(compute(jobVertexID, inputs, ev, history, d), ParallelismChange.build(40, 20, true));
    expect(eventCollector.events).toHaveLength(1);
    event = eventCollector.poll()!;
    expect(event.message).toBe(ineffectiveMessage(jobVertexID, 90.0, 5.0, false));
    expect(event.reason).toBe(INEFFECTIVE_SCALING);
  });

  it("testNumPartitionsAdjustment", () => {
    const [min, max] = [1, INTEGER_MAX_VALUE];
    expect(scale(6, [], 15, 128, 0.4, min, max)).toBe(3);
    expect(scale(7, [], 15, 128, 1.2, min, max)).toBe(15);
    expect(scale(20, [], 35, 30, 0.9, min, max)).toBe(18);
    expect(scale(22, [], 35, 30, 1.1, 20, max)).toBe(22);
    expect(scale(80, [], 200, 128, 1.4, min, max)).toBe(100);
    // 199 partitions: evenly spread needs 199; maximizing utilisation, 99 subtasks read two partitions and one reads one.
    expect(scale(24, [], 199, max, 4, min, max)).toBe(199);
    context.getConfiguration().set(SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE, "MAXIMIZE_UTILISATION");
    expect(scale(24, [], 199, max, 4, min, max)).toBe(100);
  });

  it("testSendingScalingLimitedEvents", () => {
    const jobVertexID = newJobVertexID();
    conf.set(UTILIZATION_TARGET, 1.0);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    conf.set(SCALING_EVENT_INTERVAL, 0);
    const ev = evaluated(10, 200, 100);
    ev.set("NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(15));
    const history = new TreeMap<ScalingSummary>();
    const d = new DelayedScaleDown();
    expectChange(compute(jobVertexID, [], ev, history, d), ParallelismChange.build(15, 10, true));
    expect(eventCollector.events).toHaveLength(1);
    const partitionLimitedEvent = eventCollector.poll()!;
    expect(partitionLimitedEvent.reason).toBe(SCALING_LIMITED);
    expect(partitionLimitedEvent.message).toBe(scaleLimitedMessage(jobVertexID, 20, 15, 15, 200, 1));
    // A slightly different scale factor: the same message key.
    const small = evaluated(10, 199, 100);
    small.set("NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(15));
    expectChange(compute(jobVertexID, [], small, history, d), ParallelismChange.build(15, 10, true));
    expect(eventCollector.events).toHaveLength(1);
    const smallEvent = eventCollector.poll()!;
    expect(partitionLimitedEvent.messageKey).toBe(smallEvent.messageKey);
  });

  it("testCalculateScalingCoefficient", () => {
    const t = instant;
    const history = (rows: [number, number, number, number, number][]) =>
      new TreeMap(rows.map(([s, p, target, tpr, next]) => [t - s * SECOND, new ScalingSummary(p, next, evaluated(p, target, tpr))] as [number, ScalingSummary]));
    const coefficient = (h: TreeMap<ScalingSummary>) => JobVertexScaler.calculateObservedScalingCoefficient(h, conf);

    expect(coefficient(history([[20, 4, 100, 200, 2], [10, 2, 400, 100, 8], [0, 8, 800, 400, 16]]))).toBe(1.0);
    const slight = coefficient(history([[20, 4, 98, 196, 2], [10, 2, 396, 99, 8], [0, 8, 780, 390, 16]]));
    expect(slight > 0.9 && slight < 1).toBe(true);
    const sharp = coefficient(history([[20, 4, 80, 160, 2], [10, 2, 384, 96, 8], [0, 8, 480, 240, 16]]));
    expect(sharp < 0.9 && sharp > 0.4).toBe(true);
    const sharpWithOne = coefficient(history([[20, 1, 100, 50, 2], [10, 2, 160, 80, 4], [0, 4, 200, 100, 8]]));
    expect(sharpWithOne < 0.9 && sharpWithOne > 0.4).toBe(true);

    conf.set(OBSERVED_SCALABILITY_MIN_OBSERVATIONS, 1);
    expect(coefficient(history([[0, 4, 200, 100, 8]]))).toBe(1);
    const two = coefficient(history([[10, 2, 160, 80, 4], [0, 4, 200, 100, 8]]));
    expect(two < 0.9 && two > 0.4).toBe(true);
    expect(coefficient(history([[10, 2, 160, 80, 4], [0, 4, 320, 160, 8]]))).toBe(1);
  });

  it.each(adjustmentInputsProvider)("testParallelismScalingWithObservedScalingCoefficient %s", (...inputs) => {
    const op = newJobVertexID();
    const d = new DelayedScaleDown();
    conf.set(UTILIZATION_TARGET, 0.5);
    conf.set(OBSERVED_SCALABILITY_ENABLED, true);
    const history = (rows: [number, number, number, number, number][]) =>
      new TreeMap(rows.map(([s, p, target, tpr, next]) => [instant - s * SECOND, new ScalingSummary(p, next, evaluated(p, target, tpr))] as [number, ScalingSummary]));
    const linear = history([[20, 4, 100, 200, 2], [10, 2, 400, 100, 8], [0, 8, 800, 400, 16]]);
    expectChange(compute(op, inputs, evaluated(2, 100, 40), linear, d), ParallelismChange.build(10, 2, true));
    const diminishing = history([[20, 4, 80, 160, 2], [10, 2, 384, 96, 8], [0, 8, 480, 240, 16]]);
    expectChange(compute(op, inputs, evaluated(2, 100, 40), diminishing, d), ParallelismChange.build(15, 2, true));
  });

  it("testMaxRecommendedParallelismUsedAfterScaleDownInterval", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, MINUTE);
    const d = new DelayedScaleDown();
    clock.set(instant);
    assertParallelismChange(100, 500, 1000, ParallelismChange.noChange(100), d);
    const info = d.getDelayedVertices().get(vertex)!;
    expect(info.recommendedParallelisms[0]!.parallelism).toBe(50);
    clock.set(instant + 30 * SECOND);
    assertParallelismChange(100, 600, 1000, ParallelismChange.noChange(100), d);
    expect(info.recommendedParallelisms).toHaveLength(1);
    expect(info.recommendedParallelisms[0]!.parallelism).toBe(60);
    clock.set(instant + 65 * SECOND);
    assertParallelismChange(100, 600, 1000, ParallelismChange.build(60, 100, true), d);
  });

  it("testMaxRecommendedParallelismEqualsCurrentParallelismReturnsNoChange", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, MINUTE);
    const d = new DelayedScaleDown();
    d.triggerScaleDown(vertex, instant + 5 * SECOND, 100, true);
    clock.set(instant + 65 * SECOND);
    assertParallelismChange(100, 800, 1000, ParallelismChange.noChange(100), d);
  });
});

// Cases upstream's JobVertexScalerTest leaves open: boundaries, upstream's texts and log
// lines, the no-change early return, the alignment's direction guard. Expected values are
// worked out by hand from upstream's formulas (in the comments), not read off the port.
describe("JobVertexScaler beyond upstream's tests", () => {
  const LOGGER = "org.apache.flink.autoscaler.JobVertexScaler";
  const vertex = newJobVertexID();
  const instant = Date.parse("2024-05-16T17:00:00Z");
  let clock: FixedClock;
  let events: TestingEventCollector<string, Ctx>;
  let scaler: JobVertexScaler<string, Ctx>;
  let conf: Configuration;
  let context: Ctx;

  beforeEach(() => {
    clock = new FixedClock(instant);
    events = new TestingEventCollector<string, Ctx>(() => clock.instant());
    scaler = new JobVertexScaler(events);
    scaler.setClock(clock);
    conf = new Configuration();
    conf.set(CATCH_UP_DURATION, 0); // no catch-up share in the target capacity
    context = createDefaultJobAutoScalerContext(conf);
  });

  /** Metrics with thresholds as the evaluator computes them (restart time 0). */
  function evaluated(parallelism: number, targetDataRate: number, trueProcessingRate: number): Map<ScalingMetric, EvaluatedScalingMetric> {
    const metrics = new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["PARALLELISM", EvaluatedScalingMetric.of(parallelism)],
      ["MAX_PARALLELISM", EvaluatedScalingMetric.of(720)],
      ["NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(0)],
      ["TARGET_DATA_RATE", new EvaluatedScalingMetric(targetDataRate, targetDataRate)],
      ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(0)],
      ["TRUE_PROCESSING_RATE", new EvaluatedScalingMetric(trueProcessingRate, trueProcessingRate)],
    ]);
    ScalingMetricEvaluator.computeProcessingRateThresholds(metrics, conf, false, 0);
    return metrics;
  }
  const compute = (metrics: Map<ScalingMetric, EvaluatedScalingMetric>, history = new TreeMap<ScalingSummary>(), d = new DelayedScaleDown()) =>
    scaler.computeScaleTargetParallelism(context, vertex, NOT_ADJUST_INPUTS, metrics, history, 0, d);
  const scale = (current: number, inputs: ShipStrategy[], partitions: number, maxP: number, factor: number, lower: number, upper: number) =>
    JobVertexScaler.scale(vertex, current, inputs, partitions, maxP, factor, lower, upper, events, context);
  function expectChange(actual: ParallelismChange, expected: ParallelismChange) {
    expect(actual.equals(expected), `${actual} should equal ${expected}`).toBe(true);
  }
  /** The change computed and the log lines written while computing it. */
  function computeLogged(metrics: Map<ScalingMetric, EvaluatedScalingMetric>, history?: TreeMap<ScalingSummary>, d?: DelayedScaleDown): [ParallelismChange, string[]] {
    let change: ParallelismChange | undefined;
    const lines = logLines(LOGGER, () => (change = compute(metrics, history, d)));
    return [change!, lines];
  }

  it("names events and fills their messages as upstream's formats do", () => {
    expect(INEFFECTIVE_SCALING).toBe("IneffectiveScaling");
    expect(SCALING_LIMITED).toBe("ScalingLimited");
    // INEFFECTIVE_MESSAGE_FORMAT with Double#toString of the increases.
    expect(ineffectiveMessage(vertex, 90, 5, true)).toBe(
      `Ineffective scaling detected for ${vertex} (expected increase: 90.0, actual increase 5.0). Blocking of ineffective scaling decisions is enabled`,
    );
    expect(ineffectiveMessage(vertex, 90, 5, false)).toBe(
      `Ineffective scaling detected for ${vertex} (expected increase: 90.0, actual increase 5.0). Blocking of ineffective scaling decisions is disabled`,
    );
    // SCALE_LIMITED_MESSAGE_FORMAT, full-width comma included.
    expect(scaleLimitedMessage(vertex, 20, 15, 15, 200, 1)).toBe(
      `Scaling limited detected for ${vertex} (expected parallelism: 20, actual parallelism 15). Scaling limited due to numKeyGroupsOrPartitions : 15，upperBoundForAlignment(maxParallelism or parallelismUpperLimit): 200, parallelismLowerLimit: 1.`,
    );
  });

  it("ParallelismChange: positive parallelisms only; equality ignores the bound flag without a change; upstream's toString", () => {
    expect(() => ParallelismChange.build(0, 1, false)).toThrow("The parallelism should be greater than 0.");
    expect(() => ParallelismChange.build(1, 0, false)).toThrow("The parallelism should be greater than 0.");
    expect(() => ParallelismChange.noChange(0)).toThrow("The parallelism should be greater than 0.");
    expect(ParallelismChange.build(1, 1, true).isNoChange()).toBe(true);

    const none = ParallelismChange.noChange(3);
    expect(none.isOutsideUtilizationBound()).toBe(false);
    expect(none.getNewParallelism()).toBe(3);
    expect(none.equals(ParallelismChange.build(3, 3, true))).toBe(true);
    expect(none.equals(ParallelismChange.noChange(4))).toBe(false);
    const up = ParallelismChange.build(4, 3, true);
    expect(up.equals(ParallelismChange.build(4, 3, true))).toBe(true);
    expect(up.equals(ParallelismChange.build(5, 3, true))).toBe(false);
    expect(up.equals(ParallelismChange.build(4, 2, true))).toBe(false);
    expect(up.equals(ParallelismChange.build(4, 3, false))).toBe(false);
    expect(up.equals(none)).toBe(false);
    expect(none.equals(up)).toBe(false);
    expect(String(none)).toBe("NoParallelismChange{currentParallelism=3}");
    expect(String(up)).toBe("ParallelismChange{newParallelism=4, currentParallelism=3, outsideUtilizationBound=true}");
  });

  it("without a true processing rate or a target data rate: no change, and upstream's warning", () => {
    let [change, lines] = computeLogged(evaluated(10, 200, NaN));
    expectChange(change, ParallelismChange.noChange(10));
    expect(lines).toEqual([`WARN True processing rate is not available for ${vertex}, cannot compute new parallelism`]);
    [change, lines] = computeLogged(evaluated(10, NaN, 100));
    expectChange(change, ParallelismChange.noChange(10));
    expect(lines).toEqual([`WARN Target data rate is not available for ${vertex}, cannot compute new parallelism`]);
  });

  it("caps the scale up factor above scale-up.max-factor only, and logs as upstream", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(MAX_SCALE_UP_FACTOR, 0.5);
    // Target 200 / utilization 1 = 200; factor 200 / 100 = 2 > 1.5: capped, 1.5 x 10 = 15.
    // Thresholds: 200 / min(1, 1 + 0.3) = 200 and round(200 / 0.7) = 286.
    let [change, lines] = computeLogged(evaluated(10, 200, 100));
    expectChange(change, ParallelismChange.build(15, 10, true));
    expect(lines).toEqual([
      `DEBUG Target processing capacity for ${vertex} is 200`,
      `DEBUG Computed scale factor of 2 for ${vertex} is capped by maximum scale up factor to 1.5`,
      `DEBUG Capped target processing capacity for ${vertex} is 150`,
      `DEBUG Vertex ${vertex} processing rate 100 is outside (200, 286)`,
    ]);
    // Factor 150 / 100 = 1.5 exactly: not capped.
    [change, lines] = computeLogged(evaluated(10, 150, 100));
    expectChange(change, ParallelismChange.build(15, 10, true));
    expect(lines.filter((l) => l.includes("capped"))).toEqual([]);
  });

  it("caps the scale down factor below 1 - scale-down.max-factor only, and logs as upstream", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    // Default scale-down.max-factor 0.6: the factor is at least 0.4. Target 40 / 100 = 0.4: not capped, 4.
    let [change, lines] = computeLogged(evaluated(10, 40, 100));
    expectChange(change, ParallelismChange.build(4, 10, true));
    expect(lines.filter((l) => l.includes("capped"))).toEqual([]);
    // 30 / 100 = 0.3: capped to 0.4, 4 again.
    [change, lines] = computeLogged(evaluated(10, 30, 100));
    expectChange(change, ParallelismChange.build(4, 10, true));
    expect(lines).toContain(`DEBUG Computed scale factor of 0.3 for ${vertex} is capped by maximum scale down factor to 0.4`);
  });

  it("a rate on a threshold is within the utilization bounds (scale-up and scale-down threshold boundaries)", () => {
    conf.set(UTILIZATION_TARGET, 0.5); // bounds 0.5 +- 0.3: [0.2, 0.8]
    conf.set(SCALE_DOWN_INTERVAL, 0);
    // Target 80: scale-up threshold 80 / 0.8 = 100, scale-down threshold 80 / 0.2 = 400; capacity 80 / 0.5 = 160.
    // At 100: factor 1.6, 16, within the bounds.
    expectChange(compute(evaluated(10, 80, 100)), ParallelismChange.build(16, 10, false));
    // At 400: factor 0.4, 4, within the bounds.
    expectChange(compute(evaluated(10, 80, 400)), ParallelismChange.build(4, 10, false));
    // Just outside either threshold.
    expectChange(compute(evaluated(10, 80, 99)), ParallelismChange.build(17, 10, true));
    expectChange(compute(evaluated(10, 80, 401)), ParallelismChange.build(4, 10, true));
  });

  it("delays a scale down within scale-down.interval (default 1 h), logging it at info once, then at debug", () => {
    conf.set(UTILIZATION_TARGET, 0.5);
    const d = new DelayedScaleDown();
    // Target 50: capacity 100, factor 100 / 125 = 0.8, 8; thresholds round(50 / 0.8) = 63 and 50 / 0.2 = 250.
    let [change, lines] = computeLogged(evaluated(10, 50, 125), new TreeMap(), d);
    expectChange(change, ParallelismChange.noChange(10));
    expect(lines).toEqual([
      `DEBUG Target processing capacity for ${vertex} is 100`,
      `DEBUG Capped target processing capacity for ${vertex} is 100`,
      `DEBUG Vertex ${vertex} processing rate 125 is within target (63, 250)`,
      `INFO The scale down of ${vertex} is delayed by PT1H.`,
    ]);
    clock.set(instant + MINUTE);
    [change, lines] = computeLogged(evaluated(10, 50, 125), new TreeMap(), d);
    expectChange(change, ParallelismChange.noChange(10));
    expect(lines.at(-1)).toBe(`DEBUG Try to skip immediate scale down within scale-down interval for ${vertex}`);
  });

  const diminishing = () =>
    new TreeMap(
      [
        [20, 4, 80, 160, 2],
        [10, 2, 384, 96, 8],
        [0, 8, 480, 240, 16],
      ].map(([s, p, target, tpr, next]) => [instant - s! * SECOND, new ScalingSummary(p!, next!, evaluated(p!, target!, tpr!))] as [number, ScalingSummary]),
    );

  it("uses the observed scalability only when enabled (off by default)", () => {
    conf.set(UTILIZATION_TARGET, 0.5);
    // Upstream's diminishing-returns history, disabled: capacity 100 / 0.5 = 200, factor 200 / 40 = 5, 2 -> 10 (15 when enabled).
    expectChange(compute(evaluated(2, 100, 40), diminishing()), ParallelismChange.build(10, 2, true));
  });

  it("fits the scalability coefficient from observed-scalability.min-observations (default 3) summaries on", () => {
    const two = diminishing();
    two.pollFirstEntry();
    expect(JobVertexScaler.calculateObservedScalingCoefficient(two, conf)).toBe(1);
    // Baseline 96 / 2 = 48; alpha = (2 x 96 + 8 x 240) / ((2^2 + 8^2) x 48) = 2112 / 3264 = 0.647..., up to 0.65.
    conf.set(OBSERVED_SCALABILITY_MIN_OBSERVATIONS, 2);
    expect(JobVertexScaler.calculateObservedScalingCoefficient(two, conf)).toBe(0.65);
  });

  it("without a baseline rate the coefficient is 1, silently; a summary without a rate gives 1 with upstream's warning", () => {
    const summaries = (tprs: number[]) =>
      new TreeMap([1, 2, 4].map((p, i) => [instant + i * SECOND, new ScalingSummary(p, 2 * p, evaluated(p, 100, tprs[i]!))] as [number, ScalingSummary]));
    let coefficient = 0;
    // The parallelism-1 summary is the baseline: NaN returns at once.
    expect(logLines(LOGGER, () => (coefficient = JobVertexScaler.calculateObservedScalingCoefficient(summaries([NaN, 150, 200]), conf)))).toEqual([]);
    expect(coefficient).toBe(1);
    expect(logLines(LOGGER, () => (coefficient = JobVertexScaler.calculateObservedScalingCoefficient(summaries([100, NaN, 200]), conf)))).toEqual([
      "WARN True processing rate is not available in scaling history. Cannot compute scaling coefficient.",
    ]);
    expect(coefficient).toBe(1);
  });

  it("a scale up reaching exactly scaling.effectiveness.threshold (default 0.1) of the expected increase is effective", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALING_EFFECTIVENESS_DETECTION_ENABLED, true);
    const last = evaluated(5, 200, 100);
    last.set("EXPECTED_PROCESSING_RATE", EvaluatedScalingMetric.of(200));
    const history = new TreeMap([[instant - MINUTE, new ScalingSummary(5, 10, last)] as [number, ScalingSummary]]);
    // Expected 100 -> 200; at 110 the increase is 10 / 100 = 0.1: effective. Factor 400 / 110, ceil(36.4) = 37.
    expectChange(compute(evaluated(10, 400, 110), history), ParallelismChange.build(37, 10, true));
    expect(events.events).toHaveLength(0);
    // At 109: 9 / 100 < 0.1, blocked, with an event.
    expectChange(compute(evaluated(10, 400, 109), history), ParallelismChange.noChange(10));
    const event = events.poll()!;
    expect([event.type, event.reason, event.messageKey]).toEqual(["Normal", "IneffectiveScaling", `ineffective${vertex}100.0`]);
    expect(event.message).toBe(
      `Ineffective scaling detected for ${vertex} (expected increase: 100.0, actual increase 9.0). Blocking of ineffective scaling decisions is enabled`,
    );
  });

  it("a scaling limited by the partitions is a warning keyed by the vertex", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    const ev = evaluated(10, 200, 100);
    ev.set("NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(15));
    // 20 wanted, 15 partitions: 15.
    expectChange(scaler.computeScaleTargetParallelism(context, vertex, [], ev, new TreeMap(), 0, new DelayedScaleDown()), ParallelismChange.build(15, 10, true));
    const event = events.poll()!;
    expect([event.type, event.reason, event.messageKey]).toEqual(["Warning", "ScalingLimited", `ScalingLimited${vertex}`]);
  });

  it("scale: equal limits are allowed; limits beyond the max parallelism are logged as upstream", () => {
    expect(scale(10, NOT_ADJUST_INPUTS, 0, 720, 0.5, 5, 5)).toBe(5);
    let p = 0;
    // ceil(1 x 10) = 10, within [9, min(8, 20)] = 8.
    expect(logLines(LOGGER, () => (p = scale(10, NOT_ADJUST_INPUTS, 0, 8, 1, 9, 20)))).toEqual([
      "WARN Specified autoscaler minimum parallelism 9 is greater than the operator max parallelism 8. The min parallelism will be set to the operator max parallelism.",
      "DEBUG Specified autoscaler maximum parallelism 20 is greater than the operator max parallelism 8. This means the operator max parallelism can never be reached.",
    ]);
    expect(p).toBe(8);
    expect(logLines(LOGGER, () => (p = scale(10, NOT_ADJUST_INPUTS, 0, 8, 1, 8, 8)))).toEqual([]);
    expect(p).toBe(8);
    expect(logLines(LOGGER, () => (p = scale(10, NOT_ADJUST_INPUTS, 0, 8, 1, 1, INTEGER_MAX_VALUE)))).toEqual([]);
    expect(p).toBe(8);
  });

  it("scale: no alignment when the parallelism does not change", () => {
    // 1 x 7 = 7 although 720 key groups do not divide by 7 (alignment would pick 6).
    expect(scale(7, ["HASH"], 0, 720, 1, 1, INTEGER_MAX_VALUE)).toBe(7);
    expect(events.events).toHaveLength(0);
  });

  it("scale: a scale down searches divisors up to the current parallelism only", () => {
    // ceil(0.7 x 7) = 5; 16 partitions: none of 5, 6, 7 divides 16 (8 would, above 7);
    // then the smallest p reading as many partitions as 5 (16 / 5 = 3): 16 / 4 = 4 > 3, so 4.
    expect(scale(7, [], 16, 720, 0.7, 1, INTEGER_MAX_VALUE)).toBe(4);
    expect(events.poll()!.message).toBe(scaleLimitedMessage(vertex, 5, 4, 16, 720, 1));
  });

  it("scale: no event when the fallback search lands on the computed parallelism", () => {
    // ceil(1.3 x 3) = 4 within [1, 4]; 10 partitions: 4 does not divide, 10 / 3 = 3 > 10 / 4 = 2, 3 does not divide: 4.
    expect(scale(3, [], 10, 720, 1.3, 1, 4)).toBe(4);
    expect(events.events).toHaveLength(0);
  });

  it("scale: the alignment never inverts the direction, and says so as upstream", () => {
    let p = 0;
    // 1 -> 2 within upper limit 2; 3 key groups: 2 does not divide, the fallback finds 1 = current: blocked.
    expect(logLines(LOGGER, () => (p = scale(1, ["HASH"], 0, 3, 2, 1, 2)))).toEqual([
      `WARN Scaling of ${vertex} blocked: alignment could not find a value that preserves the scale-up direction from current parallelism 1 with mode EVENLY_SPREAD. Keeping current parallelism.`,
    ]);
    expect(p).toBe(1);
    expect(events.poll()!.message).toBe(scaleLimitedMessage(vertex, 2, 1, 3, 2, 1));
    // A lower limit (12, then 10) above the max parallelism 8: 10 -> 8, 7 partitions: the fallback finds 7,
    // raised to the lower limit, not below the current 10: blocked.
    for (const lower of [12, 10]) {
      const lines = logLines(LOGGER, () => (p = scale(10, [], 7, 8, 0.5, lower, 20)));
      expect(lines.at(-1)).toBe(
        `WARN Scaling of ${vertex} blocked: alignment could not find a value that preserves the scale-down direction from current parallelism 10 with mode EVENLY_SPREAD. Keeping current parallelism.`,
      );
      expect(p).toBe(10);
    }
  });
});
