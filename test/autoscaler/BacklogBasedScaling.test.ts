// Port of upstream's BacklogBasedScalingTest (flink-autoscaler, release-1.15.0).
import { beforeEach, describe, expect, it } from "vitest";
import {
  AUTOSCALER_ENABLED,
  BACKLOG_PROCESSING_LAG_THRESHOLD,
  CATCH_UP_DURATION,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  RESTART_TIME,
  SCALE_DOWN_INTERVAL,
  SCALING_ENABLED,
  STABILIZATION_INTERVAL,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { JobAutoScalerContext, type JobStatus } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { AUTOSCALER_ERROR, JobAutoScalerImpl } from "../../src/autoscaler/JobAutoScalerImpl.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { MINUTE, newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";
import { emptyRestClient, TestingMetricsCollector, TestMetrics } from "./TestingMetricsCollector.ts";

type Ctx = JobAutoScalerContext<string>;

describe("BacklogBasedScalingTest", () => {
  let conf: Configuration;
  let context: Ctx;
  let eventCollector: TestingEventCollector<string, Ctx>;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  let metricsCollector: TestingMetricsCollector<string, Ctx>;
  let source1: string;
  let sink: string;
  let autoscaler: JobAutoScalerImpl<string, Ctx>;
  const io0 = { numRecordsIn: 0, numRecordsOut: 0, accumulatedBusyTime: 0 };
  const withStatus = (status: JobStatus) => new JobAutoScalerContext<string>("job-key", "job", status, conf, () => emptyRestClient);
  const topology = (p: number, sourceMax: number) =>
    new JobTopology([VertexInfo.of(source1, new Map(), p, sourceMax, io0), VertexInfo.of(sink, new Map([[source1, "REBALANCE"]]), p, 720, io0)]);

  beforeEach(() => {
    conf = new Configuration();
    context = withStatus("RUNNING");
    eventCollector = new TestingEventCollector();
    stateStore = new InMemoryAutoScalerStateStore();
    source1 = newJobVertexID();
    sink = newJobVertexID();
    metricsCollector = new TestingMetricsCollector(topology(1, 720));
    conf.set(AUTOSCALER_ENABLED, true);
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(RESTART_TIME, SECOND);
    conf.set(CATCH_UP_DURATION, 2 * SECOND);
    conf.set(SCALING_ENABLED, true);
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    conf.set(UTILIZATION_TARGET, 0.8);
    conf.set(UTILIZATION_MAX, 0.9);
    conf.set(UTILIZATION_MIN, 0.7);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    conf.set(BACKLOG_PROCESSING_LAG_THRESHOLD, SECOND);
    autoscaler = new JobAutoScalerImpl(
      metricsCollector,
      new ScalingMetricEvaluator(),
      new ScalingExecutor(eventCollector, stateStore),
      eventCollector,
      { realizeParallelismOverrides: () => {}, realizeConfigOverrides: () => {} },
      stateStore,
    );
    metricsCollector.testMetricWindowSize = null;
  });

  const setClocksTo = (t: number) => autoscaler.setClock(new FixedClock(t));
  const assertCollectedMetricsSize = (n: number) => expect(stateStore.getCollectedMetrics(context).size).toBe(n);
  const assertFlinkMetricsCount = (scalings: number, balanced: number) => {
    const m = autoscaler.flinkMetrics.get(context.getJobKey())!;
    expect([m.numScalings, m.numBalanced]).toEqual([scalings, balanced]);
  };
  const scaled = () => new Map([...stateStore.getParallelismOverrides(context)].map(([k, v]) => [k, Number(v)]));

  it("test", () => {
    // Scaling up.
    let now = 0;
    setClocksTo(now);
    metricsCollector.jobUpdateTs = now;
    metricsCollector.testMetricWindowSize = SECOND;
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 850, pendingRecords: 2000 }));
    metricsCollector.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 850 }));
    autoscaler.scale(context);
    assertCollectedMetricsSize(1);
    assertFlinkMetricsCount(0, 0);

    now += SECOND;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = 500), (m) => (m.numRecordsOut = 500));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 500));
    autoscaler.scale(context);
    assertCollectedMetricsSize(2);
    expect(scaled()).toEqual(new Map([[source1, 4], [sink, 4]]));
    assertFlinkMetricsCount(1, 0);

    // Stable while processing pending records.
    metricsCollector.setJobTopology(topology(4, 24));
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 1800, maxBusyTimePerSec: 1000, pendingRecords: 6000 }));
    metricsCollector.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 1000 }));
    now += SECOND;
    setClocksTo(now);
    metricsCollector.jobUpdateTs = now; // a redeploy erases the metric history
    metricsCollector.testMetricWindowSize = 2 * SECOND;
    autoscaler.scale(context);
    assertFlinkMetricsCount(1, 0);
    assertCollectedMetricsSize(1);
    expect(scaled()).toEqual(new Map([[source1, 4], [sink, 4]]));

    metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = 1800), (m) => (m.numRecordsOut = 1800), (m) => (m.pendingRecords = 3600));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 1800));
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = 3600), (m) => (m.numRecordsOut = 3600), (m) => (m.pendingRecords = 2000));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 3600));
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    assertFlinkMetricsCount(1, 1);
    assertCollectedMetricsSize(3);
    expect(scaled()).toEqual(new Map([[source1, 4], [sink, 4]]));

    // Caught up: scale down.
    metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = 5400), (m) => (m.numRecordsIn = 5400), (m) => (m.pendingRecords = 400));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 5400));
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    assertFlinkMetricsCount(2, 1);
    assertCollectedMetricsSize(3);
    expect(scaled()).toEqual(new Map([[source1, 2], [sink, 2]]));
    metricsCollector.jobUpdateTs = now;
    metricsCollector.setJobTopology(topology(2, 24));

    // Stable while processing backlog.
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 900, maxBusyTimePerSec: 1000, pendingRecords: 2000 }));
    metricsCollector.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 1000 }));
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    for (const [records, pending, balanced] of [[900, 1400, 1], [1800, 800, 2], [2700, 300, 3]] as const) {
      metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = records), (m) => (m.pendingRecords = pending));
      metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = records));
      now += SECOND;
      setClocksTo(now);
      autoscaler.scale(context);
      assertFlinkMetricsCount(2, balanced);
      expect(scaled()).toEqual(new Map([[source1, 2], [sink, 2]]));
    }
  });

  it("shouldTrackRestartDurationCorrectly", () => {
    let now = 0;
    setClocksTo(now);
    metricsCollector.jobUpdateTs = now;
    metricsCollector.testMetricWindowSize = SECOND;
    metricsCollector.updateTestMetrics(source1, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 850, pendingRecords: 2000 }));
    metricsCollector.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 850 }));
    autoscaler.scale(context);
    assertCollectedMetricsSize(1);
    assertFlinkMetricsCount(0, 0);
    now += SECOND;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source1, (m) => (m.numRecordsIn = 500), (m) => (m.numRecordsOut = 500));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 100));
    autoscaler.scale(context);
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    expect(scaled()).toEqual(new Map([[source1, 4], [sink, 4]]));
    const lastRestart = () => stateStore.getScalingTracking(context).getLatestScalingRecordEntry()!;
    expect(lastRestart()[1].restartDuration).toBeNull();
    context = withStatus("INITIALIZING");
    autoscaler.scale(context);
    expect(lastRestart()[1].restartDuration).toBeNull(); // not until RUNNING
    context = withStatus("RUNNING");
    metricsCollector.setJobTopology(new JobTopology([VertexInfo.of(source1, new Map(), 4, 720), VertexInfo.of(sink, new Map([[source1, "REBALANCE"]]), 4, 720)]));
    const expectedEndTime = 10;
    metricsCollector.jobUpdateTs = expectedEndTime;
    autoscaler.scale(context);
    expect(lastRestart()[1].restartDuration).toBe(expectedEndTime - lastRestart()[0]);
  });

  it("testEventOnError", () => {
    conf.setString(AUTOSCALER_ENABLED.key, "3"); // invalid
    autoscaler.scale(context);
    const event = eventCollector.poll()!;
    expect(eventCollector.events).toHaveLength(0);
    expect(event.reason).toBe(AUTOSCALER_ERROR);
    expect(event.message.startsWith("Could not parse")).toBe(true);
  });

  it("testNoEvaluationDuringStabilization", () => {
    conf.set(STABILIZATION_INTERVAL, MINUTE);
    setClocksTo(0);
    metricsCollector.jobUpdateTs = 0;
    autoscaler.scale(context);
    expect(autoscaler.lastEvaluatedMetrics.size).toBe(0);
    expect(eventCollector.events).toHaveLength(0);
  });
});
