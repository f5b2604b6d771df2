import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { vertexFigures } from "../../src/record/modeAgreement.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { bareLoopRun, growthRun, kafka24Scenario, measure, replayRun, scaledScenario, seedScenarioRun, staticSeedRun, TracingEnvironment } from "./cases.ts";

// A smoke run of the harness only: `npm run bench` measures; tests never time anything.
describe("benchmark harness (smoke)", () => {
  it("measures the seed scenario and the bare loop with the same number of events", () => {
    const model = measure("seed", 1, () => seedScenarioRun("5min"));
    expect(model.virtualS).toBe(300);
    // At least two events for each second the legacy source runs: its wake-up for the burst of 10 rows (one event
    // for all of them) and the output flusher's flush 100 ms later. It runs all but the few seconds each in-place
    // restart takes it down (cancel, deploy, restore): at most three restarts in 5 min, each well under 10 s.
    expect(model.events).toBeGreaterThan(2 * (300 - 3 * 10));
    const bare = measure("bare", 1, () => bareLoopRun(model.events));
    expect(bare.events).toBe(model.events);
    expect(model.wallMs.min).toBeLessThanOrEqual(model.wallMs.max);
    // The event loop is timed inside the run it belongs to (NaN, were it not timed, fails both).
    expect(model.loopMs.median).toBeGreaterThan(0);
    expect(model.loopMs.median).toBeLessThanOrEqual(model.wallMs.median);
  });

  it("replays the model's own queue operations: same events executed up to the same horizon", () => {
    const traced = new TracingEnvironment();
    const model = seedScenarioRun("5min", traced);
    const replay = replayRun(traced.trace, model.virtualMs);
    expect(traced.trace.eventStarts).toHaveLength(model.events);
    expect(replay.events).toBe(model.events);
    expect(replay.virtualMs).toBe(model.virtualMs);
  });

  it("runs the static seed job (the SimPy peer's model) and the growth job", () => {
    // 30 min at p=2 on the peer's model (rate-limited source, one record at a time): each map subtask takes a
    // record at 0.1 s (the first flush) and then every 2 s, 0.1 + 2k < 1800 for k = 0..899.
    const seed = staticSeedRun(2, "30min");
    expect(seed.processed).toBe(2 * 900);
    const growth = growthRun(1000, "10s");
    expect(growth.events).toBeGreaterThan(10 * 1000 * 5); // every record passes 6 vertices
  });

  it("scales the production case's rates and costs together: the autoscaler scales alike at 10^3 and 10^6 records/s", () => {
    const scalings = (rate: number) => {
      const r = runScenario(kafka24Scenario(rate, "6h", "aggregate"));
      return vertexFigures(r.files["timeseries.csv"]!, r.files["decisions.csv"]!).map((v) => v.scalings);
    };
    const low = scalings(1_000);
    const high = scalings(1_000_000);
    expect(low.flat().length).toBeGreaterThanOrEqual(4);
    low.forEach((vertex, i) => {
      expect(high[i]!.map((s) => s.parallelism)).toEqual(vertex.map((s) => s.parallelism));
      // Within a few reconciles: the cost sums' noise shrinks with the records per slice (sd over mean as 1/sqrt(n)).
      vertex.forEach((s, k) => expect(Math.abs(s.timeS - high[i]![k]!.timeS)).toBeLessThanOrEqual(180));
    });
  });

  it("runs a case in a process of its own and reports it as one JSON line (what npm run bench does)", () => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/bench/case.ts", "static", "1", "2", "30min"], { encoding: "utf8" });
    expect({ status: child.status, stderr: child.status === 0 ? "" : child.stderr }).toEqual({ status: 0, stderr: "" });
    const result = JSON.parse(child.stdout) as { runs: number; virtualS: number; processed: number; loopMs: { median: number } };
    expect(result).toMatchObject({ runs: 1, virtualS: 1800, processed: 2 * 900 });
    expect(result.loopMs.median).toBeGreaterThan(0);
  });

  it("scales a catalogue job for the flatness case: rates and async capacity by k, costs and join intervals by 1/k, keys and CPU unchanged", () => {
    const base = loadScenario("scenarios/join-enrichment.yaml");
    const scaled = scaledScenario(base, 10);
    const op = (id: string) => scaled.job.operators.find((o) => o.id === id)!;
    // The file: orders steps 40 -> 80 records/s, 2 ms a record; the join 15 ms a record of either input;
    // an interval of -30 s to 30 s over 1,200 keys on both HASH edges; the async lookup 5 requests in flight.
    expect(op("orders").source!.load).toEqual({ profile: "steps", steps: [{ atMs: 0, rate: 400 }, { atMs: 2_400_000, rate: 800 }] });
    expect(op("orders").cost).toEqual({ kind: "constant", value: 0.2 });
    expect(op("match").inputs!.map((i) => i.cost)).toEqual([{ kind: "constant", value: 1.5 }, { kind: "constant", value: 1.5 }]);
    expect(op("match").join).toEqual({ type: "interval", lowerMs: -3_000, upperMs: 3_000 });
    expect(scaled.job.edges).toEqual(base.job.edges);
    expect(op("enrich").async!.capacity).toBe(50);
    expect(scaled.cpu).toEqual(base.cpu);
  });

  it("runs the new case kinds in a process of their own: a scaled catalogue job and a scenario file in a given mode", () => {
    const scaled = spawnSync(process.execPath, ["--import", "tsx", "test/bench/case.ts", "scaled", "1", "scenarios/cpu-bound.yaml", "75", "1000", "10min"], { encoding: "utf8" });
    expect({ status: scaled.status, stderr: scaled.status === 0 ? "" : scaled.stderr }).toEqual({ status: 0, stderr: "" });
    const s = JSON.parse(scaled.stdout) as { virtualS: number; delivered: number };
    expect(s.virtualS).toBe(600);
    // 1,000 records/s arrive; the node's 2.2 cores let the map (40 ms / (1000 / 75) = 3 ms a record) do at most
    // 2.2 / 0.003 = 733 records/s, so fewer than 600 x 733 = 440,000 records are delivered, and more than none.
    expect(s.delivered).toBeGreaterThan(0);
    expect(s.delivered).toBeLessThan(440_000);
    const file = spawnSync(process.execPath, ["--import", "tsx", "test/bench/case.ts", "file", "1", "scenarios/backpressure.yaml", "5min", "record"], { encoding: "utf8" });
    expect({ status: file.status, stderr: file.status === 0 ? "" : file.stderr }).toEqual({ status: 0, stderr: "" });
    expect((JSON.parse(file.stdout) as { virtualS: number }).virtualS).toBe(300);
  });
});
