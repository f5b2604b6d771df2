import { describe, expect, it } from "vitest";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { RemoteInputChannel } from "../../src/flink/network/InputGate.ts";
import { runScenario } from "../../sim/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

/** Checks every invariant at one instant; returns how many checks ran. */
function checkInvariants(cluster: FlinkCluster, nowMs: number): number {
  const net = cluster.options.network;
  let checks = 0;
  // Per channel: written = delivered + in flight, where in flight is what sits in sender buffers,
  // receiver buffers, or the consumer's current slice.
  for (const { channel, consumer } of cluster.channels) {
    const sub = channel.subpartition;
    const slice = consumer.currentSlice();
    const inFlight = sub.unsent() + channel.receivedUnread() + (slice.channel === channel ? slice.remaining : 0);
    expect(sub.written).toBe(channel.delivered + inFlight);
    expect(sub.held).toBeLessThanOrEqual(net.maxBuffersPerChannel);
    if (channel instanceof RemoteInputChannel) {
      expect(channel.exclusiveBuffersInUse()).toBeLessThanOrEqual(net.buffersPerChannel);
    }
    checks += 2;
  }
  for (const [vertexId, tasks] of cluster.subtasks) {
    const vertex = cluster.vertex(vertexId);
    for (const t of tasks) {
      // Records produced = records consumed + in flight, summed per producing subtask.
      const written = cluster.channels.filter((c) => c.producer === t).reduce((a, c) => a + c.channel.subpartition.written, 0);
      const outputs = cluster.graph.edges.filter((e) => e.source === vertex).length;
      expect(written).toBe(t.metrics.numRecordsOut.count * outputs);
      const delivered = cluster.channels.filter((c) => c.consumer === t).reduce((a, c) => a + c.channel.delivered, 0);
      if (!vertex.isSource) expect(delivered).toBe(t.metrics.numRecordsIn.count);
      // The exact time in each state adds up to the time since deployment.
      const s = t.timeInStates();
      expect(s.idle + s.busy + s.backpressured).toBeCloseTo(nowMs - t.metrics.startMs, 6);
      // The gauges add up to 1000 ms/s (busy is derived from the other two, as in Flink; rounding aside).
      const v = t.metrics.values(nowMs);
      const sum = v.get("busyTimeMsPerSecond")! + v.get("backPressuredTimeMsPerSecond")! + v.get("idleTimeMsPerSecond")!;
      expect(Math.abs(sum - 1000)).toBeLessThanOrEqual(1);
      checks += 4;
    }
  }
  return checks;
}

describe("conservation at every sample", () => {
  it("holds for the seed job (one local channel, long backpressure)", () => {
    let samples = 0;
    runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "2h";
        d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      }),
      { onSample: (c, now) => (samples += checkInvariants(c, now) > 0 ? 1 : 0) },
    );
    expect(samples).toBe(720);
  });

  it("holds across the autoscaler's restarts (new task attempts at new parallelism)", () => {
    let checks = 0;
    const { operator } = runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "1h";
        d.spec.flinkConfiguration["job.autoscaler.utilization.target"] = "0.5";
        d.spec.flinkConfiguration["job.autoscaler.utilization.max"] = "0.6";
      }),
      { onSample: (c, now) => (checks += checkInvariants(c, now)) },
    );
    expect(operator.restarts.length).toBeGreaterThanOrEqual(3);
    expect(checks).toBeGreaterThan(1000);
  });

  it("holds for a wider job: hash-partitioned, skewed, local and remote channels, fan-out, costs drawn at random", () => {
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "30min";
      d.spec.flinkConfiguration["taskmanager.numberOfTaskSlots"] = "2";
      d.simulation.job.operators = [
        { id: "source", name: "Source: events", kind: "source", parallelism: 3, source: { connector: "datagen", rowsPerSecond: 400 } },
        { id: "parse", name: "Parse", cost: { distribution: "exponential", mean: "2ms" }, selectivity: 1.5 },
        { id: "agg", name: "Aggregate", parallelism: 5, cost: { distribution: "lognormal", median: "8ms", p95: "20ms" } },
        { id: "audit", name: "Audit", parallelism: 2, cost: "1ms", selectivity: 0.5 },
        { id: "sink", name: "Sink: Kafka", kind: "sink", parallelism: 4, cost: "3ms" },
      ];
      d.simulation.job.edges = [
        { from: "source", to: "parse", shipStrategy: "REBALANCE" },
        { from: "parse", to: "agg", shipStrategy: "HASH", keys: { count: 200, skew: 1.2 } },
        { from: "parse", to: "audit", shipStrategy: "RESCALE" },
        { from: "agg", to: "sink", shipStrategy: "REBALANCE" },
        { from: "audit", to: "sink", shipStrategy: "SHUFFLE" },
      ];
    });
    let checks = 0;
    const { cluster, summary } = runScenario(scenario, { onSample: (c, now) => (checks += checkInvariants(c, now)) });
    expect(checks).toBeGreaterThan(1000);
    // Both kinds of channels were exercised.
    expect(cluster.channels.some((c) => c.channel instanceof RemoteInputChannel)).toBe(true);
    expect(cluster.channels.some((c) => !(c.channel instanceof RemoteInputChannel))).toBe(true);
    // Records flowed all the way: selectivity 1.5 at parse, 0.5 at audit.
    expect(summary.records_delivered_to_sinks).toBeGreaterThan(0);
  });
});
