import { describe, expect, it } from "vitest";
import { RemoteInputChannel } from "../../src/flink/network/InputGate.ts";
import { checkInvariants } from "./invariants.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith, type SeedDoc } from "../helpers.ts";

/**
 * TimerGauges as in Flink 2.0+, without FLINK-35764's double count: 1.18 adds a measurement that spans a view
 * update twice, so idle + back-pressured can exceed 1000 ms/s (busy then reads 0) and the gauges no longer
 * partition the second. The double count changes nothing the job does (see the last test), only what the gauges say.
 */
function noDoubleCount(d: SeedDoc): void {
  (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
}

/**
 * A wider job: a legacy datagen source at 3 x ceil(400 / 3) rows/s, fan-out, hash-partitioned skewed keys, a
 * PyFlink aggregate (bundles), local and remote channels (2 slots per TaskManager), costs drawn at random.
 */
function wideJob(edit: (d: SeedDoc) => void = () => {}) {
  return seedScenarioWith((d) => {
    d.simulation.duration = "30min";
    d.spec.flinkConfiguration["taskmanager.numberOfTaskSlots"] = "2";
    edit(d);
    d.simulation.job.operators = [
      { id: "source", name: "Source: events", kind: "source", parallelism: 3, source: { connector: "datagen", rowsPerSecond: 400 } },
      { id: "parse", name: "Parse", cost: { distribution: "exponential", mean: "2ms" }, selectivity: 1.5 },
      { id: "agg", name: "Aggregate", parallelism: 5, cost: { distribution: "lognormal", median: "8ms", p95: "20ms" }, python: true },
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
}

describe("conservation at every sample", () => {
  it("holds for the seed job (one local channel, long backpressure)", () => {
    let samples = 0;
    runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "2h";
        d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
        noDoubleCount(d);
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
        noDoubleCount(d);
      }),
      { onSample: (c, now) => (checks += checkInvariants(c, now)) },
    );
    expect(operator.restarts.length).toBeGreaterThanOrEqual(3);
    expect(checks).toBeGreaterThan(1000);
  });

  it("holds for a wider job: hash-partitioned, skewed, local and remote channels, fan-out, costs drawn at random, Python bundles", () => {
    let checks = 0;
    const { cluster, summary } = runScenario(wideJob(noDoubleCount), { onSample: (c, now) => (checks += checkInvariants(c, now)) });
    expect(checks).toBeGreaterThan(1000);
    // Both kinds of channels were exercised.
    expect(cluster.channels.some((c) => c.channel instanceof RemoteInputChannel)).toBe(true);
    expect(cluster.channels.some((c) => !(c.channel instanceof RemoteInputChannel))).toBe(true);
    // Records flowed all the way: selectivity 1.5 at parse, 0.5 at audit.
    expect(summary.records_delivered_to_sinks).toBeGreaterThan(0);
  });

  it("1.18's double count (FLINK-35764) changes only the gauges, and only upwards", () => {
    // markEnd adds now - start instead of now - lastUpdate: never less. So with the autoscaler off (nothing reads
    // the gauges) the job runs the same, and every accumulated idle and back-pressured count, and every gauge
    // value, is at least what it is without the double count.
    interface TaskSample {
      readonly exact: { idle: number; busy: number; backpressured: number };
      readonly records: [number, number];
      readonly accumulated: [number, number];
      readonly gauges: [number, number, number];
    }
    const sampled = (doubleCount: boolean) => {
      const samples: Map<string, TaskSample>[] = [];
      runScenario(
        wideJob((d) => {
          d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
          (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount };
        }),
        {
          onSample: (c) => {
            const byTask = new Map<string, TaskSample>();
            for (const [vertexId, tasks] of c.subtasks) {
              for (const t of tasks) {
                const m = t.metrics;
                byTask.set(`${vertexId}/${t.index}`, {
                  exact: t.timeInStates(),
                  records: [m.numRecordsIn.count, m.numRecordsOut.count],
                  accumulated: [m.accumulatedIdleTime(), m.accumulatedBackPressuredTime()],
                  gauges: [m.idleTime.getValue(), m.backPressuredTimeMsPerSecond(), m.busyTimeMsPerSecond()],
                });
              }
            }
            samples.push(byTask);
          },
        },
      );
      return samples;
    };
    const with118 = sampled(true);
    const without = sampled(false);
    expect(with118).toHaveLength(180);
    expect(without).toHaveLength(180);
    let larger = 0;
    with118.forEach((tasks, i) => {
      for (const [key, a] of tasks) {
        const b = without[i]!.get(key)!;
        expect(a.exact).toEqual(b.exact);
        expect(a.records).toEqual(b.records);
        expect(a.accumulated[0]).toBeGreaterThanOrEqual(b.accumulated[0]);
        expect(a.accumulated[1]).toBeGreaterThanOrEqual(b.accumulated[1]);
        expect(a.gauges[0]).toBeGreaterThanOrEqual(b.gauges[0]);
        expect(a.gauges[1]).toBeGreaterThanOrEqual(b.gauges[1]);
        if (!Number.isNaN(a.gauges[2])) expect(a.gauges[2]).toBeLessThanOrEqual(b.gauges[2]);
        if (a.accumulated[0] > b.accumulated[0] || a.accumulated[1] > b.accumulated[1]) larger++;
      }
    });
    // And it does count twice: measurements spanning a view update are common on this job.
    expect(larger).toBeGreaterThan(0);
  });
});
