// A driver test: a hand-built job pushed through JobAutoScalerImpl with a fake REST client and realizer.
// The expected decisions are computed by hand below, from upstream's formulas.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { JobAutoScalerContext, type JobStatus } from "../../src/autoscaler/JobAutoScalerContext.ts";
import { JobAutoScalerImpl } from "../../src/autoscaler/JobAutoScalerImpl.ts";
import type { AggregatedMetric, Metric } from "../../src/autoscaler/metrics/AggregatedMetric.ts";
import type { ScalingRealizer } from "../../src/autoscaler/realizer/ScalingRealizer.ts";
import type { JobDetailsInfo, RestClusterClient } from "../../src/autoscaler/RestClusterClient.ts";
import { RestApiMetricsCollector } from "../../src/autoscaler/RestApiMetricsCollector.ts";
import { ScalingExecutor } from "../../src/autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../../src/autoscaler/ScalingMetricEvaluator.ts";
import { InMemoryAutoScalerStateStore } from "../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { FixedClock } from "../../src/autoscaler/utils/Clock.ts";
import { setLogSink, type LogRecord, type LogSink } from "../../src/autoscaler/utils/Logger.ts";
import { TestingEventCollector } from "./testing.ts";

const SOURCE = "bc764cd8ddf7a0cff126f51c16239658";
const MAP = "20ba6b65f97481d5570070de90e4e791";
const START = Date.parse("2024-05-16T17:00:00Z");

/**
 * A job of two vertices: a datagen source, back-pressured, emitting what the map takes,
 * and a map that is always busy and processes 0.5 records/s per subtask.
 */
class FakeJob implements RestClusterClient {
  mapParallelism = 1;
  runningSince = START;
  status: JobStatus = "RUNNING";
  recordsAtRestart = 0;
  constructor(private readonly clock: FixedClock) {}

  private rate(): number {
    return 0.5 * this.mapParallelism;
  }
  private records(): number {
    return this.recordsAtRestart + (this.rate() * (this.clock.instant() - this.runningSince)) / 1000;
  }
  getJobDetails(): JobDetailsInfo {
    const n = this.records();
    return {
      jid: "job",
      name: "Autoscaling demo",
      state: this.status,
      timestamps: { RUNNING: this.runningSince },
      vertices: [
        { id: SOURCE, name: "Source: orders", maxParallelism: 12, parallelism: 1, status: "RUNNING", metrics: { "read-records": 0, "write-records": n, "accumulated-busy-time": 0 } },
        { id: MAP, name: "Map", maxParallelism: 12, parallelism: this.mapParallelism, status: "RUNNING", metrics: { "read-records": n, "write-records": 0, "accumulated-busy-time": 0 } },
      ],
      plan: { nodes: [{ id: SOURCE, parallelism: 1 }, { id: MAP, parallelism: this.mapParallelism, inputs: [{ id: SOURCE, ship_strategy: "SHUFFLE" }] }] },
    };
  }
  getAggregatedSubtaskMetrics(_jobId: string | null, vertexId: string, names?: readonly string[]): AggregatedMetric[] {
    const n = this.records();
    const values: Record<string, number> =
      vertexId === SOURCE
        ? {
            busyTimeMsPerSecond: 0,
            backPressuredTimeMsPerSecond: 950,
            "Source__orders.numRecordsInPerSecond": this.rate(),
            "Source__orders.numRecordsIn": n,
            "Source__orders.numRecordsOut": n,
          }
        : { busyTimeMsPerSecond: 1000, backPressuredTimeMsPerSecond: 0 };
    const all = Object.entries(values).map(([id, v]) => ({ id, min: v, max: v, avg: v, sum: v }));
    return names === undefined ? all.map(({ id }) => ({ id })) : all.filter((m) => names.includes(m.id));
  }
  getJobManagerMetrics(names: readonly string[]): Metric[] {
    const v: Record<string, string> = { taskSlotsTotal: String(this.mapParallelism), taskSlotsAvailable: "0" };
    return names.filter((n) => n in v).map((id) => ({ id, value: v[id] }));
  }
  getAggregatedTaskManagerMetrics(names: readonly string[]): AggregatedMetric[] {
    const v: Record<string, number> = { "Status.JVM.Memory.Heap.Max": 1e9, "Status.JVM.Memory.Heap.Used": 2e8, "Status.Flink.Memory.Managed.Used": 0, "Status.JVM.Memory.Metaspace.Used": 5e7 };
    return names.every((n) => n in v) ? names.map((id) => ({ id, min: v[id], max: v[id], avg: v[id] })) : [];
  }
}

describe("JobAutoScalerImpl driven by a fake job", () => {
  let logs: LogRecord[];
  let previous: LogSink;
  beforeEach(() => {
    logs = [];
    previous = setLogSink((r) => logs.push(r));
  });
  afterEach(() => setLogSink(previous));

  it("decides, stores history and tracking, records the restart and uses it at the next decision", () => {
    const clock = new FixedClock(START);
    const job = new FakeJob(clock);
    const conf = new Configuration({
      "job.autoscaler.enabled": "true",
      "job.autoscaler.stabilization.interval": "5s",
      "job.autoscaler.metrics.window": "1m",
      "job.autoscaler.restart.time-tracking.enabled": "true",
      "job.autoscaler.restart.time": "2m",
      "job.autoscaler.restart.time-tracking.limit": "10m",
      "pipeline.max-parallelism": "12",
    });
    type Ctx = JobAutoScalerContext<string>;
    const stateStore = new InMemoryAutoScalerStateStore<string, Ctx>();
    const events = new TestingEventCollector<string, Ctx>(() => clock.instant());
    const realized: Map<string, string>[] = [];
    const realizer: ScalingRealizer<string, Ctx> = {
      realizeParallelismOverrides: (_ctx, overrides) => realized.push(new Map(overrides)),
      realizeConfigOverrides: () => {},
    };
    const autoscaler = new JobAutoScalerImpl<string, Ctx>(
      new RestApiMetricsCollector(),
      new ScalingMetricEvaluator(),
      new ScalingExecutor(events, stateStore),
      events,
      realizer,
      stateStore,
    );
    autoscaler.setClock(clock);
    const ctx = () => new JobAutoScalerContext<string>("default/autoscaling-example", "job", job.status, conf.clone(), () => job);

    // Reconcile every 60 s. Stabilizing until 5 s, so samples at 60 s and 120 s; the window (1 m) is full at 120 s.
    clock.set(START + 60_000);
    autoscaler.scale(ctx());
    expect(realized).toHaveLength(0);
    clock.set(START + 120_000);
    autoscaler.scale(ctx());

    // At 120 s: map input rate 0.5/s, busy 1000 ms/s: TPR = 0.5 / 1.0 = 0.5.
    // Target capacity = round(0.5 / 0.7 + 0.5 * 120 s / 1800 s) = round(0.748) = 1; factor 1 / 0.5 = 2 -> parallelism 2.
    // Scale-up threshold = round(0.5 / 1.0) = 1 > 0.5: outside the bounds, so the decision is executed.
    // The source's busy-time TPR is infinite: factor capped at 1 - 0.6, ceil(0.4) = 1, no change.
    expect(realized).toHaveLength(1);
    expect(realized[0]).toEqual(new Map([[SOURCE, "1"], [MAP, "2"]]));
    const history = stateStore.getScalingHistory(ctx());
    expect([...history.keys()]).toEqual([MAP]);
    const summary = history.get(MAP)!.get(START + 120_000)!;
    expect([summary.currentParallelism, summary.newParallelism]).toEqual([1, 2]);
    expect(summary.metrics.get("TRUE_PROCESSING_RATE")!.getAverage()).toBe(0.5);
    expect(summary.metrics.get("EXPECTED_PROCESSING_RATE")!.getCurrent()).toBe(1);
    const tracking = stateStore.getScalingTracking(ctx());
    expect(tracking.scalingRecords.keys()).toEqual([START + 120_000]);
    expect(tracking.scalingRecords.get(START + 120_000)!.restartDuration).toBeNull();
    expect(events.events.map((e) => e.reason)).toEqual(["ScalingReport"]);

    // The job restarts with parallelism 2 and runs again 14.8 s after the decision.
    job.recordsAtRestart = job.getJobDetails().vertices[1]!.metrics["read-records"];
    job.mapParallelism = 2;
    job.runningSince = START + 120_000 + 14_800;
    for (const t of [180_000, 240_000, 300_000]) {
      clock.set(START + t);
      autoscaler.scale(ctx());
    }
    expect(stateStore.getScalingTracking(ctx()).scalingRecords.get(START + 120_000)!.restartDuration).toBe(14_800);
    const restartLines = logs.filter((r) => r.message.startsWith("Restart time used in scaling summary computation")).map((r) => r.message);
    expect(restartLines[0]).toBe("Restart time used in scaling summary computation: PT2M");
    expect(restartLines.slice(1).every((l) => l === "Restart time used in scaling summary computation: PT14S")).toBe(true);
    expect(restartLines.length).toBeGreaterThan(1);
    expect(logs.some((r) => r.level === "INFO" && r.message.startsWith("Job updated at 2024-05-16 17:02:14. Clearing metrics."))).toBe(true);
  });
});
