/**
 * `replay`: the evaluation the autoscaler would make now on a real ConfigMap's metric
 * window, per configuration of a grid. Isomorphic: the caller reads the files (and the
 * REST dump, fetched with fetchRestSnapshot) and hands their text here.
 *
 * The port does the work: the ConfigMap is decoded into a state store
 * (decodeAutoscalerConfigMap, loadIntoStore), the scaling tracking and history are trimmed
 * as JobAutoScalerImpl#runScalingLogic trims them, ScalingMetricEvaluator#evaluate runs on
 * the stored window with ScalingTracking#getMaxRestartTimeOrDefault's restart time, and
 * ScalingExecutor#scaleResource decides (through JobVertexScaler), on a store of its own
 * per configuration; each vertex's reason comes from decisionReason, as in decisions.csv.
 */
import { parse as parseYaml } from "yaml";
import { METRICS_WINDOW, STABILIZATION_INTERVAL } from "../autoscaler/config/AutoScalerOptions.ts";
import { Configuration, IllegalConfigurationError } from "../autoscaler/config/Configuration.ts";
import type { AutoScalerEventHandler } from "../autoscaler/event/AutoScalerEventHandler.ts";
import { JobAutoScalerContext } from "../autoscaler/JobAutoScalerContext.ts";
import { CollectedMetricHistory } from "../autoscaler/metrics/CollectedMetricHistory.ts";
import { initRecommendedParallelism } from "../autoscaler/metrics/AutoscalerFlinkMetrics.ts";
import { getTrimmedScalingHistory, getTrimmedScalingTracking } from "../autoscaler/metrics/ScalingHistoryUtils.ts";
import { ScalingExecutor } from "../autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../autoscaler/ScalingMetricEvaluator.ts";
import { InMemoryAutoScalerStateStore } from "../autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { JobTopology } from "../autoscaler/topology/JobTopology.ts";
import { shipStrategyOf, type ShipStrategy } from "../autoscaler/topology/ShipStrategy.ts";
import { VertexInfo } from "../autoscaler/topology/VertexInfo.ts";
import { formatDuration } from "../core/duration.ts";
import { instantToString } from "../autoscaler/utils/JavaCompat.ts";
import { excludeVertexFromScaling, excludeVerticesFromScaling } from "../autoscaler/utils/AutoScalerUtils.ts";
import { setLogSink } from "../autoscaler/utils/Logger.ts";
import { evaluatedVertexDecision, type EvaluatedVertexDecision, type ExecutorRunTrace } from "../operator/decisionReason.ts";
import { decodeAutoscalerConfigMap, loadIntoStore, type AutoscalerState } from "../operator/state/autoscalerConfigMap.ts";
import { flattenFlinkConfiguration } from "../scenario/flattenConfiguration.ts";
import type { RestSnapshot } from "./restDump.ts";

/** Bad replay input: one line, what and where. */
export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplayError";
  }
}

/** What one step of replay cannot tell; printed with every result. */
export const REPLAY_LIMITS =
  "replay is one step: it shows the decision the autoscaler would make now on the stored metric window. " +
  "It cannot tell what follows a changed decision (the restart, the new window, the next decisions, catch-up and lag): " +
  "for that, import the job (npm run sim -- import) and run the scenario with the same settings.";

export interface ReplayInput {
  /** The ConfigMap's text, as `kubectl get configmap autoscaler-<name> -o yaml` prints it. */
  readonly configMap: string;
  readonly configMapSource: string;
  /** The FlinkDeployment (or a scenario) YAML: its spec.flinkConfiguration and spec.job.parallelism. */
  readonly deployment: string;
  readonly deploymentSource: string;
  /** The job's REST view: topology, edges, parallelism and max parallelism. */
  readonly rest?: RestSnapshot;
  /** Flink keys set on top of the deployment's configuration. */
  readonly set?: Readonly<Record<string, string>>;
  /** Keys and their values: every combination is one configuration. */
  readonly grid?: readonly { readonly key: string; readonly values: readonly string[] }[];
}

/** One vertex's replayed decision: the figures a run writes to decisions.csv, with the vertex's name. */
export interface ReplayVertex extends EvaluatedVertexDecision {
  readonly vertexId: string;
  readonly name: string;
}

export interface ReplayConfiguration {
  /** The grid's settings of this configuration (empty without --grid). */
  readonly settings: Readonly<Record<string, string>>;
  /** ScalingTracking#getMaxRestartTimeOrDefault under this configuration (ms). */
  readonly restartTimeUsedMs: number;
  /** Whether the autoscaler would be allowed to scale now (the metric window is full), or why not known. */
  readonly windowFull: boolean;
  /** Whether the executor would apply a new parallelism now. */
  readonly scales: boolean;
  readonly vertices: readonly ReplayVertex[];
  /** Set when this configuration could not be evaluated (a bad value, a failing evaluation). */
  readonly error?: string;
}

export interface ReplayResult {
  readonly deployment: string;
  /** The last collected sample: the replay's `now` (epoch ms). */
  readonly nowMs: number;
  readonly samples: number;
  readonly firstSampleMs: number;
  /** Where the topology came from, and what was assumed. */
  readonly topology: { readonly source: "rest" | "configmap"; readonly assumptions: readonly string[] };
  readonly notes: readonly string[];
  readonly configurations: readonly ReplayConfiguration[];
  readonly limits: string;
}

type Ctx = JobAutoScalerContext<string>;

interface Deployment {
  readonly name: string | undefined;
  readonly configuration: Record<string, string>;
  readonly parallelism: number | undefined;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function readDeployment(text: string, source: string): Deployment {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ReplayError(`${source}: not YAML (${(e as Error).message.split("\n")[0]})`);
  }
  if (!isRecord(doc) || doc["kind"] !== "FlinkDeployment" || !isRecord(doc["spec"])) {
    throw new ReplayError(`${source}: not a FlinkDeployment (expected kind: FlinkDeployment with a spec:)`);
  }
  const spec = doc["spec"];
  const flat = flattenFlinkConfiguration(spec["flinkConfiguration"] ?? {});
  if (!isRecord(flat)) throw new ReplayError(`${source}: spec.flinkConfiguration is not a mapping`);
  const configuration: Record<string, string> = {};
  for (const [k, v] of Object.entries(flat)) if (v !== null && v !== undefined) configuration[k] = String(v);
  const job = isRecord(spec["job"]) ? spec["job"] : {};
  const parallelism = typeof job["parallelism"] === "number" ? job["parallelism"] : undefined;
  const metadata = isRecord(doc["metadata"]) ? doc["metadata"] : {};
  return { name: typeof metadata["name"] === "string" ? metadata["name"] : undefined, configuration, parallelism };
}

/** Flink's KeyGroupRangeAssignment#computeDefaultMaxParallelism. */
function defaultMaxParallelism(parallelism: number): number {
  const wanted = parallelism + Math.floor(parallelism / 2);
  let pow = 1;
  while (pow < wanted) pow *= 2;
  return Math.min(Math.max(pow, 128), 32768);
}

/** The job topology from the REST dump: the plan's edges, the vertices' parallelism and max parallelism, Kafka partitions. */
function topologyFromRest(rest: RestSnapshot, history: AutoscalerState["collectedMetrics"]): { topology: JobTopology; names: Map<string, string>; assumptions: string[] } {
  const assumptions: string[] = [
    `edges, ship strategies, parallelism and max parallelism from ${rest.origin} (job ${rest.jobId}${rest.nowMs !== undefined ? ` at ${instantToString(rest.nowMs)}` : ""}): the job as the dump shows it, which should be the job of the ConfigMap's last sample`,
  ];
  const infos = rest.vertices.map((v) => {
    const inputs = new Map<string, ShipStrategy>(v.inputs.map((i) => [i.id, shipStrategyOf(i.shipStrategy)]));
    const info = new VertexInfo(v.id, null, inputs, v.parallelism, v.maxParallelism, v.status === "FINISHED", null);
    if (inputs.size === 0) {
      // ScalingMetricCollector#updateKafkaPulsarSourceNumPartitions: the partitions its reader reports.
      const partitions = new Set<string>();
      for (const name of v.metrics.keys()) {
        const m = /KafkaSourceReader\.topic\.(.+)\.partition\.(\d+)\.currentOffset$/.exec(name);
        if (m !== null) partitions.add(`${m[1]}-${m[2]}`);
      }
      if (partitions.size > 0) info.setNumSourcePartitions(partitions.size);
    }
    return info;
  });
  const last = history?.isEmpty() === false ? history.get(history.lastKey())! : undefined;
  if (last !== undefined) {
    const known = new Set(rest.vertices.map((v) => v.id));
    const missing = [...last.vertexMetrics.keys()].filter((id) => !known.has(id));
    if (missing.length > 0) throw new ReplayError(`${rest.origin}: vertex ${missing[0]} of the ConfigMap's metrics is not in the job's plan: the dump is of another job (or a changed one)`);
  }
  return { topology: new JobTopology(infos), names: new Map(rest.vertices.map((v) => [v.id, v.name])), assumptions };
}

/**
 * The job topology from what the ConfigMap holds. Vertices: those of the last sample.
 * Sources: the vertices with LAG (ScalingMetricCollector computes it for sources only).
 * Parallelism: the stored parallelism overrides, else the last scaling's new parallelism,
 * else the deployment's. Max parallelism: the last scaling summary's, else
 * pipeline.max-parallelism, else Flink's default for the parallelism. Edges are not
 * stored: every other vertex is taken as fed by the source(s) directly over a REBALANCE
 * edge. With one source and one input per vertex this gives the same target rates as
 * the real edges (the output ratios telescope), but no key-group alignment (HASH).
 */
function topologyFromConfigMap(state: AutoscalerState, deployment: Deployment, configuration: Record<string, string>): { topology: JobTopology; assumptions: string[] } {
  const history = state.collectedMetrics!;
  const last = history.get(history.lastKey())!;
  const ids = [...last.vertexMetrics.keys()];
  const sources = ids.filter((id) => last.vertexMetrics.get(id)!.has("LAG"));
  const assumptions: string[] = [];
  const fromOverrides = state.parallelismOverrides ?? new Map<string, string>();
  const summaryOf = (id: string) => {
    const h = state.scalingHistory?.get(id);
    return h === undefined || h.isEmpty() ? undefined : h.get(h.lastKey());
  };
  const maxDefault = configuration["pipeline.max-parallelism"] !== undefined ? Number(configuration["pipeline.max-parallelism"]) : undefined;
  const parallelismSources = new Set<string>();
  const maxSources = new Set<string>();
  const infos = ids.map((id) => {
    let parallelism: number;
    const override = fromOverrides.get(id);
    const summary = summaryOf(id);
    const nowMs = history.lastKey();
    if (summary !== undefined && state.scalingHistory!.get(id)!.lastKey() === nowMs) {
      // A scaling decided at now (rolled back for the replay): the job ran with its current parallelism.
      parallelism = summary.currentParallelism;
      parallelismSources.add("the scaling at now's current parallelism");
    } else if (override !== undefined && Number(override) > 0 && !decidedAtNow(state)) {
      parallelism = Number(override);
      parallelismSources.add("the stored parallelismOverrides");
    } else if (summary !== undefined) {
      parallelism = summary.newParallelism;
      parallelismSources.add("the last scaling's new parallelism");
    } else {
      const fallback = Number(configuration["parallelism.default"] ?? deployment.parallelism ?? NaN);
      if (!(fallback > 0)) throw new ReplayError(`the ConfigMap holds no parallelism for vertex ${id} and the deployment has no spec.job.parallelism: give --rest <dump>`);
      parallelism = fallback;
      parallelismSources.add("the deployment's spec.job.parallelism");
    }
    let maxParallelism: number;
    const summaryMax = summary?.metrics.get("MAX_PARALLELISM")?.getCurrent();
    if (summaryMax !== undefined && summaryMax > 0) {
      maxParallelism = summaryMax;
      maxSources.add("the last scaling summary's MAX_PARALLELISM");
    } else if (maxDefault !== undefined && maxDefault > 0) {
      maxParallelism = maxDefault;
      maxSources.add("pipeline.max-parallelism");
    } else {
      maxParallelism = defaultMaxParallelism(parallelism);
      maxSources.add("Flink's default for the parallelism (pipeline.max-parallelism unset)");
    }
    const inputs = new Map<string, ShipStrategy>(sources.includes(id) ? [] : sources.map((s) => [s, "REBALANCE" as ShipStrategy]));
    const info = VertexInfo.of(id, inputs, parallelism, maxParallelism);
    const partitions = summary?.metrics.get("NUM_SOURCE_PARTITIONS")?.getCurrent();
    if (partitions !== undefined && partitions > 0) info.setNumSourcePartitions(partitions);
    return info;
  });
  if (sources.length === 0) throw new ReplayError("the ConfigMap's last sample has no source (no vertex with LAG): give --rest <dump>");
  assumptions.push(
    `no --rest: edges are not in the ConfigMap; assumed every other vertex is fed by the source${sources.length > 1 ? "s" : ""} directly over REBALANCE ` +
      (sources.length === 1
        ? "(the same target rates as the real edges when each vertex has one input; no key-group alignment of HASH edges)"
        : `(${sources.length} sources: target rates of vertices fed by only some of them are overstated; give --rest <dump>)`),
    `parallelism from ${[...parallelismSources].join(", ")}; max parallelism from ${[...maxSources].join(", ")}; source partitions from the scaling history only`,
  );
  return { topology: new JobTopology(infos), assumptions };
}

/** Whether the ConfigMap's state holds a scaling decided at its last sample (the tracking's record at now). */
function decidedAtNow(state: AutoscalerState): boolean {
  const history = state.collectedMetrics;
  if (history === undefined || history.isEmpty()) return false;
  return state.scalingTracking?.scalingRecords.containsKey(history.lastKey()) === true;
}

/**
 * The state as it was before the evaluation at now: a scaling decided then is taken out of
 * the scaling history and tracking (ScalingExecutor#scaleResource added them after the
 * evaluation). What it also did cannot be undone: the delayed scale-downs it voided.
 */
function rollBackDecisionAtNow(state: AutoscalerState, nowMs: number): void {
  for (const h of state.scalingHistory?.values() ?? []) h.remove(nowMs);
  for (const [v, h] of [...(state.scalingHistory ?? new Map<string, never>())]) if (h.isEmpty()) state.scalingHistory!.delete(v);
  state.scalingTracking?.scalingRecords.remove(nowMs);
}

/** Every combination of the grid's values, in order (the first key varies slowest). */
export function gridCombinations(grid: readonly { readonly key: string; readonly values: readonly string[] }[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const { key, values } of grid) out = out.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  return out;
}

/** When the job ran again after its last tracked restart, if the tracking recorded it and it fits the window. */
function jobRunningTsOf(state: AutoscalerState, firstSampleMs: number): number | undefined {
  const last = state.scalingTracking?.scalingRecords.lastEntry();
  if (last === undefined || last[1].restartDuration === null) return undefined;
  const running = last[0] + last[1].restartDuration;
  return running <= firstSampleMs ? running : undefined;
}

/** ScalingMetricCollector#updateMetrics' test: is the window full at `now`? */
function windowFullAt(history: NonNullable<AutoscalerState["collectedMetrics"]>, now: number, conf: Configuration, jobRunningTs: number | undefined): boolean {
  const windowMs = conf.get(METRICS_WINDOW);
  if (jobRunningTs !== undefined) {
    const stable = history.tailMap(jobRunningTs + conf.get(STABILIZATION_INTERVAL));
    return !stable.isEmpty() && stable.firstKey() + windowMs <= now;
  }
  // The job's start is unknown: full when the samples cover the window (a full window is trimmed to it, so within one gap).
  const keys = [...history.keys()];
  let gap = 0;
  for (let i = 1; i < keys.length; i++) gap = Math.max(gap, keys[i]! - keys[i - 1]!);
  return now - keys[0]! + gap >= windowMs;
}

function evaluateOne(input: ReplayInput, settings: Record<string, string>, deployment: Deployment, nowMs: number, names: Map<string, string>, build: (conf: Record<string, string>) => JobTopology, jobRunningTs: number | undefined): ReplayConfiguration {
  const values = { ...deployment.configuration, ...(input.set ?? {}), ...settings };
  const state = decodeAutoscalerConfigMap(input.configMap, input.configMapSource);
  rollBackDecisionAtNow(state, nowMs);
  const conf = new Configuration(values);
  const handlerEvents: { reason: string; message: string }[] = [];
  const handler: AutoScalerEventHandler<string, Ctx> = {
    handleEvent: (_ctx, _type, reason, message) => {
      handlerEvents.push({ reason, message });
    },
  };
  const ctx = new JobAutoScalerContext<string>(deployment.name ?? "replay", null, "RUNNING", conf, () => {
    throw new Error("replay has no REST client");
  });
  const store = new InMemoryAutoScalerStateStore<string, Ctx>();
  loadIntoStore(state, store, ctx);
  const messages: string[] = [];
  const previous = setLogSink((record) => messages.push(record.message));
  try {
    const topology = build(values);
    const history = store.getCollectedMetrics(ctx);
    // As the collection of `now` did (ScalingMetricCollector): finished vertices, and those
    // without busy time (LOAD NaN in the last sample), join vertex.exclude.ids.
    excludeVerticesFromScaling(conf, topology.getFinishedVertices());
    for (const [id, metrics] of history.get(nowMs)!.vertexMetrics) {
      if (!Number.isFinite(metrics.get("LOAD") ?? NaN)) excludeVertexFromScaling(conf, id);
    }
    // As runScalingLogic: tracking and history trimmed at now, then the restart time.
    const scalingTracking = getTrimmedScalingTracking(store, ctx, nowMs);
    const scalingHistory = getTrimmedScalingHistory(store, ctx, nowMs);
    const restartTime = scalingTracking.getMaxRestartTimeOrDefault(conf);
    const collected = new CollectedMetricHistory(topology, history, jobRunningTs ?? history.firstKey());
    const evaluated = new ScalingMetricEvaluator().evaluate(conf, collected, restartTime);
    initRecommendedParallelism(evaluated.vertexMetrics);
    const windowFull = windowFullAt(history, nowMs, conf, jobRunningTs);
    const executor = new ScalingExecutor<string, Ctx>(handler, store);
    executor.setClock({ instant: () => nowMs });
    const delayedScaleDown = store.getDelayedScaleDown(ctx);
    const executed = executor.scaleResource(ctx, evaluated, scalingHistory, scalingTracking, nowMs, topology, delayedScaleDown);
    const trace: ExecutorRunTrace = { messages, events: handlerEvents, executed };
    const vertices: ReplayVertex[] = [];
    for (const [vertexId, m] of evaluated.vertexMetrics) {
      const d = evaluatedVertexDecision(vertexId, m, conf, delayedScaleDown, nowMs, trace);
      // The shared decision's fields, in its order; the reason as a replay tells it (time left, not an instant).
      vertices.push({
        vertexId,
        name: names.get(vertexId) ?? vertexId,
        ...d,
        reason: d.reason.replace(/ until (-?\d+) s$/, (_, s: string) => ` for ${s} s more`),
      });
    }
    return { settings, restartTimeUsedMs: restartTime, windowFull, scales: executed && windowFull, vertices };
  } catch (e) {
    if (e instanceof ReplayError) throw e;
    const message = e instanceof IllegalConfigurationError ? e.message : `evaluation failed: ${(e as Error).message}`;
    return { settings, restartTimeUsedMs: NaN, windowFull: false, scales: false, vertices: [], error: message };
  } finally {
    setLogSink(previous);
  }
}

/** Replays the ConfigMap's window under each configuration. Throws ReplayError (one line) on bad input. */
export function replay(input: ReplayInput): ReplayResult {
  const deployment = readDeployment(input.deployment, input.deploymentSource);
  const state = decodeAutoscalerConfigMap(input.configMap, input.configMapSource);
  const history = state.collectedMetrics;
  if (history === undefined || history.size < 2) {
    throw new ReplayError(`${input.configMapSource}: ${history === undefined ? "no collectedMetrics" : `${history.size} collected sample`}; the autoscaler evaluates from 2 samples on (the job restarted or the window was just cleared)`);
  }
  const nowMs = history.lastKey();
  const firstSampleMs = history.firstKey();
  const notes: string[] = [];
  let names = new Map<string, string>();
  let assumptions: string[] = [];
  let build: (conf: Record<string, string>) => JobTopology;
  if (input.rest !== undefined) {
    const fromRest = topologyFromRest(input.rest, history);
    names = fromRest.names;
    assumptions = fromRest.assumptions;
    // A fresh topology per configuration: evaluation may mark vertices (excluded, finished).
    build = () => topologyFromRest(input.rest!, history).topology;
  } else {
    assumptions = topologyFromConfigMap(state, deployment, { ...deployment.configuration, ...(input.set ?? {}) }).assumptions;
    build = (conf) => topologyFromConfigMap(decodeAutoscalerConfigMap(input.configMap, input.configMapSource), deployment, conf).topology;
  }

  notes.push(
    `now = the last collected sample, ${instantToString(nowMs)}; ${history.size} samples from ${instantToString(firstSampleMs)}. ` +
      "The ConfigMap is written after that evaluation: a scaling decided at that sample is already in its scaling history and tracking, " +
      "and a delayed scale-down it voided is gone (replaying a changed configuration cannot bring it back).",
  );
  const atNow = decidedAtNow(state);
  rollBackDecisionAtNow(state, nowMs);
  const jobRunningTs = jobRunningTsOf(state, firstSampleMs);
  notes.push(
    jobRunningTs !== undefined
      ? `the job ran again at ${instantToString(jobRunningTs)} (the last tracked restart): window fullness follows stabilization.interval and metrics.window from then`
      : "when the job last started is not in the ConfigMap: the window counts as full when its samples cover metrics.window",
  );
  if (atNow) {
    notes.push(
      "the ConfigMap holds a scaling decided at now: it is taken out of the scaling history and tracking to replay that decision; " +
        "the delayed scale-downs it voided cannot be restored, and the job has been rescaled since (this window is its last before the restart)",
    );
  }
  const combinations = gridCombinations(input.grid ?? []);
  const configurations = combinations.map((settings) => evaluateOne(input, settings, deployment, nowMs, names, build, jobRunningTs));
  return {
    deployment: deployment.name ?? input.deploymentSource,
    nowMs,
    samples: history.size,
    firstSampleMs,
    topology: { source: input.rest !== undefined ? "rest" : "configmap", assumptions },
    notes,
    configurations,
    limits: REPLAY_LIMITS,
  };
}

const num = (x: number): string => (Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : x === -Infinity ? "-Infinity" : String(Math.round(x * 1000) / 1000));

/** The same as the text table, as one JSON value (NaN and Infinity as strings). */
export function replayJson(r: ReplayResult): unknown {
  const n = (x: number): number | string => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : num(x));
  return {
    deployment: r.deployment,
    now: instantToString(r.nowMs),
    samples: r.samples,
    first_sample: instantToString(r.firstSampleMs),
    topology: r.topology,
    notes: r.notes,
    limits: r.limits,
    configurations: r.configurations.map((c) => ({
      settings: c.settings,
      ...(c.error !== undefined ? { error: c.error } : {}),
      restart_time_used_s: Number.isNaN(c.restartTimeUsedMs) ? null : c.restartTimeUsedMs / 1000,
      window_full: c.windowFull,
      scales: c.scales,
      vertices: c.vertices.map((v) => ({
        vertex_id: v.vertexId,
        name: v.name,
        current_parallelism: v.currentParallelism,
        new_parallelism: v.newParallelism,
        true_processing_rate: n(v.trueProcessingRate),
        target_data_rate: n(v.targetDataRate),
        catch_up_data_rate: n(v.catchUpDataRate),
        scale_up_threshold: n(v.scaleUpThreshold),
        scale_down_threshold: n(v.scaleDownThreshold),
        reason: v.reason,
      })),
    })),
  };
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

/** The result as text: per vertex one row, per configuration its columns side by side. */
export function replayTable(r: ReplayResult): string {
  const lines: string[] = [];
  lines.push(`replay of ${r.deployment}: ${r.samples} samples, now = ${instantToString(r.nowMs)}`);
  lines.push(`topology: ${r.topology.source === "rest" ? "from the REST dump" : "from the ConfigMap"}`);
  for (const a of r.topology.assumptions) lines.push(`  assumed: ${a}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const labels = r.configurations.map((c, i) => {
    const s = Object.entries(c.settings).map(([k, v]) => `${k.replace(/^job\.autoscaler\./, "")}=${v}`).join(" ");
    return `[${i + 1}]${s === "" ? " as configured" : ` ${s}`}`;
  });
  lines.push("");
  r.configurations.forEach((c, i) => {
    const head = `${labels[i]}: ${c.error !== undefined ? `error: ${c.error}` : `restart time used ${formatDuration(c.restartTimeUsedMs)}; window ${c.windowFull ? "full" : "not full (would not scale yet)"}; ${c.scales ? "would scale" : "no scaling"}`}`;
    lines.push(head);
  });
  const ok = r.configurations.map((c, i) => ({ c, i })).filter(({ c }) => c.error === undefined);
  if (ok.length > 0) {
    const vertexIds = ok[0]!.c.vertices.map((v) => v.vertexId);
    const header = ["vertex", ...ok.flatMap(({ i }) => [`[${i + 1}] p`, "true rate", "target", "up thr", "down thr", "reason"])];
    const rows = [header];
    for (const id of vertexIds) {
      const first = ok[0]!.c.vertices.find((v) => v.vertexId === id)!;
      const name = first.name === id ? id : `${first.name.length > 28 ? `${first.name.slice(0, 27)}…` : first.name} (${id.slice(0, 8)})`;
      const row = [name];
      for (const { c } of ok) {
        const v = c.vertices.find((x) => x.vertexId === id);
        if (v === undefined) row.push("-", "", "", "", "", "");
        else row.push(`${v.currentParallelism}->${v.newParallelism}`, num(v.trueProcessingRate), num(v.targetDataRate), num(v.scaleUpThreshold), num(v.scaleDownThreshold), v.reason);
      }
      rows.push(row);
    }
    lines.push("", pad(rows));
  }
  lines.push("", `what replay cannot tell: ${r.limits}`);
  return `${lines.join("\n")}\n`;
}
