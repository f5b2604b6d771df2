import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");
const sim = (...args: string[]) => spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("runs that differ by --set or seed", () => {
  it("a --set of the simulation: block changes the run (exit 0 was all it did before), and overrides.json records it", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-set-"));
    const r = sim(SEED_SCENARIO, "--variant", "tracking-on", "--duration", "10min", "--set", "simulation.job.operators[map].cost=1s", "--set", "pipeline.max-parallelism=6", "--out", out, "--quiet");
    expect(r.status, r.stderr).toBe(0);
    const dir = join(out, "backpressure", "tracking-on");
    expect(json(join(dir, "overrides.json"))).toEqual({
      scenario: "backpressure",
      variant: "tracking-on",
      seed: 1,
      duration: "10min",
      set: { "simulation.job.operators[map].cost": "1s", "pipeline.max-parallelism": "6" },
    });
    // The same run from the library, the map's cost set by hand: same summary; a map at 2 s gives another.
    const summary = json(join(dir, "summary.json"));
    const scenario = loadScenario(SEED_SCENARIO, { duration: "10min", set: { "pipeline.max-parallelism": "6" } });
    const withCost = (ms: number) => ({ ...scenario, job: { ...scenario.job, operators: scenario.job.operators.map((o) => (o.id === "map" ? { ...o, cost: { kind: "constant" as const, value: ms } } : o)) } });
    expect(runScenario(withCost(1000), { output: { kind: "none" } }).summary).toEqual(summary);
    expect(runScenario(withCost(2000), { output: { kind: "none" } }).summary.records_delivered_to_sinks).not.toBe(summary.records_delivered_to_sinks);
    expect(Object.keys(summary.effective_configuration).some((k) => k.startsWith("simulation"))).toBe(false);
  });

  it("--replications says plainly that only the first seed's files are kept; --keep-runs keeps every seed's, each with its overrides", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-keep-"));
    const plain = sim(SEED_SCENARIO, "--variant", "tracking-off", "--duration", "3min", "--replications", "3", "--out", out);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain("seeds 2..3: only their figures are kept, in comparison.csv (--keep-runs keeps their files)");
    expect(readdirSync(join(out, "backpressure", "tracking-off")).filter((n) => n.startsWith("seed-"))).toEqual([]);

    const kept = sim(SEED_SCENARIO, "--variant", "tracking-off", "--duration", "3min", "--replications", "3", "--keep-runs", "--out", out);
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.stdout).toContain("every seed's files kept: seeds 2..3 in <variant>/seed-<n>/");
    const dir = join(out, "backpressure", "tracking-off");
    for (const seed of [1, 2, 3]) {
      const at = seed === 1 ? dir : join(dir, `seed-${seed}`);
      expect(json(join(at, "summary.json")).seed).toBe(seed);
      expect(json(join(at, "overrides.json"))).toMatchObject({ variant: "tracking-off", seed, duration: "3min", set: {} });
    }
  });
});
