import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SEED_SCENARIO, withoutProgress } from "../helpers.ts";

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

  it.each([["diff", "--help"], ["report", "-h"]])("answers %s %s with its usage, exit 0", (command, flag) => {
    const r = sim(command, flag);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${command} <run`);
  });

  it("runs a scenario, writes timeseries.csv and summary.json under --out, and applies --set and --duration", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-out-"));
    const r = sim(SEED_SCENARIO, "--out", out, "--duration", "10min", "--set", "pipeline.max-parallelism=24", "--seed", "3");
    expect(withoutProgress(r.stderr)).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/parallelism 1\/24/);
    const dir = join(out, "backpressure", "tracking-on");
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

describe("comparing runs from the command line", () => {
  it("runs every variant with replications, writes comparison.csv, and diffs two run folders", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-cmp-"));
    const r = sim(SEED_SCENARIO, "--out", out, "--duration", "10min", "--replications", "2");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 replications per variant \(seeds 1\.\.2\), mean ± 95% CI; differences paired by seed/);
    expect(r.stdout).toMatch(/tracking-off - tracking-on/);
    const csv = readFileSync(join(out, "backpressure", "comparison.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("variant,figure,n,mean,ci95,diff_vs_first_mean,diff_vs_first_ci95,diff_beyond_noise");
    // The verdict on the later variant, over 2 seeds, and each difference marked yes or no.
    expect(r.stdout).toMatch(/^verdict: tracking-off vs tracking-on \(2 seeds\): /m);
    expect(csv).toMatch(/^tracking-off,core_hours,2,[^\n]*,(yes|no)$/m);
    expect(csv).toMatch(/^tracking-off,restart_time_used_last_s,2,/m);

    const on = join(out, "backpressure", "tracking-on");
    const off = join(out, "backpressure", "tracking-off");
    const same = sim("diff", on, on);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/no differences/);
    const different = sim("diff", on, off);
    expect(different.status).toBe(1);
    // A table: what, the first folder's value, the second's, the relative change.
    expect(different.stdout).toMatch(/^restart time used, last \(s\)\s+\d+\s+120\s+\d+\.\d%$/m);
    const tolerant = sim("diff", on, off, "--tolerance", "1");
    expect(tolerant.status).toBe(0);
    expect(sim("diff", on).status).toBe(2);
    expect(sim("diff", on, join(out, "nowhere")).stderr).toMatch(/no summary\.json/);
  });
});

describe("sim command line, as a newcomer types it", () => {
  it("answers a usage error with one line naming the problem and pointing to --help", () => {
    const r = sim(SEED_SCENARIO, "--replications", "zero");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: --replications expects a positive integer, got 'zero' (npm run sim -- --help for usage)\n");
    const d = sim("diff", "only-one");
    expect(d.status).toBe(2);
    expect(d.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses a seed a double cannot hold exactly, saying the range", () => {
    const r = sim(SEED_SCENARIO, "--seed", "99999999999999999999", "--replications", "3");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: --seed expects an integer from -9007199254740991 to 9007199254740991, got '99999999999999999999' (npm run sim -- --help for usage)\n");
  });

  it("resolves paths against the folder npm was started in (INIT_CWD)", () => {
    const home = mkdtempSync(join(tmpdir(), "sim-cwd-"));
    writeFileSync(join(home, "job.yaml"), readFileSync(SEED_SCENARIO, "utf8"));
    const r = spawnSync(TSX, ["sim/main.ts", "job.yaml", "--out", "runs", "--duration", "2min", "--variant", "tracking-on"], {
      encoding: "utf8",
      env: { ...process.env, INIT_CWD: home },
    });
    expect(withoutProgress(r.stderr)).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(home, "runs", "job", "tracking-on", "summary.json"))).toBe(true);
    // one scaling in two minutes (at 75 s), said in the singular
    expect(r.stdout).toContain("1 scaling;");
  });
});

describe("the compiled command line (dist/, built by npm ci's prepare script)", () => {
  const compiled = (...args: string[]) => spawnSync(process.execPath, ["dist/cli.mjs", ...args], { encoding: "utf8" });
  // Built anew from the sources under test (npm ci builds it once; the sources may have changed since).
  beforeAll(() => {
    const b = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
    if (b.status !== 0) throw new Error(`sim/build.mjs failed: ${b.stderr}`);
  });

  it("answers --help as the TypeScript entry does", () => {
    expect(existsSync("dist/cli.mjs"), "dist/cli.mjs is missing: npm ci (or node sim/build.mjs) builds it").toBe(true);
    const r = compiled("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(sim("--help").stdout);
  });

  it("writes the same files as the TypeScript sources for the same scenario and seed", () => {
    const a = mkdtempSync(join(tmpdir(), "sim-dist-"));
    const b = mkdtempSync(join(tmpdir(), "sim-tsx-"));
    const args = [SEED_SCENARIO, "--duration", "5min", "--variant", "tracking-on", "--quiet"];
    expect(compiled(...args, "--out", a).status).toBe(0);
    expect(sim(...args, "--out", b).status).toBe(0);
    for (const f of ["timeseries.csv", "decisions.csv", "autoscaler.log", "summary.json", "report.html"]) {
      expect(readFileSync(join(a, "backpressure", "tracking-on", f), "utf8")).toBe(readFileSync(join(b, "backpressure", "tracking-on", f), "utf8"));
    }
  });
});

describe("Flink keys the simulator reads", () => {
  it("refuses a value Flink would refuse, naming the key and the allowed values", () => {
    const r = sim(SEED_SCENARIO, "--set", "jobmanager.scheduler=adaptiv", "--duration", "1min");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/jobmanager\.scheduler"\] \(from --set\): 'adaptiv' is not a scheduler: one of Default, Adaptive, AdaptiveBatch \(ignoring case\) \(did you mean 'adaptive'\?\)\n$/);
    const b = sim(SEED_SCENARIO, "--set", "kubernetes.operator.job.upgrade.inplace-scaling.enabled=flase", "--duration", "1min");
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/'flase' is not a boolean: true or false/);
  });

  it("warns about a key a typo away from one it reads (stderr and summary.json), and --strict refuses it", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-warn-"));
    const r = sim(SEED_SCENARIO, "--set", "pipeline.max-paralelism=24", "--duration", "2min", "--variant", "tracking-on", "--out", out, "--quiet");
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*pipeline\.max-paralelism"\] \(from --set\): not a key the simulator reads \(did you mean 'pipeline\.max-parallelism'\?\); Flink accepts unknown keys, so it is ignored\n$/);
    const summary = JSON.parse(readFileSync(join(out, "backpressure", "tracking-on", "summary.json"), "utf8"));
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]).toContain("did you mean 'pipeline.max-parallelism'");
    const strict = sim(SEED_SCENARIO, "--set", "kubernetes.operator.reconcile.intervall=60s", "--duration", "1min", "--strict");
    expect(strict.status).toBe(2);
    expect(strict.stderr).toMatch(/did you mean 'kubernetes\.operator\.reconcile\.interval'.*\(--strict\)\n$/);
    // a key far from any the simulator reads is Flink's business, not a warning
    const other = sim(SEED_SCENARIO, "--set", "state.backend.type=rocksdb", "--duration", "2min", "--out", out, "--quiet", "--strict");
    expect(other.status).toBe(0);
    expect(withoutProgress(other.stderr)).toBe("");
  });
});

describe("diff on folders that are not runs", () => {
  it("answers exit 2 and one line for a summary.json of null or {}", () => {
    const dir = mkdtempSync(join(tmpdir(), "not-a-run-"));
    writeFileSync(join(dir, "decisions.csv"), "");
    for (const text of ["null", "{}"]) {
      writeFileSync(join(dir, "summary.json"), text);
      const r = sim("diff", dir, dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`error: ${dir}: summary.json is not a run's summary (no autoscaling figures or vertices)\n`);
    }
  });
});

describe("checks before any work", () => {
  it("refuses an --out that is a file, before simulating", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-outfile-"));
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "x");
    const r = sim(SEED_SCENARIO, "--out", file, "--duration", "30d");
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out ${file}: ${file} is a file, not a folder\n`);
  });

  it("refuses a run whose files would not fit on the disk, saying how big they would be", () => {
    // 100,000 days at a reconcile every 15 s: 576 M reconciles x 5,950 bytes of log alone, some 3.1 TiB, for each of two variants (src/run/estimate.ts)
    const r = sim(SEED_SCENARIO, "--duration", "100000d", "--quiet");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*backpressure\.yaml: a run of 2400000h would write about 67\d\d\.\d GiB, more than the [\d.]+ GiB free under \S+; shorten --duration or lengthen simulation\.sampleInterval\n$/);
  });

  it("says what a very long run would cost and, with no terminal to ask on, refuses it without --yes, writing nothing", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-long-"));
    const r = sim(SEED_SCENARIO, "--variant", "tracking-on", "--duration", "400d", "--quiet", "--out", out);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "warning: scenarios/backpressure.yaml: this run would take about 9 min and write about 14.6 GB (400 days of virtual time, record execution: " +
        "13.7 GB of autoscaler.log (DEBUG), 387 MB of timeseries.csv, 461 MB of decisions.csv). Cheaper: a shorter --duration; " +
        "simulation.logLevel: INFO (about an eighth of the log's bytes); --no-report (about 29 s).\n" +
        "error: a run this long or this big needs --yes when there is no terminal to ask on; nothing written\n",
    );
    expect(readdirSync(out)).toEqual([]);
  });

  it("runs it with --yes, and Ctrl-C still leaves nothing behind", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-yes-"));
    const child = spawn(process.execPath, ["--import", "tsx", "sim/main.ts", SEED_SCENARIO, "--variant", "tracking-on", "--duration", "400d", "--quiet", "--yes", "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on("data", (d) => {
        stderr += String(d);
        if (stderr.includes("\n")) resolve();
      }),
    );
    expect(stderr).toMatch(/^warning: .*this run would take about 9 min and write about 14\.6 GB/);
    // Into the run (its staging folder exists), then interrupted.
    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode).toBeNull();
    child.kill("SIGINT");
    expect(await closed).toBe(130);
    expect(stderr).toMatch(/interrupted \(SIGINT\): nothing written/);
    expect(readdirSync(join(out, "backpressure"))).toEqual([]);
  }, 60_000);

  // Under tsx the signal may be answered while the report's modules load; that the drawing itself lets the event
  // loop turn (where signals are answered) is checked in test/report/runData.test.ts.
  it("answers Ctrl-C after the run, on its way to the report: nothing written", async () => {
    const out = mkdtempSync(join(tmpdir(), "sim-int-report-"));
    const child = spawn(process.execPath, ["--import", "tsx", "sim/main.ts", SEED_SCENARIO, "--variant", "tracking-on", "--duration", "1d", "--quiet", "--out", out], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += String(d)));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The run is over when its summary.json is in the staging folder; the report comes next.
    const staged = () => (existsSync(join(out, "backpressure")) ? readdirSync(join(out, "backpressure")).filter((n) => n.startsWith(".tmp-")) : []);
    while (child.exitCode === null && !staged().some((d) => existsSync(join(out, "backpressure", d, "summary.json")))) await new Promise((r) => setTimeout(r, 10));
    expect(child.exitCode, "the run ended before its report could be interrupted").toBeNull();
    child.kill("SIGINT");
    expect(await closed).toBe(130);
    expect(stderr).toMatch(/interrupted \(SIGINT\): nothing written/);
    expect(readdirSync(join(out, "backpressure"))).toEqual([]);
  }, 120_000);
});

describe("bare numbers as durations in the simulation: block", () => {
  it("are milliseconds, as in Flink, with a warning saying so (rates and factors are left alone)", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-bare-"));
    const file = join(dir, "s.yaml");
    writeFileSync(
      file,
      readFileSync(SEED_SCENARIO, "utf8").replace(
        "source: { connector: datagen, rowsPerSecond: 10 }",
        "source: { connector: datastream-datagen, load: { profile: sine, min: 1, max: 20, period: 60 }, noise: { stddev: 0.1 } }",
      ),
    );
    const r = sim(file, "--duration", "2min", "--quiet", "--out", dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `warning: ${file}: simulation.job.operators[0].source.load.period: 60 is 60 milliseconds (a bare number is ms in Flink's syntax); write 60s or 60ms to say which\n`,
    );
  });
});
