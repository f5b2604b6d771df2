import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { operator, seedScenarioWith } from "../helpers.ts";
import { checkInvariants } from "./invariants.ts";

/** A random variation of the seed's job: source, rate, map cost and runtime, parallelism, ship strategy, autoscaler. */
const jobs = fc.record({
  connector: fc.constantFrom("datagen", "datastream-datagen"),
  rate: fc.integer({ min: 1, max: 400 }),
  costMs: fc.integer({ min: 0, max: 40 }),
  lognormal: fc.boolean(),
  python: fc.boolean(),
  bundleSize: fc.integer({ min: 1, max: 50 }),
  parallelism: fc.integer({ min: 1, max: 4 }),
  shipStrategy: fc.constantFrom("SHUFFLE", "REBALANCE", "HASH"),
  autoscaler: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1000 }),
});

type Job = typeof jobs extends fc.Arbitrary<infer T> ? T : never;

function scenarioOf(j: Job) {
  return seedScenarioWith((d) => {
    d.simulation.duration = "3min";
    d.simulation.seed = j.seed;
    d.spec.flinkConfiguration["job.autoscaler.enabled"] = String(j.autoscaler);
    d.spec.flinkConfiguration["python.fn-execution.bundle.size"] = String(j.bundleSize);
    // Exact sums need TimerGauges without 1.18's double count (it makes the gauges overlap on purpose).
    (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
    operator(d, "source").source = { connector: j.connector, rowsPerSecond: j.rate };
    const map = operator(d, "map");
    map.cost = j.lognormal && j.costMs > 0 ? { distribution: "lognormal", median: `${j.costMs}ms`, p95: `${2 * j.costMs}ms` } : `${j.costMs}ms`;
    if (j.python) map.python = { overhead: "0ms" };
    else delete map.python;
    map.parallelism = j.parallelism;
    operator(d, "sink").parallelism = j.parallelism;
    d.simulation.job.edges[0]!.shipStrategy = j.shipStrategy;
  });
}

describe("properties over random jobs (fast-check)", () => {
  it("records are conserved, gauges add up, channels stay within capacity and parallelism within [1, max] at every sample", () => {
    fc.assert(
      fc.property(jobs, (j) => {
        let checks = 0;
        runScenario(scenarioOf(j), {
          onSample: (cluster, now) => {
            checks += checkInvariants(cluster, now);
            for (const v of cluster.graph.vertices) {
              expect(v.parallelism).toBeGreaterThanOrEqual(1);
              expect(v.parallelism).toBeLessThanOrEqual(v.maxParallelism);
            }
          },
        });
        expect(checks).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 20261202 },
    );
  }, 120_000);

  it("the same scenario and seed give byte-identical files", () => {
    fc.assert(
      fc.property(jobs, (j) => {
        const a = runScenario(scenarioOf(j)).files;
        const b = runScenario(scenarioOf(j)).files;
        expect(b).toEqual(a);
      }),
      { numRuns: 10, seed: 7 },
    );
  }, 120_000);
});
