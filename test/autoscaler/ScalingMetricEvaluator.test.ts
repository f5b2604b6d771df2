// Port of upstream's ScalingMetricEvaluatorTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { describe, expect, it } from "vitest";
import {
  BACKLOG_PROCESSING_LAG_THRESHOLD,
  BUSY_TIME_AGGREGATOR,
  CATCH_UP_DURATION,
  OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS,
  OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD,
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
import { logLines, MINUTE, newJobVertexID, SECOND } from "./testing.ts";

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

    // Zero lag.
    metricHistory.clear();
    metricHistory.put(3000, collected([[source, [["LAG", 0], ["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 200], ["LOAD", 0.6]]], [sink, [["NUM_RECORDS_IN", 200], ["LOAD", 0.3]]]]));
    metricHistory.put(4000, collected([[source, [["LAG", 0], ["NUM_RECORDS_IN", 200], ["NUM_RECORDS_OUT", 400], ["LOAD", 0.6]]], [sink, [["NUM_RECORDS_IN", 400], ["LOAD", 0.3]]]]));
    conf.set(CATCH_UP_DURATION, MINUTE);
    ev = evaluate();
    expect(ev.get(source)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(100));
    expect(ev.get(sink)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(200));
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

  it("testBacklogProcessingEvaluation", () => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const conf = new Configuration();
    const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 1), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 1)]);
    const history = new TreeMap<CollectedMetrics>();
    history.put(0, collected([[source, [["LAG", 0], ["NUM_RECORDS_IN", 0]]], [sink, []]]));
    history.put(1000, collected([[source, [["LAG", 0], ["NUM_RECORDS_IN", 100]]], [sink, []]]));
    expect(ScalingMetricEvaluator.isProcessingBacklog(topology, history, conf)).toBe(false);
    // Missing lag.
    history.put(1000, collected([[source, [["NUM_RECORDS_IN", 100]]], [sink, []]]));
    expect(ScalingMetricEvaluator.isProcessingBacklog(topology, history, conf)).toBe(false);
    const threshold = Math.floor(conf.get(BACKLOG_PROCESSING_LAG_THRESHOLD) / 1000);
    // Catching up takes longer than the threshold at the average rate (200/s).
    history.put(1000, collected([[source, [["LAG", 250 * threshold], ["NUM_RECORDS_IN", 200]]], [sink, []]]));
    expect(ScalingMetricEvaluator.isProcessingBacklog(topology, history, conf)).toBe(true);
    history.put(1000, collected([[source, [["LAG", 180 * threshold], ["NUM_RECORDS_IN", 200]]], [sink, []]]));
    expect(ScalingMetricEvaluator.isProcessingBacklog(topology, history, conf)).toBe(false);
  });

  it("testObservedTprEvaluation", () => {
    const source = newJobVertexID();
    const conf = new Configuration();
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[source, [["OBSERVED_TPR", 200]]]]));
    history.put(2000, collected([[source, [["OBSERVED_TPR", 400]]]]));
    // Observed average 300; busy-time based 35 / 0.1 = 350.
    conf.set(OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD, 0.2);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(100, 35, history, source, conf)).toBe(350);
    conf.set(OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD, 0.1);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(100, 35, history, source, conf)).toBe(300);
    conf.set(OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS, 3);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(100, 35, history, source, conf)).toBe(350);
  });

  it("testMissingObservedTpr", () => {
    const source = newJobVertexID();
    const conf = new Configuration();
    const empty = new TreeMap<CollectedMetrics>();
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(100, 35, empty, source, conf)).toBe(350);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(0, 100, empty, source, conf)).toBe(Infinity);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(0, 0, empty, source, conf)).toBe(Infinity);
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(NaN, NaN, empty, source, conf)).toBeNaN();
  });

  it("testMissingBusyTimeTpr", () => {
    const source = newJobVertexID();
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[source, [["OBSERVED_TPR", 200]]]]));
    history.put(2000, collected([[source, [["OBSERVED_TPR", 400]]]]));
    expect(ScalingMetricEvaluator.computeTrueProcessingRate(NaN, 1, history, source, new Configuration())).toBe(300);
  });

  it("testGlobalMetricEvaluation", () => {
    const history = new TreeMap<CollectedMetrics>();
    const evaluated = (entries: [ScalingMetric, EvaluatedScalingMetric][]) => new Map(entries);
    history.put(1, collected([], new Map()));
    expect(ScalingMetricEvaluator.evaluateGlobalMetrics(history)).toEqual(
      evaluated([
        ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)],
        ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)],
        ["HEAP_MEMORY_USED", EvaluatedScalingMetric.of(NaN)],
        ["MANAGED_MEMORY_USED", EvaluatedScalingMetric.of(NaN)],
        ["METASPACE_MEMORY_USED", EvaluatedScalingMetric.of(NaN)],
        ["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(NaN)],
      ]),
    );
    history.put(2, collected([], new Map<ScalingMetric, number>([["HEAP_MAX_USAGE_RATIO", 0.5], ["GC_PRESSURE", 0.6], ["HEAP_MEMORY_USED", 512], ["MANAGED_MEMORY_USED", 420], ["METASPACE_MEMORY_USED", 110]])));
    expect(ScalingMetricEvaluator.evaluateGlobalMetrics(history)).toEqual(
      evaluated([
        ["GC_PRESSURE", EvaluatedScalingMetric.of(0.6)],
        ["HEAP_MAX_USAGE_RATIO", new EvaluatedScalingMetric(0.5, 0.5)],
        ["HEAP_MEMORY_USED", new EvaluatedScalingMetric(512, 512)],
        ["MANAGED_MEMORY_USED", new EvaluatedScalingMetric(420, 420)],
        ["METASPACE_MEMORY_USED", new EvaluatedScalingMetric(110, 110)],
        ["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(NaN)],
      ]),
    );
    history.put(3, collected([], new Map<ScalingMetric, number>([["HEAP_MAX_USAGE_RATIO", 0.7], ["GC_PRESSURE", 0.8], ["HEAP_MEMORY_USED", 1024], ["MANAGED_MEMORY_USED", 840], ["METASPACE_MEMORY_USED", 220], ["NUM_TASK_SLOTS_USED", 42]])));
    expect(ScalingMetricEvaluator.evaluateGlobalMetrics(history)).toEqual(
      evaluated([
        ["GC_PRESSURE", EvaluatedScalingMetric.of(0.8)],
        ["HEAP_MAX_USAGE_RATIO", new EvaluatedScalingMetric(0.7, 0.6)],
        ["HEAP_MEMORY_USED", new EvaluatedScalingMetric(1024, 768)],
        ["MANAGED_MEMORY_USED", new EvaluatedScalingMetric(840, 630)],
        ["METASPACE_MEMORY_USED", new EvaluatedScalingMetric(220, 165)],
        ["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(42)],
      ]),
    );
  });

  it("testBusyTimeEvaluation", () => {
    const v = newJobVertexID();
    const conf = new Configuration();
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[v, [["LOAD", 0.2], ["ACCUMULATED_BUSY_TIME", 10000]]]]));
    history.put(2000, collected([[v, [["LOAD", 0.3], ["ACCUMULATED_BUSY_TIME", 10200]]]]));
    history.put(3000, collected([[v, [["LOAD", 0.4], ["ACCUMULATED_BUSY_TIME", 10400]]]]));
    // MAX or MIN: from LOAD; parallelism does not matter.
    for (const agg of ["MAX", "MIN"] as const) {
      conf.set(BUSY_TIME_AGGREGATOR, agg);
      expect(ScalingMetricEvaluator.computeBusyTimeAvg(conf, history, v, 2)).toBe(300);
      expect(ScalingMetricEvaluator.computeBusyTimeAvg(conf, history, v, 0)).toBe(300);
    }
    // AVG: from the accumulated busy time, 400 ms over 2 s, divided by the parallelism.
    conf.set(BUSY_TIME_AGGREGATOR, "AVG");
    expect(ScalingMetricEvaluator.computeBusyTimeAvg(conf, history, v, 2)).toBe(100);
    expect(ScalingMetricEvaluator.computeBusyTimeAvg(conf, history, v, 1)).toBe(200);
  });

  it("testComputableOutputRatios", () => {
    const [source1, source2, op1, sink1] = [newJobVertexID(), newJobVertexID(), newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([
      VertexInfo.of(source1, new Map(), 1, 1),
      VertexInfo.of(source2, new Map(), 1, 1),
      VertexInfo.of(op1, new Map([[source1, "REBALANCE"], [source2, "REBALANCE"]]), 1, 1),
      VertexInfo.of(sink1, new Map([[op1, "REBALANCE"]]), 1, 1),
    ]);
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[source1, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 100]]], [source2, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 100]]], [op1, [["NUM_RECORDS_IN", 100]]], [sink1, [["NUM_RECORDS_IN", 100]]]]));
    history.put(2000, collected([[source1, [["NUM_RECORDS_IN", 200], ["NUM_RECORDS_OUT", 300]]], [source2, [["NUM_RECORDS_IN", 200], ["NUM_RECORDS_OUT", 150]]], [op1, [["NUM_RECORDS_IN", 350]]], [sink1, [["NUM_RECORDS_IN", 150]]]]));
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source1, op1, topology, history)).toBe(2);
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source2, op1, topology, history)).toBe(0.5);
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(op1, sink1, topology, history)).toBe(0.2);
  });

  it("testOutputRatioFallbackToOutPerSecond", () => {
    const [source1, source2, op1, op2] = [newJobVertexID(), newJobVertexID(), newJobVertexID(), newJobVertexID()];
    const both = new Map<string, "REBALANCE">([[source1, "REBALANCE"], [source2, "REBALANCE"]]);
    const topology = new JobTopology([VertexInfo.of(source1, new Map(), 1, 1), VertexInfo.of(source2, new Map(), 1, 1), VertexInfo.of(op1, new Map(both), 1, 1), VertexInfo.of(op2, new Map(both), 1, 1)]);
    const history = new TreeMap<CollectedMetrics>();
    history.put(1000, collected([[source1, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0]]], [source2, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0]]]]));
    history.put(2000, collected([[source1, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 200]]], [source2, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 50]]]]));
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source1, op1, topology, history)).toBe(2);
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source2, op1, topology, history)).toBe(0.5);
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source1, op2, topology, history)).toBe(2);
    expect(ScalingMetricEvaluator.computeEdgeOutputRatio(source2, op2, topology, history)).toBe(0.5);
  });
});

// Cases upstream's ScalingMetricEvaluatorTest leaves open: boundaries, the edge data rate's
// three cases told apart, upstream's log lines. Expected values are worked out by hand.
describe("ScalingMetricEvaluator beyond upstream's tests", () => {
  const LOGGER = "org.apache.flink.autoscaler.ScalingMetricEvaluator";
  const history = (...samples: [number, CollectedMetrics][]) => new TreeMap<CollectedMetrics>(samples);

  it("logs the evaluation as upstream", () => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 1), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 1)]);
    // Upstream's testLagBasedSourceScaling: 100 records/s in, lag 1000, 200 records/s into the sink.
    const h = history(
      [1000, collected([[source, [["LAG", 950], ["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0], ["LOAD", 0.8]]], [sink, [["NUM_RECORDS_IN", 0], ["LOAD", 0.4]]]])],
      [2000, collected([[source, [["LAG", 1000], ["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 200], ["LOAD", 0.6]]], [sink, [["NUM_RECORDS_IN", 200], ["LOAD", 0.3]]]])],
    );
    const conf = new Configuration();
    conf.set(CATCH_UP_DURATION, 2 * SECOND);
    const evaluate = () => logLines(LOGGER, () => evaluator.evaluate(conf, new CollectedMetricHistory(topology, h, 0), 0));
    expect(evaluate()).toEqual([
      "DEBUG Restart time used in metrics evaluation: PT0S",
      // 1000 lag / 2 s.
      `DEBUG Extra backlog processing input rate for ${source} is 500`,
      `DEBUG Computing edge (${source}, ${sink}) data rate for single input downstream task`,
      `DEBUG Computed output ratio for edge (${source} -> ${sink}) : 2`,
    ]);
    // No catch-up: no extra rate, and nothing logged about it.
    conf.set(CATCH_UP_DURATION, 0);
    expect(evaluate().filter((l) => l.includes("Extra backlog"))).toEqual([]);
  });

  it("cannot evaluate a source without an ingestion rate (one sample)", () => {
    const source = newJobVertexID();
    const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 1)]);
    const h = history([1000, collected([[source, [["LAG", 0], ["NUM_RECORDS_IN", 0], ["LOAD", 0.5]]]])]);
    expect(() => evaluator.evaluate(new Configuration(), new CollectedMetricHistory(topology, h, 0), 0)).toThrow("Cannot evaluate metrics without ingestion rate information");
  });

  describe("isProcessingBacklog", () => {
    const [s1, s2, op] = [newJobVertexID(), newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([VertexInfo.of(s1, new Map(), 1, 1), VertexInfo.of(s2, new Map(), 1, 1), VertexInfo.of(op, new Map([[s1, "REBALANCE"], [s2, "REBALANCE"]]), 1, 1)]);
    // Both sources read 100 records/s; lags as given in the last sample.
    const lagged = (lag1: number, lag2: number, opLag = 0) =>
      history(
        [0, collected([[s1, [["NUM_RECORDS_IN", 0]]], [s2, [["NUM_RECORDS_IN", 0]]], [op, [["NUM_RECORDS_IN", 0]]]])],
        [1000, collected([[s1, [["NUM_RECORDS_IN", 100], ["LAG", lag1]]], [s2, [["NUM_RECORDS_IN", 100], ["LAG", lag2]]], [op, [["NUM_RECORDS_IN", 200], ["LAG", opLag]]]])],
      );
    const conf = new Configuration(); // backlog-processing.lag-threshold 5 min: 300 s of input, 30000 records

    it("is a lag of more than backlog-processing.lag-threshold seconds of input, at any source", () => {
      expect(ScalingMetricEvaluator.isProcessingBacklog(topology, lagged(30_000, 0), conf)).toBe(false);
      let backlog = false;
      expect(logLines(LOGGER, () => (backlog = ScalingMetricEvaluator.isProcessingBacklog(topology, lagged(0, 30_100), conf)))).toEqual([
        `INFO Currently processing backlog at source ${s2}`,
      ]);
      expect(backlog).toBe(true);
    });

    it("reads sources only, and needs their input rate", () => {
      expect(ScalingMetricEvaluator.isProcessingBacklog(topology, lagged(0, 0, 1e9), conf)).toBe(false);
      const oneSample = history([1000, collected([[s1, [["NUM_RECORDS_IN", 100], ["LAG", 1e9]]], [s2, [["NUM_RECORDS_IN", 100], ["LAG", 1e9]]], [op, []]])]);
      expect(ScalingMetricEvaluator.isProcessingBacklog(topology, oneSample, conf)).toBe(false);
    });
  });

  it("getRate spans the first and last samples having the metric", () => {
    const v = newJobVertexID();
    // 0 at 0 s, 100 at 1 s, none at 2 s: 100 records/s.
    const h = history([0, collected([[v, [["NUM_RECORDS_IN", 0]]]])], [1000, collected([[v, [["NUM_RECORDS_IN", 100]]]])], [2000, collected([[v, []]])]);
    expect(ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", v, h)).toBe(100);
  });

  it("getAverage skips infinite values, and is infinite when all are", () => {
    const v = newJobVertexID();
    const h = (a: number, b: number) => history([0, collected([[v, [["OBSERVED_TPR", a]]]])], [1000, collected([[v, [["OBSERVED_TPR", b]]]])]);
    expect(ScalingMetricEvaluator.getAverage("OBSERVED_TPR", v, h(Infinity, Infinity))).toBe(Infinity);
    expect(ScalingMetricEvaluator.getAverage("OBSERVED_TPR", v, h(Infinity, 10))).toBe(10);
  });

  describe("edge data rates", () => {
    const [a, b, c, t, u] = [newJobVertexID(), newJobVertexID(), newJobVertexID(), newJobVertexID(), newJobVertexID()];
    // a and b feed t; c feeds t and u.
    const topology = new JobTopology([
      VertexInfo.of(a, new Map(), 1, 1),
      VertexInfo.of(b, new Map(), 1, 1),
      VertexInfo.of(c, new Map(), 1, 1),
      VertexInfo.of(t, new Map([[a, "REBALANCE"], [b, "REBALANCE"], [c, "REBALANCE"]]), 1, 1),
      VertexInfo.of(u, new Map([[c, "REBALANCE"]]), 1, 1),
    ]);
    const twoInputs = new JobTopology([
      VertexInfo.of(a, new Map(), 1, 1),
      VertexInfo.of(b, new Map(), 1, 1),
      VertexInfo.of(t, new Map([[a, "REBALANCE"], [b, "REBALANCE"]]), 1, 1),
    ]);
    // Rates over 1 s: a in 100, out 500; b in 100, out 100; c in 100, out 50; t in 300.
    const rates = (tIn = 300, aIn = 100) =>
      history(
        [0, collected([[a, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0]]], [b, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0]]], [c, [["NUM_RECORDS_IN", 0], ["NUM_RECORDS_OUT", 0]]], [t, [["NUM_RECORDS_IN", 0]]]])],
        [1000, collected([[a, [["NUM_RECORDS_IN", aIn], ["NUM_RECORDS_OUT", 500]]], [b, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 100]]], [c, [["NUM_RECORDS_IN", 100], ["NUM_RECORDS_OUT", 50]]], [t, [["NUM_RECORDS_IN", tIn]]]])],
      );

    it("subtracts the other inputs' output when each has one output, else falls back to the upstream's output", () => {
      let rate = 0;
      // t's 300 minus b's 100: 200 (a's own output, 500, would be the fallback).
      expect(logLines(LOGGER, () => (rate = ScalingMetricEvaluator.computeEdgeDataRate(twoInputs, rates(), a, t)))).toEqual([
        `DEBUG Computing edge (${a}, ${t}) data rate by subtracting upstream input rates`,
      ]);
      expect(rate).toBe(200);
      // c has two outputs: a's 500.
      expect(logLines(LOGGER, () => (rate = ScalingMetricEvaluator.computeEdgeDataRate(topology, rates(), a, t)))).toEqual([
        `DEBUG Computing edge (${a}, ${t}) data rate by falling back to from num records out`,
      ]);
      expect(rate).toBe(500);
    });

    it("an output ratio is 0 without input, and never negative", () => {
      // a reads nothing.
      expect(ScalingMetricEvaluator.computeEdgeOutputRatio(a, t, twoInputs, rates(300, 0))).toBe(0);
      // t's 50 minus b's 100 is negative.
      expect(ScalingMetricEvaluator.computeEdgeOutputRatio(a, t, twoInputs, rates(50))).toBe(0);
      expect(ScalingMetricEvaluator.computeEdgeOutputRatio(a, t, twoInputs, rates())).toBe(2);
    });
  });

  it("switches to the observed rate only when the busy-time rate exceeds it by more than the switch threshold", () => {
    const v = newJobVertexID();
    const conf = new Configuration();
    conf.set(OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD, 0.5);
    // Observed 100 (two samples, the default minimum); busy 500 ms/s: 75 / 0.5 = 150 = 100 x 1.5, kept.
    const h = history([0, collected([[v, [["OBSERVED_TPR", 100]]]])], [1000, collected([[v, [["OBSERVED_TPR", 100]]]])]);
    let tpr = 0;
    expect(logLines(LOGGER, () => (tpr = ScalingMetricEvaluator.computeTrueProcessingRate(500, 75, h, v, conf)))).toEqual([`DEBUG Using busy time based tpr 150 for ${v}.`]);
    expect(tpr).toBe(150);
    // 75.5 / 0.5 = 151: the observed 100.
    expect(logLines(LOGGER, () => (tpr = ScalingMetricEvaluator.computeTrueProcessingRate(500, 75.5, h, v, conf)))).toEqual([
      `DEBUG Using observed tpr 100 for ${v} as busy time based seems too large (151)`,
    ]);
    expect(tpr).toBe(100);
  });
});
