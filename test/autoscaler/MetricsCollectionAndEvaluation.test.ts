// Port of upstream's MetricsCollectionAndEvaluationTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { beforeEach, describe, expect, it } from "vitest";
import {
  SCALE_DOWN_INTERVAL,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  METRICS_WINDOW,
  RESTART_TIME,
  SCALING_ENABLED,
  STABILIZATION_INTERVAL,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { DelayedScaleDown } from "../../src/autoscaler/DelayedScaleDown.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { REPORTED_VERTEX_METRICS, type ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import type { FlinkMetric } from "../../src/autoscaler/metrics/FlinkMetric.ts";
import { MetricNotFoundException } from "../../src/autoscaler/metrics/MetricNotFoundException.ts";
import { NotReadyException } from "../../src/autoscaler/exceptions/NotReadyException.ts";
import { FINISHED_METRICS as FINISHED_IO_METRICS } from "../../src/autoscaler/topology/IOMetrics.ts";
import type { JobDetailsInfo } from "../../src/autoscaler/RestClusterClient.ts";
import { RestApiMetricsCollector } from "../../src/autoscaler/RestApiMetricsCollector.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { DAY, newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";
import { emptyRestClient, TestingMetricsCollector, TestMetrics } from "./TestingMetricsCollector.ts";

type Ctx = JobAutoScalerContext<string>;

describe("MetricsCollectionAndEvaluationTest", () => {
  let conf: Configuration;
  let context: Ctx;
  let evaluator: ScalingMetricEvaluator;
  let metricsCollector: TestingMetricsCollector<string, Ctx>;
  let scalingExecutor: ScalingExecutor<string, Ctx>;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  let source1: string, source2: string, map: string, sink: string;
  let topology: JobTopology;
  let clock: FixedClock;
  const startTime = 0;
  const io0 = { numRecordsIn: 0, numRecordsOut: 0, accumulatedBusyTime: 0 };

  beforeEach(() => {
    conf = new Configuration();
    context = new JobAutoScalerContext<string>("job-key", "job", "RUNNING", conf, () => emptyRestClient);
    evaluator = new ScalingMetricEvaluator();
    stateStore = new InMemoryAutoScalerStateStore();
    scalingExecutor = new ScalingExecutor(new TestingEventCollector(), stateStore);
    [source1, source2, map, sink] = [newJobVertexID(), newJobVertexID(), newJobVertexID(), newJobVertexID()];
    topology = new JobTopology([
      new VertexInfo(source1, "ssg", new Map(), 2, 720, false, io0),
      new VertexInfo(source2, "ssg", new Map(), 2, 720, false, io0),
      new VertexInfo(map, "ssg", new Map([[source1, "REBALANCE"], [source2, "REBALANCE"]]), 12, 720, false, io0),
      new VertexInfo(sink, "ssg", new Map([[map, "REBALANCE"]]), 8, 24, false, io0),
    ]);
    metricsCollector = new TestingMetricsCollector(topology);
    conf.set(STABILIZATION_INTERVAL, 10 * SECOND);
    conf.set(METRICS_WINDOW, 100 * SECOND);
    conf.set(RESTART_TIME, 0);
    conf.set(SCALING_ENABLED, true);
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    clock = new FixedClock(startTime);
    metricsCollector.setClock(clock);
    metricsCollector.jobUpdateTs = startTime;
    scalingExecutor.setClock(clock);
  });

  function setDefaultMetrics(c: TestingMetricsCollector<string, Ctx>) {
    c.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 1000, pendingRecords: 0 }));
    c.updateTestMetrics(source2, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 1000, pendingRecords: 0 }));
    c.updateTestMetrics(map, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 500 }));
    c.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 500 }));
  }

  it("testEndToEnd", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(UTILIZATION_MAX, 1);
    conf.set(UTILIZATION_MIN, 1);
    setDefaultMetrics(metricsCollector);
    // Stabilizing: metrics are collected and returned for reporting.
    let collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(1);
    clock.set(clock.instant() + conf.get(STABILIZATION_INTERVAL));
    collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(2);
    expect(collected.isFullyCollected()).toBe(false);
    clock.set(clock.instant() + SECOND);
    collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(3);
    expect(collected.isFullyCollected()).toBe(false);
    // Stabilization + a full window: complete.
    clock.set(startTime + conf.get(STABILIZATION_INTERVAL) + conf.get(METRICS_WINDOW));
    collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(3);
    expect(collected.isFullyCollected()).toBe(true);

    // A fresh collector reads the stored history back.
    metricsCollector = new TestingMetricsCollector(topology);
    metricsCollector.jobUpdateTs = startTime;
    metricsCollector.setClock(clock);
    setDefaultMetrics(metricsCollector);
    metricsCollector.updateTestMetrics(source1, (tm) => (tm.numRecordsIn = 1000), (tm) => (tm.pendingRecords = 10000));
    metricsCollector.updateTestMetrics(source2, (tm) => (tm.numRecordsIn = 1000), (tm) => (tm.pendingRecords = 10000));
    metricsCollector.updateTestMetrics(map, (tm) => (tm.numRecordsIn = 2000));
    metricsCollector.updateTestMetrics(sink, (tm) => (tm.numRecordsIn = 4000));
    collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(3);
    expect(collected.isFullyCollected()).toBe(true);
    const evaluation = evaluator.evaluate(conf, collected, conf.get(RESTART_TIME));
    scalingExecutor.scaleResource(context, evaluation, new Map(), new ScalingTracking(), clock.instant(), topology, new DelayedScaleDown());
    expect(stateStore.getParallelismOverrides(context).size).toBe(4);
    expect(metricsCollector.getHistories().get(context.getJobKey())).toBeDefined();
    // All reported vertex metrics are evaluated for a scaled vertex (sources have LAG too).
    expect(new Set(evaluation.vertexMetrics.get(source1)!.keys())).toEqual(REPORTED_VERTEX_METRICS);
    metricsCollector.cleanup(context.getJobKey());
    expect(metricsCollector.getHistories().get(context.getJobKey())).toBeUndefined();
    expect(metricsCollector.getAvailableVertexMetricNames().get(context.getJobKey())).toBeUndefined();
  });

  it("testKafkaPulsarNumPartitions", () => {
    setDefaultMetrics(metricsCollector);
    metricsCollector.updateMetrics(context, stateStore);
    clock.set(3 * SECOND);
    metricsCollector.updateMetrics(context, stateStore);
    clock.set(6 * SECOND);
    const kafka = "1.Source__Kafka_Source_(testTopic).KafkaSourceReader.topic";
    metricsCollector.metricNames = new Map([
      [
        source1,
        [
          `${kafka}.testTopic.partition.0.anotherMetric`,
          `${kafka}.anotherTopic.partition.0.currentOffset`,
          `${kafka}.testTopic.partition.0.currentOffset`,
          `${kafka}.testTopic.partition.1.currentOffset`,
          `${kafka}.testTopic.partition.2.currentOffset`,
          `${kafka}.testTopic.partition.3.currentOffset`,
        ],
      ],
    ]);
    expect(metricsCollector.updateMetrics(context, stateStore).jobTopology.get(source1).getNumSourcePartitions()).toBe(5);
    const cluster = (c: number) => `1.Source__Kafka_Source_(testTopic).kafkaCluster.my-cluster-${c}.KafkaSourceReader.topic`;
    metricsCollector.metricNames = new Map([
      [
        source1,
        [
          `${cluster(1)}.testTopic.partition.0.currentOffset`,
          `${cluster(1)}.anotherTopic.partition.0.currentOffset`,
          `${cluster(2)}.testTopic.partition.0.currentOffset`,
          `${cluster(2)}.testTopic.partition.1.currentOffset`,
          `${cluster(2)}.testTopic.partition.2.currentOffset`,
          `${cluster(2)}.testTopic.partition.3.currentOffset`,
        ],
      ],
    ]);
    expect(metricsCollector.updateMetrics(context, stateStore).jobTopology.get(source1).getNumSourcePartitions()).toBe(6);
    const pulsar = "0.Source__pulsar_source[1].PulsarConsumer.persistent_//public/default";
    metricsCollector.metricNames = new Map([
      [
        source2,
        [
          `${pulsar}/testTopic-partition-1.d842f.numMsgsReceived`,
          `${pulsar}/testTopic-partition-1.660d2.numMsgsReceived`,
          `${pulsar}/testTopic-partition-2.d356f.numMsgsReceived`,
          `${pulsar}/otherTopic-partition-2.m953d.numMsgsReceived`,
          `${pulsar}/testTopic-partition-3.e427h.numMsgsReceived`,
          `${pulsar}/testTopic-partition-4.m962n.numMsgsReceived`,
        ],
      ],
    ]);
    expect(metricsCollector.updateMetrics(context, stateStore).jobTopology.get(source2).getNumSourcePartitions()).toBe(5);
  });

  it("testJobDetailsRestCompatibility (hand-written Flink 1.15 and 1.16 responses)", () => {
    // 1.15 sends no accumulated-busy-time; 1.16 may send it as the string "NaN".
    const response = (busy: string) =>
      JSON.parse(
        `{"jid":"j","name":"State machine job","state":"RUNNING","timestamps":{"RUNNING":1667487398514,"CREATED":1667487398210},` +
          `"vertices":[{"id":"bc764cd8ddf7a0cff126f51c16239658","name":"Source: Custom Source","maxParallelism":128,"parallelism":2,"status":"RUNNING",` +
          `"metrics":{"read-records":0,"write-records":99268${busy}}},` +
          `{"id":"20ba6b65f97481d5570070de90e4e791","name":"Flat Map -> Sink: Print to Std. Out","maxParallelism":128,"parallelism":2,"status":"RUNNING",` +
          `"metrics":{"read-records":99205,"write-records":0${busy}}}],` +
          `"plan":{"nodes":[{"id":"20ba6b65f97481d5570070de90e4e791","parallelism":2,"inputs":[{"num":0,"id":"bc764cd8ddf7a0cff126f51c16239658","ship_strategy":"HASH","exchange":"pipelined_bounded"}]},` +
          `{"id":"bc764cd8ddf7a0cff126f51c16239658","parallelism":2}]}}`,
      ) as JobDetailsInfo;
    const collector = new RestApiMetricsCollector<string, Ctx>();
    for (const busy of ["", ',"accumulated-busy-time":"NaN"']) {
      const details = response(busy);
      const t = collector.getJobTopology(details);
      expect(t.get("20ba6b65f97481d5570070de90e4e791").getInputs()).toEqual(new Map([["bc764cd8ddf7a0cff126f51c16239658", "HASH"]]));
      expect(t.get("20ba6b65f97481d5570070de90e4e791").getIoMetrics()!.numRecordsIn).toBe(99205);
      expect(t.get("bc764cd8ddf7a0cff126f51c16239658").getIoMetrics()!.accumulatedBusyTime).toBeNaN();
      expect(collector.getJobRunningTs(details)).toBe(1667487398514);
    }
  });

  it("testMetricCollectorWindow", () => {
    setDefaultMetrics(metricsCollector);
    let history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(1);
    // Not stable: collected and reported.
    metricsCollector.setClock(new FixedClock(clock.instant() + SECOND));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(2);
    const stable = clock.instant() + conf.get(STABILIZATION_INTERVAL);
    metricsCollector.setClock(new FixedClock(stable));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(3);
    expect(history.isFullyCollected()).toBe(false);
    metricsCollector.setClock(new FixedClock(stable + SECOND));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(4);
    expect(history.isFullyCollected()).toBe(false);
    // Window size reached.
    metricsCollector.setClock(new FixedClock(stable + conf.get(METRICS_WINDOW)));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(3);
    expect(history.isFullyCollected()).toBe(true);
    // One second later the first sample of the window goes.
    metricsCollector.setClock(new FixedClock(stable + conf.get(METRICS_WINDOW) + SECOND));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(3);
    // A day later: a window of just the current sample.
    metricsCollector.setClock(new FixedClock(stable + conf.get(METRICS_WINDOW) + DAY));
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(1);
    // A job update clears the history.
    metricsCollector.jobUpdateTs = stable + 10 * DAY;
    history = metricsCollector.updateMetrics(context, stateStore);
    expect(history.metricHistory.size).toBe(1);
  });

  it("testClearHistoryOnTopoChange", () => {
    conf.set(UTILIZATION_TARGET, 1);
    conf.set(UTILIZATION_MIN, 1);
    conf.set(UTILIZATION_MAX, 1);
    setDefaultMetrics(metricsCollector);
    const collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.isEmpty()).toBe(false);
    expect(collected.isFullyCollected()).toBe(false);
  });

  function collectMetrics() {
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(METRICS_WINDOW, 2 * SECOND);
    metricsCollector.setClock(clock);
    let collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(1);
    expect(collected.isFullyCollected()).toBe(false);
    metricsCollector.setClock(new FixedClock(clock.instant() + 2 * SECOND));
    collected = metricsCollector.updateMetrics(context, stateStore);
    expect(collected.metricHistory.size).toBe(2);
    expect(collected.isFullyCollected()).toBe(true);
    return collected;
  }

  it("testTolerateAbsenceOfPendingRecordsMetric", () => {
    const t = new JobTopology([VertexInfo.of(source1, new Map(), 5, 720)]);
    metricsCollector = new TestingMetricsCollector(t);
    metricsCollector.jobUpdateTs = startTime;
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsInPerSec: 0, maxBusyTimePerSec: 100 }));
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(METRICS_WINDOW, 2 * SECOND);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    metricsCollector.setClock(clock);
    metricsCollector.updateMetrics(context, stateStore);
    metricsCollector.setClock(new FixedClock(clock.instant() + 2 * SECOND));
    metricsCollector.updateTestMetrics(source1, (tm) => (tm.numRecordsIn = 1000));
    const collected = metricsCollector.updateMetrics(context, stateStore);
    const evaluation = evaluator.evaluate(conf, collected, conf.get(RESTART_TIME));
    const m = evaluation.vertexMetrics.get(source1)!;
    expect(m.get("TARGET_DATA_RATE")!.getAverage()).toBe(500);
    expect(m.get("TRUE_PROCESSING_RATE")!.getAverage()).toBe(5000);
    expect(m.get("SCALE_DOWN_RATE_THRESHOLD")!.getCurrent()).toBe(1250);
    expect(m.get("SCALE_UP_RATE_THRESHOLD")!.getCurrent()).toBe(500);
    scalingExecutor.scaleResource(context, evaluation, new Map(), new ScalingTracking(), clock.instant(), t, new DelayedScaleDown());
    expect(stateStore.getParallelismOverrides(context).get(source1)).toBe("1");
  });

  it("testFinishedVertexMetricsCollection", () => {
    const [s1, finished] = [newJobVertexID(), newJobVertexID()];
    const t = new JobTopology([VertexInfo.of(s1, new Map(), 10, 720), new VertexInfo(finished, null, new Map(), 10, 720, true, FINISHED_IO_METRICS)]);
    metricsCollector = new TestingMetricsCollector(t);
    metricsCollector.jobUpdateTs = startTime;
    metricsCollector.updateTestMetrics(s1, new TestMetrics({ numRecordsInPerSec: 500, accumulatedBusyTime: 0, maxBusyTimePerSec: 100 }));
    const history = collectMetrics().metricHistory;
    expect(history.get(history.lastKey())!.vertexMetrics.get(finished)).toEqual(
      new Map<ScalingMetric, number>([
        ["LAG", 0],
        ["LOAD", 0],
        ["ACCUMULATED_BUSY_TIME", 0],
        ["NUM_RECORDS_IN", 0],
        ["NUM_RECORDS_OUT", 0],
        ["OBSERVED_TPR", Infinity],
      ]),
    );
  });

  it("testObservedTprCollection", () => {
    const source = newJobVertexID();
    const t = new JobTopology([VertexInfo.of(source, new Map(), 10, 720)]);
    metricsCollector = new TestingMetricsCollector(t);
    metricsCollector.jobUpdateTs = startTime;
    metricsCollector.updateTestMetrics(source, new TestMetrics({ numRecordsIn: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 200, avgBackpressureTimePerSec: 600, pendingRecords: 1_000_000 }));
    conf.set(STABILIZATION_INTERVAL, 0);
    const observedAt = (ms: number) => {
      metricsCollector.setClock(new FixedClock(ms));
      return metricsCollector.updateMetrics(context, stateStore).metricHistory.get(ms)!.vertexMetrics.get(source)!.get("OBSERVED_TPR");
    };
    expect(observedAt(100)).toBe(500 / 0.4);
    // No lag: no observation, and fewer than 2 valid ones to average.
    metricsCollector.updateTestMetrics(source, (tm) => (tm.pendingRecords = 0));
    expect(observedAt(200)).toBeNaN();
    metricsCollector.updateTestMetrics(source, (tm) => (tm.pendingRecords = 100_000), (tm) => (tm.avgBackpressureTimePerSec = 500));
    expect(observedAt(300)).toBe(500 / 0.5);
    // No lag again: now the average of the two valid observations.
    metricsCollector.updateTestMetrics(source, (tm) => (tm.pendingRecords = 0));
    expect(observedAt(400)).toBe((500 / 0.5 + 500 / 0.4) / 2);
  });

  it("testMetricCollectionDuringStabilization", () => {
    const source = newJobVertexID();
    const t = new JobTopology([VertexInfo.of(source, new Map(), 10, 720)]);
    metricsCollector = new TestingMetricsCollector(t);
    metricsCollector.jobUpdateTs = startTime;
    metricsCollector.updateTestMetrics(source, new TestMetrics({ numRecordsIn: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 200, avgBackpressureTimePerSec: 600, pendingRecords: 1_000_000 }));
    conf.set(STABILIZATION_INTERVAL, 100);
    conf.set(METRICS_WINDOW, 100);
    const sizesAt = (ms: number) => {
      metricsCollector.setClock(new FixedClock(ms));
      return [metricsCollector.updateMetrics(context, stateStore).metricHistory.size, stateStore.getCollectedMetrics(context).size];
    };
    // Until the window is full (200 ms) stabilizing samples are kept.
    expect(sizesAt(50)).toEqual([1, 1]);
    expect(sizesAt(60)).toEqual([2, 2]);
    // Metrics missing while stabilizing: not ready, and nothing collected.
    class Missing extends TestingMetricsCollector<string, Ctx> {
      protected override queryFilteredMetricNames(): Map<string, Map<string, FlinkMetric>> {
        throw new MetricNotFoundException("BUSY_TIME_PER_SEC", newJobVertexID());
      }
    }
    const missing = new Missing(t);
    missing.setClock(new FixedClock(startTime));
    missing.jobUpdateTs = startTime;
    const before = stateStore.getCollectedMetrics(context).size;
    expect(() => missing.updateMetrics(context, stateStore)).toThrow(NotReadyException);
    expect(stateStore.getCollectedMetrics(context).size).toBe(before);
    expect(sizesAt(150)).toEqual([3, 3]);
    expect(sizesAt(180)).toEqual([4, 4]);
    // A full window trims the stabilization samples.
    expect(sizesAt(260)).toEqual([2, 2]);
  });

  it("testScaleDownWithZeroProcessingRate", () => {
    const t = new JobTopology([VertexInfo.of(source1, new Map(), 2, 720)]);
    metricsCollector = new TestingMetricsCollector(t);
    metricsCollector.jobUpdateTs = startTime;
    conf.set(SCALE_DOWN_INTERVAL, 0);
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsInPerSec: 0, maxBusyTimePerSec: 100 }));
    const collected = collectMetrics();
    let evaluation = evaluator.evaluate(conf, collected, conf.get(RESTART_TIME));
    const m = evaluation.vertexMetrics.get(source1)!;
    expect(m.get("TARGET_DATA_RATE")!.getAverage()).toBe(0);
    expect(m.get("TRUE_PROCESSING_RATE")!.getAverage()).toBe(Infinity);
    expect(m.get("SCALE_DOWN_RATE_THRESHOLD")!.getCurrent()).toBe(0);
    expect(m.get("SCALE_UP_RATE_THRESHOLD")!.getCurrent()).toBe(0);
    scalingExecutor.scaleResource(context, evaluation, new Map(), new ScalingTracking(), clock.instant(), t, new DelayedScaleDown());
    expect(stateStore.getParallelismOverrides(context).get(source1)).toBe("1");
    // With finite measurements present, the true processing rate is not infinite.
    const first = collected.metricHistory.values()[0]!;
    const newMetrics = new Map(first.vertexMetrics);
    newMetrics.get(source1)!.set("TRUE_PROCESSING_RATE", 3);
    newMetrics.get(source1)!.set("OBSERVED_TPR", 3);
    collected.metricHistory.put(1234 * SECOND, { vertexMetrics: newMetrics, globalMetrics: new Map() });
    evaluation = evaluator.evaluate(conf, collected, conf.get(RESTART_TIME));
    expect(evaluation.vertexMetrics.get(source1)!.get("TRUE_PROCESSING_RATE")!.getAverage()).toBe(3);
  });
});
