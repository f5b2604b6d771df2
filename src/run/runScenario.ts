import { Environment } from "../engine/Environment.ts";
import { RandomStreams } from "../engine/random.ts";
import { FlinkCluster } from "../flink/FlinkCluster.ts";
import { sampleVertices, vertexTotals } from "../flink/observe.ts";
import { RestApi } from "../flink/rest/RestApi.ts";
import { FlinkOperator } from "../operator/FlinkOperator.ts";
import { configMapYamlOfRun } from "../operator/state/runConfigMap.ts";
import { muteLogs } from "../autoscaler/utils/Logger.ts";
import { AUTOSCALER_ENABLED, SCALING_ENABLED } from "../autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../autoscaler/config/Configuration.ts";
import { csvLineWriter, csvStreamWriter, type CsvWriter } from "../record/CsvWriter.ts";
import { DECISION_COLUMNS, decisionCells, EVENT_COLUMNS, eventCells, RESTART_COLUMNS, restartCells, verticesMentioned } from "../record/operatorFiles.ts";
import { explainRestartTimes } from "../record/restartTimeExplanations.ts";
import { buildSummary, type Summary } from "../record/summary.ts";
import { NullSink, StringSink, type TextSink } from "../record/TextSink.ts";
import { SUBTASK_COLUMNS, SubtaskRecorder } from "../record/SubtaskRecorder.ts";
import { TIMESERIES_COLUMNS, TimeseriesRecorder, type TimeseriesRow } from "../record/TimeseriesRecorder.ts";
import { subtaskAssignments, type SubtaskAssignment } from "../flink/subtaskShares.ts";
import type { JobGraph } from "../flink/JobGraph.ts";
import { clusterOptionsOf } from "../scenario/clusterOptions.ts";
import type { Scenario } from "../scenario/Scenario.ts";
import { parallelismLimit } from "./parallelismLimit.ts";

/** The files of a run, in the order they are listed. */
export const RUN_FILES = ["timeseries.csv", "decisions.csv", "restarts.csv", "events.csv", "autoscaler.log", "summary.json", "configmap.yaml"] as const;
/** Files a run writes only when the scenario asks: subtasks.csv (simulation.subtasks). */
export const OPTIONAL_RUN_FILES = ["subtasks.csv"] as const;
export type RunFile = (typeof RUN_FILES)[number] | (typeof OPTIONAL_RUN_FILES)[number];

/**
 * Where a run's files go: kept in memory and returned as strings (tests, the library),
 * written through sinks as the run goes (the command line writes files in a folder,
 * src/node/FileSink.ts: memory stays flat however long the run), or nowhere (replications whose summary is all that is kept).
 */
export type RunOutput = { readonly kind: "memory" } | { readonly kind: "sinks"; readonly open: (file: RunFile) => TextSink } | { readonly kind: "none" };

export interface RunResult {
  readonly summary: Summary;
  /** File name -> content when the output was kept in memory; empty otherwise. */
  readonly files: Readonly<Record<string, string>>;
  readonly env: Environment;
  readonly cluster: FlinkCluster;
  readonly rest: RestApi;
  readonly timeseries: TimeseriesRecorder;
  readonly operator: FlinkOperator;
}

export interface RunOptions {
  readonly variant?: string;
  /** Called every `progressEveryMs` of virtual time with the virtual time reached. */
  readonly onProgress?: (virtualMs: number) => void;
  readonly progressEveryMs?: number;
  /** Called at every sample, after it is recorded (tests check invariants here). */
  readonly onSample?: (cluster: FlinkCluster, nowMs: number) => void;
  /** The event loop to run on, fresh; the benchmarks pass one that traces its schedule calls. */
  readonly environment?: Environment;
  /** Default: memory. */
  readonly output?: RunOutput;
}

function sinkFactory(output: RunOutput): { sink: (file: RunFile) => TextSink; files: (log: () => string) => Record<string, string> } {
  if (output.kind === "sinks") return { sink: output.open, files: () => ({}) };
  if (output.kind === "none") return { sink: () => new NullSink(), files: () => ({}) };
  const sinks = new Map<RunFile, StringSink>();
  return {
    sink: (file) => {
      const s = new StringSink();
      sinks.set(file, s);
      return s;
    },
    // The log kept in memory is the operator's own (its lines can be inspected).
    files: (log) => ({
      ...Object.fromEntries(RUN_FILES.map((f) => [f, f === "autoscaler.log" ? log() : (sinks.get(f)?.text() ?? "")])),
      ...Object.fromEntries(OPTIONAL_RUN_FILES.flatMap((f) => (sinks.has(f) ? [[f, sinks.get(f)!.text()]] : []))),
    }),
  };
}

/**
 * One run of a scenario, advanced in steps: the cluster deploys the job with its
 * configured parallelism, every sample interval each vertex's metrics are recorded, the
 * operator reconciles. The timeseries, the decisions and the autoscaler's log are written
 * as they happen; restarts, events and the summary when the run finishes.
 */
export class ScenarioRun {
  readonly env: Environment;
  readonly cluster: FlinkCluster;
  readonly rest: RestApi;
  readonly timeseries: TimeseriesRecorder;
  readonly operator: FlinkOperator;
  private readonly output;
  private readonly sinks;
  private readonly vertexName: ReadonlyMap<string, string>;
  private readonly decisionsWriter: CsvWriter;
  /** subtasks.csv's writer when the scenario asks for it (nothing written, nothing kept, otherwise). */
  readonly subtasks: SubtaskRecorder | null;
  private assignments: { graph: JobGraph; byVertex: Map<string, SubtaskAssignment[]> } | null = null;
  private evaluations = 0;
  private lastEvaluationMs = NaN;
  private restartTimeUsedFirstMs: number | null = null;
  private restartTimeUsedLastMs: number | null = null;
  private scaleUps = 0;
  private scaleDowns = 0;

  constructor(
    readonly scenario: Scenario,
    private readonly options: RunOptions = {},
  ) {
    const env = options.environment ?? new Environment();
    if (env.now !== 0 || env.eventsProcessed !== 0) throw new Error("ScenarioRun needs a fresh Environment");
    this.env = env;
    this.output = options.output ?? { kind: "memory" };
    this.sinks = sinkFactory(this.output);
    const streams = new RandomStreams(scenario.seed);
    const cluster = new FlinkCluster(env, streams, clusterOptionsOf(scenario));
    this.cluster = cluster;
    this.vertexName = new Map(cluster.graph.vertices.map((v) => [v.id, v.name]));
    this.rest = new RestApi(cluster, () => env.now, scenario.cluster.metricFetcherUpdateIntervalMs, scenario.fetcherServesPreviousFetch);
    // The timeseries is the one file written at every sample: the hand-written CSV writer (see README, Performance).
    const topics = [...cluster.topics.values()];
    const arrivalRate = topics.length === 0 ? null : (t: number) => topics.reduce((sum, topic) => sum + topic.produceRate(t), 0);
    this.timeseries = new TimeseriesRecorder(csvLineWriter(this.sinks.sink("timeseries.csv"), TIMESERIES_COLUMNS), this.output.kind === "memory", arrivalRate);
    // A row per vertex at every evaluation (11,454 rows in the seed's day): the hand-written writer too, same bytes.
    const decisions = csvLineWriter(this.sinks.sink("decisions.csv"), DECISION_COLUMNS);
    // p rows per vertex per sample: the hand-written writer, as the timeseries.
    this.subtasks = scenario.subtasks && this.output.kind !== "none" ? new SubtaskRecorder(csvLineWriter(this.sinks.sink("subtasks.csv"), SUBTASK_COLUMNS)) : null;
    this.operator = new FlinkOperator(env, streams, cluster, this.rest, {
      namespace: scenario.namespace,
      name: scenario.deploymentName,
      flinkConfiguration: scenario.flinkConfiguration,
      flinkVersion: scenario.flinkVersion,
      reconcileIntervalMs: scenario.reconcileIntervalMs,
      reconcileDuration: scenario.reconcileDuration,
      logLevel: scenario.logLevel,
      restart: scenario.restart,
      upgradeMode: scenario.upgradeMode,
      ...(this.output.kind === "memory" ? {} : { logSink: this.sinks.sink("autoscaler.log") }),
      keepDecisions: this.output.kind === "memory",
      onDecision: (d) => {
        if (this.output.kind !== "none") decisions.row(decisionCells(d, this.vertexName.get(d.vertexId) ?? d.vertexId));
        // The decisions of one executor run share its time: one evaluation each.
        if (d.executed) {
          if (d.newParallelism > d.currentParallelism) this.scaleUps++;
          else this.scaleDowns++;
        }
        if (d.timeMs !== this.lastEvaluationMs) {
          this.evaluations++;
          this.lastEvaluationMs = d.timeMs;
          this.restartTimeUsedFirstMs ??= d.restartTimeUsedMs;
          this.restartTimeUsedLastMs = d.restartTimeUsedMs;
        }
      },
    });
    this.decisionsWriter = decisions;

    cluster.start();
    this.operator.start();
    this.scheduleSample();
  }

  private sample(): void {
    const now = this.env.now;
    const rows: TimeseriesRow[] = sampleVertices(this.cluster, now).map((s) => ({
      timeS: now / 1000,
      vertex: s.vertex,
      parallelism: s.parallelism,
      recordsInPerS: s.recordsInPerSecond,
      recordsOutPerS: s.recordsOutPerSecond,
      busyMsPerS: s.busyTimeMsPerSecond,
      backpressuredMsPerS: s.backPressuredTimeMsPerSecond,
      idleMsPerS: s.idleTimeMsPerSecond,
      pendingRecords: s.pendingRecords,
      jobStatus: s.jobStatus,
    }));
    this.timeseries.recordSample(rows);
    if (this.subtasks !== null) this.sampleSubtasks(now);
    this.options.onSample?.(this.cluster, now);
  }

  /** subtasks.csv: each running subtask's gauges at this sample (metrics synced by sampleVertices just before). */
  private sampleSubtasks(now: number): void {
    const cluster = this.cluster;
    if (this.assignments?.graph !== cluster.graph) this.assignments = { graph: cluster.graph, byVertex: subtaskAssignments(cluster) };
    for (const v of cluster.graph.vertices) {
      const shares = this.assignments.byVertex.get(v.id)!;
      for (const t of cluster.subtasks.get(v.id) ?? []) {
        const m = t.metrics;
        const share = shares[t.index];
        this.subtasks!.record({
          timeS: now / 1000,
          vertex: v.name,
          subtask: t.index,
          recordsInPerS: v.isSource ? m.operators[0]!.numRecordsInPerSecond.getRate() : m.numRecordsInPerSecond.getRate(),
          recordsOutPerS: m.numRecordsOutPerSecond.getRate(),
          busyMsPerS: m.busyTimeMsPerSecond(),
          backpressuredMsPerS: m.backPressuredTimeMsPerSecond(),
          idleMsPerS: m.idleTime.getValue(),
          pendingRecords: m.sourceMetrics?.().get("pendingRecords"),
          assignedUnits: share?.units ?? undefined,
          inputShare: share?.share ?? NaN,
        });
      }
    }
  }

  private scheduleSample(): void {
    const interval = this.scenario.sampleIntervalMs;
    this.env.schedule(interval, () => {
      this.sample();
      if (this.env.now + interval <= this.scenario.durationMs) this.scheduleSample();
    });
  }

  /** Runs the simulation up to virtual time `untilMs` (at most the scenario's end). */
  advance(untilMs: number): void {
    const t = Math.min(untilMs, this.scenario.durationMs);
    // A run that keeps no files formats no log lines (restored after: another run may share the thread).
    const muted = muteLogs(this.output.kind === "none");
    try {
      this.env.run(t);
    } finally {
      muteLogs(muted);
    }
    this.options.onProgress?.(t);
  }

  get done(): boolean {
    return this.env.now >= this.scenario.durationMs;
  }

  /** Ends the run: the remaining files are written, every file closed, the summary built. */
  finish(): RunResult {
    const { scenario, cluster, operator, env } = this;
    if (!this.done) this.advance(scenario.durationMs);
    const totals = new Map(vertexTotals(cluster).map((t) => [t.vertexId, t]));
    const autoscalerConf = new Configuration(scenario.flinkConfiguration);
    const summary = buildSummary({
      scenario: scenario.name,
      variant: this.options.variant ?? scenario.variant,
      deployment: scenario.deploymentName,
      seed: scenario.seed,
      startTime: scenario.startTime,
      durationMs: scenario.durationMs,
      sampleIntervalMs: scenario.sampleIntervalMs,
      execution: scenario.execution,
      taskManagers: cluster.taskManagers,
      slotsPerTaskManager: scenario.cluster.slotsPerTaskManager,
      events: env.eventsProcessed,
      vertices: cluster.graph.vertices.map((v) => {
        const t = totals.get(v.id)!;
        return {
          id: v.id,
          name: v.name,
          isSource: v.isSource,
          isSink: !cluster.graph.edges.some((e) => e.source === v),
          parallelism: v.parallelism,
          maxParallelism: v.maxParallelism,
          recordsIn: t.recordsIn,
          recordsOut: t.recordsOut,
          lastOperatorRecordsIn: t.lastOperatorRecordsIn,
          busyMs: t.busyMs,
          backPressuredMs: t.backPressuredMs,
          idleMs: t.idleMs,
          parallelismLimit: parallelismLimit(v, autoscalerConf),
        };
      }),
      timeseries: this.timeseries.stats,
      flinkConfiguration: scenario.flinkConfiguration,
      warnings: scenario.warnings,
      slotHours: operator.slotHours(scenario.durationMs),
      cost: { taskManagerHours: operator.taskManagerHours(scenario.durationMs), ...scenario.resources, prices: scenario.prices },
      autoscalerOff: !autoscalerConf.get(AUTOSCALER_ENABLED)
        ? "the autoscaler is off (job.autoscaler.enabled: false)"
        : !autoscalerConf.get(SCALING_ENABLED)
          ? "the autoscaler only recommends (job.autoscaler.scaling.enabled: false)"
          : null,
      autoscaling: {
        evaluations: this.evaluations,
        scalings: operator.restarts.length,
        restarts: operator.restarts.map((r) => ({
          decisionTimeMs: r.decisionTimeMs,
          actualMs: r.runningTimeMs === null ? null : r.runningTimeMs - r.decisionTimeMs,
          untilProcessingMs: r.tasksRunningTimeMs === null ? null : r.tasksRunningTimeMs - r.decisionTimeMs,
          restartTimeUsedMs: r.restartTimeUsedMs,
          kind: r.kind,
        })),
        restartTimeUsedFirstMs: this.restartTimeUsedFirstMs,
        restartTimeUsedLastMs: this.restartTimeUsedLastMs,
        scaleUps: this.scaleUps,
        scaleDowns: this.scaleDowns,
        events: operator.events.events.length,
        restartTimeExplanations: explainRestartTimes(
          operator.restarts.map((r) => ({
            decisionTimeMs: r.decisionTimeMs,
            runningTimeMs: r.runningTimeMs,
            actualMs: r.runningTimeMs === null ? null : r.runningTimeMs - r.decisionTimeMs,
            basis: r.trackingAtDecision,
          })),
          operator.lastTracking,
          operator.trackingHistory,
        ),
      },
    });
    this.timeseries.end();
    this.subtasks?.end();
    this.decisionsWriter.end();
    if (this.output.kind !== "memory") operator.log.end();
    const restarts = csvStreamWriter(this.sinks.sink("restarts.csv"), RESTART_COLUMNS);
    for (const r of operator.restarts) {
      restarts.row(restartCells({ decisionTimeMs: r.decisionTimeMs, runningTimeMs: r.runningTimeMs, tasksRunningTimeMs: r.tasksRunningTimeMs, restartTimeUsedMs: r.restartTimeUsedMs, kind: r.kind, phases: r.plan.phases }));
    }
    restarts.end();
    const events = csvStreamWriter(this.sinks.sink("events.csv"), EVENT_COLUMNS);
    const toVirtual = (epochMs: number) => epochMs - scenario.startEpochMs;
    for (const e of operator.events.events) events.row(eventCells({ ...e, timeMs: toVirtual(e.timeMs), vertices: verticesMentioned(e.message, this.vertexName) }));
    events.end();
    const summaryFile = this.sinks.sink("summary.json");
    summaryFile.write(`${JSON.stringify(summary, null, 2)}\n`);
    summaryFile.end();
    if (this.output.kind !== "none") {
      // The autoscaler's ConfigMap as operator 1.15.0 would hold it now (src/operator/state/).
      const configMap = this.sinks.sink("configmap.yaml");
      configMap.write(configMapYamlOfRun(operator));
      configMap.end();
    }
    return { summary, files: this.sinks.files(() => operator.log.toText()), env, cluster, rest: this.rest, timeseries: this.timeseries, operator };
  }
}

/** Runs a scenario from start to end (see ScenarioRun); the files go where `options.output` says. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const run = new ScenarioRun(scenario, options);
  const step = options.progressEveryMs ?? scenario.durationMs;
  for (let t = Math.min(step, scenario.durationMs); ; t = Math.min(t + step, scenario.durationMs)) {
    run.advance(t);
    if (t >= scenario.durationMs) break;
  }
  return run.finish();
}
