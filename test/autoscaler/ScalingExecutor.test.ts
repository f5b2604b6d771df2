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
  MEMORY_TUNING_ENABLED,
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
import { GC_PRESSURE_MESSAGE, HEAP_USAGE_MESSAGE, RESOURCE_QUOTA_REACHED_MESSAGE, ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { ScalingRecord } from "../../src/autoscaler/ScalingRecord.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import type { ResourceCheck } from "../../src/autoscaler/resources/ResourceCheck.ts";
import type { ConfigChanges } from "../../src/autoscaler/state/AutoScalerStateStore.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import type { ShipStrategy } from "../../src/autoscaler/topology/ShipStrategy.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { INTEGER_MAX_VALUE } from "../../src/autoscaler/utils/JavaCompat.ts";
import { setLogSink, type LogRecord, type LogSink } from "../../src/autoscaler/utils/Logger.ts";
import { createDefaultJobAutoScalerContext, logLines, MINUTE, newJobVertexID, SECOND, TestingEventCollector } from "./testing.ts";

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

// Cases upstream's ScalingExecutorTest leaves open: the memory-pressure and quota boundaries,
// the cluster resource check's inputs, the excluded-periods report, upstream's texts and logs.
// Expected values are worked out by hand from upstream's formulas (in the comments).
describe("ScalingExecutor beyond upstream's tests", () => {
  const LOGGER = "org.apache.flink.autoscaler.ScalingExecutor";
  const [op1, op2] = [newJobVertexID(), newJobVertexID()];
  let events: TestingEventCollector<string, Ctx>;
  let stored: ConfigChanges[];
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;

  beforeEach(() => {
    events = new TestingEventCollector<string, Ctx>(() => NOW);
    stored = [];
    stateStore = new (class extends InMemoryAutoScalerStateStore<string, Ctx> {
      override storeConfigChanges(ctx: Ctx, changes: ConfigChanges): void {
        stored.push(changes);
        super.storeConfigChanges(ctx, changes);
      }
    })();
  });

  const executor = (resourceCheck: ResourceCheck | null = null) => {
    const e = new ScalingExecutor<string, Ctx>(events, stateStore, resourceCheck);
    e.setClock(new FixedClock(NOW));
    return e;
  };
  /** TestingAutoscalerUtils.createResourceAwareContext with its configuration at utilization 1, no catch-up, no scale-down delay. */
  const contextOf = (cpu?: number, memory?: number) => {
    const ctx = new JobAutoScalerContext<string>("job-key", "0123456789abcdef0123456789abcdef", "RUNNING", new Configuration(), () => {
      throw new Error("no REST client");
    }, cpu, memory);
    const c = ctx.getConfiguration();
    c.set(UTILIZATION_TARGET, 1);
    c.set(CATCH_UP_DURATION, 0);
    c.set(SCALE_DOWN_INTERVAL, 0);
    return ctx;
  };
  function evaluated(conf: Configuration, parallelism: number, target: number, trueProcessingRate: number) {
    const metrics = new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["PARALLELISM", EvaluatedScalingMetric.of(parallelism)],
      ["MAX_PARALLELISM", EvaluatedScalingMetric.of(MAX_PARALLELISM)],
      ["NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(0)],
      ["TARGET_DATA_RATE", new EvaluatedScalingMetric(target, target)],
      ["CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(0)],
      ["TRUE_PROCESSING_RATE", new EvaluatedScalingMetric(trueProcessingRate, trueProcessingRate)],
    ]);
    ScalingMetricEvaluator.computeProcessingRateThresholds(metrics, conf, false, 0);
    return metrics;
  }
  const global = (gc = NaN, heap = NaN, slotsUsed?: number) =>
    new Map<ScalingMetric, EvaluatedScalingMetric>([
      ["GC_PRESSURE", EvaluatedScalingMetric.of(gc)],
      ["HEAP_MAX_USAGE_RATIO", new EvaluatedScalingMetric(heap, heap)],
      ...(slotsUsed !== undefined ? [["NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(slotsUsed)] as const] : []),
    ]);
  const topologyOf = (...vertices: [string, string | null][]) => new JobTopology(vertices.map(([id, group]) => new VertexInfo(id, group, new Map(), 1, MAX_PARALLELISM, false, null)));
  const run = (e: ScalingExecutor<string, Ctx>, ctx: Ctx, m: EvaluatedMetrics, topology: JobTopology) =>
    e.scaleResource(ctx, m, new Map(), new ScalingTracking(), NOW, topology, new DelayedScaleDown());

  it("has upstream's messages", () => {
    expect(GC_PRESSURE_MESSAGE("0.51")).toBe("GC Pressure 0.51 is above the allowed limit for scaling operations. Please adjust the available memory manually.");
    expect(HEAP_USAGE_MESSAGE("0.81")).toBe("Heap Usage 0.81 is above the allowed limit for scaling operations. Please adjust the available memory manually.");
    expect(RESOURCE_QUOTA_REACHED_MESSAGE).toBe("Resource usage is above the allowed limit for scaling operations. Please adjust the resource quota manually.");
  });

  it("GC pressure or heap usage at the threshold does not block; above it blocks with upstream's event (defaults 1.0)", () => {
    const ctx = contextOf();
    const topology = topologyOf([op1, null]);
    // 1 -> 2: target 200 at utilization 1, 100 processed.
    const metrics = (gc: number, heap: number) => ({ vertexMetrics: new Map([[op1, evaluated(ctx.getConfiguration(), 1, 200, 100)]]), globalMetrics: global(gc, heap) });
    expect(run(executor(), ctx, metrics(1, 1), topology)).toBe(true);
    ctx.getConfiguration().set(GC_PRESSURE_THRESHOLD, 0.5);
    ctx.getConfiguration().set(HEAP_USAGE_THRESHOLD, 0.8);
    expect(run(executor(), ctx, metrics(0.5, 0.8), topology)).toBe(true);
    events.events.length = 0;
    let blocked = true;
    expect(logLines(LOGGER, () => (blocked = run(executor(), ctx, metrics(0.51, 0.8), topology)))).toContain("INFO Skipping vertex scaling due to memory pressure");
    expect(blocked).toBe(false);
    let event = events.poll()!;
    expect([event.type, event.reason, event.messageKey, event.message]).toEqual([
      "Normal",
      "MemoryPressure",
      "gcPressure",
      "GC Pressure 0.51 is above the allowed limit for scaling operations. Please adjust the available memory manually.",
    ]);
    expect(run(executor(), ctx, metrics(0.5, 0.81), topology)).toBe(false);
    event = events.poll()!;
    expect([event.type, event.reason, event.messageKey, event.message]).toEqual([
      "Normal",
      "MemoryPressure",
      "heapUsage",
      "Heap Usage 0.81 is above the allowed limit for scaling operations. Please adjust the available memory manually.",
    ]);
  });

  it("logs as upstream when nothing scales, and skips excluded vertices", () => {
    const ctx = contextOf();
    ctx.getConfiguration().set(VERTEX_EXCLUDE_IDS, [op2]);
    // op1 at 100 with a target of 100: no change; op2 excluded.
    const m = { vertexMetrics: new Map([[op1, evaluated(ctx.getConfiguration(), 1, 100, 100)], [op2, evaluated(ctx.getConfiguration(), 1, 200, 100)]]), globalMetrics: global() };
    let scaled = true;
    expect(logLines(LOGGER, () => (scaled = run(executor(), ctx, m, topologyOf([op1, null], [op2, null]))))).toEqual([
      "DEBUG Restart time used in scaling summary computation: PT5M",
      `DEBUG Vertex ${op2} is part of \`vertex.exclude.ids\` config, Ignoring it for scaling`,
      "INFO All vertex processing rates are within target.",
      "INFO All job vertices are currently running at their target parallelism.",
    ]);
    expect(scaled).toBe(false);
  });

  it("stores the (empty) config changes of the memory tuning, and refuses memory tuning, which is not ported", () => {
    const ctx = contextOf();
    const m = { vertexMetrics: new Map([[op1, evaluated(ctx.getConfiguration(), 1, 200, 100)]]), globalMetrics: global() };
    expect(run(executor(), ctx, m, topologyOf([op1, null]))).toBe(true);
    expect(stored).toEqual([{ overrides: {}, removals: [] }]);
    ctx.getConfiguration().set(MEMORY_TUNING_ENABLED, true);
    expect(() => run(executor(), ctx, m, topologyOf([op1, null]))).toThrow("job.autoscaler.memory.tuning.enabled is true, but memory tuning is not supported");
  });

  it("checks cluster resources only when the TaskManagers' cpu and memory are known, in whole TaskManagers", () => {
    const calls: number[][] = [];
    const refuse: ResourceCheck = { trySchedule: (currentTms, newTms, cpu, memory) => (calls.push([currentTms, newTms, cpu, memory]), false) };
    const topology = topologyOf([op1, null]);
    // 4 -> 6 (target 150, 100 processed); 4 slots used = the largest parallelism, so 6 slots after; 4 slots per TaskManager.
    const metrics = (ctx: Ctx, slotsUsed?: number) => ({ vertexMetrics: new Map([[op1, evaluated(ctx.getConfiguration(), 4, 150, 100)]]), globalMetrics: global(NaN, NaN, slotsUsed) });
    for (const [cpu, memory] of [
      [undefined, undefined],
      [0, 2 * 1024 ** 3],
      [2, 0],
    ] as const) {
      const ctx = contextOf(cpu, memory);
      expect(run(executor(refuse), ctx, metrics(ctx, 4), topology), `cpu ${cpu}, memory ${memory}`).toBe(true);
    }
    expect(calls).toEqual([]);
    const ctx = contextOf(2, 2 * 1024 ** 3);
    ctx.getConfiguration().setString("taskmanager.numberOfTaskSlots", "4");
    expect(run(executor(refuse), ctx, metrics(ctx, 4), topology)).toBe(false);
    // ceil(4 / 4) = 1 TaskManager now, ceil(6 / 4) = 2 after.
    expect(calls).toEqual([[1, 2, 2, 2 * 1024 ** 3]]);
    // Without the slots in use (JobManager metrics not collected yet): blocked without asking.
    let scaled = true;
    expect(logLines(LOGGER, () => (scaled = run(executor(refuse), ctx, metrics(ctx), topology)))).toContain("INFO JM metrics not ready yet");
    expect(scaled).toBe(false);
    expect(calls).toHaveLength(1);
  });

  describe("quota", () => {
    // Two TaskManagers of 2 cores and 2 GiB, 2 slots each, after op1 goes 1 -> 4 (target 400, 100 processed).
    const quotaContext = () => {
      const ctx = contextOf(2, 2 * 1024 ** 3);
      ctx.getConfiguration().setString("taskmanager.numberOfTaskSlots", "2");
      return ctx;
    };
    const metrics = (ctx: Ctx, parallelism = 1, target = 400) => ({
      vertexMetrics: new Map([
        [op1, evaluated(ctx.getConfiguration(), parallelism, target, 100)],
        [op2, evaluated(ctx.getConfiguration(), 1, 100, 100)],
      ]),
      globalMetrics: global(NaN, NaN, 0),
    });
    const sameGroup = topologyOf([op1, "ssg"], [op2, "ssg"]);

    it("a quota exactly reached does not block; above it blocks with upstream's warning", () => {
      // 4 slots / 2 = 2 TaskManagers: 4 cores, 4 GiB.
      for (const [cpuQuota, memoryQuota, scales] of [
        [4, undefined, true],
        [3.9, undefined, false],
        [undefined, "4g", true],
        [undefined, "4095m", false],
      ] as const) {
        const ctx = quotaContext();
        if (cpuQuota !== undefined) ctx.getConfiguration().set(CPU_QUOTA, cpuQuota);
        if (memoryQuota !== undefined) ctx.getConfiguration().setString(MEMORY_QUOTA.key, memoryQuota);
        events = new TestingEventCollector<string, Ctx>(() => NOW); // a repeated event would be dropped within its interval
        expect(run(executor(), ctx, metrics(ctx), sameGroup), `cpu ${cpuQuota}, memory ${memoryQuota}`).toBe(scales);
        if (!scales) {
          const event = events.events.find((e) => e.reason === "ResourceQuotaReached")!;
          expect([event.type, event.message]).toEqual(["Warning", RESOURCE_QUOTA_REACHED_MESSAGE]);
        }
      }
    });

    it("checks only the quota that is set, and logs as upstream", () => {
      const quotaLines = (ctx: Ctx) => logLines(LOGGER, () => run(executor(), ctx, metrics(ctx), sameGroup)).filter((l) => l.includes("quota"));
      const ctx = quotaContext();
      ctx.getConfiguration().set(CPU_QUOTA, 3);
      // 2 TaskManagers x 2 cores = 4 > 3.
      expect(quotaLines(ctx)).toEqual(["DEBUG CPU resource quota is 3, checking limits", "INFO CPU resource quota reached with value: 4"]);
      // Memory only: 2 x 2 GiB > 3 GiB (upstream prints these MemorySizes with a unit; here they are bytes).
      const memoryOnly = quotaContext();
      memoryOnly.getConfiguration().setString(MEMORY_QUOTA.key, "3g");
      const lines = quotaLines(memoryOnly);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^DEBUG Memory resource quota is \S+, checking limits$/);
      expect(lines[1]).toMatch(/^INFO Memory resource quota reached with value: \S+$/);
      // CPU only, within it: no memory check.
      const cpuOnly = quotaContext();
      cpuOnly.getConfiguration().set(CPU_QUOTA, 5);
      expect(quotaLines(cpuOnly)).toEqual(["DEBUG CPU resource quota is 5, checking limits"]);
    });

    it("reads the TaskManager memory from taskmanager.memory.process.size when set", () => {
      const ctx = quotaContext();
      ctx.getConfiguration().setString(MEMORY_QUOTA.key, "3g");
      // 2 x 2 GiB > 3 GiB: blocked; 2 x 1 GiB fits.
      expect(run(executor(), ctx, metrics(ctx), sameGroup)).toBe(false);
      ctx.getConfiguration().setString("taskmanager.memory.process.size", "1g");
      expect(run(executor(), ctx, metrics(ctx), sameGroup)).toBe(true);
    });

    it("skips the quota when the TaskManagers do not grow, counting a slot sharing group's largest parallelism", () => {
      const ctx = quotaContext();
      ctx.getConfiguration().set(CPU_QUOTA, 1);
      // op1 4 -> 5 (target 120, 100 processed), op2 unchanged in the same group: 4 / 2 = 2 TaskManagers, then 5 / 2 = 2.
      let scaled = false;
      expect(logLines(LOGGER, () => (scaled = run(executor(), ctx, metrics(ctx, 4, 120), sameGroup)))).toContain(
        "DEBUG Skipping quota check due to new resource allocation is less or equals than the current",
      );
      expect(scaled).toBe(true);
      // No quota, or no slot sharing groups: nothing checked, nothing logged.
      for (const [cpuQuota, topology] of [
        [undefined, sameGroup],
        [1, topologyOf([op1, null], [op2, null])],
      ] as const) {
        const c = quotaContext();
        if (cpuQuota !== undefined) c.getConfiguration().set(CPU_QUOTA, cpuQuota);
        expect(logLines(LOGGER, () => (scaled = run(executor(), c, metrics(c, 4, 120), topology))).filter((l) => l.includes("quota"))).toEqual([]);
        expect(scaled).toBe(true);
      }
      expect(ScalingExecutor.scalingWouldExceedResourceQuota(ctx.getConfiguration(), null, new Map(), ctx)).toBe(false);
    });
  });

  it("reports the excluded periods it is blocked by as upstream", () => {
    const ctx = contextOf();
    const hms = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    const periods = [`${hms(NOW)}-${hms(NOW + 300 * SECOND)}`, "01:00:00-02:00:00"];
    ctx.getConfiguration().set(EXCLUDED_PERIODS, periods);
    const m = { vertexMetrics: new Map([[op1, evaluated(ctx.getConfiguration(), 1, 200, 100)]]), globalMetrics: global() };
    expect(run(executor(), ctx, m, topologyOf([op1, null]))).toBe(false);
    // SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED + "%s:%s, recommended parallelism change:" with the list's toString.
    expect(events.poll()!.message).toContain(
      "Scaling execution disabled by config job.autoscaler.excluded.periods:[17:17:32-17:22:32, 01:00:00-02:00:00], recommended parallelism change:",
    );
  });
});
