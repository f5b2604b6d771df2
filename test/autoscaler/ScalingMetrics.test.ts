// Port of upstream's ScalingMetricsTest (flink-autoscaler, release-1.15.0).
import { describe, expect, it } from "vitest";
import { BUSY_TIME_AGGREGATOR, METRIC_AGGREGATORS, VERTEX_EXCLUDE_IDS } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import type { AggregatedMetric } from "../../src/autoscaler/metrics/AggregatedMetric.ts";
import type { FlinkMetric } from "../../src/autoscaler/metrics/FlinkMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import {
  computeDataRateMetrics,
  computeGlobalMetrics,
  computeLoadMetrics,
  computeObservedTprWithBackpressure,
} from "../../src/autoscaler/metrics/ScalingMetrics.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { newJobVertexID } from "./testing.ts";

const PREV_TPR = 123;
const SOURCE = newJobVertexID();
const agg = (min: number, max: number, avg: number, sum: number): AggregatedMetric => ({ id: "", min, max, avg, sum, skew: NaN });
const aggSum = (sum: number) => agg(NaN, NaN, NaN, sum);
const aggMax = (max: number) => agg(NaN, max, NaN, NaN);
const aggAvgMax = (avg: number, max: number) => agg(NaN, max, avg, NaN);
const io = (numRecordsIn: number, numRecordsOut: number, accumulatedBusyTime: number) => ({ numRecordsIn, numRecordsOut, accumulatedBusyTime });
const flink = (entries: [FlinkMetric, AggregatedMetric][]) => new Map(entries);

function computeObservedTpr(lag: number, processingRate: number, busyness: number, backpressure: number, conf = new Configuration()): number {
  const sink = newJobVertexID();
  const topology = new JobTopology([VertexInfo.of(SOURCE, new Map(), 1, 1, io(0, 0, 0)), VertexInfo.of(sink, new Map([[SOURCE, "REBALANCE"]]), 1, 1, io(0, 0, 0))]);
  const scalingMetrics = new Map<ScalingMetric, number>([["LAG", lag]]);
  computeDataRateMetrics(
    SOURCE,
    flink([
      ["BUSY_TIME_PER_SEC", agg(NaN, busyness, NaN, NaN)],
      ["BACKPRESSURE_TIME_PER_SEC", agg(NaN, NaN, backpressure, NaN)],
      ["SOURCE_TASK_NUM_RECORDS_OUT_PER_SEC", agg(NaN, NaN, NaN, processingRate)],
    ]),
    scalingMetrics,
    topology,
    conf,
    () => PREV_TPR,
  );
  return scalingMetrics.get("OBSERVED_TPR")!;
}

describe("ScalingMetricsTest", () => {
  it("testProcessingAndOutputMetrics", () => {
    const [source, op] = [newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 1, io(1, 2, 3)), VertexInfo.of(op, new Map([[source, "REBALANCE"]]), 1, 1, io(1, 2, 3))]);
    const scalingMetrics = new Map<ScalingMetric, number>();
    computeDataRateMetrics(
      source,
      flink([
        ["BUSY_TIME_PER_SEC", agg(NaN, 900, NaN, NaN)],
        ["SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", aggSum(1000)],
      ]),
      scalingMetrics,
      topology,
      new Configuration(),
      () => PREV_TPR,
    );
    expect(scalingMetrics).toEqual(new Map<ScalingMetric, number>([["NUM_RECORDS_IN", 1], ["NUM_RECORDS_OUT", 2], ["OBSERVED_TPR", PREV_TPR]]));
    scalingMetrics.clear();
    computeDataRateMetrics(
      op,
      flink([
        ["BUSY_TIME_PER_SEC", agg(NaN, 100, NaN, NaN)],
        ["SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", aggSum(1000)],
      ]),
      scalingMetrics,
      topology,
      new Configuration(),
      () => 0,
    );
    expect(scalingMetrics).toEqual(new Map<ScalingMetric, number>([["NUM_RECORDS_IN", 1], ["NUM_RECORDS_OUT", 2]]));
  });

  it.each(METRIC_AGGREGATORS)("testLegacySourceScaling %s", (aggregator) => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const conf = new Configuration();
    conf.set(BUSY_TIME_AGGREGATOR, aggregator);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toEqual([]);
    conf.set(VERTEX_EXCLUDE_IDS, [sink]);
    const scalingMetrics = new Map<ScalingMetric, number>();
    // Busy time is NaN for legacy sources.
    computeLoadMetrics(source, flink([["BUSY_TIME_PER_SEC", aggSum(NaN)], ["SOURCE_TASK_NUM_RECORDS_OUT_PER_SEC", aggSum(2000)]]), scalingMetrics, io(0, 0, 0), conf);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toContain(source);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toContain(sink);
  });

  it("testLoadMetrics", () => {
    const source = newJobVertexID();
    const conf = new Configuration();
    const busy = flink([["BUSY_TIME_PER_SEC", agg(100, 200, 150, NaN)]]);
    for (const [aggregator, load] of [["MAX", 0.2], ["MIN", 0.1], ["AVG", 0.15]] as const) {
      conf.set(BUSY_TIME_AGGREGATOR, aggregator);
      const scalingMetrics = new Map<ScalingMetric, number>();
      computeLoadMetrics(source, busy, scalingMetrics, io(0, 0, 123), conf);
      expect(scalingMetrics).toEqual(new Map<ScalingMetric, number>([["LOAD", load], ["ACCUMULATED_BUSY_TIME", 123]]));
    }
  });

  it("testComputeTprWithBackpressure", () => {
    expect(computeObservedTprWithBackpressure(100, 1000)).toBeNaN();
    expect(computeObservedTprWithBackpressure(500, 0)).toBe(500);
    expect(computeObservedTprWithBackpressure(250, 750)).toBe(1000);
  });

  it("computeObservedTpr", () => {
    // Without lag, no observation: the previous average.
    expect(computeObservedTpr(500, 1000, 500, 500)).toBe(PREV_TPR);
    expect(computeObservedTpr(0, 1000, 500, 500)).toBe(PREV_TPR);
    // With lag, the rate scaled to the non-back-pressured share.
    expect(computeObservedTpr(10000000, 900, 850, 100)).toBe(900 / 0.9);
    expect(computeObservedTpr(10000000, 900, 900, 90)).toBe(900 / 0.91);
    expect(computeObservedTpr(10000000, 1000, 500, 200)).toBe(1000 / 0.8);
    expect(computeObservedTpr(10000000, 1000, 500, 190)).toBe(1000 / 0.81);
    // Nothing coming in: infinite.
    expect(computeObservedTpr(500, 0, 100, 100)).toBe(Infinity);
  });

  it("testGlobalMetrics", () => {
    const conf = new Configuration();
    expect(computeGlobalMetrics(new Map(), new Map(), conf)).toEqual(new Map());
    expect(computeGlobalMetrics(new Map(), flink([["HEAP_MEMORY_USED", aggMax(100)]]), conf)).toEqual(new Map());
    expect(
      computeGlobalMetrics(
        new Map(),
        flink([
          ["HEAP_MEMORY_USED", aggAvgMax(75, 100)],
          ["MANAGED_MEMORY_USED", aggAvgMax(128, 133)],
          ["METASPACE_MEMORY_USED", aggAvgMax(11, 22)],
          ["HEAP_MEMORY_MAX", aggMax(200)],
        ]),
        conf,
      ),
    ).toEqual(
      new Map<ScalingMetric, number>([
        ["HEAP_MEMORY_USED", 100],
        ["HEAP_MAX_USAGE_RATIO", 0.5],
        ["MANAGED_MEMORY_USED", 133],
        ["METASPACE_MEMORY_USED", 22],
      ]),
    );
  });
});
