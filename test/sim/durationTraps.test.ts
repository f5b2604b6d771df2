import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED_SCENARIO, withoutProgress } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");

function sim(...args: string[]) {
  const r = spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The seed's tracking-on variant (stabilization 5 s, window 1 min, reconcile every 15 s) into a new folder. */
function seedRun(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), "sim-traps-"));
  const r = sim(SEED_SCENARIO, "--variant", "tracking-on", "--no-report", "--out", out, ...args);
  const summaryFile = join(out, "backpressure", "tracking-on", "summary.json");
  const evaluations = existsSync(summaryFile) ? (JSON.parse(readFileSync(summaryFile, "utf8")) as { autoscaling: { evaluations: number } }).autoscaling.evaluations : undefined;
  return { ...r, out, evaluations };
}

describe("duration traps on the command line", () => {
  it.each(["run", "sweep"])("refuses a bare number for --duration (%s): one line with a hint, exit 2, nothing written", (command) => {
    const out = mkdtempSync(join(tmpdir(), "sim-traps-"));
    const args = command === "run" ? [SEED_SCENARIO] : ["sweep", SEED_SCENARIO, "--grid", "job.autoscaler.metrics.window=1m,2m"];
    const r = sim(...args, "--duration", "90", "--out", out);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: --duration 90 is 90 milliseconds \(a bare number is ms in Flink's duration syntax\): did you mean 90s\? Write 90ms if you mean milliseconds \(npm run sim -- (sweep )?--help for usage\)\n$/);
    expect(existsSync(join(out, "backpressure"))).toBe(false);
  });

  it("warns, on one line, of a run that ends before the first evaluation, and runs it (75 s = 15 s first sample + 1 min window)", () => {
    const short = seedRun("--duration", "74s");
    expect(short.status).toBe(0);
    expect(short.stderr).toBe(
      "warning: scenarios/backpressure.yaml: the run (1m14s) ends before the autoscaler's first evaluation, at 1m15s at the earliest " +
        "(job.autoscaler.stabilization.interval 5s, then job.autoscaler.metrics.window 1m, on the 15s reconcile interval): run longer or shorten them\n",
    );
    expect(short.evaluations).toBe(0);
    const enough = seedRun("--duration", "75s");
    expect(enough.status).toBe(0);
    expect(withoutProgress(enough.stderr)).toBe("");
    expect(enough.evaluations).toBe(1);
  });

  it("warns of a window in milliseconds by mistake (300 = 300 ms), which never evaluates", () => {
    const r = seedRun("--duration", "10min", "--set", "job.autoscaler.metrics.window=300");
    expect(r.status).toBe(0);
    expect(r.stderr.split("\n")).toEqual([
      "warning: scenarios/backpressure.yaml: job.autoscaler.metrics.window: 300 is 300 ms (a bare number is milliseconds in Flink's syntax); did you mean 300s?",
      "warning: scenarios/backpressure.yaml: the autoscaler will never evaluate: job.autoscaler.metrics.window (0.3s) is shorter than the reconcile interval (15s), so the window never holds the two samples it needs",
      "",
    ]);
    expect(r.evaluations).toBe(0);
  });

  it("makes these warnings errors under --strict, writing nothing", () => {
    const r = seedRun("--duration", "1min", "--strict");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: scenarios\/backpressure\.yaml: the run \(1m\) ends before the autoscaler's first evaluation, at 1m15s .* \(--strict\)\n$/);
    expect(existsSync(join(r.out, "backpressure"))).toBe(false);
  });
});
