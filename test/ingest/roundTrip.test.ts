import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dumpFileOf, importRest, type RestSource } from "../../src/ingest/restDump.ts";
import { RestImportError } from "../../src/ingest/RestImportError.ts";
import { restDumpOfCluster } from "../../src/ingest/restDumpWriter.ts";
import { folderRestSource, writeRestDump } from "../../src/node/restFolder.ts";
import type { DecisionRecord } from "../../src/operator/FlinkOperator.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { type Scenario } from "../../src/scenario/Scenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

/**
 * Round trip (issue 24): run a scenario, take the REST dump of its simulated cluster at a
 * virtual time in steady state (before the first decision), import it with the scenario's
 * own FlinkDeployment, run the imported scenario: its first scaling decision must be the
 * original's (the same vertices to the same new parallelism).
 */

/** The scenario's FlinkDeployment: the file without its simulation: block (comments kept). */
function deploymentOf(text: string): string {
  const doc = parseDocument(text);
  doc.delete("simulation");
  return doc.toString();
}

/** A RestSource over a dump held in memory (file -> JSON text). */
function memorySource(files: Readonly<Record<string, string>>): RestSource {
  return {
    origin: "a simulated run",
    locate: (path) => dumpFileOf(path),
    get: (path) => {
      const text = files[dumpFileOf(path)];
      return text === undefined ? Promise.reject(new RestImportError(dumpFileOf(path), "no such file", "missing")) : Promise.resolve(JSON.parse(text) as unknown);
    },
  };
}

/** The first evaluation that changed a parallelism: its time and, per vertex, current -> new. */
function firstScaling(decisions: readonly DecisionRecord[]): { timeMs: number; changes: string[] } | null {
  const first = decisions.find((d) => d.executed && d.newParallelism !== d.currentParallelism);
  if (first === undefined) return null;
  const changes = decisions
    .filter((d) => d.timeMs === first.timeMs && d.executed && d.newParallelism !== d.currentParallelism)
    .map((d) => `${d.vertexId}: ${d.currentParallelism} -> ${d.newParallelism}`)
    .sort();
  return { timeMs: first.timeMs, changes };
}

/** Runs `scenario` taking a dump at `dumpAtMs` (a sample time) from the running cluster. */
function runWithDump(scenario: Scenario, dumpAtMs: number): { decisions: readonly DecisionRecord[]; files: Record<string, string> } {
  let files: Record<string, string> | null = null;
  const result = runScenario(scenario, {
    onSample: (cluster, now) => {
      if (now === dumpAtMs) files = restDumpOfCluster(cluster, now);
    },
  });
  if (files === null) throw new Error(`no sample at ${dumpAtMs} ms`);
  return { decisions: result.operator.decisions, files };
}

const KEYED = `# A rate-limited source chained to a filter, a keyed aggregation at 75% busy (target utilization 0.5).
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: keyed-steady
spec:
  flinkVersion: v1_18
  flinkConfiguration:
    job.autoscaler.enabled: "true"
    job.autoscaler.stabilization.interval: 1m
    job.autoscaler.metrics.window: 3m
    job.autoscaler.target.utilization: "0.5"
    job.autoscaler.target.utilization.boundary: "0.1"
    jobmanager.scheduler: adaptive
    taskmanager.numberOfTaskSlots: "4"
    pipeline.max-parallelism: "24"
  job:
    jarURI: local:///opt/flink/usrlib/job.jar
    parallelism: 2
    upgradeMode: last-state
simulation:
  duration: 10min
  seed: 3
  sampleInterval: 10s
  job:
    name: Keyed steady
    operators:
      - { id: source, name: "Source: clicks", kind: source, cost: 50µs, source: { connector: datastream-datagen, rowsPerSecond: 3000 } }
      - { id: filter, name: Filter, cost: 100µs, selectivity: 0.5 }
      - { id: agg, name: Aggregate, cost: 1ms, selectivity: 0.2 }
      - { id: sink, name: "Sink: out", kind: sink, cost: 20µs }
    edges:
      - { from: source, to: filter, shipStrategy: FORWARD }
      - { from: filter, to: agg, shipStrategy: HASH }
      - { from: agg, to: sink, shipStrategy: FORWARD }
`;

const CASES = [
  { name: "scenarios/kafka-backlog.yaml (Kafka backlog, saturated source chain)", file: "scenarios/kafka-backlog.yaml", text: readFileSync("scenarios/kafka-backlog.yaml", "utf8"), dumpAtMs: 200_000 },
  { name: "scenarios/validation/restart-backlog.yaml (12 partitions at parallelism 2, rebalance)", file: "scenarios/validation/restart-backlog.yaml", text: readFileSync("scenarios/validation/restart-backlog.yaml", "utf8"), dumpAtMs: 210_000 },
  { name: "a keyed aggregation above its target utilization", file: "keyed-steady.yaml", text: KEYED, dumpAtMs: 200_000 },
];

describe.each(CASES)("round trip: $name", ({ file, text, dumpAtMs }) => {
  const original = parseScenario(file, text);
  const { decisions, files } = runWithDump(original, dumpAtMs);
  const want = firstScaling(decisions);

  it("the original scales after the dump (the dump shows the steady state the decision is made on)", () => {
    expect(want).not.toBeNull();
    expect(want!.timeMs).toBeGreaterThan(dumpAtMs);
  });

  it("taking the dump does not change the run (it reads through a REST view of its own)", () => {
    const plain = runScenario(parseScenario(file, text));
    expect(plain.operator.decisions).toEqual(decisions);
  });

  it("the imported scenario makes the same first decision: same vertices, same new parallelism", async () => {
    const imported = await importRest(memorySource(files), { deploymentText: deploymentOf(text), deploymentFile: file });
    const scenario = parseScenario("imported.yaml", imported.yaml, { duration: String(original.durationMs) });
    const got = firstScaling(runScenario(scenario).operator.decisions);
    expect(got?.changes).toEqual(want!.changes);
  });
});

describe("the dump as files", () => {
  const dir = mkdtempSync(join(tmpdir(), "rest-dump-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const seed = parseScenario("scenarios/backpressure.yaml", readFileSync("scenarios/backpressure.yaml", "utf8"), { duration: "2min" });
  let files: Record<string, string> = {};
  runScenario(seed, {
    output: { kind: "none" },
    onSample: (cluster, now) => {
      if (now === 90_000) files = restDumpOfCluster(cluster, now);
    },
  });
  const jobId = Object.keys(files).find((f) => /^jobs\/[0-9a-f]{32}\.json$/.test(f))!.slice(5, 37);

  it("has the layout of scripts/flink-rest-dump.sh", () => {
    const vertices = (JSON.parse(files[`jobs/${jobId}.json`]!) as { vertices: { id: string }[] }).vertices.map((v) => v.id);
    expect(Object.keys(files).sort()).toEqual(
      [
        "overview.json",
        "taskmanagers.json",
        `jobs/${jobId}.json`,
        `jobs/${jobId}/config.json`,
        ...vertices.flatMap((v) => [`jobs/${jobId}/vertices/${v}.json`, `jobs/${jobId}/vertices/${v}/subtasks/metrics.json`]),
      ].sort(),
    );
  });

  it("writes NaN as Flink's Jackson does (\"NaN\"): the seed's legacy datagen source has no busy time", () => {
    const details = JSON.parse(files[`jobs/${jobId}.json`]!) as { vertices: { id: string; name: string }[] };
    const source = details.vertices.find((v) => v.name.startsWith("Source"))!;
    const metrics = JSON.parse(files[`jobs/${jobId}/vertices/${source.id}/subtasks/metrics.json`]!) as { id: string; avg: unknown }[];
    expect(metrics.find((m) => m.id === "busyTimeMsPerSecond")!.avg).toBe("NaN");
  });

  it("reads back from a folder as from memory, and a legacy source becomes the datagen connector, with a warning", async () => {
    writeRestDump(dir, files);
    const deployment = deploymentOf(readFileSync("scenarios/backpressure.yaml", "utf8"));
    const fromFolder = await importRest(folderRestSource(dir), { deploymentText: deployment, deploymentFile: "backpressure.yaml" });
    const fromMemory = await importRest(memorySource(files), { deploymentText: deployment, deploymentFile: "backpressure.yaml" });
    expect(fromFolder.yaml.replace(dir, "X")).toBe(fromMemory.yaml.replace("a simulated run", "X"));
    const source = (parseDocument(fromFolder.yaml).toJS() as { simulation: { job: { operators: { source?: { connector: string } }[] } } }).simulation.job.operators[0]!;
    expect(source.source?.connector).toBe("datagen");
    expect(fromFolder.warnings.some((w) => w.includes("cost not inferable (busyTimeMsPerSecond is NaN (a legacy source: busy time disabled))"))).toBe(true);
    // At 90 s the seed's job has just been rescaled (its first decision): the rates are not to be trusted yet, and it says so.
    expect(fromFolder.warnings.some((w) => /the job has been RUNNING for \d+ s only: Flink's per-second rates average the last 60 s/.test(w))).toBe(true);
    expect(() => parseScenario("imported.yaml", fromFolder.yaml)).not.toThrow();
  });
});
