/**
 * The aggregate mode's legacy datagen source and Python bundles (FluidLegacyDatagen.ts,
 * FluidPython.ts) against values worked out by hand from the sources' rules, and against
 * record mode where no random draw separates the two.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { FluidLegacyDatagenSource } from "../../src/flink/aggregate/FluidLegacyDatagen.ts";
import { LoadProfile } from "../../src/flink/sources/LoadProfile.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { resolveExecution } from "../../src/scenario/executionMode.ts";
import type { Scenario } from "../../src/scenario/Scenario.ts";
import { operator, seedScenarioWith, type SeedDoc } from "../helpers.ts";

const constantLoad = (rate: number) => new LoadProfile({ profile: "constant", rate }, undefined, new RandomStreams(1).stream("load"));

/** A cluster of `scenario` started in `execution`, with its map's and source's first subtask. */
function cluster(scenario: Scenario) {
  const env = new Environment();
  const c = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
  c.start();
  const task = (prefix: string) => c.subtasks.get(c.graph.vertices.find((v) => v.name.startsWith(prefix))!.id)![0]!;
  const at = (ms: number) => {
    env.run(ms);
    c.syncMetrics();
  };
  return { env, c, at, map: () => task("Map"), source: () => task("Source") };
}

/** The seed job with `edit` applied, the autoscaler off, in `execution`. */
function seedJob(execution: "record" | "aggregate", edit: (d: SeedDoc) => void = () => {}): Scenario {
  return seedScenarioWith(
    (d) => {
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      (d.simulation as Record<string, unknown>).execution = execution;
      edit(d);
    },
    { variant: "tracking-on" },
  );
}

describe("the legacy datagen source in aggregate (FluidLegacyDatagenSource)", () => {
  it("supplies a burst of ceil(rows / p) at its start and every second after, and owes what back-pressure held up", () => {
    // 10 rows/s over 3 subtasks: ceil(10 / 3) = 4 a burst.
    const s = new FluidLegacyDatagenSource(constantLoad(10), 3, 0);
    expect(s.supply(0, 1000)).toBe(4); // the burst at 0
    s.take(4);
    expect(s.supply(1000, 2000)).toBe(4);
    s.take(1); // held up: 3 owed
    expect(s.supply(2000, 3000)).toBe(3 + 4);
    s.take(0);
    // two slices' bursts (3000, 4000) and the 7 owed: the loop emits them back to back
    expect(s.supply(3000, 5000)).toBe(7 + 8);
    s.take(15);
    expect(s.backlog()).toBe(0);
  });

  it("counts its bursts from its own start, not from the slice grid", () => {
    // Deployed at 250 ms: bursts at 250, 1250, 2250 ...
    const s = new FluidLegacyDatagenSource(constantLoad(5), 1, 250);
    expect(s.supply(250, 1000)).toBe(5);
    s.take(5);
    expect(s.supply(1000, 1250)).toBe(0);
    s.take(0);
    expect(s.supply(1250, 2250)).toBe(5);
  });

  it("reports what record mode reports: busy time NaN, no operator input, hard back-pressure while blocked, no idle time", () => {
    // The seed job (the Python map at 2 s a record keeps the source blocked on its buffers), 20 min.
    const { env, at, source } = cluster(seedJob("aggregate", (d) => (d.simulation.duration = "20m")));
    at(1_200_000);
    const m = source().metrics;
    expect(m.busyTimeMsPerSecond()).toBeNaN();
    expect(m.accumulatedBusyTime(env.now)).toBeNaN();
    expect(m.operators[0]!.numRecordsIn.count).toBe(0);
    expect(m.operators[0]!.numRecordsOut.count).toBeGreaterThan(0);
    expect(m.idleTime.getAccumulatedCount()).toBe(0);
    expect(m.softBackPressuredTime.getAccumulatedCount()).toBe(0);
    expect(m.hardBackPressuredTime.getAccumulatedCount()).toBeGreaterThan(0);
    // its sleeps between bursts are idle in the exact state times, as in record mode
    expect(source().timeInStates().idle).toBeGreaterThan(0);
  });
});

/** PythonBundle.test's job: datagen at `rows`/s, a Python map costing exactly 100 ms, no overhead, no double count. */
function slowPython(execution: "record" | "aggregate", bundleSize?: number, rows = 1): Scenario {
  return seedJob(execution, (d) => {
    operator(d, "source").source = { connector: "datagen", rowsPerSecond: rows };
    operator(d, "map").cost = "100ms";
    operator(d, "map").python = { overhead: "0ms" };
    (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
    if (bundleSize !== undefined) d.spec.flinkConfiguration["python.fn-execution.bundle.size"] = String(bundleSize);
  });
}

describe("Python bundles in aggregate (FluidPython)", () => {
  it("finishes by time at the first timer tick at least bundle.time after the last finish, as record mode does", () => {
    // Ticks at 1000, 2000, ...: 1000 finishes [r0] (done 1100, lastFinish 1100); 2000 is
    // 900 ms later, skipped; 3000 finishes [r1, r2] (done 3200); 5000 [r3, r4] ... A slice's
    // input is there at its start, the tick's mail first: counts at whole seconds as record's.
    const expected: [number, number][] = [
      [1000, 0], [2000, 1], [3000, 1], [4000, 3], [5000, 3], [6000, 5], [8000, 7], [60_000, 59],
    ];
    for (const execution of ["record", "aggregate"] as const) {
      const { at, map } = cluster(slowPython(execution));
      for (const [t, count] of expected) {
        at(t);
        expect(map().metrics.operators[0]!.numRecordsOut.count, `${execution}: records out at ${t} ms`).toBe(count);
      }
    }
  });

  it("counts the wait in finishBundle as busy time: 100 ms, then 200 ms every 2 s", () => {
    const { env, at, map } = cluster(slowPython("aggregate"));
    at(60_000);
    // busy 1000..1100, then bundles at 3000, 5000, ..., 59000 (29 of them) of 200 ms each
    expect(map().metrics.accumulatedBusyTime(env.now)).toBe(100 + 29 * 200);
  });

  it("finishes by count when bundle.size elements are in", () => {
    // bundle.size 1: every record is its own bundle, done 100 ms after it is read.
    const { at, map } = cluster(slowPython("aggregate", 1));
    for (const [t, count] of [[1000, 1], [2000, 2], [10_000, 10]] as const) {
      at(t);
      expect(map().metrics.operators[0]!.numRecordsOut.count, `at ${t} ms`).toBe(count);
    }
  });

  it("at 5,000 records/s and 0.1 ms an element: five full bundles a second, busy 500 ms/s, idle 500", () => {
    // Each second's burst of 5,000 is there at once: bundles of 1,000 fill by count and take
    // 1,000 x 0.1 = 100 ms each; five a second, then nothing to read.
    const { env, at, map, source } = cluster(
      seedJob("aggregate", (d) => {
        operator(d, "source").source = { connector: "datagen", rowsPerSecond: 5000 };
        operator(d, "map").cost = "100µs";
        operator(d, "map").python = { overhead: "0ms" };
        (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
      }),
    );
    at(300_000);
    const m = map().metrics;
    expect(m.busyTimeMsPerSecond()).toBe(500);
    expect(m.idleTime.getValue()).toBe(500);
    expect(m.backPressuredTimeMsPerSecond()).toBe(0);
    expect(m.numRecordsIn.count).toBe(300 * 5000);
    expect(m.operators[0]!.numRecordsOut.count).toBe(300 * 5000);
    expect(m.accumulatedBusyTime(env.now)).toBe(300 * 500);
    expect(source().metrics.hardBackPressuredTime.getValue()).toBe(0);
  });

  it("back-pressures the legacy source when the worker cannot keep up; the source owes the rest", () => {
    // 20,000 rows/s offered, the worker does 10,000 elements/s (0.1 ms each): the map is busy
    // all the time, the source blocked on its buffers all the time (hard back-pressure).
    const { env, at, map, source } = cluster(
      seedJob("aggregate", (d) => {
        operator(d, "source").source = { connector: "datagen", rowsPerSecond: 20000 };
        operator(d, "map").cost = "100µs";
        operator(d, "map").python = { overhead: "0ms" };
        (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
      }),
    );
    at(300_000);
    expect(map().metrics.busyTimeMsPerSecond()).toBe(1000);
    expect(map().metrics.numRecordsInPerSecond.getRate()).toBeCloseTo(10_000, 6);
    const s = source().metrics;
    expect(s.hardBackPressuredTime.getValue()).toBe(1000);
    // 300 s of 10 bundles a second; the source emitted more (its channel is full) and owes the rest of 20,000/s.
    expect(map().metrics.numRecordsIn.count).toBe(300 * 10_000);
    expect(s.operators[0]!.numRecordsOut.count).toBeGreaterThan(300 * 10_000);
    expect(s.operators[0]!.numRecordsOut.count).toBeLessThan(300 * 20_000);
    void env;
  });
});

describe("the aggregate mode takes Python and the legacy datagen", () => {
  it("auto picks aggregate for them from 1,000 records/s and keeps the seed's 10 rows/s in record mode", () => {
    const job = (rows: number) => seedJob("record", (d) => (operator(d, "source").source = { connector: "datagen", rowsPerSecond: rows })).job;
    expect(resolveExecution("auto", job(10))).toBe("record");
    expect(resolveExecution("auto", job(1000))).toBe("aggregate");
  });

  it("refuses a Python worker whose TaskManager's CPU can be short", () => {
    const scenario = () =>
      seedJob("aggregate", (d) => {
        operator(d, "map").cpuShare = 1; // the seed's TaskManager has 0.5 cores
      });
    expect(scenario).toThrow(/runs in Python on a CPU that can be short/);
  });

  it("gives the seed job's first decision exactly as record mode does (no draw separates them before the first rescale)", () => {
    const decisions = (execution: "record" | "aggregate") => {
      const scenario = seedScenarioWith(
        (d) => {
          d.simulation.duration = "80s";
          (d.simulation as Record<string, unknown>).execution = execution;
        },
        { variant: "tracking-on" },
      );
      const csv = runScenario(scenario).files["decisions.csv"]!;
      return csv.split("\n").filter((l) => l.includes(",true,"));
    };
    const record = decisions("record");
    expect(record).toHaveLength(1); // 75 s: 1 -> 2 at a true processing rate of 3.968
    expect(decisions("aggregate")).toEqual(record);
  });
});

describe("aggregate Python and legacy datagen over random jobs (fast-check)", () => {
  const jobs = fc.record({
    connector: fc.constantFrom("datagen", "datastream-datagen"),
    rate: fc.integer({ min: 1, max: 20_000 }),
    costUs: fc.integer({ min: 0, max: 3000 }),
    lognormal: fc.boolean(),
    python: fc.boolean(),
    bundleSize: fc.integer({ min: 1, max: 2000 }),
    parallelism: fc.integer({ min: 1, max: 4 }),
    shipStrategy: fc.constantFrom("SHUFFLE", "REBALANCE", "HASH"),
    autoscaler: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  });
  type Job = typeof jobs extends fc.Arbitrary<infer T> ? T : never;
  const scenarioOf = (j: Job) =>
    seedScenarioWith((d) => {
      d.simulation.duration = "3min";
      d.simulation.seed = j.seed;
      (d.simulation as Record<string, unknown>).execution = "aggregate";
      (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = String(j.autoscaler);
      d.spec.flinkConfiguration["python.fn-execution.bundle.size"] = String(j.bundleSize);
      operator(d, "source").source = { connector: j.connector, rowsPerSecond: j.rate };
      const map = operator(d, "map");
      map.cost = j.lognormal && j.costUs > 0 ? { distribution: "lognormal", median: `${j.costUs}µs`, p95: `${2 * j.costUs}µs` } : `${j.costUs}µs`;
      if (j.python) map.python = { overhead: "0ms" };
      else delete map.python;
      map.parallelism = j.parallelism;
      operator(d, "sink").parallelism = j.parallelism;
      d.simulation.job.edges[0]!.shipStrategy = j.shipStrategy;
    });

  it("states add up to the time since deployment, gauges keep Flink's meaning, bundles stay within their size, records are not made up", () => {
    fc.assert(
      fc.property(jobs, (j) => {
        let checks = 0;
        runScenario(scenarioOf(j), {
          onSample: (cluster, now) => {
            let emitted = 0;
            let taken = 0;
            for (const [vertexId, tasks] of cluster.subtasks) {
              const vertex = cluster.vertex(vertexId);
              for (const t of tasks) {
                const s = t.timeInStates();
                expect(s.idle + s.busy + s.backpressured).toBeCloseTo(now - t.metrics.startMs, 6);
                const v = t.metrics.values(now);
                const idle = v.get("idleTimeMsPerSecond")!;
                const bp = v.get("backPressuredTimeMsPerSecond")!;
                expect(idle + bp).toBeLessThanOrEqual(1000);
                if (t.metrics.busyTimeEnabled) expect(v.get("busyTimeMsPerSecond")! + bp + idle).toBe(1000);
                else {
                  expect(v.get("busyTimeMsPerSecond")).toBeNaN();
                  expect(idle).toBe(0);
                  expect(t.metrics.softBackPressuredTime.getAccumulatedCount()).toBe(0);
                  expect(t.metrics.operators[0]!.numRecordsIn.count).toBe(0);
                }
                vertex.operators.forEach((op, i) => {
                  if (op.python === undefined) return;
                  const m = t.metrics.operators[i]!;
                  // counters are floors of fluid totals: one record of slack
                  const inBundle = m.numRecordsIn.count - m.numRecordsOut.count;
                  expect(inBundle).toBeGreaterThanOrEqual(-1);
                  expect(inBundle).toBeLessThanOrEqual(j.bundleSize + 1);
                });
                if (vertex.isSource) emitted += t.metrics.numRecordsOut.count;
                else taken += t.metrics.numRecordsIn.count;
                checks++;
              }
            }
            if (cluster.allTasksRunning()) expect(taken).toBeLessThanOrEqual(emitted + 4);
          },
        });
        expect(checks).toBeGreaterThan(0);
      }),
      { numRuns: 30, seed: 20261205 },
    );
  }, 240_000);
});
