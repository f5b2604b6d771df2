import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { FluidKafkaSource } from "../../src/flink/aggregate/FluidSources.ts";
import { FetchingKafkaReader, fetchesInSlice } from "../../src/flink/sources/KafkaFetcher.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";

/** A Kafka source (one partition, one subtask) chained to a free sink, on a TaskManager of 4 cores (never short); the autoscaler off. */
function scenarioText(o: { rate: number; cost: string; fetchCost?: string; backlog?: number; maxPoll?: number; execution: "record" | "aggregate" }): string {
  const fetch = o.fetchCost === undefined ? "" : `, fetchCost: ${o.fetchCost}`;
  const poll = o.maxPoll === undefined ? "" : `, maxPollRecords: ${o.maxPoll}`;
  return `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: fetch }
spec:
  flinkVersion: v1_18
  flinkConfiguration: { job.autoscaler.enabled: "false", taskmanager.numberOfTaskSlots: "1" }
  taskManager: { resource: { cpu: 4 } }
  job: { jarURI: local:///x.jar, parallelism: 1 }
simulation:
  duration: 10min
  execution: ${o.execution}
  job:
    operators:
      - { id: source, kind: source, cost: ${o.cost}, source: { connector: kafka, topic: t, partitions: 1, load: ${o.rate}, initialBacklog: ${o.backlog ?? 0}${fetch}${poll} } }
      - { id: sink, kind: sink, cost: 0ms }
    edges:
      - { from: source, to: sink, shipStrategy: FORWARD }
`;
}

/** Runs the cluster alone for `ms`: the source's CPU per record (task busy per record emitted + fetcher time per record fetched) and its fetch stats. */
function run(text: string, ms: number) {
  const scenario = parseScenario("fetch.yaml", text);
  const env = new Environment();
  const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
  cluster.start();
  env.run(ms);
  const source = cluster.graph.vertices[0]!;
  const task = cluster.subtasks.get(source.id)![0]!;
  const records = task.metrics.operators[0]!.numRecordsOut.count;
  const reader = cluster.readers[0]!;
  const stats = reader instanceof FetchingKafkaReader || reader instanceof FluidKafkaSource ? reader.stats : null;
  const busy = task.timeInStates().busy;
  return { records, busy, stats: stats!, cpuPerRecord: busy / records + stats!.fetcherMs / stats!.records, busyPerRecord: busy / records };
}

describe("Kafka fetch cost", () => {
  // Hand calculation: one subtask of rate r (records/s), fetch time F, producer ticks of T = 100 ms.
  // A fetcher faster than the ticks makes one fetch per tick: r x 0.1 records per fetch; a slower
  // one takes what came during its last fetch: r x F / 1000; from a backlog, max.poll.records.
  const cases = [
    { what: "a fetch per tick (F = 20 ms < T)", rate: 200, fetchMs: 20, perFetch: 20 },
    { what: "the fetcher always busy (F = 300 ms > T)", rate: 200, fetchMs: 300, perFetch: 60 },
    { what: "under one record a tick: a fetch per record", rate: 5, fetchMs: 20, perFetch: 1 },
  ];
  for (const execution of ["record", "aggregate"] as const) {
    for (const c of cases) {
      it(`${execution} mode, ${c.what}: CPU per record = cost + fetchCost / ${c.perFetch}`, () => {
        const r = run(scenarioText({ rate: c.rate, cost: "1ms", fetchCost: `${c.fetchMs}ms`, execution }), 600_000);
        const expected = 1 + c.fetchMs / c.perFetch;
        expect(r.stats.records / r.stats.fetches).toBeCloseTo(c.perFetch, c.perFetch >= 20 ? 0 : 2);
        expect(Math.abs(r.cpuPerRecord - expected) / expected).toBeLessThan(0.01);
        // The fetch is the fetcher thread's: the task's busy time per record is the per-record cost alone.
        expect(r.busyPerRecord).toBeCloseTo(1, 6);
        // Everything produced was read (the 600 s run at r, less the last tick in flight).
        expect(r.records).toBeGreaterThan(c.rate * 598);
      });
    }

    it(`${execution} mode: from a backlog a fetch returns max.poll.records, and the fetcher caps the rate at maxPoll per fetch time`, () => {
      // Task: 0.1 ms a record (10,000/s); fetcher: 500 records per 100 ms = 5,000/s, the limit.
      const r = run(scenarioText({ rate: 0, cost: "100 micro", fetchCost: "100ms", backlog: 10_000_000, execution }), 60_000);
      expect(r.stats.records / r.stats.fetches).toBeCloseTo(500, 0);
      expect(r.cpuPerRecord).toBeCloseTo(0.1 + 100 / 500, 3);
      const rate = r.records / 60;
      expect(Math.abs(rate - 5000) / 5000).toBeLessThan(0.02);
    });

    it(`${execution} mode: maxPollRecords sets the batch`, () => {
      const r = run(scenarioText({ rate: 0, cost: "100 micro", fetchCost: "10ms", backlog: 10_000_000, maxPoll: 50, execution }), 60_000);
      expect(r.stats.records / r.stats.fetches).toBeCloseTo(50, 0);
    });
  }

  it("record mode: the fetcher is one more thread on the TaskManager's CPU (taskManager.resource.cpu: 1)", () => {
    // Task: 1 ms a record, always runnable (a backlog); fetcher: 100 ms per 500 records, 0.2 ms a
    // record. One core shared by both: records/s x (1 + 0.2) ms = 1000 ms/s, so 833.3 records/s;
    // the task's wait for the CPU is busy time, so it reads 1000 ms/s busy, 1.2 ms a record.
    const text = scenarioText({ rate: 0, cost: "1ms", fetchCost: "100ms", backlog: 10_000_000, execution: "record" }).replace("cpu: 4", "cpu: 1");
    const r = run(text, 120_000);
    const rate = r.records / 120;
    expect(Math.abs(rate - 1000 / 1.2) / (1000 / 1.2)).toBeLessThan(0.01);
    expect(Math.abs(r.busyPerRecord - 1.2) / 1.2).toBeLessThan(0.01);
  });

  it("counts fetches in a slice as the record mode's clamp does", () => {
    expect(fetchesInSlice(200, 1000, 20, 100, 500)).toBe(10); // a fetch per tick
    expect(fetchesInSlice(200, 1000, 300, 100, 500)).toBeCloseTo(1000 / 300, 12);
    expect(fetchesInSlice(5, 1000, 20, 100, 500)).toBe(5); // never fewer than one record a fetch
    expect(fetchesInSlice(5000, 1000, 100, 100, 500)).toBe(10); // full batches
    expect(fetchesInSlice(0, 1000, 20, 100, 500)).toBe(0);
  });

  it("refuses maxPollRecords without fetchCost, naming the field", () => {
    const text = scenarioText({ rate: 10, cost: "1ms", maxPoll: 100, execution: "record" });
    expect(() => parseScenario("fetch.yaml", text)).toThrow(ScenarioError);
    expect(() => parseScenario("fetch.yaml", text)).toThrow(/maxPollRecords.*only applies with fetchCost/);
  });
});
