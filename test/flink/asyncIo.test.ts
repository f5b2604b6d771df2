import { describe, expect, it } from "vitest";
import { cdf, meanCappedAt } from "../../src/engine/distributions.ts";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { Subtask } from "../../src/flink/runtime/Subtask.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";

interface Case {
  readonly source: string;
  readonly async: string;
  readonly cost?: string;
  readonly execution: "record" | "aggregate";
  readonly sinkChaining?: string;
}

/** A source, an async operator (parallelism 1, its own vertex) and a free sink; the autoscaler off. */
function scenarioText(c: Case): string {
  return `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: async }
spec:
  flinkVersion: v1_18
  flinkConfiguration: { job.autoscaler.enabled: "false", taskmanager.numberOfTaskSlots: "1" }
  job: { jarURI: local:///x.jar, parallelism: 1 }
simulation:
  duration: 10min
  execution: ${c.execution}
  job:
    operators:
      - { id: source, kind: source, cost: 0ms, source: ${c.source} }
      - { id: enrich, cost: ${c.cost ?? "0ms"}, chaining: false, async: ${c.async} }
      - { id: sink, kind: sink, cost: 0ms${c.sinkChaining ?? ", chaining: false"} }
    edges:
      - { from: source, to: enrich, shipStrategy: FORWARD }
      - { from: enrich, to: sink, shipStrategy: FORWARD }
`;
}

const BACKLOG = "{ connector: kafka, topic: t, partitions: 1, load: 0, initialBacklog: 10000000 }";

/** Runs for `ms` and reads the async vertex: records in and out per second over the run, and the last minute's busy time. */
function run(c: Case, ms = 600_000) {
  const scenario = parseScenario("async.yaml", scenarioText(c));
  const env = new Environment();
  const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
  cluster.start();
  env.run(ms);
  const vertex = cluster.graph.vertices.find((v) => v.name === "enrich")!;
  const task = cluster.subtasks.get(vertex.id)![0]!;
  const m = task.metrics;
  const seconds = (ms - m.startMs) / 1000;
  const busy = m.busyTimeMsPerSecond();
  const inPerSecond = m.numRecordsIn.count / seconds;
  // Exact busy ms per second over the run (the gauge rounds, and 1.18's double count of idle time lowers it).
  const exactBusy = task.timeInStates().busy / seconds;
  // The autoscaler's true processing rate: records in per second over the busy share of the second.
  return { task, inPerSecond, outPerSecond: m.operators[0]!.numRecordsOut.count / seconds, busy, exactBusy, trueRate: inPerSecond / (exactBusy / 1000) };
}

describe("async I/O (AsyncWaitOperator)", () => {
  for (const execution of ["record", "aggregate"] as const) {
    it(`${execution} mode: a full queue caps the throughput at capacity / mean latency (Little's law), and the waiting is busy time`, () => {
      // 10 places, 50 ms mean latency: 10 / 0.05 s = 200 requests/s.
      const r = run({ source: BACKLOG, async: "{ capacity: 10, latency: { distribution: exponential, mean: 50ms }, order: unordered }", execution });
      expect(Math.abs(r.inPerSecond - 200) / 200).toBeLessThan(0.02);
      // Blocked in addToWorkQueue (MailboxExecutor#yield): neither idle nor back-pressured.
      expect(r.busy).toBeGreaterThanOrEqual(995);
      expect(r.exactBusy).toBeGreaterThan(995);
      // So the autoscaler's true processing rate is the capped throughput, not 1 / invocation cost.
      expect(Math.abs(r.trueRate - 200) / 200).toBeLessThan(0.03);
    });

    it(`${execution} mode: ordered with a constant latency gives exactly capacity / latency`, () => {
      const r = run({ source: BACKLOG, async: "{ capacity: 100, latency: 400ms }", execution });
      // 100 / 0.4 s = 250/s; the first 400 ms produce nothing.
      expect(Math.abs(r.inPerSecond - 250) / 250).toBeLessThan(0.005);
      expect(r.outPerSecond).toBeCloseTo(r.inPerSecond, 0);
    });

    it(`${execution} mode: below the cap the busy time is the invocations' CPU alone, and the true processing rate reads far above the cap`, () => {
      // 100 records/s, 1 ms per asyncInvoke, 50 ms latency, 20 places: cap 400/s. Records arrive as the
      // source's output flusher sends them, about 10 every 100 ms, so at most 11 are in flight: never full.
      // (With 10 places a burst of 11 waits for a place, and that wait is busy time.)
      const r = run({ source: "{ connector: datastream-datagen, rowsPerSecond: 100 }", async: "{ capacity: 20, latency: 50ms }", cost: "1ms", execution });
      expect(r.inPerSecond).toBeCloseTo(100, 0);
      expect(r.exactBusy).toBeCloseTo(100, 0); // 100 x 1 ms a second
      // The gauge the autoscaler reads: at most that (FLINK-35764's double count of idle time in 1.18 lowers it).
      expect(r.busy).toBeLessThanOrEqual(100);
      expect(r.busy).toBeGreaterThan(80);
      expect(Math.abs(r.trueRate - 1000) / 1000).toBeLessThan(0.03); // 1 / 1 ms, 2.5 times the cap of 400/s
    });

    it(`${execution} mode: a timeout with onTimeout: drop caps the time a request holds its place and drops its result`, () => {
      // Latency uniform on [0, 100] ms, timeout 80 ms: P(L <= 80) = 0.8; E[min(L, 80)] = (80^2 / 2 + 80 x 20) / 100 = 48 ms.
      const spec = { kind: "uniform", min: 0, max: 100 } as const;
      expect(cdf(spec, 80)).toBeCloseTo(0.8, 12);
      expect(meanCappedAt(spec, 80)).toBeCloseTo(48, 12);
      const r = run({ source: BACKLOG, async: "{ capacity: 24, latency: { distribution: uniform, min: 0ms, max: 100ms }, order: unordered, timeout: 80ms, onTimeout: drop }", execution });
      expect(Math.abs(r.inPerSecond - 24 / 0.048) / 500).toBeLessThan(0.02);
      expect(Math.abs(r.outPerSecond / r.inPerSecond - 0.8)).toBeLessThan(0.01);
      if (r.task instanceof Subtask) {
        const timedOut = r.task.asyncWaitQueue()!.timedOut;
        expect(Math.abs(timedOut / (r.inPerSecond * 600) - 0.2)).toBeLessThan(0.01);
      }
    });
  }

  it("E[min(L, t)] and P(L <= t) in closed form match draws for every family", async () => {
    const { sampler } = await import("../../src/engine/distributions.ts");
    const specs = [
      { kind: "exponential", mean: 50 },
      { kind: "normal", mean: 50, stddev: 15 },
      { kind: "lognormal", median: 40, p95: 120 },
      { kind: "uniform", min: 10, max: 90 },
    ] as const;
    for (const spec of specs) {
      const draw = sampler(spec, new RandomStreams(3).stream("x"));
      let capped = 0;
      let below = 0;
      const n = 200_000;
      for (let i = 0; i < n; i++) {
        const x = draw();
        capped += Math.min(x, 60);
        if (x <= 60) below++;
      }
      expect(Math.abs(capped / n - meanCappedAt(spec, 60)) / meanCappedAt(spec, 60)).toBeLessThan(0.01);
      expect(Math.abs(below / n - cdf(spec, 60))).toBeLessThan(0.005);
    }
  });

  describe("bad input: one line naming the field", () => {
    const parse = (async: string, extra: Partial<Case> = {}) => () => parseScenario("async.yaml", scenarioText({ source: BACKLOG, async, execution: "record", ...extra }));
    it("refuses a capacity of 0", () => {
      expect(parse("{ capacity: 0, latency: 10ms }")).toThrow(/operators\[1\]\.async\.capacity.*at least 1/);
    });
    it("refuses a timeout that would fail the job (Flink's default timeout()), pointing to onTimeout: drop", () => {
      expect(parse("{ latency: 10ms, timeout: 5ms }")).toThrow(/async\.timeout.*fails the job.*onTimeout: drop/);
      expect(parse("{ latency: 10ms, timeout: 5ms, onTimeout: fail }")).toThrow(/async\.onTimeout.*fails the job/);
      expect(parse("{ latency: 10ms, onTimeout: drop }")).toThrow(/async\.onTimeout.*only applies with a timeout/);
    });
    it("refuses an operator chained after the async operator", () => {
      expect(parse("{ latency: 10ms }", { sinkChaining: "" })).toThrow(/operators\[2\].*chained after async operator 'enrich'.*chaining: false/);
    });
  });
});

describe("async operator chaining", () => {
  it("chains to a FLIP-27 source but never to a legacy source's chain (a yielding operator, Flink 1.18.1)", () => {
    const graph = (source: string) => {
      const text = scenarioText({ source, async: "{ latency: 10ms }", execution: "record" }).replace("{ id: enrich, cost: 0ms, chaining: false,", "{ id: enrich, cost: 0ms,");
      const cluster = new FlinkCluster(new Environment(), new RandomStreams(1), clusterOptionsOf(parseScenario("async.yaml", text)));
      return cluster.graph.vertices.map((v) => v.name);
    };
    expect(graph("{ connector: datastream-datagen, rowsPerSecond: 10 }")).toEqual(["source -> enrich", "sink"]);
    expect(graph("{ connector: datagen, rowsPerSecond: 10 }")).toEqual(["source", "enrich", "sink"]);
  });
});

describe("an async operator chained to its source", () => {
  for (const execution of ["record", "aggregate"] as const) {
    it(`${execution} mode: the chain's throughput is capacity / latency, its task busy throughout`, () => {
      const text = scenarioText({ source: BACKLOG, async: "{ capacity: 50, latency: 100ms }", execution }).replace("{ id: enrich, cost: 0ms, chaining: false,", "{ id: enrich, cost: 0ms,");
      const env = new Environment();
      const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(parseScenario("async.yaml", text)));
      cluster.start();
      env.run(300_000);
      const v = cluster.graph.vertices[0]!;
      expect(v.name).toBe("source -> enrich");
      const task = cluster.subtasks.get(v.id)![0]!;
      const seconds = (300_000 - task.metrics.startMs) / 1000;
      // 50 / 0.1 s = 500 records/s out of the source and the async operator alike.
      expect(Math.abs(task.metrics.operators[0]!.numRecordsOut.count / seconds - 500) / 500).toBeLessThan(0.005);
      expect(Math.abs(task.metrics.operators[1]!.numRecordsOut.count / seconds - 500) / 500).toBeLessThan(0.005);
      expect(task.metrics.busyTimeMsPerSecond()).toBeGreaterThanOrEqual(995);
    });
  }
});
