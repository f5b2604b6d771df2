// Port of upstream's ScalingExecutorTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CATCH_UP_DURATION,
  CPU_QUOTA,
  EXCLUDED_PERIODS,
  GC_PRESSURE_THRESHOLD,
  HEAP_USAGE_THRESHOLD,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  MEMORY_QUOTA,
  RESTART_TIME,
  SCALE_DOWN_INTERVAL,
  SCALING_ENABLED,
  SCALING_EVENT_INTERVAL,
  STABILIZATION_INTERVAL,
  TARGET_UTILIZATION_BOUNDARY,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET,
  VERTEX_EXCLUDE_IDS,
} from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { DelayedScaleDown } from "../../src/autoscaler/DelayedScaleDown.ts";
import {
  SCALING_REPORT_REASON,
  SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED,
  SCALING_SUMMARY_HEADER_SCALING_EXECUTION_ENABLED,
} from "../../src/autoscaler/event/AutoScalerEventHandler.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import type { EvaluatedMetrics } from "../../src/autoscaler/metrics/EvaluatedMetrics.ts";
import { EvaluatedScalingMetric } from "../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingRecord } from "../../src/autoscaler/ScalingRecord.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import type { ShipStrategy } from "../../src/autoscaler/topology/ShipStrategy.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { setLogSink, type LogRecord, type LogSink } from "../../src/autoscaler/utils/Logger.ts";
import { createDefaultJobAutoScalerContext, MINUTE, newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";

type Ctx = JobAutoScalerContext<string>;
const MAX_PARALLELISM = 720;
const NOW = Date.parse("2024-05-16T17:17:32.590Z");

describe("ScalingExecutorTest", () => {
  let context: Ctx;
  let eventCollector: TestingEventCollector<string, Ctx>;
  let scalingExecutor: ScalingExecutor<string, Ctx>;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  let conf: Configuration;
  const dummyGlobalMetrics = () =>
    new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)],
      ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)],
    ]);
  let logs: LogRecord[];
  let previousSink: LogSink;

  beforeEach(() => {
    eventCollector = new TestingEventCollector<string, Ctx>(() => NOW);
    context = createDefaultJobAutoScalerContext();
    stateStore = new InMemoryAutoScalerStateStore();
    scalingExecutor = new ScalingExecutor(eventCollector, stateStore);
    scalingExecutor.setClock(new FixedClock(NOW));
    conf = context.getConfiguration();
    conf.set(STABILIZATION_INTERVAL, 0);
    conf.set(SCALING_ENABLED, true);
    conf.set(MAX_SCALE_DOWN_FACTOR, 1);
    conf.set(MAX_SCALE_UP_FACTOR, INTEGER_MAX_VALUE);
    conf.set(CATCH_UP_DURATION, 0);
    logs = [];
    previousSink = setLogSink((r) => logs.push(r));
  });
  afterEach(() => {
    setLogSink(previousSink);
  });

  function evaluated(parallelism: number, target: number, trueProcessingRate: number, catchupRate = 0) {
    const metrics = new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["PARALLELISM", EvaluatedScalingMetric.of(parallelism)],
      ["MAX_PARALLELISM", EvaluatedScalingMetric.of(MAX_PARALLELISM)],
      ["NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(0)],
      ["TARGET_DATA_RATE", new EvaluatedScalingMetric(target, target)],
      ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(catchupRate)],
      ["TRUE_PROCESSING_RATE", new EvaluatedScalingMetric(trueProcessingRate, trueProcessingRate)],
    ]);
    ScalingMetricEvaluator.computeProcessingRateThresholds(metrics, conf, false, conf.get(RESTART_TIME));
    return metrics;
  }
  const metricsOf = (entries: [string, Map<ScalingMetric, EvaluatedScalingMetric>][], global = dummyGlobalMetrics()): EvaluatedMetrics => ({
    vertexMetrics: new Map(entries),
    globalMetrics: global,
  });
  const vertexInfo = (id: string, inputs: [string, ShipStrategy][] = [], parallelism = 10, maxParallelism = 1000) =>
    new VertexInfo(id, null, new Map(inputs), parallelism, maxParallelism, false, null);
  const summaryKeys = (m: EvaluatedMetrics, topology: JobTopology) =>
    [...scalingExecutor.computeScalingSummary(context, m, new Map(), 0, topology, new DelayedScaleDown()).keys()].sort();

  const source = "0bfd135746ac8efb3cce668b12e16d3a";
  const sink = "a6b7102b8d3e3a9564998c1ffeb5e2b7";
  const filterOperator = "869fb403873411306404e9f2e4438c0e";

  it("testUtilizationBoundaries", () => {
    conf.set(RESTART_TIME, 0);
    conf.set(CATCH_UP_DURATION, 0);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    const topology = new JobTopology([vertexInfo(source), vertexInfo(sink, [[source, "HASH"]])]);
    // 0.7 is outside [0.6, 0.6]: scaling.
    conf.set(UTILIZATION_TARGET, 0.6);
    conf.set(UTILIZATION_MAX, 0.6);
    conf.set(UTILIZATION_MIN, 0.6);
    expect(summaryKeys(metricsOf([[source, evaluated(10, 70, 100)], [sink, evaluated(10, 60, 100)]]), topology)).toHaveLength(1);
    // 0.7 and 0.6 are within [0.4, 0.8]: no scaling.
    conf.set(UTILIZATION_MAX, 0.8);
    conf.set(UTILIZATION_MIN, 0.4);
    expect(summaryKeys(metricsOf([[source, evaluated(10, 70, 100)], [sink, evaluated(10, 60, 100)]]), topology)).toHaveLength(0);
    // 0.85 is outside: both scale.
    expect(summaryKeys(metricsOf([[source, evaluated(10, 70, 100)], [sink, evaluated(10, 85, 100)]]), topology)).toHaveLength(2);
    expect(summaryKeys(metricsOf([[source, evaluated(10, 70, 100)], [sink, evaluated(10, 70, 100)]]), topology)).toHaveLength(0);
    // Backlog based scaling.
    expect(summaryKeys(metricsOf([[source, evaluated(10, 70, 100, 15)], [sink, evaluated(10, 70, 100)]]), topology)).toHaveLength(2);
  });

  it("testNoScaleDownOnZeroLowerUtilizationBoundary", () => {
    conf.set(UTILIZATION_TARGET, 0.6);
    conf.set(UTILIZATION_MAX, 1.2);
    conf.set(UTILIZATION_MIN, 0);
    const vertex = newJobVertexID();
    const ev = metricsOf([[vertex, evaluated(100, 1000, Infinity)]]);
    const topology = new JobTopology([new VertexInfo(vertex, null, new Map(), 100, INTEGER_MAX_VALUE, false, { numRecordsIn: 10000, numRecordsOut: 10000, accumulatedBusyTime: 100 })]);
    expect(scalingExecutor.scaleResource(context, ev, new Map(), new ScalingTracking(), NOW, topology, new DelayedScaleDown())).toBe(false);
  });

  it("testUtilizationBoundariesAndUtilizationMinMaxCompatibility", () => {
    conf.set(RESTART_TIME, 0);
    conf.set(CATCH_UP_DURATION, 0);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    const [src, snk] = [newJobVertexID(), newJobVertexID()];
    const topology = new JobTopology([vertexInfo(src), vertexInfo(snk, [[src, "HASH"]])]);
    conf.set(UTILIZATION_TARGET, 0.6);
    conf.set(TARGET_UTILIZATION_BOUNDARY, 0.1);
    let m = metricsOf([[src, evaluated(10, 70, 100)], [snk, evaluated(10, 85, 100)]]);
    expect(summaryKeys(m, topology)).toEqual([src, snk].sort());
    conf.removeConfig(TARGET_UTILIZATION_BOUNDARY);
    conf.set(UTILIZATION_MAX, 0.7);
    conf.set(UTILIZATION_MIN, 0.5);
    expect(summaryKeys(m, topology)).toEqual([src, snk].sort());
    // min/max prevail over the boundary.
    conf.set(TARGET_UTILIZATION_BOUNDARY, 1);
    conf.set(UTILIZATION_MAX, 0.7);
    conf.set(UTILIZATION_MIN, 0.3);
    m = metricsOf([[src, evaluated(10, 60, 100)], [snk, evaluated(10, 85, 100)]]);
    expect(summaryKeys(m, topology)).toEqual([snk]);
    // boundary and max: min derived from the boundary.
    conf.set(UTILIZATION_TARGET, 0.5);
    conf.set(UTILIZATION_MAX, 0.6);
    conf.removeConfig(UTILIZATION_MIN);
    m = metricsOf([[src, evaluated(10, 100, 99999)], [snk, evaluated(10, 80, 99999)]]);
    expect(summaryKeys(m, topology)).toEqual([]);
    m = metricsOf([[src, evaluated(10, 50, 100)], [snk, evaluated(10, 85, 100)]]);
    expect(summaryKeys(m, topology)).toEqual([snk]);
    // boundary and min: max derived from the boundary.
    conf.removeConfig(UTILIZATION_MAX);
    conf.set(UTILIZATION_MIN, 0.3);
    m = metricsOf([[src, evaluated(10, 80, 81)], [snk, evaluated(10, 100, 101)]]);
    expect(summaryKeys(m, topology)).toEqual([]);
    m = metricsOf([[src, evaluated(10, 80, 79)], [snk, evaluated(10, 100, 101)]]);
    expect(summaryKeys(m, topology)).toEqual([src, snk].sort());
  });

  it("testVertexesExclusionForScaling", () => {
    const topology = new JobTopology([vertexInfo(source), vertexInfo(filterOperator, [[source, "HASH"]]), vertexInfo(sink, [[filterOperator, "HASH"]])]);
    conf.set(SCALE_DOWN_INTERVAL, 0);
    conf.set(UTILIZATION_TARGET, 0.8);
    const m = metricsOf([
      [source, evaluated(10, 80, 100)],
      [filterOperator, evaluated(10, 30, 100)],
      [sink, evaluated(10, 80, 100)],
    ]);
    const d = new DelayedScaleDown();
    conf.set(VERTEX_EXCLUDE_IDS, [filterOperator]);
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(false);
    conf.set(VERTEX_EXCLUDE_IDS, []);
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(true);
  });

  it("testExcludedPeriodsForScaling", () => {
    const topology = new JobTopology([vertexInfo(source), vertexInfo(sink, [[source, "HASH"]])]);
    const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19); // local time = UTC here
    conf.set(EXCLUDED_PERIODS, [`${hms(NOW)}-${hms(NOW + 300 * SECOND)}`]);
    const m = metricsOf([[source, evaluated(10, 110, 100)], [sink, evaluated(10, 110, 100)]]);
    const d = new DelayedScaleDown();
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(false);
    conf.set(EXCLUDED_PERIODS, [`${hms(NOW + 100 * SECOND)}-${hms(NOW + 300 * SECOND)}`]);
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(true);
  });

  describe.each([
    ["testScalingEventsWith0IntervalConfig", 0],
    ["testScalingEventsWithIntervalConfig", 1800 * SECOND],
    ["testScalingEventsWithDefaultIntervalConfig", null],
  ] as const)("%s", (_name, interval) => {
    it.each([true, false])("scalingEnabled=%s", (scalingEnabled) => {
      const d = new DelayedScaleDown();
      const jobVertexID = newJobVertexID();
      const topology = new JobTopology([vertexInfo(jobVertexID)]);
      conf.set(SCALING_ENABLED, scalingEnabled);
      if (interval !== null) conf.set(SCALING_EVENT_INTERVAL, interval);
      let m = metricsOf([[jobVertexID, evaluated(1, 110, 100)]]);
      expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(scalingEnabled);
      expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(scalingEnabled);
      const expectedSize = (interval === null || interval > 0) && !scalingEnabled ? 1 : 2;
      expect(eventCollector.events).toHaveLength(expectedSize);
      let event = eventCollector.poll()!;
      while (eventCollector.events.length > 0) event = eventCollector.poll()!;
      expect(event.message).toContain(`{ Vertex ID ${jobVertexID} | Parallelism 1 -> 2 | Processing capacity 100.00 -> 157.00 | Target data rate 110.00}`);
      expect(event.message).toContain(scalingEnabled ? SCALING_SUMMARY_HEADER_SCALING_EXECUTION_ENABLED : SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED);
      expect(event.reason).toBe(SCALING_REPORT_REASON);

      m = metricsOf([[jobVertexID, evaluated(1, 110, 101)]]);
      expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(scalingEnabled);
      const event2 = eventCollector.poll()!;
      expect(event2).toBeDefined();
      expect(event2.count).toBe(expectedSize + 1);
      expect(stateStore.getParallelismOverrides(context).size === 0).toBe(!scalingEnabled);
    });
  });

  /** TestingAutoscalerUtils.createResourceAwareContext: TaskManagers of `cpu` cores and `memory` bytes. */
  const resourceAwareContext = (cpu = 100, memory = 30 * 1024 ** 3) =>
    new JobAutoScalerContext<string>("job-key", "0123456789abcdef0123456789abcdef", "RUNNING", new Configuration(), () => {
      throw new Error("no REST client");
    }, cpu, memory);

  it("testBlockScalingOnFailedResourceCheck", () => {
    const topology = new JobTopology([vertexInfo(source, [], 10, 1000), vertexInfo(sink, [[source, "HASH"]], 10, 1000)]);
    const m = metricsOf(
      [[source, evaluated(10, 100, 50)], [sink, evaluated(10, 100, 50)]],
      new Map<ScalingMetric, EvaluatedScalingMetric>([["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(9)], ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)], ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)]]),
    );
    const d = new DelayedScaleDown();
    // Would scale without a resource check.
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(true);
    const blocked = new ScalingExecutor<string, Ctx>(eventCollector, stateStore, { trySchedule: () => false });
    blocked.setClock(new FixedClock(NOW));
    expect(blocked.scaleResource(resourceAwareContext(), m, new Map(), new ScalingTracking(), NOW, topology, d)).toBe(false);
  });

  it("testAdjustByMaxParallelism", () => {
    const topology = new JobTopology([
      vertexInfo(source, [], 2, MAX_PARALLELISM),
      vertexInfo(filterOperator, [[source, "REBALANCE"]], 2, MAX_PARALLELISM),
      vertexInfo(sink, [[filterOperator, "HASH"]], 2, MAX_PARALLELISM),
    ]);
    conf.set(UTILIZATION_TARGET, 1);
    // 7 without alignment; only the HASH-fed vertex aligns with the 720 key groups (to 8).
    const m = metricsOf([[source, evaluated(2, 70, 20)], [filterOperator, evaluated(2, 70, 20)], [sink, evaluated(2, 70, 20)]]);
    expect(scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, new DelayedScaleDown())).toBe(true);
    expect(stateStore.getParallelismOverrides(context)).toEqual(new Map([[source, "7"], [filterOperator, "7"], [sink, "8"]]));
  });

  describe.each([
    ["same group, cpu quota 30", false, 30, undefined, false],
    ["two groups, cpu quota 50", true, 50, undefined, false],
    ["same group, memory quota 30g", false, undefined, "30g", false],
    ["two groups, memory quota 50g", true, undefined, "50g", false],
    ["same group, cpu quota 3", false, 3, undefined, true],
    ["two groups, cpu quota 5", true, 5, undefined, true],
    ["same group, memory quota 3g", false, undefined, "3g", true],
    ["two groups, memory quota 5g", true, undefined, "5g", true],
  ] as const)("testQuota: %s", (_name, twoGroups, cpuQuota, memoryQuota, quotaReached) => {
    it(quotaReached ? "blocks the scaling" : "lets it happen", () => {
      const ctx = resourceAwareContext(2, 2 * 1024 ** 3);
      const c = ctx.getConfiguration();
      c.setString("taskmanager.numberOfTaskSlots", "2");
      if (cpuQuota !== undefined) c.set(CPU_QUOTA, cpuQuota);
      if (memoryQuota !== undefined) c.setString(MEMORY_QUOTA.key, memoryQuota);
      c.set(UTILIZATION_TARGET, 0.6);
      c.set(UTILIZATION_MAX, 0.6);
      c.set(UTILIZATION_MIN, 0.6);
      const [op1, op2] = [newJobVertexID(), newJobVertexID()];
      const topology = new JobTopology([
        new VertexInfo(op1, "ssg1", new Map(), 1, 720, false, null),
        new VertexInfo(op2, twoGroups ? "ssg2" : "ssg1", new Map(), 1, 720, false, null),
      ]);
      // Thresholds from the default test context's configuration, as upstream's helper computes them.
      const m = metricsOf(
        [[op1, evaluated(1, 210, 100)], [op2, evaluated(1, 110, 100)]],
        new Map<ScalingMetric, EvaluatedScalingMetric>([["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(0)], ["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)], ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)]]),
      );
      expect(scalingExecutor.scaleResource(ctx, m, new Map(), new ScalingTracking(), NOW, topology, new DelayedScaleDown())).toBe(!quotaReached);
      if (quotaReached) {
        expect(eventCollector.poll()!.reason).toBe("ScalingReport");
        expect(eventCollector.poll()!.reason).toBe("ResourceQuotaReached");
        expect(eventCollector.events).toHaveLength(0);
      }
    });
  });

  it("testScalingUnderGcPressure", () => {
    const d = new DelayedScaleDown();
    const jobVertexID = newJobVertexID();
    conf.set(SCALING_ENABLED, true);
    conf.set(GC_PRESSURE_THRESHOLD, 0.5);
    conf.set(HEAP_USAGE_THRESHOLD, 0.8);
    const topology = new JobTopology([vertexInfo(jobVertexID)]);
    const withGlobal = (gc: EvaluatedScalingMetric, heap: EvaluatedScalingMetric) =>
      metricsOf([[jobVertexID, evaluated(1, 110, 100)]], new Map<ScalingMetric, EvaluatedScalingMetric>([["GC_PRESSURE", gc], ["HEAP_MAX_USAGE_RATIO", heap]]));
    const scale = (m: EvaluatedMetrics) => scalingExecutor.scaleResource(context, m, new Map(), new ScalingTracking(), NOW, topology, d);
    expect(scale(withGlobal(EvaluatedScalingMetric.of(NaN), EvaluatedScalingMetric.of(NaN)))).toBe(true);
    expect(scale(withGlobal(EvaluatedScalingMetric.of(0.49), new EvaluatedScalingMetric(0.9, 0.79)))).toBe(true);
    eventCollector.events.length = 0;
    expect(scale(withGlobal(EvaluatedScalingMetric.of(0.51), new EvaluatedScalingMetric(0.9, 0.79)))).toBe(false);
    expect(eventCollector.poll()!.reason).toBe("MemoryPressure");
    expect(eventCollector.events).toHaveLength(0);
    expect(scale(withGlobal(EvaluatedScalingMetric.of(0.49), new EvaluatedScalingMetric(0.6, 0.81)))).toBe(false);
    expect(eventCollector.poll()!.reason).toBe("MemoryPressure");
    expect(eventCollector.events).toHaveLength(0);
  });
});

describe("ScalingExecutor restart time log line (seed's log, word for word)", () => {
  it("logs PT2M before any tracked restart, then the largest tracked restart in whole seconds", () => {
    const logs: LogRecord[] = [];
    const previous = setLogSink((r) => logs.push(r));
    try {
      const context = createDefaultJobAutoScalerContext();
      const conf = context.getConfiguration();
      conf.set(RESTART_TIME, 2 * MINUTE);
      conf.setString("job.autoscaler.restart.time-tracking.enabled", "true");
      conf.setString("job.autoscaler.restart.time-tracking.limit", "10m");
      const executor = new ScalingExecutor(new TestingEventCollector<string, Ctx>(), new InMemoryAutoScalerStateStore<string, Ctx>());
      executor.setClock(new FixedClock(NOW));
      const v = newJobVertexID();
      const topology = new JobTopology([new VertexInfo(v, null, new Map(), 1, 12, false, null)]);
      const metrics = () => {
        const m = new Map<ScalingMetric, EvaluatedScalingMetric>([
          ["PARALLELISM", EvaluatedScalingMetric.of(1)],
          ["MAX_PARALLELISM", EvaluatedScalingMetric.of(12)],
          ["NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(0)],
          ["TARGET_DATA_RATE", new EvaluatedScalingMetric(10, 10)],
          ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(0)],
          ["TRUE_PROCESSING_RATE", new EvaluatedScalingMetric(0.5, 0.5)],
        ]);
        ScalingMetricEvaluator.computeProcessingRateThresholds(m, conf, false, 0);
        return { vertexMetrics: new Map([[v, m]]), globalMetrics: new Map<ScalingMetric, EvaluatedScalingMetric>([["GC_PRESSURE", EvaluatedScalingMetric.of(NaN)], ["HEAP_MAX_USAGE_RATIO", EvaluatedScalingMetric.of(NaN)]]) };
      };
      const tracking = new ScalingTracking();
      executor.scaleResource(context, metrics(), new Map(), tracking, NOW, topology, new DelayedScaleDown());
      tracking.getLatestScalingRecordEntry()![1].setRestartDuration(14_700);
      tracking.addScalingRecord(NOW + 60_000, new ScalingRecord(9_000));
      executor.scaleResource(context, metrics(), new Map(), tracking, NOW + 120_000, topology, new DelayedScaleDown());
      const lines = logs.filter((r) => r.message.startsWith("Restart time used in scaling summary computation"));
      expect(lines.map((r) => `${r.logger} [${r.level}] ${r.message}`)).toEqual([
        "org.apache.flink.autoscaler.ScalingExecutor [DEBUG] Restart time used in scaling summary computation: PT2M",
        "org.apache.flink.autoscaler.ScalingExecutor [DEBUG] Restart time used in scaling summary computation: PT14S",
      ]);
    } finally {
      setLogSink(previous);
    }
  });
});
