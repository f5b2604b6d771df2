import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { dumpFileOf, formatCost, importRest, isImportedMetric, metricBatches, subtaskMetricsPath, type RestSource } from "../../src/ingest/restDump.ts";
import { RestImportError } from "../../src/ingest/RestImportError.ts";
import { headDescriptionOf, inputRates, isAsyncOperator, joinKindOf } from "../../src/ingest/importedOperators.ts";
import { folderRestSource } from "../../src/node/restFolder.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const FIXTURES = "test/ingest/fixtures";
const SHAPES = join(FIXTURES, "flink-1.18-shapes");
const CAR = join(FIXTURES, "car-top-speed");
const DEPLOYMENT_FILE = join(FIXTURES, "deployment.yaml");
const DEPLOYMENT = readFileSync(DEPLOYMENT_FILE, "utf8");
const SHAPES_JOB = "5c0a6e3f2b9d4e1fa7c8b6d5e4f3a2b1";
const SOURCE_VERTEX = "bc764cd8ddf7a0cff126f51c16239658";
const WINDOW_VERTEX = "0a448493b4782967b150582570326227";
const JOINS = join(FIXTURES, "flink-1.18-joins");
const JOINS_JOB = "7e1f0c2d3b4a59687f6e5d4c3b2a1908";
const ASYNC_VERTEX = "a1b2c3d4e5f60718293a4b5c6d7e8f05";

interface OperatorDoc {
  id: string;
  name: string;
  kind?: string;
  cost?: string;
  selectivity?: number;
  cpuShare?: number;
  parallelism?: number;
  maxParallelism?: number;
  vertexId?: string;
  chaining?: boolean;
  source?: Record<string, unknown>;
  inputs?: Record<string, { cost?: string; selectivity?: number }>;
  join?: Record<string, unknown>;
  async?: Record<string, unknown>;
}
interface ImportedDoc {
  metadata: { name: string };
  spec: { flinkConfiguration: Record<string, string> };
  simulation: { job: { name: string; operators: OperatorDoc[]; edges: { from: string; to: string; shipStrategy: string; keys?: { count: number } }[] } };
}

function docOf(yaml: string): ImportedDoc {
  return parseDocument(yaml).toJS() as ImportedDoc;
}

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});
/** A copy of a fixture folder to break. */
function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), "restdump-"));
  temps.push(dir);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

describe("dump layout", () => {
  it("names a GET's file by its path with .json, query dropped, /jobs/overview as overview.json", () => {
    expect(dumpFileOf("/jobs/overview")).toBe("overview.json");
    expect(dumpFileOf("/jobs/abc")).toBe("jobs/abc.json");
    expect(dumpFileOf("/jobs/abc/vertices/v/subtasks/metrics?get=a,b")).toBe("jobs/abc/vertices/v/subtasks/metrics.json");
    expect(dumpFileOf("/taskmanagers")).toBe("taskmanagers.json");
    expect(subtaskMetricsPath("j", "v", ["Source__a b.numRecordsOutPerSecond", "busyTimeMsPerSecond"])).toBe(
      "/jobs/j/vertices/v/subtasks/metrics?get=Source__a%20b.numRecordsOutPerSecond,busyTimeMsPerSecond",
    );
  });

  it("keeps the metrics the import reads and leaves the rest", () => {
    for (const name of [
      "busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond", "numRecordsInPerSecond", "numRecordsOutPerSecond",
      "Source__orders.numRecordsOutPerSecond", "Parse.numRecordsInPerSecond", "Source__orders.pendingRecords",
      "Source__orders.KafkaSourceReader.topic.orders.partition.11.currentOffset",
    ]) expect(isImportedMetric(name), name).toBe(true);
    for (const name of ["numBytesOutPerSecond", "buffers.outPoolUsage", "Source__orders.currentOutputWatermark", "numRecordsIn", "Source__orders.KafkaSourceReader.topic.orders.partition.11.committedOffset"]) {
      expect(isImportedMetric(name), name).toBe(false);
    }
  });

  it("asks for metric values in batches whose query stays under a length", () => {
    // Each name costs its encoded length plus a comma: a=2, b=2 fit in 4; c starts the next batch.
    expect(metricBatches(["a", "b", "c"], 4)).toEqual([["a", "b"], ["c"]]);
    expect(metricBatches(["a b"], 4)).toEqual([["a b"]]); // a name longer than the budget still goes, alone
    expect(metricBatches([])).toEqual([]);
  });

  it("writes costs as whole numbers of a unit, within 1%", () => {
    expect(formatCost(0.8)).toBe("800µs");
    expect(formatCost(2)).toBe("2ms");
    expect(formatCost(12.3456)).toBe("12346µs");
    expect(formatCost(0.0123)).toBe("12300ns");
    expect(formatCost(2000)).toBe("2000ms");
    expect(formatCost(0)).toBe("0ms");
  });
});

describe("import of Flink 1.18's documented shapes (flink-1.18-shapes, values chosen by hand)", async () => {
  const result = await importRest(folderRestSource(SHAPES), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
  const doc = docOf(result.yaml);
  const ops = doc.simulation.job.operators;
  const op = (id: string) => ops.find((o) => o.id === id)!;

  it("chooses the RUNNING job of the overview", () => {
    expect(result.jobId).toBe(SHAPES_JOB);
    expect(result.jobName).toBe("Orders per minute");
  });

  it("keeps the deployment as written and adds the simulation block", () => {
    const original = parseDocument(DEPLOYMENT).toJS() as Record<string, unknown>;
    const { simulation, ...rest } = parseDocument(result.yaml).toJS() as Record<string, unknown>;
    expect(rest).toEqual(original);
    expect(simulation).toBeDefined();
    expect(result.yaml.startsWith("# A user's FlinkDeployment as written")).toBe(true);
  });

  it("splits the chains by ' -> ' into operators joined by FORWARD edges, and follows the plan between vertices", () => {
    expect(ops.map((o) => o.name)).toEqual(["Source: orders", "Parse", "Window(TumblingEventTimeWindows(60000), EventTimeTrigger, CountAggregate)", "Sink: Print to Std. Out"]);
    expect(ops.map((o) => o.kind)).toEqual(["source", undefined, undefined, "sink"]);
    const [src, parse, win, sink] = ops.map((o) => o.id);
    expect(doc.simulation.job.edges).toEqual([
      { from: src, to: parse, shipStrategy: "FORWARD" },
      { from: win, to: sink, shipStrategy: "FORWARD" },
      { from: parse, to: win, shipStrategy: "HASH" },
    ]);
    expect(ops.map((o) => o.parallelism)).toEqual([2, 2, 4, 4]);
    expect(op(src!).vertexId).toBe(SOURCE_VERTEX);
    expect(op(win!).vertexId).toBe(WINDOW_VERTEX);
    expect(op(src!).maxParallelism).toBe(24);
  });

  it("infers each chain's cost per record from busy time over the rate per subtask, all on the chain's head", () => {
    // Source chain: 400 ms/s busy, 1000 records/s emitted by 2 subtasks: 400 / 500 = 0.8 ms.
    expect(ops[0]!.cost).toBe("800µs");
    // Window chain: 450 ms/s busy, 900 records/s read by 4 subtasks: 450 / 225 = 2 ms.
    expect(ops[2]!.cost).toBe("2ms");
    expect(ops[1]!.cost).toBe("0ms");
    expect(ops[3]!.cost).toBe("0ms");
    // The figures it came from, in a comment on the line.
    expect(result.yaml).toMatch(/cost: 800µs # busyTimeMsPerSecond avg 400 \/ \(Source__orders\.numRecordsOutPerSecond 1000 \/ 2 subtasks = 500\/s\)/);
    expect(result.yaml).toMatch(/cost: 2ms # busyTimeMsPerSecond avg 450 \/ \(numRecordsInPerSecond 900 \/ 4 subtasks = 225\/s\)/);
  });

  it("infers selectivities from each operator's records out over in", () => {
    expect(ops[1]!.selectivity).toBe(0.9); // Parse: 900 / 1000
    expect(ops[2]!.selectivity).toBe(0.1); // Window: 90 / 900
    expect(ops[3]!.selectivity).toBeUndefined(); // a sink emits nothing
  });

  it("models the Kafka source from its reader's metrics: topic, partitions, pending records, the rate as load", () => {
    expect(ops[0]!.source).toEqual({ connector: "kafka", topic: "orders", partitions: 6, load: 1000, initialBacklog: 120 });
  });

  it("warns only where something was defaulted or doubtful", () => {
    expect(result.warnings).toEqual([]);
    expect(result.yaml).toMatch(/shipStrategy: HASH # keys: not in the REST API; default 1000 uniform keys/);
  });

  it("writes a scenario that loads and runs as it is", () => {
    const scenario = parseScenario("imported.yaml", result.yaml, { duration: "3min" });
    expect(scenario.job.operators.map((o) => o.cost)).toEqual([
      { kind: "constant", value: 0.8 },
      { kind: "constant", value: 0 },
      { kind: "constant", value: 2 },
      { kind: "constant", value: 0 },
    ]);
    const run = runScenario(scenario, { output: { kind: "none" } });
    expect(run.cluster.graph.vertices.map((v) => [v.id, v.name, v.parallelism])).toEqual([
      [SOURCE_VERTEX, "Source: orders -> Parse", 2],
      [WINDOW_VERTEX, "Window(TumblingEventTimeWindows(60000), EventTimeTrigger, CountAggregate) -> Sink: Print to Std. Out", 4],
    ]);
    // The simulated job carries the imported load: 1000 records/s read, 900/s out of the source chain, over the 3 minutes (less the first seconds).
    const source = run.summary.vertices.find((v) => v.id === SOURCE_VERTEX)!;
    expect(source.records_out / 180).toBeGreaterThan(0.9 * 900);
    expect(source.records_out / 180).toBeLessThan(1.05 * 900);
  });

  it("replaces a deployment's own simulation block, with a warning", async () => {
    const withSim = `${DEPLOYMENT}simulation:\n  job:\n    operators: [{ id: x }]\n`;
    const again = await importRest(folderRestSource(SHAPES), { deploymentText: withSim, deploymentFile: "mine.yaml" });
    expect(again.warnings).toEqual(["mine.yaml: has a simulation: block already; it is replaced by the imported one"]);
    expect(docOf(again.yaml).simulation.job.operators).toHaveLength(4);
  });
});

describe("import where the busy time seen exceeds the TaskManager's CPU", async () => {
  // The same job on TaskManagers of 1 CPU with 2 slots: slot 0 and slot 1 each hold a source
  // subtask (busy 400 ms/s) and a window subtask (450 ms/s), 1.7 s of busy time a second on
  // 1 CPU. At most 1 / 1.7 = 0.588 of it can have been CPU.
  const oneCpu = DEPLOYMENT.replace(/(taskManager:\n\s+resource:\n\s+memory: "2048m"\n\s+)cpu: 2/, "$1cpu: 1");
  const result = await importRest(folderRestSource(SHAPES), { deploymentText: oneCpu, deploymentFile: DEPLOYMENT_FILE });
  const ops = docOf(result.yaml).simulation.job.operators;

  it("writes cpuShare 0.588 on every measured cost, and says why", () => {
    expect(oneCpu).not.toBe(DEPLOYMENT);
    expect(ops.filter((o) => o.cpuShare !== undefined).map((o) => [o.id, o.cpuShare])).toEqual([
      [ops[0]!.id, 0.588],
      [ops[2]!.id, 0.588],
    ]);
    expect(result.warnings).toEqual([expect.stringMatching(/^the busiest TaskManager's subtasks were busy 1\.70 s a second on a 1-CPU limit: .* cpuShare 0\.588 /)]);
  });

  it("so that the simulated job carries the load seen (900/s out of the source chain)", () => {
    const run = runScenario(parseScenario("imported.yaml", result.yaml, { duration: "3min" }), { output: { kind: "none" } });
    const source = run.summary.vertices.find((v) => v.id === SOURCE_VERTEX)!;
    expect(source.records_out / 180).toBeGreaterThan(0.9 * 900);
  });
});

describe("import of recorded responses of a real JobManager (car-top-speed, from springline-rs)", async () => {
  const JOB = "a97b6344d775aafe03e55a8e812d2713";
  const result = await importRest(folderRestSource(CAR), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE, jobId: JOB });
  const doc = docOf(result.yaml);
  const ops = doc.simulation.job.operators;

  it("reads the real plan: HTML-escaped descriptions, HASH edge, chains", () => {
    expect(ops.map((o) => o.name)).toEqual([
      "Source: Custom Source",
      "Timestamps/Watermarks",
      "Window(GlobalWindows(), DeltaTrigger, TimeEvictor, ComparableAggregator, PassThroughWindowFunction)",
      "Sink: Print to Std. Out",
    ]);
    expect(doc.simulation.job.edges.map((e) => e.shipStrategy)).toEqual(["FORWARD", "FORWARD", "HASH"]);
    expect(ops.map((o) => o.maxParallelism)).toEqual([128, undefined, 128, undefined]);
  });

  it("takes the rate from the only aggregate recorded (max, one subtask) and says what it could not infer", () => {
    expect(ops[0]!.source).toEqual({ connector: "datastream-datagen", rowsPerSecond: 20 });
    expect(ops[0]!.cost).toBe("0ms");
    expect(result.warnings).toEqual([
      // now 1639156816391 - RUNNING 1639156794159 = 22.2 s: the recording was taken 22 s after the job started.
      `${CAR}/jobs/${JOB}.json: the job has been RUNNING for 22 s only: Flink's per-second rates average the last 60 s and under-read until then; dump again later`,
      `${CAR}/jobs/${JOB}/config.json: missing; the job's default parallelism is not checked against the deployment`,
      "vertex 'Source: Custom Source -> Timestamps/Watermarks' (cbc357ccb763df2852fee8c4fc7d55f2): cost not inferable (no busyTimeMsPerSecond); default 0 used",
      "vertex 'Source: Custom Source -> Timestamps/Watermarks' (cbc357ccb763df2852fee8c4fc7d55f2): selectivity not inferable (no records in); default 1 used for 'Timestamps/Watermarks'",
      "vertex 'Source: Custom Source -> Timestamps/Watermarks' (cbc357ccb763df2852fee8c4fc7d55f2): connector not recognised (no Kafka reader metrics); modelled as datastream-datagen (a FLIP-27 source) at its observed rate",
      "vertex 'Window(GlobalWindows(), DeltaTrigger, TimeEvictor, ComparableAggregator, PassThroughWindowFunction) -> Sink: Print to Std. Out' (90bea66de1c231edf33913ecd54406c1): cost not inferable (no busyTimeMsPerSecond); default 0 used",
      "vertex 'Window(GlobalWindows(), DeltaTrigger, TimeEvictor, ComparableAggregator, PassThroughWindowFunction) -> Sink: Print to Std. Out' (90bea66de1c231edf33913ecd54406c1): selectivity not inferable (no records in); default 1 used for 'Window(GlobalWindows(), DeltaTrigger, TimeEvictor, ComparableAggregator, PassThroughWindowFunction)'",
    ]);
    // ...and marks the defaults in the file.
    expect(result.yaml).toMatch(/cost: 0ms # default 0: no busyTimeMsPerSecond/);
    expect(result.yaml).toMatch(/selectivity: 1 # default 1: no records in to compare/);
  });

  it("writes a scenario that loads and runs as it is", () => {
    const scenario = parseScenario("imported.yaml", result.yaml, { duration: "2min" });
    const run = runScenario(scenario, { output: { kind: "none" } });
    expect(run.cluster.graph.vertices.map((v) => v.id)).toEqual(["cbc357ccb763df2852fee8c4fc7d55f2", "90bea66de1c231edf33913ecd54406c1"]);
  });
});

describe("import of two-input, join, broadcast and async vertices (flink-1.18-joins, values chosen by hand)", async () => {
  const result = await importRest(folderRestSource(JOINS), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
  const doc = docOf(result.yaml);
  const ops = doc.simulation.job.operators;
  const op = (id: string) => {
    const found = ops.find((o) => o.id === id);
    if (found === undefined) throw new Error(`no operator ${id} in ${ops.map((o) => o.id).join(", ")}`);
    return found;
  };
  const edgesInto = (id: string) => doc.simulation.job.edges.filter((e) => e.to === id);

  it("writes an interval join with the same cost on both inputs and bounds fitted to the pairs seen", () => {
    const j = op("interval-join");
    // 225 ms/s busy over 1800 records/s read by 4 subtasks: 225 / 450 = 0.5 ms, on each input alike.
    expect(j.cost).toBe("500µs");
    expect(j.inputs).toEqual({ "source-orders": { cost: "500µs" }, "source-payments": { cost: "500µs" } });
    // out = r1 r2 width / K: 200 = 1000 x 800 x width / 1000 keys, width = 0.25 s, centred on 0.
    expect(j.join).toEqual({ type: "interval", lower: "-125ms", upper: "125ms" });
    expect(j.selectivity).toBeUndefined();
    // Input 1 is the plan's first input (the interval's bounds are relative to it).
    expect(edgesInto("interval-join")).toEqual([
      { from: "source-orders", to: "interval-join", shipStrategy: "HASH" },
      { from: "source-payments", to: "interval-join", shipStrategy: "HASH" },
    ]);
    expect(result.yaml).toMatch(/# two inputs: source-orders 1000 records\/s \('Source: orders' writes 1000\/s\), source-payments 800 records\/s/);
    expect(result.yaml).toMatch(/cost: 500µs # default: the same cost per record on both inputs \(Flink reports one busy time per task, not per input\)/);
  });

  it("writes a broadcast co-process with its inputs, counting the broadcast input once per subtask", () => {
    const c = op("co-process-broadcast");
    // 153 ms/s over 204 records/s by 2 subtasks (200 from the join + 2 rules x 2 subtasks): 153 / 102 = 1.5 ms.
    expect(c.cost).toBe("1500µs");
    expect(c.selectivity).toBe(0.9804); // 200 / 204
    expect(c.inputs).toEqual({ "interval-join": { cost: "1500µs", selectivity: 0.9804 }, "source-rules": { cost: "1500µs", selectivity: 0.9804 } });
    expect(edgesInto("co-process-broadcast")).toEqual([
      { from: "interval-join", to: "co-process-broadcast", shipStrategy: "REBALANCE" },
      { from: "source-rules", to: "co-process-broadcast", shipStrategy: "BROADCAST" },
    ]);
    expect(result.yaml).toMatch(/source-rules 4 records\/s \('Source: rules' writes 2\/s, BROADCAST to 2 subtasks\)/);
    expect(result.yaml).toMatch(/shipStrategy: BROADCAST # every record to each of the 2 subtasks of .*: 2\/s written, 4\/s read/);
  });

  it("writes the async operator with the default capacity and half the latency its rate allows, and unchains what follows it", () => {
    // 200 records/s over 2 subtasks = 100/s each; Little's law: latency <= 100 places / 100/s = 1 s; the queue was not full: half.
    expect(op("async-wait-operator").async).toEqual({ capacity: 100, latency: "500ms" });
    expect(op("sink-enriched").chaining).toBe(false);
    expect(result.yaml).toMatch(/capacity: 100 # default: AsyncDataStream's 100; the capacity is not in the REST API/);
    expect(result.warnings).toContain(
      `vertex 'Co-Process-Broadcast -> async wait operator -> Sink: enriched' (${ASYNC_VERTEX}): 'async wait operator' is an async operator: capacity 100 (AsyncDataStream's default), latency 500ms a default under the rate's bound, ordered, no timeout (none of them in the REST API); edit them`,
    );
  });

  it("writes a window join (a union into a CoGroupWindowFunction window) with its size from the plan and keys fitted to the pairs seen", () => {
    const w = op("tumblingeventtimewindows");
    expect(w.join).toEqual({ type: "window", size: "10s" });
    expect(w.inputs).toEqual({ map: { cost: "500µs" }, "map-2": { cost: "500µs" } }); // 250 / (1000 / 2)
    // out = r1 r2 W / K: K = 600 x 400 x 10 / 480 = 5000, on both keyed inputs.
    expect(edgesInto("tumblingeventtimewindows")).toEqual([
      { from: "map", to: "tumblingeventtimewindows", shipStrategy: "HASH", keys: { count: 5000 } },
      { from: "map-2", to: "tumblingeventtimewindows", shipStrategy: "HASH", keys: { count: 5000 } },
    ]);
    expect(result.warnings.some((w) => /a window join or coGroup \(CoGroupWindowFunction serves both in Flink 1\.18\.1\)/.test(w))).toBe(true);
  });

  it("writes a scenario that loads and runs, reading the rates seen", () => {
    const scenario = parseScenario("imported.yaml", result.yaml, { duration: "2min" });
    expect(scenario.job.operators.find((o) => o.id === "interval-join")?.join).toEqual({ type: "interval", lowerMs: -125, upperMs: 125 });
    const run = runScenario(scenario, { output: { kind: "none" } });
    // The sink after the async operator is a vertex of its own: 8 vertices in Flink, 9 here.
    expect(run.cluster.graph.vertices).toHaveLength(9);
    const joinVertex = run.summary.vertices.find((v) => v.id === "a1b2c3d4e5f60718293a4b5c6d7e8f03")!;
    expect(joinVertex.records_in / 120).toBeGreaterThan(0.9 * 1800);
    expect(joinVertex.records_in / 120).toBeLessThan(1.05 * 1800);
  });

  it("takes the latency from a full queue, and no cost from its busy time, when the async operator heads a busy vertex", async () => {
    const dir = copyOf(JOINS);
    const detailsFile = join(dir, "jobs", `${JOINS_JOB}.json`);
    const details = JSON.parse(readFileSync(detailsFile, "utf8")) as { vertices: { id: string; name: string }[]; plan: { nodes: { id: string; description: string; inputs?: unknown[] }[] } };
    // The co-process and the async operator apart: "async wait operator -> Sink: enriched" reading the join alone.
    details.vertices.find((v) => v.id === ASYNC_VERTEX)!.name = "async wait operator -> Sink: enriched";
    const node = details.plan.nodes.find((n) => n.id === ASYNC_VERTEX)!;
    node.description = "async wait operator<br/>+- Sink: enriched<br/>";
    node.inputs = node.inputs!.slice(0, 1);
    writeFileSync(detailsFile, JSON.stringify(details));
    const metricsFile = join(dir, "jobs", JOINS_JOB, "vertices", ASYNC_VERTEX, "subtasks", "metrics.json");
    writeFileSync(metricsFile, JSON.stringify([
      { id: "busyTimeMsPerSecond", avg: 995, sum: 1990 },
      { id: "numRecordsInPerSecond", avg: 100, sum: 200 },
      { id: "numRecordsOutPerSecond", avg: 0, sum: 0 },
      { id: "async_wait_operator.numRecordsInPerSecond", avg: 100, sum: 200 },
      { id: "async_wait_operator.numRecordsOutPerSecond", avg: 100, sum: 200 },
    ]));
    const again = await importRest(folderRestSource(dir), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const a = docOf(again.yaml).simulation.job.operators.find((o) => o.id === "async-wait-operator")!;
    // Busy 995 ms/s: the queue full, every place taken: latency = 100 places / 100 records/s per subtask = 1 s.
    expect(a.async).toEqual({ capacity: 100, latency: "1000ms" });
    expect(a.cost).toBe("0ms");
    expect(again.yaml).toMatch(/cost: 0ms # default 0: busy 995 ms\/s is the wait for a place in the full async queue, not the requests' CPU/);
  });
});

describe("what the importer reads in names, plans and rates (importedOperators.ts)", () => {
  it("recognises Flink 1.18.1's operator names and window descriptions", () => {
    expect(isAsyncOperator("async wait operator")).toBe(true);
    expect(isAsyncOperator("Map")).toBe(false);
    expect(joinKindOf("Interval Join", undefined)).toEqual({ type: "interval" });
    expect(joinKindOf("TumblingProcessingTimeWindows", "Window(TumblingProcessingTimeWindows(5000), ProcessingTimeTrigger, CoGroupWindowFunction)")).toEqual({ type: "window", sizeMs: 5000, assigner: "TumblingProcessingTimeWindows", eventTime: false });
    // Before 1.15 the name was the description.
    expect(joinKindOf("Window(TumblingEventTimeWindows(60000), EventTimeTrigger, CoGroupWindowFunction)", undefined)).toEqual({ type: "window", sizeMs: 60000, assigner: "TumblingEventTimeWindows", eventTime: true });
    expect(joinKindOf("SlidingEventTimeWindows", "Window(SlidingEventTimeWindows(10000, 5000), EventTimeTrigger, CoGroupWindowFunction)")).toEqual({ type: "unmodelled-window", assigner: "SlidingEventTimeWindows" });
    // A window aggregate or a co-process is no join.
    expect(joinKindOf("TumblingEventTimeWindows", "Window(TumblingEventTimeWindows(60000), EventTimeTrigger, CountAggregate)")).toBeUndefined();
    expect(joinKindOf("Co-Process-Broadcast", "Co-Process-Broadcast")).toBeUndefined();
    expect(headDescriptionOf("Window(TumblingEventTimeWindows(10000), EventTimeTrigger, CoGroupWindowFunction)\n+- Sink: matches\n")).toBe("Window(TumblingEventTimeWindows(10000), EventTimeTrigger, CoGroupWindowFunction)");
    expect(headDescriptionOf("Source: a -> Map")).toBe("Source: a");
  });

  it("works out each input's records as the autoscaler's computeEdgeDataRate does", () => {
    // Both upstreams feed only this vertex: their records out; a broadcast one times the 3 subtasks.
    expect(inputRates([{ upstreamOut: 100, consumers: 1, broadcast: false, name: "a" }, { upstreamOut: 5, consumers: 1, broadcast: true, name: "b" }], 115, 3).map((r) => r.read)).toEqual([100, 15]);
    // An upstream with two consumers: the vertex's records in less the other input's.
    expect(inputRates([{ upstreamOut: 100, consumers: 2, broadcast: false, name: "a" }, { upstreamOut: 30, consumers: 1, broadcast: false, name: "b" }], 80, 2).map((r) => r.read)).toEqual([50, 30]);
    expect(inputRates([{ upstreamOut: undefined, consumers: 1, broadcast: false, name: "a" }, { upstreamOut: undefined, consumers: 1, broadcast: false, name: "b" }], 80, 2).map((r) => r.read)).toEqual([undefined, undefined]);
  });
});

describe("bad input: one line saying what and where", () => {
  const importFolder = (dir: string, jobId?: string) => importRest(folderRestSource(dir), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE, jobId });
  const detailsFile = (dir: string) => join(dir, "jobs", `${SHAPES_JOB}.json`);

  async function failure(p: Promise<unknown>): Promise<RestImportError> {
    try {
      await p;
    } catch (e) {
      if (e instanceof RestImportError) {
        expect(e.message).not.toContain("\n");
        return e;
      }
      throw e;
    }
    throw new Error("expected a RestImportError");
  }

  it("a truncated file", async () => {
    const dir = copyOf(SHAPES);
    const text = readFileSync(detailsFile(dir), "utf8");
    writeFileSync(detailsFile(dir), text.slice(0, 500));
    const e = await failure(importFolder(dir));
    expect(e.kind).toBe("malformed");
    expect(e.message).toBe(`${detailsFile(dir)}: is truncated: the JSON ends early (500 characters)`);
  });

  it("foreign JSON: another API's answer where job details belong", async () => {
    const dir = copyOf(SHAPES);
    writeFileSync(detailsFile(dir), JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }));
    const e = await failure(importFolder(dir));
    expect(e.kind).toBe("foreign");
    expect(e.message).toBe(`${detailsFile(dir)}: is not Flink job details (expected 'jid' and a 'vertices' list, as GET /jobs/<jobid> answers)`);
  });

  it("an HTML page where JSON belongs", async () => {
    const dir = copyOf(SHAPES);
    writeFileSync(join(dir, "overview.json"), "<!DOCTYPE html>\n<html><body>Sign in</body></html>\n");
    const e = await failure(importFolder(dir));
    expect(e.message).toMatch(new RegExp(`^${join(dir, "overview.json")}: is not JSON: .*\\(an HTML page: a proxy or login page instead of Flink's REST API\\?\\)$`));
  });

  it("a dump without a plan", async () => {
    const dir = copyOf(SHAPES);
    const details = JSON.parse(readFileSync(detailsFile(dir), "utf8")) as Record<string, unknown>;
    delete details["plan"];
    writeFileSync(detailsFile(dir), JSON.stringify(details));
    const e = await failure(importFolder(dir));
    expect(e.kind).toBe("foreign");
    expect(e.message).toMatch(new RegExp(`^${detailsFile(dir)}: job details without a plan: the topology cannot be read`));
  });

  it("a missing file", async () => {
    const dir = copyOf(SHAPES);
    const metrics = join(dir, "jobs", SHAPES_JOB, "vertices", WINDOW_VERTEX, "subtasks", "metrics.json");
    rmSync(metrics);
    const e = await failure(importFolder(dir));
    expect(e.kind).toBe("missing");
    expect(e.message).toBe(`${metrics}: no such file: the dump lacks GET /jobs/${SHAPES_JOB}/vertices/${WINDOW_VERTEX}/subtasks/metrics`);
  });

  it("a metric value that is no number", async () => {
    const dir = copyOf(SHAPES);
    const metrics = join(dir, "jobs", SHAPES_JOB, "vertices", WINDOW_VERTEX, "subtasks", "metrics.json");
    writeFileSync(metrics, JSON.stringify([{ id: "busyTimeMsPerSecond", avg: "fast" }]));
    const e = await failure(importFolder(dir));
    expect(e.message).toBe(`${metrics}: metric 'busyTimeMsPerSecond' has a avg that is no number: "fast"`);
  });

  it("no folder, or a file instead of one", async () => {
    expect(() => folderRestSource("no/such/dump")).toThrow("no/such/dump: no such folder (expected a dump saved by scripts/flink-rest-dump.sh, or a JobManager URL http://host:8081)");
    expect(() => folderRestSource(DEPLOYMENT_FILE)).toThrow(`${DEPLOYMENT_FILE}: is a file, not a dump folder`);
  });

  it("no RUNNING job, several, or a --job that is no JobID", async () => {
    const dir = copyOf(SHAPES);
    const overview = join(dir, "overview.json");
    const body = JSON.parse(readFileSync(overview, "utf8")) as { jobs: { jid: string; state: string; name: string }[] };
    writeFileSync(overview, JSON.stringify({ jobs: body.jobs.map((j) => ({ ...j, state: "CANCELED" })) }));
    expect((await failure(importFolder(dir))).message).toBe(
      `${overview}: no RUNNING job (jobs: ${SHAPES_JOB} CANCELED, e1d2c3b4a5968778695a4b3c2d1e0f9a CANCELED); a stopped job's rates are no load`,
    );
    writeFileSync(overview, JSON.stringify({ jobs: body.jobs.map((j) => ({ ...j, state: "RUNNING" })) }));
    expect((await failure(importFolder(dir))).message).toBe(
      `${overview}: 2 jobs are RUNNING (${SHAPES_JOB} 'Orders per minute', e1d2c3b4a5968778695a4b3c2d1e0f9a 'Orders per minute'); choose one with --job`,
    );
    expect((await failure(importFolder(dir, "orders"))).message).toBe("--job: 'orders' is not a Flink JobID (32 hex digits)");
    // With --job, the overview is not needed.
    rmSync(overview);
    expect((await importFolder(dir, SHAPES_JOB)).jobId).toBe(SHAPES_JOB);
  });

  it("a --job the dump does not hold", async () => {
    const e = await failure(importFolder(SHAPES, "ffffffffffffffffffffffffffffffff"));
    expect(e.message).toBe(`${join(SHAPES, "jobs", "ffffffffffffffffffffffffffffffff.json")}: no such file: the dump lacks GET /jobs/ffffffffffffffffffffffffffffffff`);
  });

  it("a deployment that is no FlinkDeployment", async () => {
    const source = folderRestSource(SHAPES);
    const bad = (text: string) => failure(importRest(source, { deploymentText: text, deploymentFile: "dep.yaml" }));
    expect((await bad("kind: Deployment\n")).message).toBe('dep.yaml: kind: expected FlinkDeployment, got "Deployment"');
    expect((await bad("- a\n- b\n")).message).toBe("dep.yaml: is not a YAML mapping; expected a FlinkDeployment");
    expect((await bad("a: [\n")).message).toMatch(/^dep\.yaml: is not valid YAML \(line \d+, column \d+\): /);
  });
});

describe("an in-memory RestSource (what the browser or a test would pass)", () => {
  it("reads the same answers as the folder and gives the same scenario", async () => {
    const files = new Map<string, string>();
    const walk = (dir: string, prefix: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
        else files.set(`${prefix}${name}`, readFileSync(path, "utf8"));
      }
    };
    walk(SHAPES, "");
    const requested: string[] = [];
    const memory: RestSource = {
      origin: SHAPES,
      locate: (path) => join(SHAPES, dumpFileOf(path)),
      get: (path) => {
        requested.push(path);
        const text = files.get(dumpFileOf(path));
        if (text === undefined) return Promise.reject(new RestImportError(path, "missing", "missing"));
        return Promise.resolve(JSON.parse(text) as unknown);
      },
    };
    const fromMemory = await importRest(memory, { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const fromFolder = await importRest(folderRestSource(SHAPES), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    expect(fromMemory.yaml).toBe(fromFolder.yaml);
    expect(requested[0]).toBe("/jobs/overview");
    expect(requested).toContain(`/jobs/${SHAPES_JOB}`);
    expect(requested).toContain(`/jobs/${SHAPES_JOB}/config`);
    expect(requested).toContain("/taskmanagers");
  });
});

describe("src/ingest is isomorphic", () => {
  it("imports no node: module", () => {
    for (const name of readdirSync("src/ingest")) {
      const text = readFileSync(join("src/ingest", name), "utf8");
      expect(text, name).not.toMatch(/from\s+"node:/);
    }
  });
});
