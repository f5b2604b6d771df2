import { mean } from "d3-array";
import { describe, expect, it } from "vitest";
import type { TimeseriesRow } from "../../src/record/TimeseriesRecorder.ts";
import { runScenario } from "../../sim/runScenario.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

const SOURCE = "Source: orders";
const MAP = "Map -> Sink: Print to Std. Out";
const SOURCE_RATE = 10; // rows-per-second of the seed's datagen table
const MAP_COST_S = 2; // time.sleep(2)

/** Mean of a column of one vertex over the samples in [fromS, toS]. */
function steady(rows: readonly TimeseriesRow[], vertex: string, fromS: number, pick: (r: TimeseriesRow) => number): number {
  return mean(rows.filter((r) => r.vertex === vertex && r.timeS >= fromS), pick)!;
}

// The autoscaler is off here: these are properties of the simulated Flink job at a fixed parallelism.
describe("the seed's job in steady state, against closed-form values", () => {
  it("at parallelism 1: map busy 1000 ms/s, 0.5 records/s, the source back-pressured 1 - 0.5/10 of the time", () => {
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "6h";
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
    });
    const { timeseries } = runScenario(scenario);
    const rows = timeseries.rows;
    const capacity = 1 / MAP_COST_S; // one subtask, 2 s per record
    // The buffers between source and map (about 10 x 512 records) fill within 10 minutes; measure after 2 h.
    const from = 2 * 3600;
    expect(steady(rows, MAP, from, (r) => r.busyMsPerS)).toBeGreaterThan(995);
    expect(steady(rows, MAP, from, (r) => r.recordsInPerS)).toBeCloseTo(capacity, 2);
    const expectedSourceBp = 1000 * (1 - capacity / SOURCE_RATE); // 950
    expect(Math.abs(steady(rows, SOURCE, from, (r) => r.backpressuredMsPerS) - expectedSourceBp)).toBeLessThan(15);
    expect(steady(rows, SOURCE, from, (r) => r.recordsInPerS)).toBeCloseTo(capacity, 1);
  });

  it("with the map at parallelism 12: about 12 / 2 = 6 records/s", () => {
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "12h";
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      operator(d, "map").parallelism = 12;
      operator(d, "sink").parallelism = 12;
    });
    const { timeseries } = runScenario(scenario);
    const rows = timeseries.rows;
    const capacity = 12 / MAP_COST_S;
    // Twelve remote channels buffer about 50,000 small records (receivers keep up to 10 slices of up to
    // 512 records each); at the 4 records/s the source has to spare they fill in about 5 h.
    const from = 6 * 3600;
    expect(steady(rows, MAP, from, (r) => r.recordsInPerS)).toBeCloseTo(capacity, 1);
    expect(steady(rows, MAP, from, (r) => r.busyMsPerS)).toBeGreaterThan(995);
    // The source emits what the maps take; at 10 rows/s it needs at most 6/10 of each second for that, so it is
    // back-pressured at least 400 ms/s (more, since the rate limiter's stored permits let it emit in bursts after a block).
    expect(steady(rows, SOURCE, from, (r) => r.recordsOutPerS)).toBeCloseTo(capacity, 1);
    const sourceBp = steady(rows, SOURCE, from, (r) => r.backpressuredMsPerS);
    expect(sourceBp).toBeGreaterThan(1000 * (1 - capacity / SOURCE_RATE) - 5);
    expect(sourceBp).toBeLessThan(1000);
  });

  it("with a cheap map (50 ms): no backpressure, 10 records/s, map busy = rate x cost = 500 ms/s", () => {
    const costMs = 50;
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "30min";
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      operator(d, "map").cost = `${costMs}ms`;
    });
    const { timeseries } = runScenario(scenario);
    const rows = timeseries.rows;
    const from = 120; // the 60 s meters have filled
    expect(steady(rows, MAP, from, (r) => r.recordsInPerS)).toBeCloseTo(SOURCE_RATE, 1);
    expect(Math.abs(steady(rows, MAP, from, (r) => r.busyMsPerS) - SOURCE_RATE * costMs)).toBeLessThan(5);
    expect(Math.max(...rows.filter((r) => r.vertex === SOURCE).map((r) => r.backpressuredMsPerS))).toBe(0);
    expect(steady(rows, SOURCE, from, (r) => r.recordsOutPerS)).toBeCloseTo(SOURCE_RATE, 1);
  });
});
