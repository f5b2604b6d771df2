import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");
const seedOf = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).seed as number;

/**
 * Runs the seed scenario (every variant) into `out` with `seed`, in a process of its own:
 * node itself with tsx's loader, so a signal reaches the run as it reaches `npm run sim`'s
 * compiled one (the tsx command relays a signal to its child and kills the child if it has
 * not exited within about 60 ms, which on a loaded machine left a staging folder behind).
 */
function start(out: string, seed: number, duration = "3min") {
  return spawn(process.execPath, ["--import", "tsx", "sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", duration, "--seed", String(seed), "--quiet"], { stdio: ["ignore", "ignore", "pipe"] });
}

const finished = (child: ReturnType<typeof start>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));
    child.on("close", (code) => resolve({ code, stderr }));
  });

describe("output folders", () => {
  it("two runs into the same --out both succeed, and the scenario's folder holds one run's variants and comparison", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-race-"));
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([finished(start(out, 1)), finished(start(out, 2))]);
      for (const r of results) expect(r, r.stderr).toEqual({ code: 0, stderr: "" });
      const dir = join(out, "backpressure");
      const seeds = ["tracking-on", "tracking-off"].map((v) => seedOf(join(dir, v)));
      expect(seeds[0]).toBe(seeds[1]);
      const comparison = readFileSync(join(dir, "comparison.csv"), "utf8");
      expect(comparison.split("\n").length).toBeGreaterThan(2);
      expect(readdirSync(out).filter((n) => n.startsWith("."))).toEqual([]);
      expect(readdirSync(dir).sort()).toEqual(["comparison.csv", "report.html", "tracking-off", "tracking-on"]);
      // Each variant's report is the one of its own run, written with it.
      for (const v of ["tracking-on", "tracking-off"]) expect(readFileSync(join(dir, v, "report.html"), "utf8")).toContain(`<title>backpressure / ${v}: run report</title>`);
    }
  }, 120_000);

  it("an interrupted run leaves the previous complete result untouched and nothing of its own", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-int-"));
    expect(spawnSync(TSX, ["sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", "2min", "--seed", "7", "--quiet"]).status).toBe(0);
    const before = readFileSync(join(out, "backpressure", "tracking-on", "summary.json"), "utf8");
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      // 10 virtual days take far longer than the 1.5 s it is given
      const child = start(out, 8, "10d");
      const done = finished(child);
      await new Promise((r) => setTimeout(r, 1500));
      expect(child.exitCode, "the run ended before it was interrupted").toBeNull();
      child.kill(signal);
      expect((await done).code).not.toBe(0);
      expect(readFileSync(join(out, "backpressure", "tracking-on", "summary.json"), "utf8")).toBe(before);
      expect(seedOf(join(out, "backpressure", "tracking-off"))).toBe(7);
      expect(readdirSync(join(out, "backpressure")).sort()).toEqual(["comparison.csv", "report.html", "tracking-off", "tracking-on"]);
      expect(readdirSync(out)).toEqual(["backpressure"]);
    }
  }, 60_000);

  it("cleans up what a killed run left behind, and only that", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-stale-"));
    // pid 2^22 + 1 is above Linux's pid_max: no process has it
    const stale = join(out, ".tmp-4194305-1-backpressure");
    const live = join(out, `.tmp-${process.pid}-1-backpressure`);
    mkdirSync(stale);
    mkdirSync(live);
    expect(spawnSync(TSX, ["sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", "1min", "--quiet"]).status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it("a run of one variant replaces that variant's folder and drops a comparison of all variants that no longer matches", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-one-"));
    expect(spawnSync(TSX, ["sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", "1min", "--quiet"]).status).toBe(0);
    expect(existsSync(join(out, "backpressure", "comparison.csv"))).toBe(true);
    expect(spawnSync(TSX, ["sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", "1min", "--seed", "5", "--variant", "tracking-on", "--quiet"]).status).toBe(0);
    expect(seedOf(join(out, "backpressure", "tracking-on"))).toBe(5);
    expect(seedOf(join(out, "backpressure", "tracking-off"))).toBe(1);
    expect(existsSync(join(out, "backpressure", "comparison.csv"))).toBe(false);
  });
});
