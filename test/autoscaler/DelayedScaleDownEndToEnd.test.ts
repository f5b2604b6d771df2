// Port of upstream's DelayedScaleDownEndToEndTest (flink-autoscaler, release-1.15.0).
import { beforeEach, describe, expect, it } from "vitest";
import {
  AUTOSCALER_ENABLED,
  CATCH_UP_DURATION,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  METRICS_WINDOW,
  RESTART_TIME,
  SCALE_DOWN_INTERVAL,
  SCALING_ENABLED,
  STABILIZATION_INTERVAL,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET as UTILIZATION_TARGET_OPTION,
  VERTEX_MAX_PARALLELISM,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { JobAutoScalerImpl } from "../../src/autoscaler/JobAutoScalerImpl.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
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
const INITIAL_SOURCE_PARALLELISM = 200;
const INITIAL_SINK_PARALLELISM = 1000;
const UTILIZATION_TARGET = 0.8;

describe("DelayedScaleDownEndToEndTest", () => {
  let conf: Configuration;
  let context: Ctx;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  let realized: Map<string, string>[];
  let metricsCollector: TestingMetricsCollector<string, Ctx>;
  let source: string;
  let sink: string;
  let autoscaler: JobAutoScalerImpl<string, Ctx>;
  let now: number;
  let expectedMetricSize: number;

  const buildMetric = (totalRecords: number, busyTimePerSec: number) => new TestMetrics({ numRecordsIn: totalRecords, numRecordsOut: totalRecords, maxBusyTimePerSec: busyTimePerSec });
  const setClocksTo = (t: number) => {
    const clock = new FixedClock(t);
    metricsCollector.setClock(clock);
    autoscaler.setClock(clock);
  };
  const recommended = (v: string) => autoscaler.lastEvaluatedMetrics.get(context.getJobKey())!.vertexMetrics.get(v)!.get("RECOMMENDED_PARALLELISM" as ScalingMetric)?.getCurrent();
  /** The first metric window is not full yet: nothing is recommended. */
  const expectNoRecommendationYet = () => {
    expect(recommended(source)).toBeUndefined();
    expect(recommended(sink)).toBeUndefined();
  };
  /** Both vertices are recommended to stay at their initial parallelism. */
  const expectInitialRecommendations = () => {
    expect(recommended(source)).toBe(INITIAL_SOURCE_PARALLELISM);
    expect(recommended(sink)).toBe(INITIAL_SINK_PARALLELISM);
  };
  const assertCollectedMetricsSize = (n: number) => expect(stateStore.getCollectedMetrics(context).size).toBe(n);
  const delayedVertices = () => stateStore.getDelayedScaleDown(context).getDelayedVertices();
  const expectedParallelism = (busyTime: number, current: number) => Math.ceil((current * (busyTime / 1000)) / UTILIZATION_TARGET);
  const expectedFromList = (busyList: readonly number[], current: number) => expectedParallelism(Math.max(...busyList.slice(busyList.length - 6)), current);
  const pollAndAssertScalingRealizer = (expectedSource: number, expectedSink: number) => {
    expect(recommended(source)).toBe(expectedSource);
    expect(recommended(sink)).toBe(expectedSink);
    expect(realized).toHaveLength(1);
    const overrides = realized.shift()!;
    expect(overrides.get(source)).toBe(String(expectedSource));
    expect(overrides.get(sink)).toBe(String(expectedSink));
  };
  const average = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  /** One scale() a minute, with the two vertices' busy times; returns false to stop early. */
  function step(totalRecords: number, sourceBusy: number, sinkBusy: number): void {
    now += MINUTE;
    setClocksTo(now);
    metricsCollector.updateTestMetrics(source, buildMetric(totalRecords, sourceBusy));
    metricsCollector.updateTestMetrics(sink, buildMetric(totalRecords, sinkBusy));
    autoscaler.scale(context);
    expectedMetricSize = Math.min(expectedMetricSize + 1, 10); // a 10-minute window
    assertCollectedMetricsSize(expectedMetricSize);
  }

  beforeEach(() => {
    conf = new Configuration();
    context = new JobAutoScalerContext<string>("job-key", "job", "RUNNING", conf, () => emptyRestClient);
    stateStore = new InMemoryAutoScalerStateStore();
    [source, sink] = [newJobVertexID(), newJobVertexID()];
    metricsCollector = new TestingMetricsCollector(
      new JobTopology([VertexInfo.of(source, new Map(), INITIAL_SOURCE_PARALLELISM, 4000), VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), INITIAL_SINK_PARALLELISM, 4000)]),
    );
    conf.set(AUTOSCALER_ENABLED, true);
    conf.set(SCALING_ENABLED, true);
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(RESTART_TIME, 0);
    conf.set(CATCH_UP_DURATION, 0);
    conf.set(VERTEX_MAX_PARALLELISM, 10000);
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    conf.set(UTILIZATION_TARGET_OPTION, UTILIZATION_TARGET);
    conf.set(UTILIZATION_MAX, UTILIZATION_TARGET + 0.1);
    conf.set(UTILIZATION_MIN, UTILIZATION_TARGET - 0.1);
    conf.set(SCALE_DOWN_INTERVAL, 60 * MINUTE - SECOND);
    conf.set(METRICS_WINDOW, 10 * MINUTE - SECOND); // 9:59 keeps exactly 10 samples
    realized = [];
    const events = new TestingEventCollector<string, Ctx>();
    autoscaler = new JobAutoScalerImpl(
      metricsCollector,
      new ScalingMetricEvaluator(),
      new ScalingExecutor(events, stateStore),
      events,
      { realizeParallelismOverrides: (_c, o) => realized.push(new Map(o)), realizeConfigOverrides: () => {} },
      stateStore,
    );
    expect(autoscaler.lastEvaluatedMetrics.get(context.getJobKey())).toBeUndefined();
    now = 0;
    setClocksTo(now);
    metricsCollector.jobUpdateTs = now;
    metricsCollector.updateTestMetrics(source, buildMetric(0, 800));
    metricsCollector.updateTestMetrics(sink, buildMetric(0, 800));
    autoscaler.scale(context);
    expectedMetricSize = 1;
    assertCollectedMetricsSize(expectedMetricSize);
  });

  it("testDelayedScaleDownHappenInLastMetricWindow", () => {
    const sourceBusyList = [800, 800, 800, 800, 800, 800, 800];
    const sinkBusyList = [350, 300, 150, 200, 400, 250, 100];
    let totalRecords = 0;
    for (let w = 0; w < sourceBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        step(totalRecords, sourceBusyList[w]!, sinkBusyList[w]!);
        if (w === sourceBusyList.length - 1 && i === 10) {
          // The scale down runs at last, with the largest recommendation of the interval.
          pollAndAssertScalingRealizer(expectedFromList(sourceBusyList, INITIAL_SOURCE_PARALLELISM), expectedFromList(sinkBusyList, INITIAL_SINK_PARALLELISM));
        } else {
          if (w === 0 && i <= 9) {
            expectNoRecommendationYet();
          } else {
            expectInitialRecommendations();
          }
          expect(realized).toHaveLength(0);
        }
        totalRecords += 4_800_000;
      }
    }
  });

  it.each([
    [[700, 690, 690, 690, 690, 690, 700, 690, 690, 690, 690, 690, 700, 690, 690, 690, 690, 690, 700, 690, 690, 690, 690, 690, 700, 690, 690, 690, 690, 690, 700]],
    [[700, 690, 700, 690, 700, 690, 700, 690, 700, 690, 700, 690, 700, 690, 700]],
    [[790, 200, 200, 200, 200, 200, 790, 200, 200, 200, 200, 200, 790, 200, 200, 200, 200, 200, 790, 200, 200, 200, 200, 200, 790, 200, 200, 200, 200, 200, 790]],
    [[790, 200, 790, 200, 790, 200, 790, 200, 790, 200, 790, 200, 790, 200, 790]],
  ])("testScaleDownNeverHappenWhenMaxRecommendedParallelismWithinUtilizationBoundary %#", (sinkBusyList) => {
    let totalRecords = 0;
    for (let w = 0; w < sinkBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        step(totalRecords, 800, sinkBusyList[w]!);
        if (w === 0 && i <= 9) {
          expectNoRecommendationYet();
        } else {
          expectInitialRecommendations();
        }
        expect(realized).toHaveLength(0);
        totalRecords += 4_800_000;
      }
    }
  });

  it.each([
    [[780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780], [800, 790, 780, 770, 760, 750, 740, 730, 720, 710, 700, 690, 680, 670, 660, 660, 660]],
    [[780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780], [700, 700, 700, 700, 700, 700, 700, 700, 700, 700, 700, 690, 680, 670, 660, 660, 660]],
    [[780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780], [800, 790, 790, 790, 790, 790, 790, 790, 790, 790, 790, 690, 680, 670, 660, 660, 660, 660]],
    [[780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780], [800, 790, 780, 770, 760, 750, 740, 730, 720, 710, 700, 100, 100, 100, 100, 100, 100]],
    [
      [780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780, 780],
      [800, 790, 780, 770, 760, 750, 740, 730, 720, 710, 700, 200, 200, 200, 200, 200, 700, 100, 100, 100, 100, 100, 100],
    ],
  ])("testScaleDownUtilizationBoundaryFromWithinToOutside %#", (sourceBusyList, sinkBusyList) => {
    let totalRecords = 0;
    const sinkWindow: number[] = [];
    const sourceWindow: number[] = [];
    const sinkOutside: number[] = [];
    const sourceRecommendation: number[] = [];
    outer: for (let w = 0; w < sourceBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        sourceWindow.push(sourceBusyList[w]!);
        sinkWindow.push(sinkBusyList[w]!);
        if (sinkWindow.length > 10) {
          sinkWindow.shift();
          sourceWindow.shift();
        }
        step(totalRecords, sourceBusyList[w]!, sinkBusyList[w]!);
        if (w === 0 && i <= 9) {
          expectNoRecommendationYet();
          expect(realized).toHaveLength(0);
        } else {
          const sourceAvg = average(sourceWindow);
          const sinkAvg = average(sinkWindow);
          if (sinkAvg < 700) {
            sourceRecommendation.push(expectedParallelism(sourceAvg, INITIAL_SOURCE_PARALLELISM));
            sinkOutside.push(expectedParallelism(sinkAvg, INITIAL_SINK_PARALLELISM));
          } else {
            sourceRecommendation.length = 0;
            sinkOutside.length = 0;
          }
          if (sinkOutside.length >= 60) {
            pollAndAssertScalingRealizer(Math.max(...sourceRecommendation), Math.max(...sinkOutside));
            break outer;
          }
          expectInitialRecommendations();
          expect(realized).toHaveLength(0);
        }
        totalRecords += 4_800_000;
      }
    }
  });

  it("testDelayedScaleDownIsResetWhenAnotherTaskScaleUp", () => {
    const sourceBusyList = [800, 800, 800, 800, 950];
    const sinkBusyList = [200, 200, 200, 200, 200];
    const sourceWindow: number[] = [];
    let totalRecords = 0;
    outer: for (let w = 0; w < sourceBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        sourceWindow.push(sourceBusyList[w]!);
        if (sourceWindow.length > 10) sourceWindow.shift();
        step(totalRecords, sourceBusyList[w]!, sinkBusyList[w]!);
        if (w === 0 && i <= 9) {
          expectNoRecommendationYet();
          expect(realized).toHaveLength(0);
        } else {
          const busyAvg = average(sourceWindow);
          if (busyAvg > 900) {
            // The source scales up; the sink's delayed scale down is dropped.
            pollAndAssertScalingRealizer(Math.ceil((INITIAL_SOURCE_PARALLELISM * (busyAvg / 1000)) / UTILIZATION_TARGET), INITIAL_SINK_PARALLELISM);
            expect(delayedVertices().size).toBe(0);
            break outer;
          }
          expectInitialRecommendations();
          expect(realized).toHaveLength(0);
          expect(delayedVertices().size).toBeGreaterThan(0);
        }
        totalRecords += 4_800_000;
      }
    }
  });

  it("testDelayedScaleDownIsResetWhenAnotherTaskScaleDown", () => {
    const sourceBusyList = [200, 200, 200, 200, 200, 200, 200];
    const sinkBusyList = [800, 800, 200, 200, 200, 200, 200];
    let totalRecords = 0;
    for (let w = 0; w < sourceBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        step(totalRecords, sourceBusyList[w]!, sinkBusyList[w]!);
        if (w === 0 && i <= 9) {
          expectNoRecommendationYet();
          expect(realized).toHaveLength(0);
        } else if (w === sourceBusyList.length - 1 && i === 10) {
          pollAndAssertScalingRealizer(expectedFromList(sourceBusyList, INITIAL_SOURCE_PARALLELISM), INITIAL_SINK_PARALLELISM);
          expect(delayedVertices().size).toBe(0);
        } else {
          expectInitialRecommendations();
          expect(realized).toHaveLength(0);
          expect(delayedVertices().size).toBeGreaterThan(0);
        }
        totalRecords += 4_800_000;
      }
    }
  });

  it.each([
    [[200, 200, 200, 200, 800]],
    [[700, 700, 700, 700, 800]],
    [[780, 780, 780, 780, 800]],
    [[790, 800]],
    [[760, 800]],
    [[750, 800]],
    [[350, 800]],
    [[200, 200, 200, 200, 850]],
    [[700, 700, 700, 700, 850]],
    [[780, 780, 780, 780, 850]],
    [[790, 850]],
    [[760, 850]],
    [[750, 850]],
    [[350, 850]],
    [[200, 200, 200, 200, 900]],
    [[700, 700, 700, 700, 900]],
    [[780, 780, 780, 780, 900]],
    [[790, 900]],
    [[760, 900]],
    [[750, 900]],
    [[350, 900]],
  ])("testDelayedScaleDownIsCanceledWhenRecommendedParallelismIsGreaterOrEqual %#", (sinkBusyList) => {
    const sinkWindow: number[] = [];
    let totalRecords = 0;
    outer: for (let w = 0; w < sinkBusyList.length; w++) {
      for (let i = 1; i <= 10; i++) {
        sinkWindow.push(sinkBusyList[w]!);
        if (sinkWindow.length > 10) sinkWindow.shift();
        step(totalRecords, 800, sinkBusyList[w]!);
        expect(realized).toHaveLength(0);
        if (w === 0 && i <= 9) {
          expectNoRecommendationYet();
        } else {
          expectInitialRecommendations();
          if (average(sinkWindow) >= 800) {
            // A recommendation at or above the current parallelism cancels the delayed scale down.
            expect(delayedVertices().size).toBe(0);
            break outer;
          }
          expect(delayedVertices().size).toBeGreaterThan(0);
        }
        totalRecords += 480_000_000;
      }
    }
  });
});
