import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { deviation, mean } from "d3-array";
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { mergeShards } from "../../src/node/sweep/merge.ts";
import { planSweep } from "../../src/node/sweep/plan.ts";
import { sweep, type SweepOptions, type SweepResult } from "../../src/node/sweep/sweep.ts";
import { SweepError } from "../../src/sweep/SweepError.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const TARGET = "job.autoscaler.utilization.target";

/** Every file under `dir` by relative path, with its bytes. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return out;
}

const rowsOf = (csv: string) => parseCsv(csv, { columns: true }) as Record<string, string>[];

describe("a sweep's tables", () => {
  const request: SweepOptions = { scenarioFile: SEED_SCENARIO, grid: [`${TARGET}=0.5,0.7`], replications: 4, duration: "20min", jobs: 1 };
  let runs: Record<string, string>[];
  let cells: Record<string, string>[];
  let result: SweepResult;
  beforeAll(async () => {
    result = await sweep(request);
    runs = rowsOf(result.files["runs.csv"]!);
    cells = rowsOf(result.files["cells.csv"]!);
  });

  it("returns its cells with values by grid key and figures by name, as cells.csv holds them", () => {
    expect(result.cells.map((c) => c.values[TARGET])).toEqual(["0.5", "0.7"]);
    for (const c of result.cells) {
      const row = cells.find((r) => r.cell === String(c.cell))!;
      expect(String(c.figures.slot_hours.mean)).toBe(row.slot_hours_mean);
      expect(String(c.figures.scalings.ci95)).toBe(row.scalings_ci95);
      expect(c.figures.records_processed.n).toBe(4);
    }
    expect(result.cells[0]!.figures.slot_hours!.diffMean).toBeNull();
    expect(String(result.cells[1]!.figures.slot_hours!.diffMean)).toBe(cells[1]!.slot_hours_diff_mean);
  });

  it("has one row per run, each cell with the same seeds, and one row per cell", () => {
    expect(runs.map((r) => `${r.cell}:${r[TARGET]}:${r.seed}`)).toEqual(["1:0.5:1", "1:0.5:2", "1:0.5:3", "1:0.5:4", "2:0.7:1", "2:0.7:2", "2:0.7:3", "2:0.7:4"]);
    expect(cells.map((c) => [c.cell, c[TARGET], c.runs, c.baseline])).toEqual([
      ["1", "0.5", "4", "true"],
      ["2", "0.7", "4", "false"],
    ]);
  });

  it("holds the figures of the same run made on its own", () => {
    const scenario = loadScenario(SEED_SCENARIO, { set: { [TARGET]: "0.7" }, seed: 3, duration: "20min" });
    const { summary } = runScenario(scenario, { output: { kind: "none" } });
    const row = runs.find((r) => r.cell === "2" && r.seed === "3")!;
    expect(Number(row.scalings)).toBe(summary.autoscaling.scalings);
    expect(Number(row.slot_hours)).toBe(summary.slot_hours);
    expect(Number(row.records_processed)).toBe(summary.records_delivered_to_sinks);
    expect(row.restart_time_used_last_s).toBe(String(summary.autoscaling.restart_time_used_last_s));
  });

  it("gives each cell's mean and 95% CI as computed by hand from runs.csv (t = 3.182 for 3 degrees of freedom)", () => {
    for (const figure of ["slot_hours", "records_processed", "scalings"]) {
      for (const cell of ["1", "2"]) {
        const xs = runs.filter((r) => r.cell === cell).map((r) => Number(r[figure]));
        const row = cells.find((c) => c.cell === cell)!;
        expect(Number(row[`${figure}_n`])).toBe(4);
        expect(Number(row[`${figure}_mean`])).toBeCloseTo(mean(xs)!, 4);
        expect(Number(row[`${figure}_ci95`])).toBeCloseTo((3.182 * deviation(xs)!) / Math.sqrt(4), 4);
      }
    }
  });

  it("gives the difference from the baseline paired seed by seed, with its CI, and none for the baseline", () => {
    const by = (cell: string) => runs.filter((r) => r.cell === cell).sort((a, b) => Number(a.seed) - Number(b.seed));
    const d = by("2").map((r, i) => Number(r.slot_hours) - Number(by("1")[i]!.slot_hours));
    const row = cells.find((c) => c.cell === "2")!;
    expect(Number(row.slot_hours_diff_mean)).toBeCloseTo(mean(d)!, 4);
    expect(Number(row.slot_hours_diff_ci95)).toBeCloseTo((3.182 * deviation(d)!) / 2, 4);
    expect(cells.find((c) => c.cell === "1")!.slot_hours_diff_mean).toBe("");
  });

  it("pairs against another baseline when asked, by values", async () => {
    const r = await sweep({ ...request, baseline: `${TARGET}=0.7`, replications: 2 });
    const rows = rowsOf(r.files["cells.csv"]!);
    expect(rows.map((c) => c.baseline)).toEqual(["false", "true"]);
    expect(rows[1]!.scalings_diff_mean).toBe("");
    expect(JSON.parse(r.files["sweep.json"]!).baseline).toBe(2);
  });
});

describe("a sweep on worker threads, and in shards", () => {
  const base: SweepOptions = {
    scenarioFile: SEED_SCENARIO,
    grid: ["variant=tracking-on,tracking-off", `${TARGET}=0.5,0.9`],
    replications: 3,
    duration: "10min",
    keepRuns: true,
  };
  const home = mkdtempSync(join(tmpdir(), "sim-sweep-"));
  const single = join(home, "single");
  beforeAll(async () => {
    await sweep({ ...base, jobs: 1, out: single });
  }, 120_000);

  it("writes the same files, byte for byte, on 1, 2 or 3 workers whatever order the runs are handed out in", async () => {
    const expected = tree(join(single, "backpressure", "sweep"));
    expect(Object.keys(expected).filter((f) => f.endsWith("summary.json"))).toHaveLength(12);
    const reversed = join(home, "reversed");
    await sweep({ ...base, jobs: 3, out: reversed, dispatchOrder: (runs) => [...runs].reverse() });
    expect(tree(join(reversed, "backpressure", "sweep"))).toEqual(expected);
    // Odd runs first, on two workers: the finishing order is the pool's, not the run order.
    const shuffled = join(home, "shuffled");
    await sweep({ ...base, jobs: 2, out: shuffled, dispatchOrder: (runs) => [...runs.filter((r) => r % 2 === 1), ...runs.filter((r) => r % 2 === 0)] });
    expect(tree(join(shuffled, "backpressure", "sweep"))).toEqual(expected);
  }, 120_000);

  it("keeps each run's files in its own folder, with the overrides that made it", () => {
    const dir = join(single, "backpressure", "sweep", "runs", "cell-4", "seed-2");
    expect(JSON.parse(readFileSync(join(dir, "overrides.json"), "utf8"))).toEqual({
      scenario: "backpressure",
      variant: "tracking-off",
      seed: 2,
      duration: "10min",
      set: { [TARGET]: "0.9" },
      cell: 4,
      grid: { variant: "tracking-off", [TARGET]: "0.9" },
    });
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary).toMatchObject({ variant: "tracking-off", seed: 2, effective_configuration: { [TARGET]: "0.9" } });
  });

  it("merges N shards into exactly the files of the sweep run whole", async () => {
    const sharded = join(home, "sharded");
    for (const index of [1, 2, 3, 4, 5]) await sweep({ ...base, jobs: 1, out: sharded, shard: { index, count: 5 } });
    const shardDirs = [1, 2, 3, 4, 5].map((i) => join(sharded, "backpressure", `sweep-shard-${i}-of-5`));
    expect(readdirSync(shardDirs[0]!).sort()).toEqual(["runs", "runs.csv", "sweep.json"]);
    const merged = join(home, "merged");
    mergeShards([join(sharded, "backpressure")], merged);
    expect(tree(join(merged, "backpressure", "sweep"))).toEqual(tree(join(single, "backpressure", "sweep")));
    // The shards named one by one, in any order, merge the same.
    const again = mergeShards([...shardDirs].reverse());
    expect(again.files["cells.csv"]).toBe(readFileSync(join(single, "backpressure", "sweep", "cells.csv"), "utf8"));

    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(SweepError);
        return (e as Error).message;
      }
      throw new Error("no error");
    };
    expect(error(() => mergeShards(shardDirs.filter((_, i) => i !== 2)))).toBe("shard 3 of 5 (sweep-shard-3-of-5) is missing; merge needs all 5");
    expect(error(() => mergeShards([...shardDirs, shardDirs[1]!]))).toBe(`shard 2 of 5 (sweep-shard-2-of-5) is given twice: ${shardDirs[1]} and ${shardDirs[1]}`);
    // A shard of another sweep (other seeds) is named, not merged.
    const other = join(home, "other");
    await sweep({ ...base, keepRuns: false, seed: 7, jobs: 1, out: other, shard: { index: 3, count: 5 } });
    const stranger = join(other, "backpressure", "sweep-shard-3-of-5");
    expect(error(() => mergeShards([...shardDirs.filter((_, i) => i !== 2), stranger]))).toBe(`${stranger}: a shard of another sweep than ${shardDirs[0]} (their sweep.json differ in seed)`);
    expect(error(() => mergeShards([join(single, "backpressure", "sweep")]))).toContain("a whole sweep's folder, not a shard's");
  }, 180_000);

  it("keeps --figures and --rank through shards: the merge writes the sweep's cells.csv and sweep.json", async () => {
    const chosen: SweepOptions = { ...base, keepRuns: false, grid: [`${TARGET}=0.5,0.9`], replications: 2, figures: ["slot_hours", "scalings"], rank: "lag_s_max:desc", jobs: 1 };
    const whole = await sweep(chosen);
    // The ranked figure joins the chosen ones, so that the report can rank by it.
    expect(whole.files["cells.csv"]!.split("\n")[0]).toMatch(/^cell,job\.autoscaler\.utilization\.target,runs,baseline,slot_hours_n,.*,scalings_diff_ci95,lag_s_max_n,lag_s_max_mean,lag_s_max_ci95,lag_s_max_diff_mean,lag_s_max_diff_ci95$/);
    expect(JSON.parse(whole.files["sweep.json"]!)).toMatchObject({ cells_figures: ["slot_hours", "scalings", "lag_s_max"], rank: "lag_s_max:desc" });
    const shards = join(home, "chosen");
    for (const index of [1, 2]) await sweep({ ...chosen, out: shards, shard: { index, count: 2 } });
    const merged = mergeShards([join(shards, "backpressure")]);
    expect(merged.files).toEqual(whole.files);
    // Without them, sweep.json says nothing of them and cells.csv has every figure.
    expect(JSON.parse(readFileSync(join(single, "backpressure", "sweep", "sweep.json"), "utf8"))).not.toHaveProperty("cells_figures");
    expect(() => planSweep({ ...chosen, figures: "slot_hours,nope" })).toThrow(SweepError);
  }, 120_000);
});

describe("a sweep's folder is written whole or not at all", () => {
  it("an aborted sweep leaves the previous folder as it was and nothing of its own", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-sweep-abort-"));
    const request: SweepOptions = { scenarioFile: SEED_SCENARIO, grid: [`${TARGET}=0.5,0.7`], replications: 3, duration: "10min", jobs: 1, out };
    await sweep(request);
    const before = tree(join(out, "backpressure"));
    const abort = new AbortController();
    await expect(sweep({ ...request, seed: 5, keepRuns: true, signal: abort.signal, onProgress: (done) => done === 2 && abort.abort() })).rejects.toThrow("the sweep was stopped");
    expect(tree(join(out, "backpressure"))).toEqual(before);
    expect(readdirSync(join(out, "backpressure"))).toEqual(["sweep"]);
  });

  it("checks every cell before any run and names the cell a bad value is in", () => {
    const plan = () => planSweep({ scenarioFile: SEED_SCENARIO, grid: ["simulation.recordSize=64b,lots"], out: "never" } as SweepOptions);
    expect(plan).toThrow(`${SEED_SCENARIO}: simulation.recordSize (from --set): 'lots' is not a memory size`);
    expect(plan).toThrow("(in grid cell simulation.recordSize=lots)");
    expect(() => planSweep({ scenarioFile: SEED_SCENARIO, grid: ["variant=tracking-on,trackng-off"] })).toThrow("--grid variant: 'trackng-off' is not a variant of scenarios/backpressure.yaml (did you mean 'tracking-off'?); it has tracking-on, tracking-off");
    expect(existsSync("never")).toBe(false);
  });
});
