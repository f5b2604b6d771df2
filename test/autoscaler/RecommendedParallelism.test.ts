// Port of upstream's RecommendedParallelismTest (flink-autoscaler, release-1.15.0).
import { beforeEach, describe, expect, it } from "vitest";
import {
  AUTOSCALER_ENABLED,
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
import { JobAutoScalerImpl } from "../../src/autoscaler/JobAutoScalerImpl.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";
import { emptyRestClient, TestingMetricsCollector, TestMetrics } from "./TestingMetricsCollector.ts";

type Ctx = JobAutoScalerContext<string>;

describe("RecommendedParallelismTest", () => {
  let context: Ctx;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  let metricsCollector: TestingMetricsCollector<string, Ctx>;
  let source: string;
  let sink: string;
  let autoscaler: JobAutoScalerImpl<string, Ctx>;
  let conf: Configuration;

  const withStatus = (status: JobStatus) => new JobAutoScalerContext<string>("job-key", "job", status, conf, () => emptyRestClient);

  beforeEach(() => {
    conf = new Configuration();
    context = withStatus("RUNNING");
    const eventCollector = new TestingEventCollector<string, Ctx>();
    stateStore = new InMemoryAutoScalerStateStore();
    source = newJobVertexID();
    sink = newJobVertexID();
    metricsCollector = new TestingMetricsCollector(
      new JobTopology([VertexInfo.of(source, new Map(), 1, 720), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 720)]),
    );
    conf.set(AUTOSCALER_ENABLED, true);
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(RESTART_TIME, 1 * SECOND);
    conf.set(CATCH_UP_DURATION, 2 * SECOND);
    conf.set(SCALING_ENABLED, true);
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    conf.set(UTILIZATION_TARGET, 0.8);
    conf.set(UTILIZATION_MAX, 0.9);
    conf.set(UTILIZATION_MIN, 0.7);
    conf.set(SCALE_DOWN_INTERVAL, 0);
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
  const running = (t: number) => {
    metricsCollector.jobUpdateTs = t;
    context = withStatus("RUNNING");
  };
  const restart = (t: number) => {
    metricsCollector.jobUpdateTs = t;
    context = withStatus("CREATED");
  };
  const assertCollectedMetricsSize = (n: number) => expect(stateStore.getCollectedMetrics(context).size).toBe(n);
  const current = (v: string, m: ScalingMetric) => autoscaler.lastEvaluatedMetrics.get(context.getJobKey())!.vertexMetrics.get(v)!.get(m)?.getCurrent();
  const scaled = () => new Map([...stateStore.getParallelismOverrides(context)].map(([k, v]) => [k, Number(v)]));

  it("endToEnd", () => {
    // Advisor mode first.
    conf.setString(SCALING_ENABLED.key, "false");
    expect(autoscaler.lastEvaluatedMetrics.get(context.getJobKey())).toBeUndefined();
    let now = 0;
    setClocksTo(now);
    running(now);
    metricsCollector.testMetricWindowSize = 3 * SECOND;
    metricsCollector.updateTestMetrics(source, new TestMetrics({ numRecordsIn: 0, numRecordsOut: 0, numRecordsInPerSec: 500, maxBusyTimePerSec: 850, pendingRecords: 2000 }));
    metricsCollector.updateTestMetrics(sink, new TestMetrics({ numRecordsIn: 0, maxBusyTimePerSec: 850 }));
    autoscaler.scale(context);
    assertCollectedMetricsSize(1);

    now += SECOND;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source, (m) => (m.numRecordsIn = 500), (m) => (m.numRecordsOut = 500));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 500));
    autoscaler.scale(context);
    assertCollectedMetricsSize(2);
    expect(current(source, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(current(sink, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(current(source, "PARALLELISM")).toBe(1);
    expect(current(sink, "PARALLELISM")).toBe(1);
    expect(scaled().size).toBe(0);

    now += SECOND;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source, (m) => (m.numRecordsIn = 1000), (m) => (m.numRecordsOut = 1000));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 1000));
    // Empty until the metric window is full.
    autoscaler.scale(context);
    assertCollectedMetricsSize(3);
    expect(current(source, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(current(sink, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(scaled().size).toBe(0);

    now += SECOND;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source, (m) => (m.numRecordsIn = 1500), (m) => (m.numRecordsOut = 1500), (m) => (m.pendingRecords = 1900));
    metricsCollector.updateTestMetrics(sink, (m) => (m.numRecordsIn = 1500));
    // Now the recommendation follows the evaluated metrics.
    autoscaler.scale(context);
    assertCollectedMetricsSize(4);
    expect(current(source, "PARALLELISM")).toBe(1);
    expect(current(sink, "PARALLELISM")).toBe(1);
    expect(current(source, "RECOMMENDED_PARALLELISM")).toBe(4);
    expect(current(sink, "RECOMMENDED_PARALLELISM")).toBe(4);
    expect(scaled().size).toBe(0);

    // Scaling enabled: the recommendation is applied.
    conf.setString(SCALING_ENABLED.key, "true");
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    assertCollectedMetricsSize(4);
    expect(current(source, "RECOMMENDED_PARALLELISM")).toBe(4);
    expect(current(sink, "RECOMMENDED_PARALLELISM")).toBe(4);
    expect(scaled()).toEqual(new Map([[source, 4], [sink, 4]]));

    // The topology after the scale.
    metricsCollector.setJobTopology(new JobTopology([VertexInfo.of(source, new Map(), 4, 24), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 4, 720)]));
    now += 10 * SECOND;
    setClocksTo(now);
    restart(now);
    // Not running: no evaluated metrics.
    autoscaler.scale(context);
    assertCollectedMetricsSize(4);
    expect(autoscaler.lastEvaluatedMetrics.get(context.getJobKey())).toBeUndefined();
    expect(scaled()).toEqual(new Map([[source, 4], [sink, 4]]));

    now += SECOND;
    setClocksTo(now);
    running(now);
    autoscaler.scale(context);
    assertCollectedMetricsSize(1);
    now += SECOND;
    setClocksTo(now);
    autoscaler.scale(context);
    assertCollectedMetricsSize(2);
    expect(current(source, "PARALLELISM")).toBe(4);
    expect(current(sink, "PARALLELISM")).toBe(4);
    expect(current(source, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(current(sink, "RECOMMENDED_PARALLELISM")).toBeUndefined();
    expect(scaled()).toEqual(new Map([[source, 4], [sink, 4]]));
  });
});
