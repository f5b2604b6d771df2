import { mean } from "d3-array";
import { describe, expect, it } from "vitest";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import type { TimeseriesRow } from "../../src/record/TimeseriesRecorder.ts";
import { DEFAULT_PYTHON_OVERHEAD } from "../../src/scenario/resolveScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { operator, seedScenarioWith, type SeedDoc } from "../helpers.ts";

const SOURCE = "Source: orders";
const MAP = "Map -> Sink: Print to Std. Out";
const SOURCE_RATE = 10; // rows-per-second of the seed's datagen table
const MAP_COST_S = 2; // time.sleep(2)
const RECORDS_PER_BUFFER = 32 * 1024 / 64; // a 32 KiB segment of 64-byte records: 512
const Z95 = 1.6448536269514722; // P(Z <= z) = 0.95

/** Mean of a column of one vertex over the samples in [fromS, toS]. */
function steady(rows: readonly TimeseriesRow[], vertex: string, fromS: number, pick: (r: TimeseriesRow) => number): number {
  return mean(rows.filter((r) => r.vertex === vertex && r.timeS >= fromS), pick)!;
}

/** Every value of a column of one vertex over the samples from fromS. */
function values(rows: readonly TimeseriesRow[], vertex: string, fromS: number, pick: (r: TimeseriesRow) => number): number[] {
  return rows.filter((r) => r.vertex === vertex && r.timeS >= fromS).map(pick);
}

/** The mean of a lognormal given by median and p95 (ms): median * e^(sigma^2 / 2), sigma = ln(p95 / median) / z95. */
function lognormalMean(d: typeof DEFAULT_PYTHON_OVERHEAD): number {
  if (d.kind !== "lognormal") throw new Error(`expected a lognormal, got ${d.kind}`);
  const sigma = Math.log(d.p95 / d.median) / Z95;
  return d.median * Math.exp((sigma * sigma) / 2);
}

/** The Python runtime's mean per-element overhead when the scenario gives none (python: true), ms. */
const PYTHON_OVERHEAD_MS = lognormalMean(DEFAULT_PYTHON_OVERHEAD);

/**
 * The seed's job written against the DataStream API: the FLIP-27 DataGeneratorSource with
 * a rate limiter (connector datastream-datagen) and a Java map (no Python bundles), so
 * records move one at a time and the old closed forms hold.
 */
function streamJob(d: SeedDoc): void {
  operator(d, "source").source = { connector: "datastream-datagen", rowsPerSecond: SOURCE_RATE };
  delete operator(d, "map").python;
}

/** TimerGauges without FLINK-35764's double count (Flink 2.0+): the gauges measure the real share of time. */
function noDoubleCount(d: SeedDoc): void {
  (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
}

// The autoscaler is off here: these are properties of the simulated Flink job at a fixed parallelism.
describe("the seed's job as a DataStream job (FLIP-27 datagen, Java map) in steady state, against closed-form values", () => {
  const atParallelismOne = (edit: (d: SeedDoc) => void = () => {}) =>
    runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "6h";
        d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
        streamJob(d);
        edit(d);
      }),
    ).timeseries.rows;
  // The source's cycle at p = 1. The pool has 1 x 2 + 8 = 10 buffers, and the partition is unavailable once the
  // subpartition holds 10 (max-buffers-per-channel): the map frees a buffer every 512 x 2 s = L, then the source
  // writes the 512 records the open buffer and the next one take before it holds 10 again, for F seconds: 11 at
  // once (10 stored permits and SmoothBursty's free one after a long wait), 501 at 10/s. Back-pressured L - F of L.
  const L = RECORDS_PER_BUFFER * MAP_COST_S; // 1024 s
  const F = (RECORDS_PER_BUFFER - 11) / SOURCE_RATE; // 50.1 s

  it("at parallelism 1: map busy 1000 ms/s, 0.5 records/s, the source back-pressured 1 - F/L of the time (no double count)", () => {
    const rows = atParallelismOne(noDoubleCount);
    const capacity = 1 / MAP_COST_S; // one subtask, 2 s per record
    // The buffers between source and map (10 x 512 records) fill within 10 minutes; measure after 2 h.
    const from = 2 * 3600;
    expect(steady(rows, MAP, from, (r) => r.busyMsPerS)).toBeGreaterThan(995);
    expect(steady(rows, MAP, from, (r) => r.recordsInPerS)).toBeCloseTo(capacity, 2);
    const expectedSourceBp = 1000 * (1 - F / L); // 951.1, about 1000 * (1 - 0.5 / 10)
    expect(Math.abs(steady(rows, SOURCE, from, (r) => r.backpressuredMsPerS) - expectedSourceBp)).toBeLessThan(5);
    expect(steady(rows, SOURCE, from, (r) => r.recordsInPerS)).toBeCloseTo(capacity, 1);
  });

  it("at parallelism 1 with 1.18's double count: the gauge reads 1000 for a span after each back-pressure period, 1000 * (1 - F^2 / (120 L))", () => {
    const rows = atParallelismOne();
    // When a back-pressure period of about L - F = 974 s ends, markEnd adds all of it again: its 5 s slot alone
    // averages over 1000 ms/s across the 60 s span, so the gauge stays clamped at 1000 for the 60 s after the end,
    // longer than the F = 50 s the source runs free. The real fraction shows only once that slot has left the
    // span: s seconds later the window still holds F - s seconds of the free run. The missing ms/s over one
    // cycle add up to 1000 * (integral of (F - s) / 60 over s in [0, F]) = 1000 * F^2 / 120, instead of 1000 * F
    // when the gauge follows the real time.
    const expectedSourceBp = 1000 * (1 - (F * F) / (120 * L)); // 979.6
    expect(Math.abs(steady(rows, SOURCE, 2 * 3600, (r) => r.backpressuredMsPerS) - expectedSourceBp)).toBeLessThan(5);
    // The map is never idle nor back-pressured: nothing to count twice.
    expect(steady(rows, MAP, 2 * 3600, (r) => r.busyMsPerS)).toBeGreaterThan(995);
  });

  it("with the map at parallelism 12: about 12 / 2 = 6 records/s", () => {
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "12h";
      d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      streamJob(d);
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
    // back-pressured at least 400 ms/s (more, since the rate limiter's stored permits let it emit in bursts after a
    // block, and 1.18's double count only adds to the gauge).
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
      streamJob(d);
      operator(d, "map").cost = `${costMs}ms`;
    });
    const { timeseries } = runScenario(scenario);
    const rows = timeseries.rows;
    const from = 120; // the 60 s meters have filled
    expect(steady(rows, MAP, from, (r) => r.recordsInPerS)).toBeCloseTo(SOURCE_RATE, 1);
    // Records are read at the 100 ms flushes, on the rate limiter's grid (both run from the task's start). The
    // source thread wakes off that grid (ThreadSleep: whole-ms sleeps, up to 0.5 ms early, then 10-90 µs late),
    // so a record goes with the flush at its permit or the next one, and the map sometimes takes two at once:
    // its idle gaps then may span a 5 s view update, and 1.18's double count adds at most one gap's 100 ms per
    // update, 20 ms/s, and only ever to idle time.
    const busy = steady(rows, MAP, from, (r) => r.busyMsPerS);
    expect(busy).toBeLessThan(SOURCE_RATE * costMs + 5);
    expect(busy).toBeGreaterThan(SOURCE_RATE * costMs - 20 - 5);
    expect(Math.max(...rows.filter((r) => r.vertex === SOURCE).map((r) => r.backpressuredMsPerS))).toBe(0);
    expect(steady(rows, SOURCE, from, (r) => r.recordsOutPerS)).toBeCloseTo(SOURCE_RATE, 1);
  });
});

describe("the seed's job as configured (legacy datagen, PyFlink map) in steady state, against closed-form values", () => {
  it("at parallelism 1: bundles of 1000 back to back, 1 / (2 s + overhead) records/s to the sink, the source blocked (hard back-pressure 1000) with busy NaN", () => {
    const sinkIn = new Map<number, number>();
    const sinkCount = (c: FlinkCluster) => {
      const map = c.graph.vertices.find((v) => !v.isSource)!;
      return c.subtasks.get(map.id)![0]!.metrics.operators[1]!.numRecordsIn.count; // the chained print sink
    };
    const { timeseries } = runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "6h";
        d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      }),
      { onSample: (c, now) => sinkIn.set(now, sinkCount(c)) },
    );
    const rows = timeseries.rows;
    const from = 2 * 3600;
    // Once the channel holds more than 1000 records (it fills, 10 x 512, about 10 minutes in), each bundle is
    // finished by count: when one ends, the task takes the next 1000 records at once (their work is the
    // worker's) and finishes again. The worker returns one result per 2 s + overhead, without a gap.
    const perRecordS = MAP_COST_S + PYTHON_OVERHEAD_MS / 1000;
    const delivered = sinkIn.get(6 * 3_600_000)! - sinkIn.get(from * 1000)!;
    expect(Math.abs(delivered - (4 * 3600) / perRecordS)).toBeLessThan(1); // 7197.4
    expect(values(rows, MAP, from, (r) => r.busyMsPerS).every((v) => v === 1000)).toBe(true);
    // The legacy source is thousands of bursts late: whenever the map frees buffers it writes back to back until
    // it is blocked requesting one again, at the same instant. Blocked all the time: hard back-pressure 1000
    // (with or without the double count, which only adds to a clamped gauge). Its sleep between bursts is no
    // gauge's, so idle is 0; busy time is disabled for a SourceStreamTask (NaN); its operator counts no input.
    expect(values(rows, SOURCE, from, (r) => r.backpressuredMsPerS).every((v) => v === 1000)).toBe(true);
    expect(values(rows, SOURCE, from, (r) => r.idleMsPerS).every((v) => v === 0)).toBe(true);
    expect(values(rows, SOURCE, from, (r) => r.busyMsPerS).every((v) => Number.isNaN(v))).toBe(true);
    expect(values(rows, SOURCE, from, (r) => r.recordsInPerS).every((v) => v === 0)).toBe(true);
  });

  describe("with a cheap Python map (50 ms): the legacy source at 10 rows/s, never back-pressured", () => {
    const costMs = 50;
    const cheap = (edit: (d: SeedDoc) => void = () => {}) =>
      runScenario(
        seedScenarioWith((d) => {
          d.simulation.duration = "30min";
          d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
          operator(d, "map").cost = `${costMs}ms`;
          edit(d);
        }),
      ).timeseries.rows;
    const from = 120; // the 60 s meters have filled
    // The bundles settle at once into a 3 s cycle: a bundle of 30 elements (the bursts of 3 s) takes
    // b = 30 x (50 ms + overhead) = 1.52 s from a timer tick s; the next tick at least 1 s after its end is s + 3.
    // (From the start: 10 elements at 1 s, 20 at 3 s, then 30 every 3 s from 6 s.)
    const b = 30 * (costMs + PYTHON_OVERHEAD_MS);

    it("emits 10 rows/s, idle 0, back-pressure 0, busy NaN, no operator input; the map takes 10 records/s", () => {
      const rows = cheap();
      // 60 s windows hold 60 bursts of ceil(10 / 1) rows, give or take one burst: a burst starts 10-90 µs after
      // its whole second (the thread's wake-up latency, ThreadSleep), so one at a window's edge may fall on
      // either side of the view update (the map's side: or of the 100 ms flush that makes it readable, in part).
      const burstsInWindow = (rates: number[]) => {
        for (const v of rates) expect(Math.abs(v - SOURCE_RATE)).toBeLessThanOrEqual(SOURCE_RATE / 60 + 1e-9);
        expect(mean(rates, (v) => v)).toBeCloseTo(SOURCE_RATE, 2);
      };
      burstsInWindow(values(rows, SOURCE, from, (r) => r.recordsOutPerS));
      expect(values(rows, SOURCE, 0, (r) => r.backpressuredMsPerS).every((v) => v === 0)).toBe(true);
      expect(values(rows, SOURCE, 0, (r) => r.idleMsPerS).every((v) => v === 0)).toBe(true);
      expect(values(rows, SOURCE, 0, (r) => r.busyMsPerS).every((v) => Number.isNaN(v))).toBe(true);
      expect(values(rows, SOURCE, 0, (r) => r.recordsInPerS).every((v) => v === 0)).toBe(true);
      burstsInWindow(values(rows, MAP, from, (r) => r.recordsInPerS));
    });

    it("map busy = rate x (cost + overhead) = b / 3 s without the double count", () => {
      const rows = cheap(noDoubleCount);
      // 507.1; the idle gauge is truncated to whole ms, so busy (1000 - idle) reads up to 1 more.
      expect(Math.abs(steady(rows, MAP, from, (r) => r.busyMsPerS) - b / 3)).toBeLessThan(2);
    });

    it("map busy with 1.18's double count: every 15 s the idle time before two view updates is counted again", () => {
      const rows = cheap();
      // In 15 s: 5 cycles and 3 view updates, at offsets 0, 1 and 2 s into a cycle (5 is 2 mod 3). At 0 the update
      // runs before the bundle timer of that instant: it counts the whole idle gap of 3 s - b, then markEnd adds
      // it again; at 1 s the task is busy; at 2 s the 2 s - b of idle before it is counted again at markEnd.
      // Idle per 15 s: 15 s - 5b real, plus (3 s - b) + (2 s - b) twice over.
      const idleMsPerS = (15_000 - 5 * b + (3000 - b) + (2000 - b)) / 15;
      expect(Math.abs(steady(rows, MAP, from, (r) => r.busyMsPerS) - (1000 - idleMsPerS))).toBeLessThan(2); // 376.7
    });
  });
});
