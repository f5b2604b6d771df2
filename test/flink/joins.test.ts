/**
 * Two-input operators and BROADCAST edges against hand-computed values: a tumbling
 * window join emits r1 x r2 x W / K pairs per second, an interval join [lower, upper]
 * r1 x r2 x (upper - lower) / K (uniform keys), a broadcast consumer subtask reads every
 * record its producer writes, and the autoscaler's target data rate of a two-input vertex
 * is what ScalingMetricEvaluator's edge arithmetic (release-1.15.0) gives for those rates.
 */
import { describe, expect, it } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { TwoInputHead, ArrivalBuffer } from "../../src/flink/runtime/TwoInputHead.ts";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { checkInvariants } from "./invariants.ts";

const ORDERS = 400; // records/s of input 1
const PAYMENTS = 200; // records/s of input 2
const KEYS = 10_000;

/** A job: orders and payments into a join (parallelism 2), whose pairs a sink of its own reads. */
function joinJob(join: string, execution: "record" | "aggregate", duration = "20min"): string {
  return `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: join }
spec:
  flinkVersion: v1_18
  flinkConfiguration:
    job.autoscaler.enabled: "false"
    taskmanager.numberOfTaskSlots: "2"
    pipeline.max-parallelism: "24"
  taskManager: { resource: { cpu: 8 } }
  job: { jarURI: local:///job.jar, parallelism: 2 }
simulation:
  duration: ${duration}
  seed: 3
  execution: ${execution}
  job:
    operators:
      - { id: orders, cost: 20µs, source: { connector: datastream-datagen, load: ${ORDERS} } }
      - { id: payments, cost: 20µs, source: { connector: datastream-datagen, load: ${PAYMENTS} } }
      - id: join
        join: ${join}
        inputs: { orders: { cost: 1ms }, payments: { cost: 500µs } }
      - { id: sink, kind: sink, cost: 50µs }
    edges:
      - { from: orders, to: join, shipStrategy: HASH, keys: { count: ${KEYS} } }
      - { from: payments, to: join, shipStrategy: HASH, keys: { count: ${KEYS} } }
      - { from: join, to: sink, shipStrategy: REBALANCE }
`;
}

/** The join operator's records out per second over [fromS, endS], from its counters (exact, not a 60 s meter). */
function joinRates(text: string, fromS: number): { outPerS: number; inPerS: number; busyMsPerS: number } {
  const scenario = parseScenario("join.yaml", text);
  const totals = (c: FlinkCluster) => {
    const join = c.graph.vertices.find((v) => v.name === "join")!;
    const tasks = c.subtasks.get(join.id)!;
    return {
      out: tasks.reduce((a, t) => a + t.metrics.operators[0]!.numRecordsOut.count, 0),
      in: tasks.reduce((a, t) => a + t.metrics.numRecordsIn.count, 0),
      busy: tasks.reduce((a, t) => a + t.timeInStates().busy, 0),
    };
  };
  let start = { out: 0, in: 0, busy: 0 };
  let end = { out: 0, in: 0, busy: 0 };
  let endS = 0;
  runScenario(scenario, {
    output: { kind: "none" },
    onSample: (c, now) => {
      if (Math.abs(now / 1000 - fromS) < 1e-6) start = totals(c);
      end = totals(c);
      endS = now / 1000;
    },
  });
  const span = endS - fromS;
  return { outPerS: (end.out - start.out) / span, inPerS: (end.in - start.in) / span, busyMsPerS: (end.busy - start.busy) / span / 2 };
}

describe("a tumbling window join", () => {
  // 400 x 200 x 10 s / 10,000 keys = 80 pairs/s. Each subtask's window holds about 2,000 and 1,000 records
  // (multinomial counts, relative sd about 2% per window); 60 windows of both subtasks average that to about
  // 0.3%, and the window running at the end is not yet emitted (counted from a window end to a window end: 0).
  const expected = (ORDERS * PAYMENTS * 10) / KEYS;
  for (const execution of ["record", "aggregate"] as const) {
    it(`emits r1 x r2 x W / K = ${expected} pairs/s at its window ends (${execution} mode)`, () => {
      const r = joinRates(joinJob("{ type: window, size: 10s }", execution), 600);
      expect(Math.abs(r.outPerS - expected) / expected).toBeLessThan(0.02);
      // Both inputs are counted by the join's numRecordsIn (one counter for the task, as TwoInputStreamTask sets it up).
      expect(r.inPerS).toBeCloseTo(ORDERS + PAYMENTS, -1);
      // Busy: 200 orders x 1 ms + 100 payments x 0.5 ms per subtask and second = 250 ms/s.
      expect(Math.abs(r.busyMsPerS - 250)).toBeLessThan(5);
    });
  }

  it("emits nothing between window ends, and at each end the expected pairs of the window's records", () => {
    const head = new TwoInputHead(
      [
        { cost: () => 1, selectivity: 1 },
        { cost: () => 1, selectivity: 1 },
      ],
      { type: "window", sizeMs: 10_000 },
      1 / 50, // a subtask with 50 keys
    );
    for (let i = 0; i < 30; i++) expect(head.onRecord(0, i)).toBe(0);
    for (let i = 0; i < 20; i++) expect(head.onRecord(1, i)).toBe(0);
    expect(head.fireWindow()).toBe(12); // 30 x 20 / 50
    expect(head.fireWindow()).toBe(0); // a new, empty window
    for (let i = 0; i < 7; i++) head.onRecord(0, 10_000 + i);
    for (let i = 0; i < 5; i++) head.onRecord(1, 10_000 + i);
    expect(head.fireWindow()).toBe(0); // 35 / 50 = 0.7, carried
    for (let i = 0; i < 3; i++) head.onRecord(0, 20_000 + i);
    for (let i = 0; i < 5; i++) head.onRecord(1, 20_000 + i);
    expect(head.fireWindow()).toBe(1); // 0.7 + 15 / 50 = 1.0
  });
});

describe("an interval join", () => {
  for (const [lower, upper] of [
    [-2, 2],
    [0, 3],
  ] as const) {
    // 400 x 200 x (upper - lower) / 10,000: 32 and 24 pairs/s.
    const expected = (ORDERS * PAYMENTS * (upper - lower)) / KEYS;
    for (const execution of ["record", "aggregate"] as const) {
      it(`[${lower}s, ${upper}s] emits r1 x r2 x (upper - lower) / K = ${expected} pairs/s continuously (${execution} mode)`, () => {
        const r = joinRates(joinJob(`{ type: interval, lower: ${lower}s, upper: ${upper}s }`, execution), 600);
        expect(Math.abs(r.outPerS - expected) / expected).toBeLessThan(0.02);
      });
    }
  }

  it("pairs a record of input 1 at t with input 2's in [t + lower, t + upper], each pair once, as the later one arrives", () => {
    const head = new TwoInputHead(
      [
        { cost: () => 1, selectivity: 1 },
        { cost: () => 1, selectivity: 1 },
      ],
      { type: "interval", lowerMs: -100, upperMs: 50 },
      1, // one key: every pair of records matches
    );
    expect(head.onRecord(1, 0)).toBe(0); // input 2 at 0: no input 1 yet
    expect(head.onRecord(0, 40)).toBe(1); // input 1 at 40 pairs with input 2 in [-60, 90]: the one at 0
    expect(head.onRecord(1, 80)).toBe(1); // input 2 at 80 pairs with input 1 in [30, 180]: the one at 40
    expect(head.onRecord(1, 200)).toBe(0); // [150, 300]: none
    expect(head.onRecord(0, 210)).toBe(1); // [110, 260]: the input 2 record at 200 (80 and 0 are too old)
  });

  it("counts arrivals in a closed range, dropping the old ones", () => {
    const b = new ArrivalBuffer();
    for (let t = 0; t < 200; t++) b.push(t);
    expect(b.countBetween(10, 19)).toBe(10);
    b.dropBefore(150);
    expect(b.length).toBe(50);
    expect(b.countBetween(0, 160)).toBe(11);
  });
});

describe("a BROADCAST edge", () => {
  it("delivers every record its producer writes to every consumer subtask; the producer counts each once", () => {
    const scenario = loadScenario("scenarios/validation/join-broadcast.yaml", { duration: "10min", set: { "simulation.job.operators[enrich].parallelism": "3", "simulation.job.operators[sink].parallelism": "3" } });
    let checks = 0;
    const { cluster } = runScenario(scenario, { output: { kind: "none" }, onSample: (c, now) => (checks += checkInvariants(c, now)) });
    expect(checks).toBeGreaterThan(0);
    const k = cluster.graph.edges.findIndex((e) => e.shipStrategy === "BROADCAST");
    const edge = cluster.graph.edges[k]!;
    const producers = cluster.subtasks.get(edge.source.id)!;
    expect(producers).toHaveLength(1);
    const written = producers[0]!.metrics.numRecordsOut.count;
    // 10 min of a 2 records/s source, less the first second's ramp of its rate limiter.
    expect(written).toBeGreaterThan(1150);
    const channels = cluster.channels.filter((c) => c.edge === k);
    expect(channels).toHaveLength(3);
    for (const c of channels) {
      const slice = c.consumer.currentSlice();
      const inFlight = c.channel.subpartition.unsent() + c.channel.receivedUnread() + (slice.channel === c.channel ? slice.remaining : 0);
      // Every consumer subtask got (or has in flight) each of the producer's records: numRecordsOut x 1 per subtask.
      expect(c.channel.delivered + inFlight).toBe(written);
      expect(c.channel.delivered).toBeGreaterThan(written - 3);
    }
  });

  it("the enrich vertex reads join pairs + P x rules; the autoscaler's target rates follow ScalingMetricEvaluator's edge arithmetic", () => {
    // P = 2 enrich subtasks. Join: inputs orders (400/s) and payments (200/s), both sources with one output each,
    // so each edge's rate is the join's numRecordsIn minus the other source's numRecordsOut: 400 and 200, output
    // ratios 1, target 400 + 200 = 600. Enrich: numRecordsIn I = J + P x R (J = 32 pairs/s, R = 2 rules/s,
    // broadcast to both subtasks). Edge join -> enrich: I - R = J + (P - 1) R (the rules source's numRecordsOut
    // counts each record once); edge rules -> enrich: I - J = P x R, ratio P. Target: J + (P - 1) R + P R = J + (2P - 1) R = 38,
    // above the 36 records/s the vertex reads: the autoscaler counts the broadcast's extra copies twice.
    const r = runScenario(loadScenario("scenarios/validation/join-broadcast.yaml", { duration: "25min" }));
    const rows = parseCsv(r.files["decisions.csv"]!, { columns: true }) as Record<string, string>[];
    const at = (vertex: string) => rows.filter((row) => row["vertex"] === vertex).map((row) => Number(row["target_data_rate"]));
    const join = at("Match payments");
    const enrich = at("Enrich -> Sink: enriched");
    expect(join.length).toBeGreaterThan(0);
    const J = (ORDERS * PAYMENTS * 4) / KEYS; // the scenario's interval join: [-2 s, 2 s]
    const R = 2;
    const P = 2;
    for (const v of join) expect(Math.abs(v - (ORDERS + PAYMENTS))).toBeLessThan(0.005 * (ORDERS + PAYMENTS));
    for (const v of enrich) expect(Math.abs(v - (J + (2 * P - 1) * R))).toBeLessThan(0.02 * (J + (2 * P - 1) * R));
  });
});
