import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { scenarioFromSnapshot, type AggregatedValue, type RestSnapshot, type VertexSnapshot } from "../../src/ingest/restDump.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

/** Inference cases on snapshots built by hand (scenarioFromSnapshot is pure). */

const DEPLOYMENT_FILE = "test/ingest/fixtures/deployment.yaml";
const DEPLOYMENT = readFileSync(DEPLOYMENT_FILE, "utf8");

const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const C = "cccccccccccccccccccccccccccccccc";

/** Aggregates of per-subtask values, as Flink's REST API computes them. */
function agg(id: string, values: readonly number[]): AggregatedValue {
  const sum = values.reduce((a, b) => a + b, 0);
  return { id, min: Math.min(...values), max: Math.max(...values), avg: sum / values.length, sum };
}

function vertex(id: string, name: string, parallelism: number, inputs: { id: string; shipStrategy: string }[], metrics: AggregatedValue[]): VertexSnapshot {
  return { id, name, parallelism, maxParallelism: 24, status: "RUNNING", inputs, metrics: new Map(metrics.map((m) => [m.id, m])), subtaskStatus: undefined };
}

function snapshot(vertices: VertexSnapshot[]): RestSnapshot {
  return { jobId: "0123456789abcdef0123456789abcdef", jobName: "hand-made", state: "RUNNING", nowMs: Date.UTC(2024, 4, 16, 17), jobParallelism: 2, vertices, slotsPerTaskManager: [2, 2], origin: "a test", warnings: [] };
}

interface Doc {
  simulation: { job: { operators: { id: string; name: string; cost: string; selectivity?: number; chaining?: boolean; source?: Record<string, unknown> }[]; edges: { from: string; to: string; shipStrategy: string }[] } };
}
const docOf = (yaml: string) => parseDocument(yaml).toJS() as Doc;

describe("inference from hand-made snapshots", () => {
  it("a FORWARD edge between two vertices stays unchained; a GLOBAL edge becomes REBALANCE with a warning, a BROADCAST edge stays", () => {
    const snapWith = (strategy: string) => snapshot([
      vertex(A, "Source: s", 2, [], [agg("busyTimeMsPerSecond", [100, 100]), agg("Source__s.numRecordsOutPerSecond", [100, 100]), agg("numRecordsOutPerSecond", [100, 100])]),
      vertex(B, "Map", 2, [{ id: A, shipStrategy: "FORWARD" }], [
        agg("busyTimeMsPerSecond", [300, 300]), agg("numRecordsInPerSecond", [100, 100]), agg("numRecordsOutPerSecond", [100, 100]),
        agg("Map.numRecordsInPerSecond", [100, 100]), agg("Map.numRecordsOutPerSecond", [100, 100]),
      ]),
      vertex(C, "Sink: k", 2, [{ id: B, shipStrategy: strategy }], [agg("busyTimeMsPerSecond", [50, 50]), agg("numRecordsInPerSecond", [200, 200])]),
    ]);
    const snap = snapWith("GLOBAL");
    const result = scenarioFromSnapshot(snap, { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const doc = docOf(result.yaml);
    expect(doc.simulation.job.edges).toEqual([
      { from: "source-s", to: "map", shipStrategy: "FORWARD" },
      { from: "map", to: "sink-k", shipStrategy: "REBALANCE" },
    ]);
    expect(doc.simulation.job.operators.find((o) => o.id === "map")!.chaining).toBe(false);
    // Map: 300 ms/s busy over 100 records/s per subtask = 3 ms; the source 100 / 100 = 1 ms; the sink 50 / 200 = 0.25 ms.
    expect(doc.simulation.job.operators.map((o) => o.cost)).toEqual(["1ms", "3ms", "250µs"]);
    expect(result.warnings).toEqual([
      "vertex 'Source: s' (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa): connector not recognised (no Kafka reader metrics); modelled as datastream-datagen (a FLIP-27 source) at its observed rate",
      "edge Map -> Sink: k: ship strategy GLOBAL is not modelled; REBALANCE used",
    ]);
    const run = runScenario(parseScenario("x.yaml", result.yaml, { duration: "1min" }), { output: { kind: "none" } });
    expect(run.cluster.graph.vertices.map((v) => v.id)).toEqual([A, B, C]);
    // BROADCAST is modelled: kept as the plan says, without a warning about it.
    const broadcast = scenarioFromSnapshot(snapWith("BROADCAST"), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    expect(docOf(broadcast.yaml).simulation.job.edges[1]).toEqual({ from: "map", to: "sink-k", shipStrategy: "BROADCAST" });
    expect(broadcast.warnings.some((w) => w.includes("BROADCAST"))).toBe(false);
  });

  it("pendingRecords without partition metrics: Kafka with as many partitions as subtasks, said; a keyed edge's visible skew, said", () => {
    const snap = snapshot([
      vertex(A, "Source: events", 3, [], [
        agg("busyTimeMsPerSecond", [200, 200, 200]), agg("Source__events.numRecordsOutPerSecond", [400, 400, 400]),
        agg("numRecordsOutPerSecond", [400, 400, 400]), agg("Source__events.pendingRecords", [10, 20, 30]),
      ]),
      vertex(B, "Count -> Sink: out", 2, [{ id: A, shipStrategy: "HASH" }], [
        agg("busyTimeMsPerSecond", [900, 300]), agg("numRecordsInPerSecond", [1000, 200]), agg("numRecordsOutPerSecond", [0, 0]),
        agg("Count.numRecordsInPerSecond", [1000, 200]), agg("Count.numRecordsOutPerSecond", [100, 20]),
      ]),
    ]);
    const result = scenarioFromSnapshot(snap, { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const ops = docOf(result.yaml).simulation.job.operators;
    expect(ops[0]!.source).toEqual({ connector: "kafka", topic: "topic", partitions: 3, load: 1200, initialBacklog: 60 });
    // Source: 200 / (1200 / 3) = 0.5 ms. Count: mean busy 600 / (1200 / 2) = 1 ms; 120 / 1200 = 0.1.
    expect(ops.map((o) => o.cost)).toEqual(["500µs", "1ms", "0ms"]);
    expect(ops[1]!.selectivity).toBe(0.1);
    expect(result.warnings).toEqual([
      "vertex 'Source: events' (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa): reports pendingRecords but no KafkaSourceReader partition metrics: partition count not inferable; default 3 (its parallelism) used",
      // max 1000 over mean 600.
      "edge Source: events -> Count -> Sink: out: keyed, and its hottest subtask reads 1.67x the mean: set keys.skew; the default keys are uniform",
    ]);
    expect(result.yaml).toMatch(/partitions: 3 # default 3 \(the source's parallelism\): no partition metrics/);
  });

  it("a legacy source (busy time NaN) is a datagen source with no cost, and a back-pressured one's rate is flagged", () => {
    const snap = snapshot([
      vertex(A, "Source: datagen", 1, [], [
        agg("busyTimeMsPerSecond", [NaN]), agg("backPressuredTimeMsPerSecond", [700]), agg("Source__datagen.numRecordsOutPerSecond", [40]), agg("numRecordsOutPerSecond", [40]),
      ]),
      vertex(B, "Sink: out", 1, [{ id: A, shipStrategy: "REBALANCE" }], [agg("busyTimeMsPerSecond", [1000]), agg("numRecordsInPerSecond", [40])]),
    ]);
    const result = scenarioFromSnapshot(snap, { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const ops = docOf(result.yaml).simulation.job.operators;
    expect(ops[0]!.source).toEqual({ connector: "datagen", rowsPerSecond: 40 });
    expect(ops[0]!.cost).toBe("0ms");
    expect(ops[1]!.cost).toBe("25ms"); // 1000 ms/s over 40 records/s = 25 ms
    expect(result.warnings).toEqual([
      "vertex 'Source: datagen' (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa): cost not inferable (busyTimeMsPerSecond is NaN (a legacy source: busy time disabled)); default 0 used",
      "vertex 'Source: datagen' (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa): back-pressured 700 ms/s: the rate seen (40/s) is what the job took, not what the source would emit; edit rowsPerSecond",
      "vertex 'Sink: out' (bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb): busy 1000 ms/s: saturated, so the cost 25ms is its full capacity; the load it could not take is not seen",
    ]);
  });

  it("checks the deployment against what the job runs with", () => {
    const deployment = DEPLOYMENT.replace('taskmanager.numberOfTaskSlots: "2"', 'taskmanager.numberOfTaskSlots: "4"').replace("parallelism: 2", "parallelism: 6");
    const snap = snapshot([vertex(A, "Source: s", 2, [], [agg("busyTimeMsPerSecond", [100, 100]), agg("Source__s.numRecordsOutPerSecond", [100, 100])])]);
    const result = scenarioFromSnapshot(snap, { deploymentText: deployment, deploymentFile: DEPLOYMENT_FILE });
    expect(result.warnings.slice(0, 2)).toEqual([
      "spec.job.parallelism is 6 but the job runs with default parallelism 2; each operator's parallelism is set as running",
      "taskmanager.numberOfTaskSlots is 4 in the deployment, but the TaskManagers have 2 slots",
    ]);
  });
});
