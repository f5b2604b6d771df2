import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

// The compiled command, as users run it: its sweeps run the compiled worker (dist/worker.mjs).
beforeAll(() => {
  const b = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (b.status !== 0) throw new Error(`sim/build.mjs failed: ${b.stderr}`);
}, 60_000);

function sim(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["dist/cli.mjs", ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fresh = (name: string) => mkdtempSync(join(tmpdir(), `sim-${name}-`));

describe("npm run sim -- sweep", () => {
  it("runs the grid, prints the cells and where it wrote; progress lines only on stderr; --quiet prints nothing", () => {
    const out = fresh("sweep-cli");
    const args = ["sweep", SEED_SCENARIO, "--grid", "job.autoscaler.utilization.target=0.5,0.7", "--replications", "2", "--duration", "10min", "--jobs", "2", "--out", out];
    const r = sim(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("backpressure: 2 cell(s) x 2 (seeds 1..2) = 4 runs, on 2 worker(s)");
    expect(r.stdout).toContain(`wrote cells.csv, report.html, runs.csv, sweep.json to ${join(out, "backpressure", "sweep")}/`);
    expect(r.stdout).toContain("runs keep only their row in runs.csv; --keep-runs keeps every run's files");
    for (const line of r.stderr.split("\n").filter((l) => l !== "")) expect(line).toMatch(/^\[sweep\] backpressure: \d\/4 runs, \d+\.\d runs\/s, \d+ s left$/);
    expect(readdirSync(join(out, "backpressure", "sweep")).sort()).toEqual(["cells.csv", "report.html", "runs.csv", "sweep.json"]);
    const quiet = sim([...args, "--quiet"]);
    expect(quiet).toEqual({ status: 0, stdout: "", stderr: "" });
  }, 60_000);

  it.each([
    ["a --grid without values", ["--grid", "nokey"], "error: --grid expects KEY=V1,V2,..., got 'nokey' (npm run sim -- sweep --help for usage)"],
    ["a variant the scenario lacks", ["--grid", "variant=tracking-on,trackng-off"], "error: --grid variant: 'trackng-off' is not a variant of scenarios/backpressure.yaml (did you mean 'tracking-off'?); it has tracking-on, tracking-off"],
    ["a bad value in one cell", ["--grid", "simulation.recordSize=64b,lots"], "(in grid cell simulation.recordSize=lots)"],
    ["a bad path", ["--grid", "simulation.job.operators[mapp].cost=1s,2s"], "--set simulation.job.operators[mapp].cost: no entry of simulation.job.operators has the id 'mapp' (did you mean 'map'?)"],
    ["a shard past the count", ["--shard", "3/2"], "error: --shard expects I/N with 1 <= I <= N (shard I of N), got '3/2'"],
    ["no workers", ["--jobs", "0"], "error: --jobs expects a positive integer, got '0'"],
    ["a baseline out of range", ["--grid", "variant=tracking-on,tracking-off", "--baseline", "3"], "error: --baseline 3: there are 2 cell(s), numbered 1..2"],
    ["an unknown option", ["--gird", "a=1"], "Unknown option '--gird'"],
    ["an unknown figure", ["--figures", "scalings,slot_hour"], "error: --figures: unknown figure 'slot_hour' (did you mean 'slot_hours'?); the figures are scalings, restarts, "],
    ["an unknown rank", ["--rank", "lag_s_mx:desc"], "error: --rank: unknown figure 'lag_s_mx' (did you mean 'lag_s_max'?); the figures are scalings, "],
    ["a rank's bad order", ["--rank", "lag_s_max:up"], "error: --rank lag_s_max: the order is asc or desc, got 'up' (npm run sim -- sweep --help for usage)"],
  ])("refuses %s: exit 2, one line, nothing written", (_name, extra, message) => {
    const out = fresh("sweep-bad");
    const r = sim(["sweep", SEED_SCENARIO, "--out", out, ...extra]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
    expect(readdirSync(out)).toEqual([]);
  });

  it("--figures chooses the table's, cells.csv's and the report's figures; --rank orders the table's and the report's cells", () => {
    const out = fresh("sweep-figures");
    const r = sim(["sweep", "scenarios/kafka-backlog.yaml", "--grid", "job.autoscaler.utilization.target=0.5,0.7,0.9", "--replications", "2", "--duration", "5min", "--jobs", "2", "--out", out, "--figures", "lag_s_max,slot_hours", "--rank", "slot_hours:desc"]);
    expect(r.status, r.stderr).toBe(0);
    const dir = join(out, "kafka-backlog", "sweep");
    const cells = parseCsv(readFileSync(join(dir, "cells.csv"), "utf8"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(cells[0]!)).toEqual(["cell", "job.autoscaler.utilization.target", "runs", "baseline", ...["lag_s_max", "slot_hours"].flatMap((k) => ["n", "mean", "ci95", "diff_mean", "diff_ci95"].map((c) => `${k}_${c}`))]);
    // cells.csv stays in cell order; the table lists them by slot-hours, largest first, as sorting cells.csv gives.
    expect(cells.map((c) => c.cell)).toEqual(["1", "2", "3"]);
    const ranked = [...cells].sort((a, b) => Number(b.slot_hours_mean) - Number(a.slot_hours_mean) || Number(a.cell) - Number(b.cell)).map((c) => c.cell);
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("cell  "));
    expect(lines[header - 1]).toContain("ranked by slot_hours:desc");
    expect(lines[header]!.split(/ {2,}/)).toEqual(["cell", "job.autoscaler.utilization.target", "lag_s_max", "Δ lag_s_max", "slot_hours", "Δ slot_hours"]);
    expect(lines[header + 1]!.trim().split(/ {2,}/)).toEqual(["s", "s", "slot-hours", "slot-hours"]);
    const rows = lines.slice(header + 2, header + 5).map((l) => l.split(/ {2,}/));
    expect(rows.map((row) => row[0]!.replace("*", ""))).toEqual(ranked);
    // Each number is cells.csv's, rounded to its interval's second significant digit (mean and CI from the same row).
    for (const row of rows) {
      const c = cells.find((x) => x.cell === row[0]!.replace("*", ""))!;
      const [mean, ci] = row[4]!.split(" ± ").map((x) => Number(x.replaceAll(",", "")));
      const step = 10 ** (Math.floor(Math.log10(Number(c.slot_hours_ci95))) - 1);
      expect(Math.abs(mean! - Number(c.slot_hours_mean))).toBeLessThanOrEqual(step / 2 + 1e-12);
      expect(Math.abs(ci! - Number(c.slot_hours_ci95))).toBeLessThanOrEqual(step / 2 + 1e-12);
    }
    const sweepJson = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8"));
    expect([sweepJson.cells_figures, sweepJson.rank]).toEqual([["lag_s_max", "slot_hours"], "slot_hours:desc"]);
    const report = readFileSync(join(dir, "report.html"), "utf8");
    expect(report).toContain('<th>job.autoscaler.utilization.target</th><th class="num">lag, max (s)</th><th class="num">slot time (slot-hours)</th>');
    expect([...report.matchAll(/<tr><td class="num">(\d)<\/td>/g)].map((m) => m[1])).toEqual(ranked);
  }, 90_000);

  it("reads its shard from a Kubernetes Indexed Job's environment, and refuses half of it", () => {
    const r = sim(["sweep", SEED_SCENARIO, "--replications", "10", "--dry-run"], { JOB_COMPLETION_INDEX: "1", SWEEP_SHARD_COUNT: "4" });
    expect(r.stdout).toContain("10 runs, shard 2 of 4: 3 of them");
    expect(r.stdout).toContain("would write out/backpressure/sweep-shard-2-of-4/ (--dry-run: nothing run)");
    const half = sim(["sweep", SEED_SCENARIO, "--dry-run"], { JOB_COMPLETION_INDEX: "1" });
    expect(half.status).toBe(2);
    expect(half.stderr).toContain("JOB_COMPLETION_INDEX is set but SWEEP_SHARD_COUNT (the Job's completions) is not");
  });

  it("stops on SIGINT leaving nothing and the previous sweep as it was", async () => {
    const out = fresh("sweep-int");
    const child = spawn(process.execPath, ["dist/cli.mjs", "sweep", SEED_SCENARIO, "--replications", "5000", "--duration", "10min", "--jobs", "2", "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    // Interrupted once it is under way: its first progress line (after a second) says so.
    const running = new Promise<void>((resolve) =>
      child.stderr.on("data", (d) => {
        stderr += String(d);
        if (stderr.includes("[sweep]")) resolve();
      }),
    );
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    await running;
    child.kill("SIGINT");
    expect(await code).toBe(130);
    expect(stderr).toContain(`interrupted (SIGINT): nothing written, ${join(out, "backpressure", "sweep")} is as it was`);
    expect(readdirSync(join(out, "backpressure"))).toEqual([]);
  }, 60_000);
});

describe("npm run sim -- merge", () => {
  it("merges shards run by the command, names a missing one (exit 2), and a single run later keeps the sweep", () => {
    const out = fresh("merge-cli");
    const sweepArgs = ["sweep", SEED_SCENARIO, "--grid", "variant=tracking-on,tracking-off", "--replications", "2", "--duration", "5min", "--jobs", "1", "--out", out, "--quiet"];
    for (const shard of ["1/2", "2/2"]) expect(sim([...sweepArgs, "--shard", shard]).status).toBe(0);
    const shards = join(out, "backpressure");
    const missing = sim(["merge", join(shards, "sweep-shard-1-of-2"), "--out", out]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe("error: shard 2 of 2 (sweep-shard-2-of-2) is missing; merge needs all 2 (npm run sim -- merge --help for usage)\n");
    const merged = sim(["merge", shards, "--out", out]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toContain(`backpressure: merged 4 runs of 2 cell(s) from the shards; wrote cells.csv, report.html, runs.csv, sweep.json to ${join(out, "backpressure", "sweep")}/`);
    const whole = sim([...sweepArgs.map((a) => (a === out ? join(out, "whole") : a))]);
    expect(whole.status).toBe(0);
    for (const f of ["runs.csv", "cells.csv", "sweep.json"]) {
      expect(readFileSync(join(out, "backpressure", "sweep", f), "utf8"), f).toBe(readFileSync(join(out, "whole", "backpressure", "sweep", f), "utf8"));
    }
    // A single run replaces out/<scenario>/ whole, but for the sweeps in it.
    expect(sim([SEED_SCENARIO, "--duration", "2min", "--out", out, "--quiet"]).status).toBe(0);
    expect(readdirSync(join(out, "backpressure")).sort()).toEqual(["comparison.csv", "report.html", "sweep", "sweep-shard-1-of-2", "sweep-shard-2-of-2", "tracking-off", "tracking-on"]);
    expect(existsSync(join(out, "backpressure", "sweep", "cells.csv"))).toBe(true);
  }, 90_000);
});
