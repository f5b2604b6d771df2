import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

const seed = readFileSync(SEED_SCENARIO, "utf8");

/** The seed scenario with one piece of text replaced (the replacement must happen). */
function edited(from: string, to: string): string {
  if (!seed.includes(from)) throw new Error(`test setup: '${from}' is not in the seed scenario`);
  return seed.replace(from, to);
}

const config = (line: string) => edited('    pipeline.max-parallelism: "12"\n', `    pipeline.max-parallelism: "12"\n    ${line}\n`);

/** Scenario files a user may get wrong, each a reason to stop before any work. */
const SCENARIOS: [string, string][] = [
  ["empty file", ""],
  ["not YAML", "spec: [unclosed\n  x: {"],
  ["a list", "- a\n- b\n"],
  ["a scalar", "hello"],
  ["misspelled top-level key", edited("\nsimulation:", "\nsimulaton:")],
  ["unknown spec key", edited("  emrReleaseLabel:", "  emrRelease:")],
  ["wrong type", edited("    parallelism: 1\n    upgradeMode", "    parallelism: one\n    upgradeMode")],
  ["zero parallelism", edited("    parallelism: 1\n    upgradeMode", "    parallelism: 0\n    upgradeMode")],
  ["negative rate", edited("rowsPerSecond: 10", "rowsPerSecond: -10")],
  ["bad sample interval", edited("sampleInterval: 10s", "sampleInterval: 1 fortnight")],
  ["fractional sample interval", edited("sampleInterval: 10s", "sampleInterval: 1.5s")],
  ["us for microseconds", edited("cost: 2s", "cost: 20us")],
  ["bad cost", edited("cost: 2s", "cost: fast")],
  ["bad distribution name", edited("cost: 2s", "cost: { distribution: lognormel, median: 2s, p95: 3s }")],
  ["lognormal p95 below median", edited("cost: 2s", "cost: { distribution: lognormal, median: 2s, p95: 1s }")],
  ["uniform max below min", edited("cost: 2s", "cost: { distribution: uniform, min: 2s, max: 1s }")],
  ["edge to a missing operator", edited("{ from: source, to: map, shipStrategy: SHUFFLE }", "{ from: source, to: mapp, shipStrategy: SHUFFLE }")],
  ["unknown ship strategy", edited("shipStrategy: SHUFFLE", "shipStrategy: SHUFFEL")],
  ["duplicate operator id", edited("      - id: map\n", "      - id: source\n")],
  ["no operators", edited("    operators:\n", "    operators: []\n    old:\n")],
  ["bad vertexId", edited("        kind: sink\n", "        kind: sink\n        vertexId: xyz\n")],
  ["unknown load profile", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datastream-datagen, load: { profile: sinus, min: 1, max: 2, period: 1h } }")],
  ["misspelled load key", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datastream-datagen, load: { profile: sine, min: 1, max: 2, perod: 1h } }")],
  ["varying load for the Table datagen", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datagen, load: { profile: ramp, from: 1, to: 9, over: 1h } }")],
  ["unknown connector", edited("connector: datagen", "connector: datagenn")],
  ["both rate and load", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datagen, rowsPerSecond: 10, load: 5 }")],
  ["seed too large", edited("  seed: 1\n", "  seed: 99999999999999999999\n")],
  ["bad start time", edited('startTime: "2024-05-16T17:00:00Z"', 'startTime: "yesterday"')],
  ["record larger than a buffer", edited("recordSize: 64b", "recordSize: 64kb")],
  ["TimerGauge span not a multiple of 5 s", edited("  recordSize: 64b\n", "  recordSize: 64b\n  flinkMetrics: { timerGaugeSpan: 7s }\n")],
  ["bad python overhead", edited("        python: true", "        python: { overhead: soon }")],
  ["unknown variant key", edited("      description: the configured restart.time (2m) at every decision\n", "      description: the configured restart.time (2m) at every decision\n      flinkConfig: {}\n")],
  ["bad memory size", config('taskmanager.memory.process.size: "1.5g"')],
  ["bad scheduler", config("jobmanager.scheduler: adaptiv").replace("    jobmanager.scheduler: adaptive\n", "")],
  ["bad boolean", config('kubernetes.operator.job.upgrade.inplace-scaling.enabled: "flase"')],
  ["bad autoscaler value", config('job.autoscaler.utilization.target: "high"')],
  ["unknown autoscaler key", config('job.autoscaler.utilisation.target: "0.5"')],
  ["memory tuning", config('job.autoscaler.memory.tuning.enabled: "true"')],
  ["bad reconcile interval", config('kubernetes.operator.reconcile.interval: "0 s"')],
  ["bad parallelism override", config('pipeline.jobvertex-parallelism-overrides: "abc:2"')],
  ["a topic with millions of partitions", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: kafka, topic: t, partitions: 5000000, load: 10 }")],
  ["a billion keys", edited("{ from: source, to: map, shipStrategy: SHUFFLE }", "{ from: source, to: map, shipStrategy: HASH, keys: { count: 1000000000 } }")],
  ["YAML alias bomb", Array.from({ length: 9 }, (_, i) => (i === 0 ? "a0: &a0 [x, x, x, x, x, x, x, x, x]" : `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`)).join("\n")],
];

/** Arguments a user may get wrong (the scenario itself is fine). */
const ARGUMENTS: [string, string[]][] = [
  ["no scenario", []],
  ["two scenarios", [SEED_SCENARIO, SEED_SCENARIO]],
  ["unknown option", [SEED_SCENARIO, "--bogus"]],
  ["replications zero", [SEED_SCENARIO, "--replications", "0"]],
  ["replications not a number", [SEED_SCENARIO, "--replications", "x"]],
  ["fractional seed", [SEED_SCENARIO, "--seed", "1.5"]],
  ["seed beyond a double", [SEED_SCENARIO, "--seed", "99999999999999999999"]],
  ["--set without =", [SEED_SCENARIO, "--set", "noequals"]],
  ["--set without key", [SEED_SCENARIO, "--set", "=v"]],
  ["bad --duration", [SEED_SCENARIO, "--duration", "5 fortnights"]],
  ["unknown --variant", [SEED_SCENARIO, "--variant", "nope"]],
  ["a duration whose files would not fit on any disk", [SEED_SCENARIO, "--duration", "100000d"]],
  ["missing scenario file", ["no/such/file.yaml"]],
  ["a folder as scenario", ["scenarios"]],
  ["diff with one folder", ["diff", "out"]],
  ["diff of folders that are not runs", ["diff", "scenarios", "test"]],
];

describe("bad input, as a new user types it: exit 2, one line, no files", () => {
  const home = mkdtempSync(join(tmpdir(), "sim-fuzz-"));
  beforeAll(() => {
    const b = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
    if (b.status !== 0) throw new Error(`sim/build.mjs failed: ${b.stderr}`);
  });

  let runs = 0;
  /** Runs the compiled command with `args`, writing (if at all) into a fresh folder. */
  function run(name: string, args: string[]) {
    const out = join(home, `out-${++runs}-${name.replace(/\W+/g, "-")}`);
    mkdirSync(out);
    const r = spawnSync(process.execPath, ["dist/cli.mjs", ...args, ...(args[0] === "diff" || args.length === 0 ? [] : ["--out", out])], { encoding: "utf8" });
    return { ...r, written: readdirSync(out) };
  }

  it.each(SCENARIOS)("scenario: %s", (name, text) => {
    const file = join(home, `${name.replace(/\W+/g, "-")}.yaml`);
    writeFileSync(file, text);
    const r = run(name, [file, "--duration", "1min"]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(r.stderr).toContain(file);
    expect(r.stdout).toBe("");
    expect(r.written).toEqual([]);
  });

  it.each(ARGUMENTS)("arguments: %s", (name, args) => {
    const r = run(name, args);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(r.stdout).toBe("");
    expect(r.written).toEqual([]);
  });

  it("counts at least 40 cases", () => {
    expect(SCENARIOS.length + ARGUMENTS.length).toBeGreaterThanOrEqual(40);
  });
});
