import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");

function sim(...args: string[]) {
  const r = spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("sim command line", () => {
  it("prints help", () => {
    const r = sim("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run sim -- <scenario.yaml>/);
    expect(r.stdout).toMatch(/--set KEY=VALUE/);
  });

  it("runs a scenario, writes timeseries.csv and summary.json under --out, and applies --set and --duration", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-out-"));
    const r = sim(SEED_SCENARIO, "--out", out, "--duration", "10min", "--set", "pipeline.max-parallelism=24", "--seed", "3");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/parallelism 1\/24/);
    const dir = join(out, "backpressure", "default");
    const csv = readFileSync(join(dir, "timeseries.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("time_s,vertex,parallelism,records_in_per_s,records_out_per_s,busy_ms_per_s,backpressured_ms_per_s,idle_ms_per_s,pending_records,job_status");
    expect(csv).toHaveLength(1 + 60 * 2); // every 10 s for 10 min, two vertices
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect(summary.duration_s).toBe(600);
    expect(summary.seed).toBe(3);
    expect(summary.effective_configuration["pipeline.max-parallelism"]).toBe("24");
  });

  it.each([
    ["a malformed scenario", (bad: string) => [bad], /^error: .*bad\.yaml: simulation\.job\.edges\[0\]\.to: operator 'mapp' does not exist \(did you mean 'map'\?\)\n$/],
    ["a bad --set value", () => [SEED_SCENARIO, "--set", "execution.buffer-timeout=soon"], /execution\.buffer-timeout"\] \(from --set\): '?soon'? does not start with a whole number/],
    ["a bad --duration", () => [SEED_SCENARIO, "--duration", "forever"], /--duration: 'forever' does not start with a whole number/],
    ["a missing file", () => ["no/such/scenario.yaml"], /no such file/],
    ["no scenario at all", () => [], /no scenario file given/],
  ])("rejects %s with exit code 2, one message, no stack trace and no output files", (_name, args, message) => {
    const out = mkdtempSync(join(tmpdir(), "sim-bad-"));
    const bad = join(out, "bad.yaml");
    writeFileSync(bad, readFileSync(SEED_SCENARIO, "utf8").replace("to: map,", "to: mapp,"));
    const r = sim(...args(bad), "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frames
    expect(r.stdout).toBe("");
    expect(existsSync(join(out, "backpressure"))).toBe(false);
    expect(existsSync(join(out, "bad"))).toBe(false);
  });
});
