import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fetchRestSnapshot } from "../../src/ingest/restDump.ts";
import { restDumpOfCluster } from "../../src/ingest/restDumpWriter.ts";
import { replay, replayJson, ReplayError, type ReplayResult } from "../../src/ingest/replay.ts";
import { folderRestSource, writeRestDump } from "../../src/node/restFolder.ts";
import type { DecisionRecord } from "../../src/operator/FlinkOperator.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";

/**
 * Replay (issue 24 item 3). The key acceptance test: a simulated run's configmap.yaml,
 * replayed with the run's own configuration, gives exactly the decisions of the run's
 * last evaluation. The ConfigMap is written at the end of the run, after the last
 * reconcile; the tests check first that the last evaluation was that reconcile (the
 * ConfigMap's last sample is the last evaluation's instant), else the comparison would
 * not be of the same window.
 */

const TSX = join("node_modules", ".bin", "tsx");

function sim(...args: string[]) {
  const r = spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Run {
  readonly configMap: string;
  readonly decisions: readonly DecisionRecord[];
  readonly startEpochMs: number;
  readonly dump: Record<string, string>;
  readonly text: string;
}

function run(file: string, variant: string | undefined, duration: string): Run {
  const text = readFileSync(file, "utf8");
  const scenario = parseScenario(file, text, { duration, ...(variant !== undefined ? { variant } : {}) });
  let dump: Record<string, string> = {};
  const result = runScenario(scenario, { onSample: (cluster, now) => (dump = restDumpOfCluster(cluster, now)) });
  return { configMap: result.files["configmap.yaml"]!, decisions: result.operator.decisions, startEpochMs: result.cluster.options.startEpochMs, dump, text };
}

/** The last evaluation's rows compared with the replay's one configuration, field by field. */
function expectSameAsLastEvaluation(r: Run, result: ReplayResult): void {
  const lastTime = r.decisions.at(-1)!.timeMs;
  // The ConfigMap's window is the last evaluation's window.
  expect(result.nowMs - r.startEpochMs).toBe(lastTime);
  const last = r.decisions.filter((d) => d.timeMs === lastTime);
  expect(result.configurations).toHaveLength(1);
  const c = result.configurations[0]!;
  expect(c.error).toBeUndefined();
  expect(c.vertices.map((v) => v.vertexId)).toEqual(last.map((d) => d.vertexId));
  for (const [i, v] of c.vertices.entries()) {
    const d = last[i]!;
    expect({
      current: v.currentParallelism,
      next: v.newParallelism,
      tpr: v.trueProcessingRate,
      target: v.targetDataRate,
      catchUp: v.catchUpDataRate,
      up: v.scaleUpThreshold,
      down: v.scaleDownThreshold,
      restart: c.restartTimeUsedMs,
    }).toEqual({
      current: d.currentParallelism,
      next: d.newParallelism,
      tpr: d.trueProcessingRate,
      target: d.targetDataRate,
      catchUp: d.catchUpDataRate,
      up: d.scaleUpThreshold,
      down: d.scaleDownThreshold,
      restart: d.restartTimeUsedMs,
    });
    // Reasons with a time say it as "for N s more" in replay (no run clock): compare the rest.
    expect(v.reason.replace(/ for -?\d+ s more$/, "")).toBe(d.reason.replace(/ until -?\d+ s$/, ""));
  }
  expect(c.scales).toBe(last.some((d) => d.executed));
}

async function restOf(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "replay-dump-"));
  writeRestDump(dir, files);
  return fetchRestSnapshot(folderRestSource(dir), { origin: dir });
}

describe("replay: a simulated run's ConfigMap gives its last evaluation's decisions", () => {
  it("the seed's scenario, 1 h, with and without the REST dump", async () => {
    const r = run("scenarios/backpressure.yaml", "tracking-on", "1h");
    const input = { configMap: r.configMap, configMapSource: "configmap.yaml", deployment: r.text, deploymentSource: "backpressure.yaml" };
    const fromConfigMap = replay(input);
    expect(fromConfigMap.topology.source).toBe("configmap");
    expect(fromConfigMap.topology.assumptions.join(" ")).toContain("edges are not in the ConfigMap");
    expectSameAsLastEvaluation(r, fromConfigMap);
    const fromRest = replay({ ...input, rest: await restOf(r.dump) });
    expect(fromRest.topology.source).toBe("rest");
    expectSameAsLastEvaluation(r, fromRest);
    expect(fromRest.configurations[0]!.vertices.map((v) => v.name)).toEqual(["Source: orders", "Map -> Sink: Print to Std. Out"]);
  }, 120_000);

  it("a run that ends on a scaling: the ConfigMap already holds it; replay takes it out and decides it again", async () => {
    // The seed's scenario scales the map 3 -> 4 at 1515 s (decisions.csv of a 1 h run); the run ends there.
    const r = run("scenarios/backpressure.yaml", "tracking-on", "1515s");
    const last = r.decisions.filter((d) => d.timeMs === r.decisions.at(-1)!.timeMs);
    expect(last.some((d) => d.executed)).toBe(true);
    const input = { configMap: r.configMap, configMapSource: "configmap.yaml", deployment: r.text, deploymentSource: "backpressure.yaml" };
    const fromConfigMap = replay(input);
    expect(fromConfigMap.notes.join(" ")).toContain("holds a scaling decided at now");
    expectSameAsLastEvaluation(r, fromConfigMap);
    expectSameAsLastEvaluation(r, replay({ ...input, rest: await restOf(r.dump) }));
  }, 120_000);

  it("a Kafka job (pending records, a delayed scale-down), with and without the REST dump", async () => {
    const r = run("scenarios/kafka-backlog.yaml", undefined, "1h");
    const input = { configMap: r.configMap, configMapSource: "configmap.yaml", deployment: r.text, deploymentSource: "kafka-backlog.yaml" };
    expectSameAsLastEvaluation(r, replay(input));
    expectSameAsLastEvaluation(r, replay({ ...input, rest: await restOf(r.dump) }));
  }, 120_000);

  it("a keyed job (HASH edge: key-group alignment), with the REST dump", async () => {
    const r = run("scenarios/sine-load.yaml", undefined, "2h");
    const result = replay({ configMap: r.configMap, configMapSource: "configmap.yaml", deployment: r.text, deploymentSource: "sine-load.yaml", rest: await restOf(r.dump) });
    expectSameAsLastEvaluation(r, result);
  }, 120_000);

  it("a grid: one configuration per combination, its own configuration's column equal to the plain replay", () => {
    const r = run("scenarios/backpressure.yaml", "tracking-on", "1h");
    const input = { configMap: r.configMap, configMapSource: "configmap.yaml", deployment: r.text, deploymentSource: "backpressure.yaml" };
    const plain = replay(input);
    const grid = replay({ ...input, grid: [{ key: "job.autoscaler.utilization.target", values: ["0.7", "0.3"] }, { key: "job.autoscaler.restart.time-tracking.enabled", values: ["true", "false"] }] });
    expect(grid.configurations.map((c) => c.settings)).toEqual([
      { "job.autoscaler.utilization.target": "0.7", "job.autoscaler.restart.time-tracking.enabled": "true" },
      { "job.autoscaler.utilization.target": "0.7", "job.autoscaler.restart.time-tracking.enabled": "false" },
      { "job.autoscaler.utilization.target": "0.3", "job.autoscaler.restart.time-tracking.enabled": "true" },
      { "job.autoscaler.utilization.target": "0.3", "job.autoscaler.restart.time-tracking.enabled": "false" },
    ]);
    // The seed's scenario leaves target.utilization at its default (0.7) and tracks restarts: the first combination is its own.
    expect(grid.configurations[0]!.vertices).toEqual(plain.configurations[0]!.vertices);
    expect(grid.configurations[0]!.restartTimeUsedMs).toBe(plain.configurations[0]!.restartTimeUsedMs);
    // Tracking off: restart.time (the seed's PT2M), not the tracked restart.
    expect(grid.configurations[1]!.restartTimeUsedMs).toBe(120_000);
    // A lower target utilization asks for more capacity: higher thresholds.
    const map = (i: number) => grid.configurations[i]!.vertices[1]!;
    expect(map(2).scaleDownThreshold).toBeGreaterThan(map(0).scaleDownThreshold);
    expect(JSON.stringify(replayJson(grid))).toContain("what follows a changed decision");
  }, 120_000);

  it("a deployment that is no FlinkDeployment is a ReplayError", () => {
    const r = run("scenarios/backpressure.yaml", "tracking-on", "5min");
    expect(() => replay({ configMap: r.configMap, configMapSource: "cm.yaml", deployment: "kind: ConfigMap\n", deploymentSource: "d.yaml" })).toThrow(ReplayError);
  }, 120_000);
});

describe("replay on the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "replay-cli-"));
  const r = run("scenarios/backpressure.yaml", "tracking-on", "30min");
  const cm = join(dir, "configmap.yaml");
  writeFileSync(cm, r.configMap);

  it("prints the table with what replay cannot tell; --json one document", () => {
    const text = sim("replay", cm, "--deployment", "scenarios/backpressure.yaml", "--grid", "job.autoscaler.utilization.target=0.5,0.8");
    expect(text.stderr).toBe("");
    expect(text.status).toBe(0);
    expect(text.stdout).toContain("[1] utilization.target=0.5");
    expect(text.stdout).toContain("[2] utilization.target=0.8");
    expect(text.stdout).toContain("what replay cannot tell");
    const json = sim("replay", cm, "--deployment", "scenarios/backpressure.yaml", "--set", "job.autoscaler.restart.time-tracking.enabled=false", "--json");
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout) as { configurations: { restart_time_used_s: number; vertices: unknown[] }[]; limits: string };
    expect(doc.configurations).toHaveLength(1);
    expect(doc.configurations[0]!.restart_time_used_s).toBe(120);
    expect(doc.configurations[0]!.vertices).toHaveLength(2);
    expect(doc.limits).toContain("npm run sim -- import");
  }, 60_000);

  const bad = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return sim("replay", file, "--deployment", "scenarios/backpressure.yaml");
  };
  const expectOneLine = (res: { status: number | null; stdout: string; stderr: string }, text: string) => {
    expect(res.status).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(res.stderr).toContain(text);
  };

  it("a missing file: one line, exit 2", () => {
    expectOneLine(sim("replay", join(dir, "nope.yaml"), "--deployment", "scenarios/backpressure.yaml"), "nope.yaml: no such file");
    expectOneLine(sim("replay", cm, "--deployment", join(dir, "nodeploy.yaml")), "nodeploy.yaml: no such file");
    expectOneLine(sim("replay", cm, "--deployment", "scenarios/backpressure.yaml", "--rest", join(dir, "nodump")), "nodump: no such folder");
  }, 60_000);

  it("corrupt base64 or gzip: one line, exit 2", () => {
    const corruptBase64 = r.configMap.replace(/(collectedMetrics: )(\S+)/, (_, k: string, v: string) => `${k}!!${v.slice(2)}`);
    expect(corruptBase64).not.toBe(r.configMap);
    expectOneLine(bad("b64.yaml", corruptBase64), "b64.yaml");
    const notGzip = r.configMap.replace(/(collectedMetrics: )(\S+)/, (_, k: string) => `${k}${Buffer.from("plain text, not gzip").toString("base64")}`);
    expectOneLine(bad("gzip.yaml", notGzip), "gzip.yaml");
  }, 60_000);

  it("a --set value no configuration can use: one line, exit 2; a bad --grid value fails only its column", () => {
    expectOneLine(sim("replay", cm, "--deployment", "scenarios/backpressure.yaml", "--set", "job.autoscaler.utilization.target=abc"), "Could not parse value 'abc'");
    const grid = sim("replay", cm, "--deployment", "scenarios/backpressure.yaml", "--grid", "job.autoscaler.utilization.target=0.7,abc");
    expect(grid.status).toBe(0);
    expect(grid.stdout).toContain("[2] utilization.target=abc: error: Could not parse value 'abc'");
  }, 60_000);

  it("a ConfigMap of another version: one line, exit 2", () => {
    expectOneLine(bad("old.yaml", r.configMap.replace(/^data:\n/m, "data:\n  jobUpdateTs: \"2024-01-01T00:00:00Z\"\n")), "operator 1.4-1.5");
    expectOneLine(bad("other.yaml", r.configMap.replace(/^data:\n/m, "data:\n  someFutureKey: x\n")), "data.someFutureKey");
  }, 60_000);
});
