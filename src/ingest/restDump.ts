import { readTaskManagerCpu } from "../scenario/taskManagerCpu.ts";
import { isMap, isScalar, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from "yaml";
import { operatorMetricName } from "../flink/metrics/names.ts";
import { SHIP_STRATEGIES, type ShipStrategy } from "../flink/partitioners.ts";
import { scenarioSchema } from "../scenario/schema.ts";
import { RestImportError } from "./RestImportError.ts";
import {
  ASYNC_DEFAULT_CAPACITY,
  asyncLatencyBoundMs,
  headDescriptionOf,
  IMPORT_DEFAULT_KEYS,
  inputRates,
  intervalWidthMs,
  isAsyncOperator,
  joinKindOf,
  windowJoinKeys,
} from "./importedOperators.ts";

/**
 * A running Flink job's REST API in, a scenario out (issue 24, `import`).
 *
 * The input is what a JobManager answers (a live one over HTTP, or a folder saved by
 * scripts/flink-rest-dump.sh, or the simulator's own REST view): the job overview, the job
 * details with the plan, the job config, each vertex's details and its aggregated subtask
 * metrics, the TaskManagers. The output is the user's FlinkDeployment with a generated
 * `simulation:` block: the topology from the plan (ship strategies, operator chains from
 * the vertex names `A -> B`), each chain's cost per record from its busy time and its
 * rate per subtask, selectivities from out/in, the sources' rates as a load, Kafka
 * partitions where the metric names show them. What cannot be inferred is a warning and a
 * comment naming the default used. Isomorphic: no node: imports (the readers are in src/node/).
 */

/** Where the REST answers come from: a dump folder, a live JobManager, the simulator. */
export interface RestSource {
  /**
   * GETs a REST path ("/jobs/overview", "/jobs/<jid>", ".../subtasks/metrics?get=a,b") and
   * returns the parsed JSON; fails with a RestImportError (missing, malformed, unreachable).
   */
  get(path: string): Promise<unknown>;
  /** Where a path is read from, for messages: the dump's file or the URL. */
  locate(path: string): string;
  /** The dump folder or the JobManager's URL, for the scenario's header comment. */
  readonly origin?: string;
}

export const JOB_OVERVIEW_PATH = "/jobs/overview";
export const TASKMANAGERS_PATH = "/taskmanagers";
export const jobDetailsPath = (jobId: string): string => `/jobs/${jobId}`;
export const jobConfigPath = (jobId: string): string => `/jobs/${jobId}/config`;
export const vertexDetailsPath = (jobId: string, vertexId: string): string => `/jobs/${jobId}/vertices/${vertexId}`;
/** Without names: the list of metric names; with names: their min, max, avg and sum over the subtasks. */
export function subtaskMetricsPath(jobId: string, vertexId: string, names?: readonly string[]): string {
  const path = `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics`;
  return names === undefined ? path : `${path}?get=${names.map(encodeURIComponent).join(",")}`;
}

/**
 * Splits metric names into requests whose `get=` query stays under `maxQueryChars`:
 * Flink's REST server (netty's HttpServerCodec with its defaults, RestServerEndpoint in
 * 1.18.1) refuses a request line over 4096 bytes, which a Kafka source with a hundred
 * partitions' offsets would pass.
 */
export function metricBatches(names: readonly string[], maxQueryChars = 3000): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let length = 0;
  for (const name of names) {
    const add = encodeURIComponent(name).length + 1;
    if (batch.length > 0 && length + add > maxQueryChars) {
      batches.push(batch);
      batch = [];
      length = 0;
    }
    batch.push(name);
    length += add;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * The file of a dump folder that holds a GET's answer: the URL path with `.json` appended
 * and the query string dropped; /jobs/overview is saved as `overview.json`.
 */
export function dumpFileOf(path: string): string {
  const bare = path.split("?")[0]!.replace(/^\/+/, "").replace(/\/+$/, "");
  return bare === "jobs/overview" ? "overview.json" : `${bare}.json`;
}

/** The task-level metrics the import reads, beside operator rates, pendingRecords and Kafka offsets. */
export const TASK_METRICS = [
  "numRecordsInPerSecond",
  "numRecordsOutPerSecond",
  "busyTimeMsPerSecond",
  "backPressuredTimeMsPerSecond",
  "idleTimeMsPerSecond",
] as const;

const KAFKA_PARTITION = /\.KafkaSourceReader\.topic\.(.+)\.partition\.(\d+)\.currentOffset$/;

/** The subtask metrics a dump keeps and the import asks for (the rest of a vertex's hundreds of names are left out). */
export function isImportedMetric(name: string): boolean {
  return (
    (TASK_METRICS as readonly string[]).includes(name) ||
    name.endsWith(".numRecordsInPerSecond") ||
    name.endsWith(".numRecordsOutPerSecond") ||
    name.endsWith(".pendingRecords") ||
    KAFKA_PARTITION.test(name)
  );
}

// ---------------------------------------------------------------------------------------
// Reading the responses: every shape is checked, and a wrong one is a one-line error.

type Json = Record<string, unknown>;

function isRecord(x: unknown): x is Json {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A number as Flink's Jackson writes it: a number, or "NaN"/"Infinity" as strings (null read as NaN). */
function metricNumber(x: unknown): number | undefined {
  if (typeof x === "number") return x;
  if (x === null) return NaN;
  if (x === "NaN") return NaN;
  if (x === "Infinity") return Infinity;
  if (x === "-Infinity") return -Infinity;
  if (typeof x === "string" && x.trim() !== "" && !Number.isNaN(Number(x))) return Number(x);
  return undefined;
}

/** One entry of the aggregated subtask metrics (AggregatedMetric: id, min, max, avg, sum; each optional). */
export interface AggregatedValue {
  readonly id: string;
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly sum?: number;
}

export interface PlanInput {
  readonly id: string;
  readonly shipStrategy: string;
}

export interface VertexSnapshot {
  readonly id: string;
  /** The job vertex's name: the chained operators' names joined by " -> ". */
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly status: string;
  readonly inputs: readonly PlanInput[];
  readonly metrics: ReadonlyMap<string, AggregatedValue>;
  /** Subtask states from the vertex details, when the dump has them. */
  readonly subtaskStatus: readonly string[] | undefined;
  /** The plan's description of the vertex (HTML unescaped): its operators' descriptions, e.g. Window(...) with its size. */
  readonly description?: string | undefined;
}

/** Everything the import reads, fetched and checked (see fetchRestSnapshot). */
export interface RestSnapshot {
  readonly jobId: string;
  readonly jobName: string;
  readonly state: string;
  /** Epoch ms of the job details' `now`. */
  readonly nowMs: number | undefined;
  readonly jobParallelism: number | undefined;
  readonly vertices: readonly VertexSnapshot[];
  /** Slots per TaskManager as listed by /taskmanagers. */
  readonly slotsPerTaskManager: readonly number[] | undefined;
  /** A name for the source in comments: the dump folder or the URL. */
  readonly origin: string;
  readonly warnings: readonly string[];
}

function foreign(where: string, what: string): RestImportError {
  return new RestImportError(where, what, "foreign");
}

async function optional(source: RestSource, path: string): Promise<unknown> {
  try {
    return await source.get(path);
  } catch (e) {
    if (e instanceof RestImportError && e.kind === "missing") return undefined;
    throw e;
  }
}

/** Picks the job: the one given, else the only RUNNING job of /jobs/overview. */
async function chooseJob(source: RestSource, jobId: string | undefined): Promise<string> {
  if (jobId !== undefined) {
    if (!/^[0-9a-f]{32}$/.test(jobId)) throw new RestImportError("--job", `'${jobId}' is not a Flink JobID (32 hex digits)`, "invalid");
    return jobId;
  }
  const where = source.locate(JOB_OVERVIEW_PATH);
  const overview = await source.get(JOB_OVERVIEW_PATH);
  if (!isRecord(overview) || !Array.isArray(overview["jobs"])) throw foreign(where, "is not a Flink job overview (no 'jobs' list)");
  const jobs = overview["jobs"].filter(isRecord);
  const running = jobs.filter((j) => j["state"] === "RUNNING" && typeof j["jid"] === "string");
  if (running.length === 1) return running[0]!["jid"] as string;
  if (running.length === 0) {
    const seen = jobs.map((j) => `${String(j["jid"])} ${String(j["state"])}`).join(", ");
    throw new RestImportError(where, `no RUNNING job${seen === "" ? "" : ` (jobs: ${seen})`}; a stopped job's rates are no load`, "invalid");
  }
  throw new RestImportError(where, `${running.length} jobs are RUNNING (${running.map((j) => `${String(j["jid"])} '${String(j["name"])}'`).join(", ")}); choose one with --job`, "invalid");
}

function parseMetrics(where: string, body: unknown): Map<string, AggregatedValue> {
  if (!Array.isArray(body)) throw foreign(where, "is not a list of aggregated subtask metrics (expected [{\"id\": ..., \"avg\": ...}])");
  const out = new Map<string, AggregatedValue>();
  for (const [i, entry] of body.entries()) {
    if (!isRecord(entry) || typeof entry["id"] !== "string") throw foreign(where, `entry ${i} has no metric 'id'`);
    const value: { id: string; min?: number; max?: number; avg?: number; sum?: number } = { id: entry["id"] };
    for (const agg of ["min", "max", "avg", "sum"] as const) {
      if (!(agg in entry)) continue;
      const n = metricNumber(entry[agg]);
      if (n === undefined) throw foreign(where, `metric '${entry["id"]}' has a ${agg} that is no number: ${JSON.stringify(entry[agg])}`);
      value[agg] = n;
    }
    out.set(value.id, value);
  }
  return out;
}

/** "&gt;" and friends, as JsonPlanGenerator escapes the plan's descriptions (StringEscapeUtils.escapeHtml4). */
function unescapeHtml(s: string): string {
  return s
    .replace(/<br\/>/g, "\n")
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/&quot;/g, '"')
    .replace(/&#92;/g, "\\")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Fetches and checks everything the import reads. */
export async function fetchRestSnapshot(source: RestSource, options: { readonly jobId?: string | undefined; readonly origin?: string } = {}): Promise<RestSnapshot> {
  const warnings: string[] = [];
  const jobId = await chooseJob(source, options.jobId);
  const detailsPath = jobDetailsPath(jobId);
  const where = source.locate(detailsPath);
  const details = await source.get(detailsPath);
  if (!isRecord(details) || typeof details["jid"] !== "string" || !Array.isArray(details["vertices"])) {
    throw foreign(where, "is not Flink job details (expected 'jid' and a 'vertices' list, as GET /jobs/<jobid> answers)");
  }
  if (details["jid"] !== jobId) throw foreign(where, `holds job ${details["jid"]}, not ${jobId}`);
  const plan = details["plan"];
  if (!isRecord(plan) || !Array.isArray(plan["nodes"])) {
    throw foreign(where, "job details without a plan: the topology cannot be read (Flink 1.x serves 'plan' in GET /jobs/<jobid>; dump it again, or add jobs/<jobid>/plan)");
  }
  const state = typeof details["state"] === "string" ? details["state"] : "UNKNOWN";
  if (state !== "RUNNING") warnings.push(`${where}: the job is ${state}, not RUNNING: its rates may not show its load`);
  const now = typeof details["now"] === "number" ? details["now"] : undefined;
  const timestamps = details["timestamps"];
  const runningSince = isRecord(timestamps) && typeof timestamps["RUNNING"] === "number" ? timestamps["RUNNING"] : undefined;
  if (now !== undefined && runningSince !== undefined && runningSince > 0 && now - runningSince < 60_000) {
    warnings.push(`${where}: the job has been RUNNING for ${Math.round((now - runningSince) / 1000)} s only: Flink's per-second rates average the last 60 s and under-read until then; dump again later`);
  }
  const nodes = new Map<string, Json>();
  for (const n of plan["nodes"]) if (isRecord(n) && typeof n["id"] === "string") nodes.set(n["id"], n);

  const vertices: VertexSnapshot[] = [];
  for (const [i, v] of details["vertices"].entries()) {
    if (!isRecord(v) || typeof v["id"] !== "string") throw foreign(where, `vertices[${i}] has no 'id'`);
    const id = v["id"];
    const node = nodes.get(id);
    if (node === undefined) throw foreign(where, `vertex ${id} is not in the plan`);
    const name = typeof v["name"] === "string" ? v["name"] : typeof node["description"] === "string" ? unescapeHtml(node["description"]) : id;
    const parallelism = typeof v["parallelism"] === "number" ? v["parallelism"] : typeof node["parallelism"] === "number" ? node["parallelism"] : NaN;
    if (!(Number.isInteger(parallelism) && parallelism > 0)) throw foreign(where, `vertex ${id} has no parallelism`);
    const maxParallelism = typeof v["maxParallelism"] === "number" ? v["maxParallelism"] : -1;
    const inputs: PlanInput[] = [];
    if (Array.isArray(node["inputs"])) {
      for (const input of node["inputs"]) {
        if (!isRecord(input) || typeof input["id"] !== "string") throw foreign(where, `the plan's vertex ${id} has an input without 'id'`);
        inputs.push({ id: input["id"], shipStrategy: typeof input["ship_strategy"] === "string" ? input["ship_strategy"] : "UNKNOWN" });
      }
    }
    const metricsPath = subtaskMetricsPath(jobId, id);
    const namesBody = await source.get(metricsPath);
    const listed = parseMetrics(source.locate(metricsPath), namesBody);
    const wanted = [...listed.keys()].filter(isImportedMetric);
    // A dump holds the values already (its file serves both GETs); a live JobManager lists names first.
    const hasValues = [...listed.values()].some((m) => m.avg !== undefined || m.sum !== undefined || m.max !== undefined);
    let metrics = listed;
    if (!hasValues && wanted.length > 0) {
      metrics = new Map();
      for (const batch of metricBatches(wanted)) {
        for (const [name, value] of parseMetrics(source.locate(metricsPath), await source.get(subtaskMetricsPath(jobId, id, batch)))) metrics.set(name, value);
      }
    }
    const vertexBody = await optional(source, vertexDetailsPath(jobId, id));
    let subtaskStatus: string[] | undefined;
    if (isRecord(vertexBody) && Array.isArray(vertexBody["subtasks"])) {
      subtaskStatus = vertexBody["subtasks"].filter(isRecord).map((s) => (typeof s["status"] === "string" ? s["status"] : "UNKNOWN"));
    }
    const description = typeof node["description"] === "string" ? unescapeHtml(node["description"]) : undefined;
    vertices.push({ id, name, parallelism, maxParallelism, status: typeof v["status"] === "string" ? v["status"] : "UNKNOWN", inputs, metrics, subtaskStatus, description });
  }
  const known = new Set(vertices.map((v) => v.id));
  for (const v of vertices) for (const input of v.inputs) if (!known.has(input.id)) throw foreign(where, `the plan's vertex ${v.id} reads from ${input.id}, which is not a vertex of the job`);

  const config = await optional(source, jobConfigPath(jobId));
  let jobParallelism: number | undefined;
  if (config === undefined) warnings.push(`${source.locate(jobConfigPath(jobId))}: missing; the job's default parallelism is not checked against the deployment`);
  else if (isRecord(config) && isRecord(config["execution-config"])) {
    const p = config["execution-config"]["job-parallelism"];
    if (typeof p === "number" && p > 0) jobParallelism = p;
  }
  const tms = await optional(source, TASKMANAGERS_PATH);
  let slotsPerTaskManager: number[] | undefined;
  if (isRecord(tms) && Array.isArray(tms["taskmanagers"])) {
    slotsPerTaskManager = tms["taskmanagers"].filter(isRecord).flatMap((t) => (typeof t["slotsNumber"] === "number" ? [t["slotsNumber"]] : []));
  }
  return {
    jobId,
    jobName: typeof details["name"] === "string" ? details["name"] : jobId,
    state,
    nowMs: now,
    jobParallelism,
    vertices,
    slotsPerTaskManager,
    origin: options.origin ?? source.origin ?? "a Flink REST API",
    warnings,
  };
}

// ---------------------------------------------------------------------------------------
// Inference: from the snapshot to the simulation block.

/** Total over subtasks: the sum, else avg (or max) times the parallelism. */
function total(m: AggregatedValue | undefined, p: number): number | undefined {
  if (m === undefined) return undefined;
  if (m.sum !== undefined) return m.sum;
  if (m.avg !== undefined) return m.avg * p;
  if (m.max !== undefined) return m.max * p;
  return undefined;
}

/** Mean over subtasks: avg, else sum / p, else max. */
function mean(m: AggregatedValue | undefined, p: number): number | undefined {
  if (m === undefined) return undefined;
  if (m.avg !== undefined) return m.avg;
  if (m.sum !== undefined) return m.sum / p;
  if (m.max !== undefined) return m.max;
  return undefined;
}

/** A rate for a comment: 3 significant digits, no exponent. */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6))).toString();
}

/**
 * A cost in milliseconds as a Flink duration the scenario accepts (whole numbers only):
 * ms from 100 ms, µs from 100 µs (ms when whole), else ns; the rounding stays within 1%.
 */
export function formatCost(ms: number): string {
  if (ms === 0) return "0ms";
  if (ms >= 100) return `${Math.round(ms)}ms`;
  if (ms >= 0.1) {
    const us = Math.round(ms * 1000);
    return us % 1000 === 0 ? `${us / 1000}ms` : `${us}µs`;
  }
  return `${Math.round(ms * 1e6)}ns`;
}

/** A URL-safe, readable operator id from its name, unique among `taken`. */
function operatorId(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/^Source:\s*/i, "source-")
      .replace(/^Sink:\s*/i, "sink-")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "operator";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

interface OperatorDraft {
  readonly doc: Record<string, unknown>;
  /** Comment lines before the operator. */
  readonly before: string[];
  /** Trailing comments by key. */
  readonly notes: Map<string, string>;
  /** Trailing comments on keys of `source:`. */
  readonly sourceNotes: Map<string, string>;
  /** Trailing comments on nested keys, by dotted path ("inputs.orders.cost", "async.latency"). */
  readonly deepNotes: Map<string, string>;
}

export interface ImportOptions {
  /** The user's FlinkDeployment YAML, as written. */
  readonly deploymentText: string;
  /** Its file name, for messages. */
  readonly deploymentFile: string;
  /** Which job (default: the only RUNNING one). */
  readonly jobId?: string | undefined;
}

export interface ImportResult {
  /** The scenario: the deployment as given plus the generated, commented `simulation:` block. */
  readonly yaml: string;
  /** What could not be inferred (and the default used) or looks doubtful, one line each (for stderr). */
  readonly warnings: readonly string[];
  readonly jobId: string;
  readonly jobName: string;
}

/** A Kafka source as its reader's metrics show it: topics, partitions seen, pending records. */
interface KafkaFacts {
  readonly topics: ReadonlyMap<string, ReadonlySet<number>>;
  readonly pending: number | undefined;
}

function kafkaFacts(v: VertexSnapshot): KafkaFacts | undefined {
  const topics = new Map<string, Set<number>>();
  let pendingMetric: AggregatedValue | undefined;
  for (const [name, m] of v.metrics) {
    const k = KAFKA_PARTITION.exec(name);
    if (k !== null) {
      const set = topics.get(k[1]!) ?? new Set<number>();
      set.add(Number(k[2]));
      topics.set(k[1]!, set);
    }
    if (name.endsWith(".pendingRecords")) pendingMetric = m;
  }
  if (topics.size === 0 && pendingMetric === undefined) return undefined;
  return { topics, pending: total(pendingMetric, v.parallelism) };
}

function parseDeployment(options: ImportOptions): Document {
  const doc = parseDocument(options.deploymentText, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const at = err.linePos?.[0] ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : "";
    throw new RestImportError(options.deploymentFile, `is not valid YAML${at}: ${err.message.split("\n")[0]!}`, "invalid");
  }
  const root = doc.contents;
  if (!isMap(root)) throw new RestImportError(options.deploymentFile, "is not a YAML mapping; expected a FlinkDeployment", "invalid");
  const kind: unknown = root.toJSON()["kind"];
  if (kind !== "FlinkDeployment") throw new RestImportError(options.deploymentFile, `kind: expected FlinkDeployment, got ${kind === undefined ? "nothing" : JSON.stringify(kind)}`, "invalid");
  return doc;
}

/** A flat view of spec.flinkConfiguration (nested maps joined with '.', as the operator flattens them). */
function flinkConfiguration(doc: Document): Map<string, string> {
  const out = new Map<string, string>();
  const conf = doc.getIn(["spec", "flinkConfiguration"]);
  const walk = (node: unknown, prefix: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, prefix === "" ? key : `${prefix}.${key}`);
      }
    } else if (isScalar(node)) out.set(prefix, String(node.value));
  };
  walk(conf, "");
  return out;
}

/**
 * The busy time Flink reports is wall time on the task thread, CPU waits included, so a
 * job can show more busy time in a TaskManager than the TaskManager has CPU: part of it
 * is no CPU (I/O, sleeps, waits on a Python worker) or was stretched by throttling. The
 * simulator would throttle such costs again, and the imported job would not carry the
 * load it was seen to carry. So where the busiest TaskManager's busy time (slot i holds
 * subtask i of every vertex; TaskManager 0 slots 0..s-1) exceeds its CPU limit, every
 * measured cost gets `cpuShare` = limit / busy time, the most that can have been CPU.
 */
function fitCpu(
  busyByVertex: readonly { p: number; busy: number; head: OperatorDraft }[],
  conf: ReadonlyMap<string, string>,
  doc: Document,
  slotsPerTaskManager: number,
  warn: (text: string) => void,
): void {
  if (busyByVertex.length === 0) return;
  const specCpu = doc.getIn(["spec", "taskManager", "resource", "cpu"]);
  let limit: number;
  try {
    limit = readTaskManagerCpu(Object.fromEntries(conf), typeof specCpu === "number" ? specCpu : undefined, slotsPerTaskManager, undefined).limitCores;
  } catch {
    return; // the scenario loader reports a bad CPU setting in its own words
  }
  let demand = 0;
  for (let slot = 0; slot < slotsPerTaskManager; slot++) for (const v of busyByVertex) if (v.p > slot) demand += v.busy / 1000;
  if (!(demand > limit)) return;
  const share = Math.floor((1000 * limit) / demand) / 1000;
  for (const v of busyByVertex) {
    v.head.doc["cpuShare"] = share;
    v.head.notes.set("cpuShare", ` the busiest TaskManager was busy ${demand.toFixed(2)} s a second on ${limit} CPU: at most ${share} of this cost was CPU`);
  }
  warn(`the busiest TaskManager's subtasks were busy ${demand.toFixed(2)} s a second on a ${limit}-CPU limit: their busy time is not all CPU; costs written with cpuShare ${share} so that the simulated job carries the load seen (edit it if you know better)`);
}

/**
 * Builds the scenario from a fetched snapshot: the deployment as written plus the
 * generated `simulation:` block (a deployment's own `simulation:` is replaced, with a warning).
 */
export function scenarioFromSnapshot(snapshot: RestSnapshot, options: ImportOptions): ImportResult {
  const doc = parseDeployment(options);
  const warnings = [...snapshot.warnings];
  const warn = (text: string) => warnings.push(text);
  const conf = flinkConfiguration(doc);
  if (doc.has("simulation")) warn(`${options.deploymentFile}: has a simulation: block already; it is replaced by the imported one`);

  const deploymentParallelism = doc.getIn(["spec", "job", "parallelism"]);
  if (snapshot.jobParallelism !== undefined && typeof deploymentParallelism === "number" && deploymentParallelism !== snapshot.jobParallelism) {
    warn(`spec.job.parallelism is ${deploymentParallelism} but the job runs with default parallelism ${snapshot.jobParallelism}; each operator's parallelism is set as running`);
  }
  const slots = snapshot.slotsPerTaskManager;
  const declaredSlots = conf.get("taskmanager.numberOfTaskSlots");
  if (slots !== undefined && slots.length > 0 && declaredSlots !== undefined && slots.some((s) => String(s) !== declaredSlots)) {
    warn(`taskmanager.numberOfTaskSlots is ${declaredSlots} in the deployment, but the TaskManagers have ${[...new Set(slots)].join(", ")} slots`);
  }

  const taken = new Set<string>();
  const consumers = new Map<string, number>();
  for (const v of snapshot.vertices) for (const i of v.inputs) consumers.set(i.id, (consumers.get(i.id) ?? 0) + 1);
  /** Per vertex: the ids of its first and last operator, and where its operators start in `operators`. */
  const ends = new Map<string, { head: string; tail: string; start: number }>();
  /** Per vertex: its records in (the head's) and the head operator's records out, both summed over subtasks. */
  const rates = new Map<string, { in: number | undefined; headOut: number | undefined }>();
  const operators: OperatorDraft[] = [];
  const edges: { doc: Record<string, unknown>; note: string | undefined }[] = [];
  /** Each vertex's parallelism, mean busy ms/s and its chain's head operator (for the CPU check below). */
  const busyByVertex: { p: number; busy: number; head: OperatorDraft }[] = [];

  for (const v of snapshot.vertices) {
    const p = v.parallelism;
    const at = `vertex '${v.name}' (${v.id})`;
    const names = v.name.split(" -> ");
    const isSource = v.inputs.length === 0;
    const isSink = !consumers.has(v.id);
    const m = (name: string) => v.metrics.get(name);
    if (v.status !== "RUNNING" || (v.subtaskStatus?.some((s) => s !== "RUNNING") ?? false)) {
      warn(`${at}: not all subtasks are RUNNING (${v.status}): its metrics may not show steady state`);
    }
    const busy = mean(m("busyTimeMsPerSecond"), p);
    const backPressured = mean(m("backPressuredTimeMsPerSecond"), p);
    const headMetric = operatorMetricName(names[0]!);
    // What the chain's head takes in: a source emits (its operator's records out), others read (the task's records in).
    const inName = isSource ? `${headMetric}.numRecordsOutPerSecond` : "numRecordsInPerSecond";
    const headRate = total(m(inName), p);
    // A source without its operator's rate: the chain's output stands in for the load (but then says nothing of selectivity).
    const inTotal = headRate ?? (isSource ? total(m("numRecordsOutPerSecond"), p) : undefined);
    const outTotal = total(m("numRecordsOutPerSecond"), p);

    const ids = names.map((n) => operatorId(n, taken));
    ends.set(v.id, { head: ids[0]!, tail: ids[ids.length - 1]!, start: operators.length });
    const drafts: OperatorDraft[] = names.map((name, k) => ({
      doc: { id: ids[k]!, name, ...(k === 0 && isSource ? { kind: "source" } : {}), ...(k === names.length - 1 && isSink && !(k === 0 && isSource) ? { kind: "sink" } : {}) },
      before: [],
      notes: new Map(),
      sourceNotes: new Map(),
      deepNotes: new Map(),
    }));
    const head = drafts[0]!;
    head.before.push(` vertex ${v.id}: ${v.name}, parallelism ${p}${v.maxParallelism > 0 ? `, max ${v.maxParallelism}` : ""}`);

    // Cost: the chain's busy time per record its head takes in, per subtask, all on the head.
    const perSubtask = inTotal === undefined ? undefined : inTotal / p;
    let costMs = 0;
    if (busy === undefined || Number.isNaN(busy)) {
      const why = busy === undefined ? "no busyTimeMsPerSecond" : "busyTimeMsPerSecond is NaN (a legacy source: busy time disabled)";
      head.notes.set("cost", ` default 0: ${why}`);
      warn(`${at}: cost not inferable (${why}); default 0 used`);
    } else if (perSubtask === undefined || !(perSubtask > 0)) {
      const why =
        perSubtask === undefined ? `no ${inName}` : busy > 0 ? `${inName} is 0 while busy ${fmt(busy)} ms/s` : `idle: ${inName} is 0`;
      head.notes.set("cost", ` default 0: ${why}`);
      warn(`${at}: cost not inferable (${why}); default 0 used`);
    } else {
      costMs = busy / perSubtask;
      busyByVertex.push({ p, busy, head });
      head.notes.set("cost", ` busyTimeMsPerSecond avg ${fmt(busy)} / (${inName} ${fmt(inTotal!)} / ${p} subtasks = ${fmt(perSubtask)}/s)`);
      if (busy >= 990) warn(`${at}: busy ${fmt(busy)} ms/s: saturated, so the cost ${formatCost(costMs)} is its full capacity; the load it could not take is not seen`);
    }
    head.doc["cost"] = formatCost(costMs);
    for (const d of drafts.slice(1)) d.notes.set("cost", ` in ${names[0]}'s cost (a chain reports one busy time)`);
    for (const d of drafts.slice(1)) d.doc["cost"] = "0ms";

    // Selectivity: each operator's out/in where its own metrics exist, else the vertex's out/in.
    const unknown: OperatorDraft[] = [];
    let known = 1;
    drafts.forEach((d, k) => {
      if (k === 0 && isSource) return;
      if (d.doc["kind"] === "sink") return;
      const mn = operatorMetricName(names[k]!);
      const oi = total(m(`${mn}.numRecordsInPerSecond`), p);
      const oo = total(m(`${mn}.numRecordsOutPerSecond`), p);
      if (oi !== undefined && oo !== undefined && oi > 0) {
        const s = oo / oi;
        d.doc["selectivity"] = Number(s.toPrecision(4));
        d.notes.set("selectivity", ` ${mn}.numRecordsOutPerSecond ${fmt(oo)} / numRecordsInPerSecond ${fmt(oi)}`);
        if (oo === 0 && k < names.length - 1) warn(`${at}: '${names[k]}' emitted nothing while it read ${fmt(oi)}/s: selectivity 0 (a filter that drops all, or output held back, e.g. in Python bundles); check it`);
        known *= s;
      } else unknown.push(d);
    });
    if (unknown.length > 0) {
      const tailIsSink = drafts[drafts.length - 1]!.doc["kind"] === "sink";
      if (!tailIsSink && headRate !== undefined && outTotal !== undefined && headRate > 0) {
        const s = outTotal / headRate / known;
        unknown[0]!.doc["selectivity"] = Number(s.toPrecision(4));
        unknown[0]!.notes.set("selectivity", ` the vertex's numRecordsOutPerSecond ${fmt(outTotal)} / ${inName} ${fmt(headRate)}${known !== 1 ? ` / ${fmt(known)} (its other operators)` : ""}`);
        for (const d of unknown.slice(1)) {
          d.doc["selectivity"] = 1;
          d.notes.set("selectivity", " default 1: no operator metrics");
        }
        if (unknown.length > 1) warn(`${at}: ${unknown.length} operators without their own record metrics; the chain's out/in is given to '${String(unknown[0]!.doc["name"])}', the others default to 1`);
      } else {
        const why = headRate !== undefined && headRate > 0 ? "no operator metrics" : "no records in";
        for (const d of unknown) {
          d.doc["selectivity"] = 1;
          d.notes.set("selectivity", why === "no records in" ? " default 1: no records in to compare" : " default 1: no operator metrics");
        }
        warn(`${at}: selectivity not inferable (${why}); default 1 used for ${unknown.map((d) => `'${String(d.doc["name"])}'`).join(", ")}`);
      }
    }

    // Parallelism as running, on every operator (a chain shares it); max parallelism and the real JobVertexID on the head.
    for (const d of drafts) d.doc["parallelism"] = p;
    if (v.maxParallelism > 0) head.doc["maxParallelism"] = v.maxParallelism;
    if (/^[0-9a-f]{32}$/.test(v.id)) head.doc["vertexId"] = v.id;
    else warn(`${at}: the vertex id is no JobVertexID (32 hex digits); the simulator derives one`);

    if (isSource) head.doc["source"] = sourceOf(v, headMetric, inTotal, busy, backPressured, head, at, warn);
    asyncOperators(names, drafts, { p, busy, inTotal, m, at, warn });
    const headOut = isSource ? inTotal : (total(m(`${headMetric}.numRecordsOutPerSecond`), p) ?? (names.length === 1 ? outTotal : undefined));
    rates.set(v.id, { in: inTotal, headOut });
    operators.push(...drafts);
  }

  // Two-input vertices: inputs per upstream, and joins as their names show them.
  /** Keys calibrated for a window join's two HASH edges, by the join vertex. */
  const joinKeys = new Map<string, number>();
  let twoInputs = 0;
  for (const v of snapshot.vertices) {
    if (v.inputs.length !== 2) {
      if (v.inputs.length > 2) warn(`vertex '${v.name}' (${v.id}): ${v.inputs.length} inputs: the simulator's two-input operators take two; modelled as one input reading the union of all`);
      continue;
    }
    const joined = twoInputOperator(v, snapshot, { operators, ends, rates, consumers, warn });
    if (joined === undefined) continue;
    twoInputs++;
    if (joined.keys !== undefined) joinKeys.set(v.id, joined.keys);
  }

  // Edges: within a chain FORWARD; between vertices as the plan says; a FORWARD edge between
  // two vertices means chaining was broken there (disableChaining, slot sharing, ...).
  for (const v of snapshot.vertices) {
    const chainLength = v.name.split(" -> ").length;
    const { head, start } = ends.get(v.id)!;
    for (let k = 1; k < chainLength; k++) {
      edges.push({ doc: { from: operators[start + k - 1]!.doc["id"], to: operators[start + k]!.doc["id"], shipStrategy: "FORWARD" }, note: k === 1 ? ` chained in vertex ${v.id}` : undefined });
    }
    for (const input of v.inputs) {
      const upstream = snapshot.vertices.find((u) => u.id === input.id)!;
      const from = ends.get(input.id)!.tail;
      let strategy: ShipStrategy;
      let note: string | undefined;
      const raw = input.shipStrategy.toUpperCase();
      if ((SHIP_STRATEGIES as readonly string[]).includes(raw)) strategy = raw as ShipStrategy;
      else {
        strategy = "REBALANCE";
        note = ` plan says ${input.shipStrategy}: not modelled, REBALANCE used`;
        warn(`edge ${upstream.name} -> ${v.name}: ship strategy ${input.shipStrategy} is not modelled; REBALANCE used`);
      }
      if (strategy === "FORWARD" && upstream.parallelism !== v.parallelism) {
        strategy = "REBALANCE";
        note = " plan says FORWARD between different parallelisms: REBALANCE used";
        warn(`edge ${upstream.name} -> ${v.name}: FORWARD between parallelism ${upstream.parallelism} and ${v.parallelism}; REBALANCE used`);
      }
      if (strategy === "FORWARD") {
        // Flink kept two vertices apart although the edge is FORWARD: so must the simulator.
        operators[start]!.doc["chaining"] = false;
        operators[start]!.notes.set("chaining", " a FORWARD edge that Flink did not chain");
      }
      if (strategy === "HASH") {
        const inRate = v.metrics.get("numRecordsInPerSecond");
        const skewNote = inRate?.max !== undefined && inRate.avg !== undefined && inRate.avg > 0 && v.parallelism > 1 && inRate.max > 1.5 * inRate.avg
          ? `; its hottest subtask reads ${fmt(inRate.max / inRate.avg)}x the mean: set keys.skew`
          : "";
        note = ` keys: not in the REST API; default 1000 uniform keys${skewNote}`;
        if (skewNote !== "") warn(`edge ${upstream.name} -> ${v.name}: keyed, and ${skewNote.slice(2)}; the default keys are uniform`);
      }
      if (strategy === "HASH" && joinKeys.has(v.id)) {
        note = ` keys: not in the REST API; ${joinKeys.get(v.id)} calibrated from the join's output (see its join:)`;
        edges.push({ doc: { from, to: head, shipStrategy: strategy, keys: { count: joinKeys.get(v.id) } }, note });
        continue;
      }
      if (strategy === "BROADCAST") {
        const written = total(upstream.metrics.get("numRecordsOutPerSecond"), upstream.parallelism);
        note = ` every record to each of the ${v.parallelism} subtasks of '${v.name}'${written !== undefined ? `: ${fmt(written)}/s written, ${fmt(written * v.parallelism)}/s read` : ""}`;
      }
      edges.push({ doc: { from, to: head, shipStrategy: strategy }, note });
    }
  }

  fitCpu(busyByVertex, conf, doc, slots?.[0] ?? (Number(conf.get("taskmanager.numberOfTaskSlots")) || 1), warn);

  const simulationData: Record<string, unknown> = {
    duration: "1h",
    seed: 1,
    sampleInterval: "10s",
    ...(snapshot.nowMs !== undefined ? { startTime: new Date(snapshot.nowMs).toISOString().replace(".000Z", "Z") } : {}),
    job: {
      name: snapshot.jobName,
      operators: operators.map((o) => o.doc),
      edges: edges.map((e) => e.doc),
    },
  };
  // The generated block must be one the scenario loader accepts (a failure here is a bug of the import).
  const checked = scenarioSchema.shape.simulation.safeParse(simulationData);
  if (!checked.success) throw new Error(`import produced an invalid simulation block: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);

  const sim = doc.createNode(simulationData) as YAMLMap;
  sim.commentBefore = [
    ` Imported from ${snapshot.origin}: job '${snapshot.jobName}' (${snapshot.jobId}), ${snapshot.state}${snapshot.nowMs !== undefined ? ` at ${new Date(snapshot.nowMs).toISOString()}` : ""}.`,
    " A cost is the busy time per second over the records per second per subtask (each chain's on its head);",
    " a selectivity is records out over records in. Loads are the rates seen: edit them to ask what if.",
    " Not in the REST API, left at the simulator's defaults: restart phases (simulation.restart), record size,",
    " the keys of keyed edges. Lines marked 'default' could not be inferred.",
    ...(twoInputs > 0
      ? [" Two-input operators: Flink reports one busy time and one records-in count per task, not per input,", " so each input is given the same cost per record (busy / records in of both); edit if you know better."]
      : []),
  ].join("\n");
  const opsNode = (sim.get("job") as YAMLMap).get("operators") as YAMLMap & { items: YamlNode[] };
  operators.forEach((o, i) => {
    const node = opsNode.items[i] as YAMLMap;
    if (o.before.length > 0) node.commentBefore = o.before.join("\n");
    for (const [key, text] of o.notes) {
      const value = node.get(key, true);
      if (isScalar(value)) value.comment = text;
    }
    for (const [path, text] of o.deepNotes) {
      const value = node.getIn(path.split("."), true);
      if (isScalar(value)) value.comment = text;
    }
    const src = node.get("source", true);
    if (isMap(src)) {
      for (const [key, text] of o.sourceNotes) {
        const value = src.get(key, true);
        if (isScalar(value)) value.comment = text;
      }
    }
  });
  const edgesNode = (sim.get("job") as YAMLMap).get("edges") as YAMLMap & { items: YamlNode[] };
  edges.forEach((e, i) => {
    if (e.note === undefined) return;
    const node = edgesNode.items[i] as YAMLMap;
    const value = node.get("shipStrategy", true);
    if (isScalar(value)) value.comment = e.note;
  });
  doc.set("simulation", sim);
  return { yaml: doc.toString({ lineWidth: 0 }), warnings, jobId: snapshot.jobId, jobName: snapshot.jobName };
}

/**
 * Async operators in a chain ("async wait operator", AsyncDataStream in Flink 1.18.1): an
 * `async:` block with AsyncDataStream's default capacity (the REST API does not show the
 * capacity) and a mean latency from Little's law (importedOperators.ts): capacity / rate
 * per subtask when the queue limits the subtask (busy throughout, the async operator at the
 * head), else half that bound, a default. An operator Flink chained after it gets
 * `chaining: false` (the simulator keeps nothing chained after an async operator).
 */
function asyncOperators(
  names: readonly string[],
  drafts: readonly OperatorDraft[],
  c: {
    readonly p: number;
    readonly busy: number | undefined;
    readonly inTotal: number | undefined;
    readonly m: (name: string) => AggregatedValue | undefined;
    readonly at: string;
    readonly warn: (text: string) => void;
  },
): void {
  names.forEach((name, k) => {
    if (!isAsyncOperator(name)) return;
    const d = drafts[k]!;
    if (d.doc["kind"] !== undefined) {
      c.warn(`${c.at}: '${name}' is an async operator but also the ${String(d.doc["kind"])} of the job; modelled as a plain ${String(d.doc["kind"])}`);
      return;
    }
    const mn = operatorMetricName(name);
    const read = total(c.m(`${mn}.numRecordsInPerSecond`), c.p) ?? (k === 0 ? c.inTotal : undefined);
    const capacity = ASYNC_DEFAULT_CAPACITY;
    const perSubtask = read === undefined ? undefined : read / c.p;
    let latencyMs: number;
    let latencyNote: string;
    const queueLimited = k === 0 && c.busy !== undefined && c.busy >= 990;
    if (perSubtask === undefined || !(perSubtask > 0)) {
      latencyMs = 10;
      latencyNote = ` default 10ms: no records in to bound it (Little's law: latency <= capacity / records per subtask)`;
    } else {
      const bound = asyncLatencyBoundMs(capacity, perSubtask);
      if (queueLimited) {
        latencyMs = bound;
        latencyNote = ` capacity ${capacity} / ${fmt(perSubtask)} records/s per subtask: busy ${fmt(c.busy!)} ms/s, so the queue was full (AsyncWaitOperator yields while full, counted busy)`;
      } else {
        latencyMs = bound / 2;
        latencyNote = ` default: half the bound capacity ${capacity} / ${fmt(perSubtask)} records/s per subtask = ${formatCost(bound)} (the REST API shows no latency, and the queue was not full)`;
      }
    }
    d.doc["async"] = { capacity, latency: formatCost(latencyMs) };
    d.deepNotes.set("async.capacity", ` default: AsyncDataStream's ${capacity}; the capacity is not in the REST API`);
    d.deepNotes.set("async.latency", latencyNote);
    c.warn(
      `${c.at}: '${name}' is an async operator: capacity ${capacity} (AsyncDataStream's default), latency ${formatCost(latencyMs)} ${queueLimited ? "from the full queue's rate" : "a default under the rate's bound"}, ordered, no timeout (none of them in the REST API); edit them`,
    );
    if (queueLimited) {
      d.doc["cost"] = "0ms";
      d.notes.set("cost", ` default 0: busy ${fmt(c.busy!)} ms/s is the wait for a place in the full async queue, not the requests' CPU`);
      c.warn(`${c.at}: busy ${fmt(c.busy!)} ms/s with a full async queue: the busy time is waiting, the requests' own cost is not inferable; default 0 used`);
    }
    const after = drafts[k + 1];
    if (after !== undefined) {
      after.doc["chaining"] = false;
      after.notes.set("chaining", ` Flink chains it after '${name}'; the simulator keeps nothing chained after an async operator`);
      c.warn(`${c.at}: '${names[k + 1]}' is chained after the async operator in Flink; the simulator runs it as a vertex of its own (chaining: false)`);
    }
  });
}

/**
 * A vertex with two inputs as a two-input operator: `inputs:` per upstream with the same cost
 * per record on both (one busy time per task, one records-in count: the split between inputs
 * is not in the REST API), the head's selectivity on both, and a join where the head's name or
 * description says so (importedOperators.ts), its free figure calibrated on the output seen.
 * Undefined when the head cannot be a two-input operator (a sink, or the same upstream twice).
 */
function twoInputOperator(
  v: VertexSnapshot,
  snapshot: RestSnapshot,
  c: {
    readonly operators: readonly OperatorDraft[];
    readonly ends: ReadonlyMap<string, { head: string; tail: string; start: number }>;
    readonly rates: ReadonlyMap<string, { in: number | undefined; headOut: number | undefined }>;
    readonly consumers: ReadonlyMap<string, number>;
    readonly warn: (text: string) => void;
  },
): { keys: number | undefined } | undefined {
  const at = `vertex '${v.name}' (${v.id})`;
  const head = c.operators[c.ends.get(v.id)!.start]!;
  const headName = v.name.split(" -> ")[0]!;
  if (head.doc["kind"] !== undefined) {
    c.warn(`${at}: two inputs into a ${String(head.doc["kind"])}: the simulator's two-input operators are operators; modelled as one input reading both`);
    return undefined;
  }
  const froms = v.inputs.map((i) => c.ends.get(i.id)!.tail);
  if (froms[0] === froms[1]) {
    c.warn(`${at}: both inputs come from '${snapshot.vertices.find((u) => u.id === v.inputs[0]!.id)!.name}'; modelled as one input`);
    return undefined;
  }
  const { in: vertexIn, headOut } = c.rates.get(v.id)!;
  const upstreams = v.inputs.map((i) => snapshot.vertices.find((u) => u.id === i.id)!);
  const read = inputRates(
    v.inputs.map((i, k) => ({
      upstreamOut: total(upstreams[k]!.metrics.get("numRecordsOutPerSecond"), upstreams[k]!.parallelism),
      consumers: c.consumers.get(i.id) ?? 0,
      broadcast: i.shipStrategy.toUpperCase() === "BROADCAST",
      name: upstreams[k]!.name,
    })),
    vertexIn,
    v.parallelism,
  );
  head.before.push(` two inputs: ${read.map((r, k) => `${froms[k]} ${r.read === undefined ? "? records/s" : `${fmt(r.read)} records/s`} (${r.how})`).join(", ")}`);
  const [r1, r2] = [read[0]!.read, read[1]!.read];
  if (r1 !== undefined && r2 !== undefined && vertexIn !== undefined && Math.abs(r1 + r2 - vertexIn) > 0.1 * vertexIn) {
    c.warn(`${at}: its inputs write ${fmt(r1)} + ${fmt(r2)} records/s but it reads ${fmt(vertexIn)}/s: the snapshot's rates disagree (a rate still settling?)`);
  }

  let kind = joinKindOf(headName, headDescriptionOf(v.description));
  const strategies = v.inputs.map((i) => i.shipStrategy.toUpperCase());
  if (kind !== undefined && strategies.some((s) => s !== "HASH")) {
    c.warn(`${at}: looks like a join, but its inputs are ${strategies.join(" and ")}, not both HASH (keyBy): modelled as a co-process`);
    kind = undefined;
  }
  if (kind?.type === "unmodelled-window") {
    c.warn(`${at}: a window join or coGroup over ${kind.assigner}, which the simulator does not model (tumbling windows only): modelled as a co-process with the selectivity seen`);
    kind = undefined;
  }
  const cost = head.doc["cost"];
  const inputs: Record<string, Record<string, unknown>> = {};
  const costNote = " default: the same cost per record on both inputs (Flink reports one busy time per task, not per input)";
  for (const from of froms) {
    inputs[from] = kind === undefined ? { cost, selectivity: head.doc["selectivity"] ?? 1 } : { cost };
    head.deepNotes.set(`inputs.${from}.cost`, costNote);
    if (kind === undefined) head.deepNotes.set(`inputs.${from}.selectivity`, " default: the same on both inputs (one records-out count for both)");
  }
  head.doc["inputs"] = inputs;
  if (kind === undefined) {
    c.warn(`${at}: a two-input operator: each input given the same cost per record (${String(cost)}) and selectivity, a default (Flink reports one busy time and one records-in count per task)`);
    return { keys: undefined };
  }

  // A join emits pairs, not a share of its input: no selectivity (the scenario refuses one).
  delete head.doc["selectivity"];
  head.notes.delete("selectivity");
  const pairsKnown = headOut !== undefined && r1 !== undefined && r2 !== undefined && r1 > 0 && r2 > 0;
  if (kind.type === "interval") {
    let lower = "-1s";
    let upper = "1s";
    let note = " default -1s .. 1s: bounds not in the REST API, and the rates to fit them are missing";
    if (pairsKnown) {
      const width = intervalWidthMs(headOut, r1, r2, IMPORT_DEFAULT_KEYS);
      lower = width > 0 ? `-${formatCost(width / 2)}` : "0ms";
      upper = formatCost(width / 2);
      note = ` calibrated: width ${formatCost(width)} = ${fmt(headOut)} pairs/s x ${IMPORT_DEFAULT_KEYS} keys (default) / (${fmt(r1)} x ${fmt(r2)} records/s); bounds not in the REST API, centred on 0`;
    }
    head.doc["join"] = { type: "interval", lower, upper };
    head.deepNotes.set("join.upper", note);
    c.warn(`${at}: an interval join (Flink's "Interval Join"): bounds ${lower} .. ${upper} ${pairsKnown ? "fitted to the pairs seen with the default 1000 keys" : "a default"}; its keys and bounds are not in the REST API, edit them`);
    return { keys: undefined };
  }
  let keys: number | undefined;
  let note = ` from ${kind.assigner}(${kind.sizeMs})${kind.eventTime ? ", event time run as processing time" : ""}; keys: default ${IMPORT_DEFAULT_KEYS}, the output to fit them is missing`;
  if (pairsKnown && headOut > 0) {
    keys = Math.min(10_000_000, Math.max(1, Math.round(windowJoinKeys(headOut, r1, r2, kind.sizeMs))));
    note = ` from ${kind.assigner}(${kind.sizeMs})${kind.eventTime ? ", event time run as processing time" : ""}; keys ${keys} calibrated: ${fmt(r1)} x ${fmt(r2)} records/s x ${kind.sizeMs / 1000} s / ${fmt(headOut)} pairs/s`;
  }
  head.doc["join"] = { type: "window", size: kind.sizeMs % 1000 === 0 ? `${kind.sizeMs / 1000}s` : `${kind.sizeMs}ms` };
  head.deepNotes.set("join.size", note);
  c.warn(
    `${at}: a window join or coGroup (CoGroupWindowFunction serves both in Flink 1.18.1), modelled as a join of its two inputs over ${kind.sizeMs} ms tumbling windows${keys !== undefined ? ` with ${keys} keys fitted to the pairs seen` : ""}; in Flink a union into a one-input window operator`,
  );
  return { keys };
}

/** The `source:` of a source vertex's head, from what its metrics show. */
function sourceOf(
  v: VertexSnapshot,
  headMetric: string,
  rate: number | undefined,
  busy: number | undefined,
  backPressured: number | undefined,
  head: OperatorDraft,
  at: string,
  warn: (text: string) => void,
): Record<string, unknown> {
  const load = rate === undefined ? 0 : Number(rate.toPrecision(6));
  if (rate === undefined) warn(`${at}: no ${headMetric}.numRecordsOutPerSecond: source load not inferable; default 0 used`);
  const loadNote = rate === undefined ? " default 0: no rate in the metrics" : ` ${headMetric}.numRecordsOutPerSecond sum, records/s: edit to ask what if`;
  const kafka = kafkaFacts(v);
  if (kafka !== undefined) {
    let topic = "topic";
    let partitions = v.parallelism;
    if (kafka.topics.size > 0) {
      const [name, seen] = [...kafka.topics.entries()].sort((a, b) => b[1].size - a[1].size)[0]!;
      topic = name;
      const ids = [...seen];
      partitions = Math.max(seen.size, Math.max(...ids) + 1);
      head.sourceNotes.set("partitions", ` from ${seen.size} ...partition.<n>.currentOffset metrics (ids up to ${Math.max(...ids)})`);
      if (kafka.topics.size > 1) warn(`${at}: reads ${kafka.topics.size} topics (${[...kafka.topics.keys()].join(", ")}); modelled as one, '${topic}', with the rate of all`);
      if (seen.size !== Math.max(...ids) + 1) warn(`${at}: partitions ${ids.sort((a, b) => a - b).join(", ")} seen: the count is at least ${partitions}`);
    } else {
      head.sourceNotes.set("partitions", ` default ${partitions} (the source's parallelism): no partition metrics`);
      head.sourceNotes.set("topic", " default: no partition metrics name it");
      warn(`${at}: reports pendingRecords but no KafkaSourceReader partition metrics: partition count not inferable; default ${partitions} (its parallelism) used`);
    }
    const pending = kafka.pending === undefined || Number.isNaN(kafka.pending) ? 0 : Math.max(0, Math.round(kafka.pending));
    head.sourceNotes.set("initialBacklog", kafka.pending === undefined ? " default 0: no pendingRecords" : " pendingRecords sum at the dump");
    head.sourceNotes.set("load", loadNote);
    if (rate !== undefined && pending > 60 * rate && pending > 0) {
      warn(`${at}: ${pending} records pending (over a minute of input): the source is catching up, so ${fmt(rate)}/s is its read rate, not the producers'; edit the load`);
    }
    return { connector: "kafka", topic, partitions, load, initialBacklog: pending };
  }
  const legacy = busy !== undefined && Number.isNaN(busy);
  const looksLikeDatagen = /data\s*gen|datagen/i.test(v.name);
  head.sourceNotes.set("rowsPerSecond", loadNote);
  if (rate !== undefined && backPressured !== undefined && backPressured > 100) {
    warn(`${at}: back-pressured ${fmt(backPressured)} ms/s: the rate seen (${fmt(rate)}/s) is what the job took, not what the source would emit; edit rowsPerSecond`);
  }
  if (!looksLikeDatagen) {
    warn(`${at}: connector not recognised (no Kafka reader metrics); modelled as ${legacy ? "datagen (a legacy SourceFunction: busy time NaN)" : "datastream-datagen (a FLIP-27 source)"} at its observed rate`);
  }
  const out: Record<string, unknown> = { connector: legacy ? "datagen" : "datastream-datagen" };
  // rowsPerSecond must be positive: an idle source gets the smallest load the schema takes.
  if (load > 0) out["rowsPerSecond"] = load;
  else {
    out["load"] = 0;
    head.sourceNotes.delete("rowsPerSecond");
    head.sourceNotes.set("load", loadNote);
  }
  return out;
}

/** Fetches a job's REST answers from `source` and builds its scenario (see scenarioFromSnapshot). */
export async function importRest(source: RestSource, options: ImportOptions): Promise<ImportResult> {
  const snapshot = await fetchRestSnapshot(source, { jobId: options.jobId });
  return scenarioFromSnapshot(snapshot, options);
}
