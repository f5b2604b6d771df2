// Where upstream (release-1.15.0) dereferences a metric that may be absent, Java throws a
// NullPointerException (or IndexOutOfBoundsException); the port throws an error naming what
// is missing, never NaN or undefined. Each case names the Java line that throws.
import { beforeEach, describe, expect, it } from "vitest";
import {
  BUSY_TIME_AGGREGATOR,
  OBSERVED_SCALABILITY_MIN_OBSERVATIONS,
  SCALE_DOWN_INTERVAL,
  UTILIZATION_TARGET,
  VERTEX_EXCLUDE_IDS,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { DelayedScaleDown } from "../../src/autoscaler/DelayedScaleDown.ts";
import type { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { JobVertexScaler } from "../../src/autoscaler/JobVertexScaler.ts";
import type { AggregatedMetric } from "../../src/autoscaler/metrics/AggregatedMetric.ts";
import { CollectedMetricHistory } from "../../src/autoscaler/metrics/CollectedMetricHistory.ts";
import type { CollectedMetrics } from "../../src/autoscaler/metrics/CollectedMetrics.ts";
import type { EvaluatedMetrics } from "../../src/autoscaler/metrics/EvaluatedMetrics.ts";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { FlinkMetric } from "../../src/autoscaler/metrics/FlinkMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { computeDataRateMetrics, computeGlobalMetrics, computeLagMetrics, computeLoadMetrics } from "../../src/autoscaler/metrics/ScalingMetrics.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { computeBaselineProcessingRate, getTargetProcessingCapacity, optimizeLinearScalingCoefficient } from "../../src/autoscaler/utils/AutoScalerUtils.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { createDefaultJobAutoScalerContext, newJobVertexID, TestingEventCollector } from "./testing.ts";

type Ctx = JobAutoScalerContext<string>;
type Metrics = Map<ScalingMetric, EvaluatedScalingMetric>;

const T0 = Date.parse("2024-05-16T17:00:00Z");
const T1 = Date.parse("2024-05-16T17:01:00Z");

/** One vertex's evaluated metrics with its thresholds, as the evaluator leaves them. */
function evaluated(conf: Configuration, parallelism: number, targetDataRate: number, trueProcessingRate: number): Metrics {
  const metrics: Metrics = new Map([
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

function without(metrics: Metrics, ...names: ScalingMetric[]): Metrics {
  for (const n of names) metrics.delete(n);
  return metrics;
}

describe("JobVertexScaler fails on a missing metric as upstream does", () => {
  const vertex = newJobVertexID();
  let conf: Configuration;
  let context: Ctx;
  let scaler: JobVertexScaler<string, Ctx>;

  beforeEach(() => {
    context = createDefaultJobAutoScalerContext();
    conf = context.getConfiguration();
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    scaler = new JobVertexScaler(new TestingEventCollector<string, Ctx>());
    scaler.setClock(new FixedClock(T1));
  });

  const compute = (metrics: Metrics, history = new TreeMap<ScalingSummary>()) =>
    scaler.computeScaleTargetParallelism(context, vertex, [], metrics, history, 0, new DelayedScaleDown());

  // A scale up from 10 to 20 (target 200 at utilization 1, 100 processed) when nothing is missing.
  it.each([
    ["PARALLELISM", "JobVertexScaler.java:183"],
    ["TRUE_PROCESSING_RATE", "JobVertexScaler.java:184"],
    ["NUM_SOURCE_PARTITIONS", "JobVertexScaler.java:238"],
    ["MAX_PARALLELISM", "JobVertexScaler.java:239"],
    ["SCALE_UP_RATE_THRESHOLD", "JobVertexScaler.java:399"],
    ["SCALE_DOWN_RATE_THRESHOLD", "JobVertexScaler.java:400"],
  ] as const)("computeScaleTargetParallelism without %s (%s)", (metric, _javaLine) => {
    expect(compute(evaluated(conf, 10, 200, 100)).getNewParallelism()).toBe(20);
    expect(() => compute(without(evaluated(conf, 10, 200, 100), metric))).toThrow(`Missing metric ${metric} in the evaluated metrics of vertex ${vertex}`);
  });

  it.each([
    ["TRUE_PROCESSING_RATE", "JobVertexScaler.java:471"],
    ["EXPECTED_PROCESSING_RATE", "JobVertexScaler.java:473"],
  ] as const)("the last scale up's summary without %s (%s)", (metric, _javaLine) => {
    // The last scaling went 5 -> 10 and the vertex runs at 10: its effectiveness is checked.
    const last = evaluated(conf, 5, 100, 50);
    last.set("EXPECTED_PROCESSING_RATE", EvaluatedScalingMetric.of(100));
    const history = new TreeMap<ScalingSummary>([[T0, new ScalingSummary(5, 10, without(last, metric))]]);
    expect(() => compute(evaluated(conf, 10, 200, 100), history)).toThrow(`Missing metric ${metric} in the last scaling summary of vertex ${vertex}`);
  });

  it("a scaling summary without TRUE_PROCESSING_RATE when fitting the scaling coefficient (JobVertexScaler.java:325)", () => {
    conf.set(OBSERVED_SCALABILITY_MIN_OBSERVATIONS, 2);
    // The baseline comes from the parallelism-1 summary; the later one lacks its rate.
    const history = new TreeMap<ScalingSummary>([
      [T0, new ScalingSummary(1, 2, evaluated(conf, 1, 100, 100))],
      [T1, new ScalingSummary(2, 4, without(evaluated(conf, 2, 400, 200), "TRUE_PROCESSING_RATE"))],
    ]);
    expect(() => JobVertexScaler.calculateObservedScalingCoefficient(history, conf)).toThrow(
      "Missing metric TRUE_PROCESSING_RATE in the scaling summary of 2024-05-16T17:01:00Z",
    );
  });
});

describe("AutoScalerUtils fails on a missing metric as upstream does", () => {
  const conf = new Configuration();

  it.each([
    ["CATCH_UP_DATA_RATE", "AutoScalerUtils.java:55"],
    ["TARGET_DATA_RATE", "AutoScalerUtils.java:65"],
  ] as const)("getTargetProcessingCapacity without %s (%s)", (metric, _javaLine) => {
    const metrics = without(evaluated(conf, 1, 100, 100), metric);
    expect(() => getTargetProcessingCapacity(metrics, conf, 0.7, true, 0)).toThrow(`Missing metric ${metric} in the evaluated metrics`);
  });

  it("computeBaselineProcessingRate: the parallelism-1 summary without TRUE_PROCESSING_RATE (AutoScalerUtils.java:166)", () => {
    const history = new TreeMap<ScalingSummary>([[T0, new ScalingSummary(1, 2, without(evaluated(conf, 1, 100, 100), "TRUE_PROCESSING_RATE"))]]);
    expect(() => computeBaselineProcessingRate(history)).toThrow("Missing metric TRUE_PROCESSING_RATE in the scaling summary of 2024-05-16T17:00:00Z");
  });

  it("computeBaselineProcessingRate: the smallest parallelism's summary without TRUE_PROCESSING_RATE (AutoScalerUtils.java:184)", () => {
    const history = new TreeMap<ScalingSummary>([
      [T0, new ScalingSummary(2, 4, without(evaluated(conf, 2, 100, 100), "TRUE_PROCESSING_RATE"))],
      [T1, new ScalingSummary(4, 8, evaluated(conf, 4, 100, 100))],
    ]);
    expect(() => computeBaselineProcessingRate(history)).toThrow("Missing metric TRUE_PROCESSING_RATE in the scaling summary of 2024-05-16T17:00:00Z");
  });

  it("optimizeLinearScalingCoefficient with fewer rates than parallelisms (AutoScalerUtils.java:132, List#get)", () => {
    expect(() => optimizeLinearScalingCoefficient([1, 2], [10], 10, 1, 0.5)).toThrow(RangeError);
    expect(() => optimizeLinearScalingCoefficient([1, 2], [10], 10, 1, 0.5)).toThrow("Index 1 out of bounds for length 1");
  });
});

describe("ScalingExecutor fails on a missing metric as upstream does", () => {
  const [a, b] = [newJobVertexID(), newJobVertexID()];
  let context: Ctx;
  let conf: Configuration;
  let executor: ScalingExecutor<string, Ctx>;
  const topology = new JobTopology([VertexInfo.of(a, new Map(), 10, 720), VertexInfo.of(b, new Map(), 10, 720)]);
  const global = (): Metrics =>
    new Map([
      ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)],
      ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)],
    ]);

  beforeEach(() => {
    context = createDefaultJobAutoScalerContext();
    conf = context.getConfiguration();
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    executor = new ScalingExecutor(new TestingEventCollector<string, Ctx>(), new InMemoryAutoScalerStateStore<string, Ctx>());
    executor.setClock(new FixedClock(T1));
  });

  const scale = (m: EvaluatedMetrics) => executor.scaleResource(context, m, new Map(), new ScalingTracking(), T1, topology, new DelayedScaleDown());

  it("a vertex without PARALLELISM (ScalingExecutor.java:208)", () => {
    const m = { vertexMetrics: new Map([[a, without(evaluated(conf, 10, 200, 100), "PARALLELISM")]]), globalMetrics: global() };
    expect(() => scale(m)).toThrow(`Missing metric PARALLELISM in the evaluated metrics of vertex ${a}`);
  });

  it.each([
    ["GC_PRESSURE", "ScalingExecutor.java:247"],
    ["HEAP_MAX_USAGE_RATIO", "ScalingExecutor.java:260"],
  ] as const)("global metrics without %s (%s)", (metric, _javaLine) => {
    const m = { vertexMetrics: new Map([[a, evaluated(conf, 10, 200, 100)]]), globalMetrics: without(global(), metric) };
    expect(() => scale(m)).toThrow(`Missing metric ${metric} in the evaluated global metrics`);
  });

  it("an excluded vertex without PARALLELISM when the overrides are stored (ScalingExecutor.java:425)", () => {
    conf.set(VERTEX_EXCLUDE_IDS, [b]);
    const m = { vertexMetrics: new Map([[a, evaluated(conf, 10, 200, 100)], [b, without(evaluated(conf, 10, 200, 100), "PARALLELISM")]]), globalMetrics: global() };
    expect(() => scale(m)).toThrow(`Missing metric PARALLELISM in the evaluated metrics of vertex ${b}`);
  });
});

describe("ScalingMetricEvaluator fails on missing collected metrics as upstream does", () => {
  const [source, sink] = [newJobVertexID(), newJobVertexID()];
  const topology = new JobTopology([VertexInfo.of(source, new Map(), 1, 720), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 720)]);
  const vertexMetrics = (records: number): [string, Map<ScalingMetric, number>][] => [
    [source, new Map<ScalingMetric, number>([["LAG", 0], ["NUM_RECORDS_IN", records], ["NUM_RECORDS_OUT", records], ["LOAD", 0.5]])],
    [sink, new Map<ScalingMetric, number>([["NUM_RECORDS_IN", records], ["NUM_RECORDS_OUT", 0], ["LOAD", 0.5]])],
  ];
  const sample = (vertices: [string, Map<ScalingMetric, number>][], global: Map<ScalingMetric, number> | null = new Map()): CollectedMetrics => ({
    vertexMetrics: new Map(vertices),
    globalMetrics: global,
  });
  const evaluate = (history: TreeMap<CollectedMetrics>) => new ScalingMetricEvaluator().evaluate(new Configuration(), new CollectedMetricHistory(topology, history, 0), 0);

  it("evaluates two complete samples", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0))], [T1, sample(vertexMetrics(600))]]);
    // 600 records in 60 s.
    expect(evaluate(history).vertexMetrics.get(sink)!.get("TARGET_DATA_RATE")).toEqual(EvaluatedScalingMetric.avg(10));
  });

  it("a source missing from the latest sample (ScalingMetricEvaluator.java:110)", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0))], [T1, sample(vertexMetrics(600).slice(1))]]);
    expect(() => evaluate(history)).toThrow(`No metrics of vertex ${source} in the metric history at 2024-05-16T17:01:00Z`);
  });

  it("a vertex missing from the latest sample (ScalingMetricEvaluator.java:138, dereferenced at :165)", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0))], [T1, sample(vertexMetrics(600).slice(0, 1))]]);
    expect(() => evaluate(history)).toThrow(`No metrics of vertex ${sink} in the metric history at 2024-05-16T17:01:00Z`);
  });

  it("getRate over a sample without the vertex (ScalingMetricEvaluator.java:444)", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0).slice(0, 1))], [T1, sample(vertexMetrics(600))]]);
    expect(() => ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", sink, history)).toThrow(`No metrics of vertex ${sink} in the metric history at 2024-05-16T17:00:00Z`);
  });

  it("getAverage over a sample without the vertex, or without global metrics (ScalingMetricEvaluator.java:479)", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0).slice(0, 1), null)], [T1, sample(vertexMetrics(600))]]);
    expect(() => ScalingMetricEvaluator.getAverage("LOAD", sink, history)).toThrow(`No metrics of vertex ${sink} in the metric history at 2024-05-16T17:00:00Z`);
    expect(() => ScalingMetricEvaluator.getAverage("HEAP_MEMORY_USED", null, history)).toThrow("No global metrics in the metric history at 2024-05-16T17:00:00Z");
  });

  it("the latest sample without global metrics (ScalingMetricEvaluator.java:381)", () => {
    const history = new TreeMap<CollectedMetrics>([[T0, sample(vertexMetrics(0))], [T1, sample(vertexMetrics(600), null)]]);
    expect(() => ScalingMetricEvaluator.evaluateGlobalMetrics(history)).toThrow("No global metrics in the metric history at 2024-05-16T17:01:00Z");
  });
});

describe("ScalingMetrics fails on a Flink metric without the aggregate it reads, as upstream does", () => {
  const source = newJobVertexID();
  const agg = (id: string, fields: Partial<Omit<AggregatedMetric, "id">>): AggregatedMetric => ({ id, ...fields });
  const io = { numRecordsIn: 0, numRecordsOut: 0, accumulatedBusyTime: 0 };
  const topology = (ioMetrics: typeof io | null) => new JobTopology([VertexInfo.of(source, new Map(), 1, 720, ioMetrics)]);
  const dataRates = (flinkMetrics: [FlinkMetric, AggregatedMetric][], ioMetrics: typeof io | null = io, lag = 0) =>
    computeDataRateMetrics(source, new Map(flinkMetrics), new Map<ScalingMetric, number>([["LAG", lag]]), topology(ioMetrics), new Configuration(), () => 123);

  it("a vertex without IO metrics in the job details (ScalingMetrics.java:53; :84, dereferenced at :233)", () => {
    const busy: [FlinkMetric, AggregatedMetric][] = [["BUSY_TIME_PER_SEC", agg("busyTimeMsPerSecond", { max: 500 })]];
    expect(() => computeLoadMetrics(source, new Map(busy), new Map(), null, new Configuration())).toThrow(
      `No IO metrics (records in and out) of vertex ${source} in the job details`,
    );
    expect(() => dataRates([], null)).toThrow(`No IO metrics (records in and out) of vertex ${source} in the job details`);
  });

  it("a catching-up source without back pressure, or without its average (ScalingMetrics.java:129)", () => {
    // 100 records/s with a lag of 1e6 records: catching up (lag threshold 30 s).
    const recordsIn: [FlinkMetric, AggregatedMetric] = ["SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", agg("in", { sum: 100 })];
    expect(() => dataRates([recordsIn], io, 1e6)).toThrow("Missing Flink metric BACKPRESSURE_TIME_PER_SEC");
    expect(() => dataRates([recordsIn, ["BACKPRESSURE_TIME_PER_SEC", agg("bp", { max: 0 })]], io, 1e6)).toThrow("Flink metric BACKPRESSURE_TIME_PER_SEC has no avg");
  });

  it("a source's records-in metric without a sum (ScalingMetrics.java:248, :261)", () => {
    expect(() => dataRates([["SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", agg("Source__in.numRecordsInPerSecond", { avg: 5 })]])).toThrow(
      "Flink metric Source__in.numRecordsInPerSecond has no sum",
    );
  });

  it("pending records without a sum (ScalingMetrics.java:198, unboxed at ScalingMetricCollector.java:374)", () => {
    expect(() => computeLagMetrics(new Map([["PENDING_RECORDS", agg("pendingRecords", { max: 5 })]]), new Map())).toThrow("Flink metric PENDING_RECORDS has no sum");
  });

  it("busy time without the aggregate busy-time.aggregator names (MetricAggregator.java:38)", () => {
    const conf = new Configuration();
    conf.set(BUSY_TIME_AGGREGATOR, "MAX");
    expect(() => computeLoadMetrics(source, new Map([["BUSY_TIME_PER_SEC", agg("busyTimeMsPerSecond", { avg: 500 })]]), new Map(), io, conf)).toThrow(
      "Flink metric busyTimeMsPerSecond has no max",
    );
  });

  const tm = (entries: [FlinkMetric, AggregatedMetric][]) => computeGlobalMetrics(new Map(), new Map(entries), new Configuration());
  const full = { min: 1, max: 2, avg: 1.5 };
  it.each([
    ["TOTAL_GC_TIME_PER_SEC", "ScalingMetrics.java:169"],
    ["HEAP_MEMORY_USED", "ScalingMetrics.java:177"],
    ["HEAP_MEMORY_MAX", "ScalingMetrics.java:177"],
    ["MANAGED_MEMORY_USED", "ScalingMetrics.java:182, unboxed at ScalingMetricEvaluator.java:479"],
    ["METASPACE_MEMORY_USED", "ScalingMetrics.java:187, unboxed at ScalingMetricEvaluator.java:479"],
  ] as const)("TaskManager metric %s without a max (%s)", (metric, _javaLine) => {
    const metrics: [FlinkMetric, AggregatedMetric][] = (["TOTAL_GC_TIME_PER_SEC", "HEAP_MEMORY_USED", "HEAP_MEMORY_MAX", "MANAGED_MEMORY_USED", "METASPACE_MEMORY_USED"] as const).map(
      (m) => [m, agg(m, m === metric ? { min: 1, avg: 1.5 } : full)],
    );
    expect(() => tm(metrics)).toThrow(`Flink metric ${metric} has no max`);
  });
});
