import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { mean as meanOf, sampler, sumSampler, variance } from "../../src/engine/distributions.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "../../src/flink/keyGroups.ts";
import { KeyRouting } from "../../src/flink/partitioners.ts";
import { waterLevel } from "../../src/flink/aggregate/waterLevel.ts";
import { multinomialShares } from "../../src/flink/aggregate/multinomialShares.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";
import { seedScenarioWith, operator } from "../helpers.ts";

/**
 * The seed's job turned into a plain Java pipeline for the aggregate mode: the FLIP-27
 * datagen at `rate`, the map at parallelism 1 costing `mapCost`, the autoscaler off.
 */
function pipeline(rate: number, mapCost: string, sourceCost = "0ms", extra: Record<string, unknown> = {}, doubleCount = true) {
  return seedScenarioWith(
    (doc) => {
      doc.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      const source = operator(doc, "source");
      source.source = { connector: "datastream-datagen", rowsPerSecond: rate };
      source.cost = sourceCost;
      Object.assign(operator(doc, "map"), { python: false, cost: mapCost, ...extra });
      doc.simulation.duration = "5min";
      (doc.simulation as Record<string, unknown>).execution = "aggregate";
      if (!doubleCount) (doc.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
    },
    { variant: "tracking-on" },
  );
}

/** A vertex's subtask metric, summed (records) or averaged (time) over its subtasks, at the end of a run. */
function vertexMetric(cluster: FlinkCluster, prefix: string, read: (m: Map<string, number>) => number, how: "sum" | "avg" = "sum"): number {
  const v = cluster.graph.vertices.find((x) => x.name.startsWith(prefix))!;
  const tasks = cluster.subtasks.get(v.id)!;
  const values = tasks.map((t) => read(t.metrics.values(0)));
  const sum = values.reduce((a, b) => a + b, 0);
  return how === "sum" ? sum : sum / values.length;
}

describe("sums of draws (aggregate mode's costs)", () => {
  it("is exact for a constant: n x value", () => {
    const sum = sumSampler({ kind: "constant", value: 0.25 }, () => 0.5);
    expect(sum(1000)).toBe(250);
    expect(sum(7)).toBe(1.75);
  });

  it("adds the draws themselves below 30 terms: the same numbers a sampler on the same stream gives", () => {
    const spec = { kind: "exponential", mean: 3 } as const;
    const a = sumSampler(spec, new RandomStreams(4).stream("x"));
    const one = sampler(spec, new RandomStreams(4).stream("x"));
    let expected = 0;
    for (let i = 0; i < 12; i++) expected += one();
    expect(a(12)).toBe(expected);
  });

  it("matches the sum's mean and variance from 30 terms on (n mean, n variance), for each family", () => {
    const specs = [
      { kind: "exponential", mean: 2 },
      { kind: "uniform", min: 1, max: 5 },
      { kind: "lognormal", median: 1, p95: 3 },
      { kind: "normal", mean: 10, stddev: 2 },
    ] as const;
    for (const spec of specs) {
      const sum = sumSampler(spec, new RandomStreams(9).stream(spec.kind));
      const n = 400;
      const draws = Array.from({ length: 4000 }, () => sum(n));
      const m = draws.reduce((a, b) => a + b, 0) / draws.length;
      const v = draws.reduce((a, b) => a + (b - m) ** 2, 0) / (draws.length - 1);
      const expectedMean = n * meanOf(spec);
      const expectedVar = n * variance(spec);
      // The sample mean within 4 standard errors; the sample variance within 10% (4000 draws: its s.e. is about 2.2%).
      expect(Math.abs(m - expectedMean)).toBeLessThan(4 * Math.sqrt(expectedVar / draws.length));
      expect(v / expectedVar).toBeGreaterThan(0.9);
      expect(v / expectedVar).toBeLessThan(1.1);
    }
  });

  it("computes each family's variance in closed form", () => {
    expect(variance({ kind: "uniform", min: 1, max: 5 })).toBeCloseTo(16 / 12, 12);
    expect(variance({ kind: "exponential", mean: 2 })).toBe(4);
    // lognormal: (e^{s^2} - 1) e^{2 mu + s^2} with mu = ln 1, s = ln 3 / 1.6449
    const s = Math.log(3) / 1.6448536269514722;
    expect(variance({ kind: "lognormal", median: 1, p95: 3 })).toBeCloseTo((Math.exp(s * s) - 1) * Math.exp(s * s), 12);
  });
});

describe("aggregate execution", () => {
  it("keeps up below capacity: the map's input rate is the source's, its busy time rate x cost", () => {
    // 1,000 records/s into a map at 0.5 ms: 500 ms/s busy, 500 idle, none back-pressured; without
    // FLINK-35764's double count exactly so.
    const exact = runScenario(pipeline(1000, "500µs", "0ms", {}, false), { output: { kind: "none" } }).cluster;
    expect(vertexMetric(exact, "Map", (m) => m.get("busyTimeMsPerSecond")!, "avg")).toBe(500);
    expect(vertexMetric(exact, "Map", (m) => m.get("idleTimeMsPerSecond")!, "avg")).toBe(500);
    // With it (Flink 1.18), each update counts the wait in progress twice up to the tick: idle half of
    // each 100 ms flush cycle, 0.5 x 0.5 x 100 / 2 = 12.5 ms per 5 s update, 2.5 ms/s: idle
    // floor(502.5) = 502, busy 1000 - 502 = 498.
    const result = runScenario(pipeline(1000, "500µs"), { output: { kind: "none" } });
    const c = result.cluster;
    expect(vertexMetric(c, "Map", (m) => m.get("numRecordsInPerSecond")!)).toBeCloseTo(1000, 6);
    expect(vertexMetric(c, "Map", (m) => m.get("busyTimeMsPerSecond")!, "avg")).toBe(498);
    expect(vertexMetric(c, "Map", (m) => m.get("idleTimeMsPerSecond")!, "avg")).toBe(502);
    expect(vertexMetric(c, "Map", (m) => m.get("backPressuredTimeMsPerSecond")!, "avg")).toBe(0);
    // 5 min at 1,000/s: every record the source emitted (permits accrue from the start) reached the map.
    expect(vertexMetric(c, "Map", (m) => m.get("numRecordsIn")!)).toBe(300_000);
  });

  it("back-pressures the source at the map's capacity: the source waits the rest of each second", () => {
    // 4,000/s offered, the map takes 2,000/s (0.5 ms each): the map is busy 1000 ms/s; the source
    // emits 2,000/s at 0.1 ms (200 ms/s busy) and is back-pressured the other 800 ms/s; with the
    // double count 0.8 x 0.8 x 100 / 2 = 32 ms more per 5 s update: 806 back-pressured, 194 busy.
    const exact = runScenario(pipeline(4000, "500µs", "100µs", {}, false), { output: { kind: "none" } }).cluster;
    expect(vertexMetric(exact, "Source", (m) => m.get("busyTimeMsPerSecond")!, "avg")).toBe(200);
    expect(vertexMetric(exact, "Source", (m) => m.get("backPressuredTimeMsPerSecond")!, "avg")).toBe(800);
    const result = runScenario(pipeline(4000, "500µs", "100µs"), { output: { kind: "none" } });
    const c = result.cluster;
    expect(vertexMetric(c, "Map", (m) => m.get("numRecordsInPerSecond")!)).toBeCloseTo(2000, 6);
    expect(vertexMetric(c, "Map", (m) => m.get("busyTimeMsPerSecond")!, "avg")).toBe(1000);
    expect(vertexMetric(c, "Source", (m) => m.get("busyTimeMsPerSecond")!, "avg")).toBe(194);
    expect(vertexMetric(c, "Source", (m) => m.get("backPressuredTimeMsPerSecond")!, "avg")).toBe(806);
  });

  it("counts a filter's output as the floor of selectivity x input, operator by operator", () => {
    const result = runScenario(pipeline(1000, "100µs", "0ms", { selectivity: 0.3 }), { output: { kind: "none" } });
    const c = result.cluster;
    const inMap = vertexMetric(c, "Map", (m) => m.get("numRecordsIn")!);
    const mapOut = vertexMetric(c, "Map", (m) => m.get("Map.numRecordsOut")!);
    expect(inMap).toBe(300_000);
    expect(mapOut).toBe(Math.floor(0.3 * 300_000));
  });

  it("conserves records: what the sources emitted is delivered or still in a channel", () => {
    const result = runScenario(pipeline(4000, "500µs", "100µs"), { output: { kind: "none" } });
    const c = result.cluster;
    const emitted = vertexMetric(c, "Source", (m) => m.get("numRecordsOut")!);
    const intoMap = vertexMetric(c, "Map", (m) => m.get("numRecordsIn")!);
    // The map is the bottleneck: its input channels stay full (a few buffers of 512 records), never more.
    expect(emitted - intoMap).toBeGreaterThan(0);
    expect(emitted - intoMap).toBeLessThanOrEqual(12 * 512 + 1);
  });

  it("splits a HASH edge by the expected share of each channel's key groups", () => {
    const routing = new KeyRouting({ count: 1000, skew: 1.1 }, 32, 4);
    const shares = routing.channelShares();
    // Independently: Zipf(1.1) weights over keys 0..999, each key to its key group's operator.
    const expected = [0, 0, 0, 0];
    let total = 0;
    for (let k = 0; k < 1000; k++) total += 1 / Math.pow(k + 1, 1.1);
    for (let k = 0; k < 1000; k++) expected[computeOperatorIndexForKeyGroup(32, 4, assignToKeyGroup(k, 32))]! += 1 / Math.pow(k + 1, 1.1) / total;
    expected.forEach((e, j) => expect(shares[j]).toBeCloseTo(e, 12));
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("gives the same bytes for the same scenario and seed", () => {
    const run = () => runScenario(loadScenario("scenarios/validation/hot-keys.yaml", { duration: "20min", set: { "simulation.execution": "aggregate" } })).files;
    const a = run();
    const b = run();
    expect(a["timeseries.csv"]).toBe(b["timeseries.csv"]);
    expect(a["decisions.csv"]).toBe(b["decisions.csv"]);
    expect(a["autoscaler.log"]).toBe(b["autoscaler.log"]);
  });
});

describe("simulation.execution", () => {
  it("auto runs the seed (10 rows/s) record by record, a job from 1,000 records/s in aggregate", () => {
    expect(loadScenario("scenarios/backpressure.yaml").execution).toBe("record");
    expect(loadScenario("scenarios/kafka-daily.yaml").execution).toBe("record"); // 100 records/s at most
    expect(loadScenario("scenarios/production/kafka-24-partitions.yaml").execution).toBe("aggregate");
    expect(loadScenario("scenarios/production/kafka-24-partitions.yaml", { set: { "simulation.execution": "record" } }).execution).toBe("record");
  });

  it("refuses aggregate for a job it cannot model, naming the operator and the way out", () => {
    // The seed's map spending CPU on its TaskManager's 0.5 cores: a Python worker short of CPU.
    const attempt = () => loadScenario("scenarios/backpressure.yaml", { set: { "simulation.execution": "aggregate", "simulation.job.operators[map].cpuShare": "1" } });
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(/simulation\.execution.*operator map runs in Python on a CPU that can be short.*use execution: record/s);
  });
});

describe("waterLevel", () => {
  it("shares a total equally, each part at most what it has", () => {
    // 10 over [1, 2, 10]: 1 and 2 give all they have, the last gives 7: level 7.
    expect(waterLevel([1, 2, 10], 10)).toBe(7);
    // 9 over [4, 4, 4]: 3 each.
    expect(waterLevel([4, 4, 4], 9)).toBe(3);
    // More asked than there is: everything, the level the largest.
    expect(waterLevel([1, 2, 3], 100)).toBe(3);
    expect(waterLevel([], 5)).toBe(0);
  });
});

describe("multinomialShares", () => {
  it("draws shares with the multinomial's mean p, variance p(1-p)/n and covariance -p_i p_j / n", () => {
    const p = [0.5, 0.3, 0.2];
    const n = 10_000;
    const random = new RandomStreams(3).stream("keys");
    const out = new Float64Array(3);
    const draws = Array.from({ length: 20_000 }, () => {
      multinomialShares(p, n, random, out);
      return Array.from(out);
    });
    const m = p.map((_, j) => draws.reduce((a, d) => a + d[j]!, 0) / draws.length);
    const cov = (i: number, j: number) => draws.reduce((a, d) => a + (d[i]! - m[i]!) * (d[j]! - m[j]!), 0) / (draws.length - 1);
    p.forEach((pj, j) => {
      expect(Math.abs(m[j]! - pj)).toBeLessThan(4 * Math.sqrt((pj * (1 - pj)) / n / draws.length));
      // A sample variance of 20,000 draws is within 4% of the true one (its s.e. is 1%).
      expect(cov(j, j) / ((pj * (1 - pj)) / n)).toBeGreaterThan(0.96);
      expect(cov(j, j) / ((pj * (1 - pj)) / n)).toBeLessThan(1.04);
    });
    expect(cov(0, 1) / ((-p[0]! * p[1]!) / n)).toBeGreaterThan(0.94);
    expect(cov(0, 1) / ((-p[0]! * p[1]!) / n)).toBeLessThan(1.06);
    // Every draw adds up to 1.
    for (const d of draws.slice(0, 100)) expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("returns p itself below one record", () => {
    const out = new Float64Array(2);
    multinomialShares([0.7, 0.3], 0.5, () => 0.5, out);
    expect(Array.from(out)).toEqual([0.7, 0.3]);
  });
});
