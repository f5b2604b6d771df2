// Port of upstream's ScalingMetricEvaluatorTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { describe, expect, it } from "vitest";
import {
  CATCH_UP_DURATION,
  PREFER_TRACKED_RESTART_TIME,
  RESTART_TIME,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { CollectedMetricHistory } from "../../src/autoscaler/metrics/CollectedMetricHistory.ts";
import type { CollectedMetrics } from "../../src/autoscaler/metrics/CollectedMetrics.ts";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingRecord } from "../../src/autoscaler/ScalingRecord.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { MINUTE, newJobVertexID, SECOND } from "./testing.ts";

const evaluator = new ScalingMetricEvaluator();
const collected = (vertices: [string, [ScalingMetric, number][]][], global: Map<ScalingMetric, number> | null = new Map()): CollectedMetrics => ({
  vertexMetrics: new Map(vertices.map(([v, m]) => [v, new Map(m)])),
  globalMetrics: global,
});

function getThresholds(inputTargetRate: number, catchUpRate: number, conf: Configuration, restartTime = conf.get(RESTART_TIME), catchingUp = false): [number, number] {
  const map = new Map<ScalingMetric, EvaluatedScalingMetric>([
    ["TARGET_DATA_RATE", EvaluatedScalingMetric.avg(inputTargetRate)],
    ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(catchUpRate)],
  ]);
  ScalingMetricEvaluator.computeProcessingRateThresholds(map, conf, catchingUp, restartTime);
  return [map.get("SCALE_UP_RATE_THRESHOLD")!.getCurrent(), map.get("SCALE_DOWN_RATE_THRESHOLD")!.getCurrent()];
}

describe("ScalingMetricEvaluatorTest", () => {
  it("testLagBasedSourceScaling", () => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 1), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 1)]);
    const metricHistory = new TreeMap<CollectedMetrics>();
    metricHistory.put(1000, collected([[source, [["LAG", 950], ["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0], ["LOAD", 0.8]]], [sink, [["NUM_RECORDS_IN", 0], ["LOAD", 0.4]]]]));
    // Lag 950 -> 1000, records in 0 -> 100: source data rate 150; output ratio 2.
    metricHistory.put(2000, collected([[source, [["LAG", 1000], ["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 200], ["LOAD", 0.6]]], [sink, [["NUM_RECORDS_IN", 200], ["LOAD", 0.3]]]]));
    const conf = new Configuration();
    conf.set(CATCH_UP_DURATION, 2 * SECOND);
    const evaluate = () => evaluator.evaluate(conf, new CollectedMetricHistory(topology, metricHistory, 0), 0).vertexMetrics;
    let ev = evaluate();
    expect(ev.get(source)!.get("LOAD")).toEqual(EvaluatedScalingMetric.avg(0.7));
    expect(ev.get(sink)!.get("LOAD")).toEqual(EvaluatedScalingMetric.avg(0.35));
    expect(ev.get(source)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(150));
    expect(ev.get(source)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(500));
    expect(ev.get(sink)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(300));
    expect(ev.get(sink)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(1000));
    expect(ev.get(source)!.get("LAG")).toEqual(EvaluatedScalingMetric.of(1000));
    expect(ev.get(sink)!.has("LAG")).toBe(false);

    conf.set(CATCH_UP_DURATION, 1 * SECOND);
    ev = evaluate();
    expect(ev.get(source)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(150));
    expect(ev.get(source)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(1000));
    expect(ev.get(sink)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(300));
    expect(ev.get(sink)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(2000));

    // The restart time does not affect evaluated rates.
    conf.set(RESTART_TIME, 2 * SECOND);
    ev = evaluate();
    expect(ev.get(source)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(1000));
    expect(ev.get(sink)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(2000));

    // Lag based scaling off.
    conf.set(CATCH_UP_DURATION, 0);
    ev = evaluate();
    expect(ev.get(source)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(150));
    expect(ev.get(source)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(0));
    expect(ev.get(sink)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(300));
    expect(ev.get(sink)!.get("CATCH_UP_DATA_RATE")).toEqual(EvaluatedScalingMetric.of(0));
  });

  it("testUtilizationBoundaryComputation", () => {
    const conf = new Configuration();
    conf.set(UTILIZATION_TARGET, 0.8);
    conf.set(UTILIZATION_MAX, 0.9);
    conf.set(UTILIZATION_MIN, 0.7);
    conf.set(RESTART_TIME, 1 * SECOND);
    conf.set(CATCH_UP_DURATION, 0);
    expect(getThresholds(700, 0, conf)).toEqual([778, 1000]);
    conf.set(CATCH_UP_DURATION, 2 * SECOND);
    expect(getThresholds(700, 350, conf)).toEqual([1128, 1700]);
    expect(getThresholds(700, 0, conf)).toEqual([778, 1350]);
    expect(getThresholds(700, 350, conf, conf.get(RESTART_TIME), true)).toEqual([1050, Infinity]);
    expect(getThresholds(700, 0, conf, conf.get(RESTART_TIME), true)).toEqual([700, Infinity]);
  });

  it("testUtilizationBoundaryComputationWithRestartTimesTracking", () => {
    const conf = new Configuration();
    conf.set(UTILIZATION_TARGET, 0.8);
    conf.set(UTILIZATION_MAX, 0.9);
    conf.set(UTILIZATION_MIN, 0.7);
    conf.set(RESTART_TIME, 10 * MINUTE);
    conf.set(CATCH_UP_DURATION, 0);
    conf.set(PREFER_TRACKED_RESTART_TIME, true);
    const tracking = new ScalingTracking();
    tracking.addScalingRecord(Date.parse("2023-11-15T16:00:00.00Z"), new ScalingRecord(3 * MINUTE));
    tracking.addScalingRecord(Date.parse("2023-11-15T16:20:00.00Z"), new ScalingRecord(5 * MINUTE));
    const restartTime = tracking.getMaxRestartTimeOrDefault(conf);
    expect(getThresholds(700, 0, conf, restartTime)).toEqual([778, 1000]);
    conf.set(CATCH_UP_DURATION, MINUTE);
    expect(getThresholds(700, 350, conf, restartTime)).toEqual([1128, 4850]);
    expect(getThresholds(700, 0, conf, restartTime)).toEqual([778, 4500]);
    expect(getThresholds(700, 350, conf, restartTime, true)).toEqual([1050, Infinity]);
    expect(getThresholds(700, 0, conf, restartTime, true)).toEqual([700, Infinity]);
  });

  it("testZeroValuesForRatesOrBusyness", () => {
    for (const [busy, rate] of [[0, 0], [0, 1], [1, 0], [NaN, 0]] as const) {
      expect(ScalingMetricEvaluator.computeTrueProcessingRate(busy, rate, new TreeMap(), newJobVertexID(), new Configuration())).toBe(Infinity);
    }
  });

  it("getRateTest", () => {
    const [v1, v2] = [newJobVertexID(), newJobVertexID()];
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[v1, [["NUM_RECORDS_IN", 0]]], [v2, []]], null));
    history.put(2000, collected([[v1, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 10]]], [v2, []]], null));
    history.put(3000, collected([[v1, [["NUM_RECORDS_IN", 4], ["NUM_RECORDS_OUT", 20]]], [v2, [["NUM_RECORDS_IN", 1]]]], null));
    expect(ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", v1, history)).toBe(2);
    expect(ScalingMetricEvaluator.getRate("NUM_RECORDS_OUT", v1, history)).toBe(10);
    expect(ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", v2, history)).toBeNaN();
    expect(ScalingMetricEvaluator.getRate("NUM_RECORDS_OUT", v2, history)).toBeNaN();
  });
});
