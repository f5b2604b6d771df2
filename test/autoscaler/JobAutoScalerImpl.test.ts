// Port of upstream's JobAutoScalerImplTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { beforeEach, describe, expect, it } from "vitest";
import { AUTOSCALER_ENABLED, PARALLELISM_OVERRIDES_KEY, SCALING_ENABLED, VERTEX_EXCLUDE_IDS, VERTEX_SCALING_HISTORY_AGE } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { NotReadyException } from "../../src/autoscaler/exceptions/NotReadyException.ts";
import { JobAutoScalerContext, type JobStatus } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { JobAutoScalerImpl } from "../../src/autoscaler/JobAutoScalerImpl.ts";
import type { ScalingRealizer } from "../../src/autoscaler/realizer/ScalingRealizer.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import type { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import type { ScalingMetricCollector } from "../../src/autoscaler/ScalingMetricCollector.ts";
import type { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import type { ConfigChanges } from "../../src/autoscaler/state/AutoScalerStateStore.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { newJobVertexID, TestingEventCollector } from "./testing.ts";
import { emptyRestClient, TestingMetricsCollector } from "./TestingMetricsCollector.ts";

type Ctx = JobAutoScalerContext<string>;

/** TestingScalingRealizer: records every call. */
class TestingScalingRealizer implements ScalingRealizer<string, Ctx> {
  readonly events: { parallelismOverrides: Map<string, string> | null; configChanges: ConfigChanges | null }[] = [];
  realizeParallelismOverrides(_ctx: Ctx, overrides: Map<string, string>): void {
    this.events.push({ parallelismOverrides: new Map(overrides), configChanges: null });
  }
  realizeConfigOverrides(_ctx: Ctx, configChanges: ConfigChanges): void {
    this.events.push({ parallelismOverrides: null, configChanges });
  }
}

// Upstream passes null for the parts a test does not use; so do we (any call on them fails the scale).
const absent = <T>() => null as unknown as T;

describe("JobAutoScalerImplTest", () => {
  let conf: Configuration;
  let context: Ctx;
  let scalingRealizer: TestingScalingRealizer;
  let eventCollector: TestingEventCollector<string, Ctx>;
  let stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  const withStatus = (status: JobStatus) => new JobAutoScalerContext<string>("job-key", "job", status, conf, () => emptyRestClient);

  beforeEach(() => {
    conf = new Configuration();
    context = withStatus("RUNNING");
    conf.set(AUTOSCALER_ENABLED, true);
    scalingRealizer = new TestingScalingRealizer();
    eventCollector = new TestingEventCollector();
    stateStore = new InMemoryAutoScalerStateStore();
  });

  const autoscalerWith = (collector: ScalingMetricCollector<string, Ctx> | null) => {
    // Upstream's tests run on the system clock; here a fixed one is injected (the executor is absent: a stub takes the clock).
    const executor = collector === null ? absent<ScalingExecutor<string, Ctx>>() : ({ setClock: () => {} } as unknown as ScalingExecutor<string, Ctx>);
    const a = new JobAutoScalerImpl<string, Ctx>(
      collector ?? absent<ScalingMetricCollector<string, Ctx>>(),
      absent<ScalingMetricEvaluator>(),
      executor,
      eventCollector,
      scalingRealizer,
      stateStore,
    );
    if (collector !== null) a.setClock(new FixedClock(0));
    return a;
  };

  /** Polls realizer events up to one with parallelism overrides; none left passes for `null`. */
  function assertParallelismOverrides(expected: Map<string, string> | null) {
    let event;
    do event = scalingRealizer.events.shift();
    while (event !== undefined && event.parallelismOverrides === null);
    if (event === undefined) return;
    expect(event.parallelismOverrides).toEqual(expected);
  }

  it("testErrorReporting", () => {
    const autoscaler = autoscalerWith(null);
    autoscaler.scale(context);
    expect(autoscaler.flinkMetrics.get(context.getJobKey())!.numErrors).toBe(1);
    autoscaler.scale(context);
    expect(autoscaler.flinkMetrics.get(context.getJobKey())!.numErrors).toBe(2);
    expect(autoscaler.flinkMetrics.get(context.getJobKey())!.numScalings).toBe(0);
  });

  it("testTolerateRecoverableExceptions", () => {
    class Throwing extends TestingMetricsCollector<string, Ctx> {
      protected override queryAggregatedMetricNames(): string[] {
        throw new NotReadyException("not ready");
      }
    }
    const collector = new Throwing(new JobTopology([]));
    collector.jobUpdateTs = 0;
    const autoscaler = autoscalerWith(collector);
    autoscaler.scale(context);
    expect(autoscaler.flinkMetrics.get(context.getJobKey())!.numErrors).toBe(0);
  });

  it("testParallelismOverrides", () => {
    const autoscaler = autoscalerWith(new TestingMetricsCollector(new JobTopology([])));
    expect(autoscaler.getParallelismOverrides(context).size).toBe(0);
    expect(stateStore.getParallelismOverrides(context).size).toBe(0);
    const [v1, v2] = [newJobVertexID(), newJobVertexID()];
    const both = new Map([[v1, "1"], [v2, "2"]]);
    stateStore.storeParallelismOverrides(context, new Map(both));
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(both);
    expect(stateStore.getParallelismOverrides(context)).toEqual(both);

    // Disabling the autoscaler clears the overrides.
    conf.setString(AUTOSCALER_ENABLED.key, "false");
    autoscaler.scale(context);
    expect(autoscaler.getParallelismOverrides(context).size).toBe(0);
    assertParallelismOverrides(null);
    autoscaler.scale(context);
    conf.setString(AUTOSCALER_ENABLED.key, "true");
    autoscaler.applyParallelismOverrides(context);
    expect(stateStore.getParallelismOverrides(context).size).toBe(0);
    assertParallelismOverrides(null);

    stateStore.storeParallelismOverrides(context, new Map(both));
    autoscaler.applyParallelismOverrides(context);
    expect(autoscaler.getParallelismOverrides(context)).toEqual(both);
    assertParallelismOverrides(both);
    conf.setString(SCALING_ENABLED.key, "false");
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(both);

    // An invalid configuration: the overrides are still applied.
    conf.setString(AUTOSCALER_ENABLED.key, "asd");
    autoscaler.scale(context);
    assertParallelismOverrides(both);
    conf.setString(AUTOSCALER_ENABLED.key, "true");
    autoscaler.scale(context);
    assertParallelismOverrides(both);
    // Not running: the overrides are applied again (self-heal).
    autoscaler.scale(withStatus("INITIALIZING"));
    assertParallelismOverrides(both);
    // Cleanup removes everything.
    expect(stateStore.hasDataFor(context)).toBe(true);
    autoscaler.cleanup(context);
    expect(stateStore.hasDataFor(context)).toBe(false);
    autoscaler.scale(context);
    assertParallelismOverrides(null);
  });

  it("testApplyAutoscalerParallelism", () => {
    const overrides = new Map<string, string>();
    class Fixed extends JobAutoScalerImpl<string, Ctx> {
      override getParallelismOverrides(): Map<string, string> {
        return new Map(overrides);
      }
    }
    const autoscaler = new Fixed(absent(), absent(), absent(), eventCollector, scalingRealizer, stateStore);
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(null);
    const v1 = newJobVertexID();
    overrides.set(v1, "2");
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(new Map([[v1, "2"]]));
    // The autoscaler's override wins over the user's.
    conf.setString(PARALLELISM_OVERRIDES_KEY, `${v1}:1`);
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(new Map([[v1, "2"]]));
    // User overrides of other vertices are kept.
    const v2 = newJobVertexID();
    conf.setString(PARALLELISM_OVERRIDES_KEY, `${v1}:1,${v2}:4`);
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(new Map([[v1, "2"], [v2, "4"]]));
    // For excluded vertices the user's override wins.
    conf.setString(VERTEX_EXCLUDE_IDS.key, v1);
    conf.setString(PARALLELISM_OVERRIDES_KEY, `${v1}:1,${v2}:4`);
    autoscaler.applyParallelismOverrides(context);
    assertParallelismOverrides(new Map([[v1, "1"], [v2, "4"]]));
  });

  it("testAutoscalerDisabled", () => {
    conf.set(AUTOSCALER_ENABLED, false);
    conf.set(VERTEX_SCALING_HISTORY_AGE, 200);
    const history = new TreeMap<ScalingSummary>([
      [100, new ScalingSummary(1, 2, new Map())],
      [200, new ScalingSummary(2, 3, new Map())],
    ]);
    stateStore.storeScalingHistory(context, new Map([[newJobVertexID(), history]]));
    expect(stateStore.getScalingHistory(context).size).toBeGreaterThan(0);
    stateStore.storeParallelismOverrides(context, new Map([["vertex", "4"]]));
    stateStore.storeCollectedMetrics(context, new TreeMap([[0, { vertexMetrics: new Map(), globalMetrics: new Map() }]]));
    expect(stateStore.getCollectedMetrics(context).size).toBe(1);
    autoscalerWith(null).scale(context);
    expect(stateStore.getScalingHistory(context).size).toBe(0);
    expect(stateStore.getParallelismOverrides(context).size).toBe(0);
    expect(stateStore.getCollectedMetrics(context).size).toBe(0);
  });
});
