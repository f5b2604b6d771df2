import { Environment } from "../src/engine/Environment.ts";
import { RandomStreams } from "../src/engine/random.ts";
import { FlinkCluster } from "../src/flink/FlinkCluster.ts";
import { sampleVertices, vertexTotals } from "../src/flink/observe.ts";
import { RestApi } from "../src/flink/rest/RestApi.ts";
import { FlinkOperator } from "../src/operator/FlinkOperator.ts";
import { decisionsCsv, eventsCsv, restartsCsv, verticesMentioned } from "../src/record/operatorFiles.ts";
import { buildSummary, type Summary } from "../src/record/summary.ts";
import { TimeseriesRecorder } from "../src/record/TimeseriesRecorder.ts";
import { clusterOptionsOf } from "../src/scenario/clusterOptions.ts";
import type { Scenario } from "../src/scenario/loadScenario.ts";

export interface RunResult {
  readonly summary: Summary;
  /** File name -> content, ready for writeRunFiles. */
  readonly files: Record<string, string>;
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
}

/**
 * Runs a scenario from start to end: the cluster deploys the job with its configured
 * parallelism, every sample interval each vertex's metrics are recorded, and at the end
 * the files of the run are rendered (not written: the caller decides where).
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const env = options.environment ?? new Environment();
  if (env.now !== 0 || env.eventsProcessed !== 0) throw new Error("runScenario needs a fresh Environment");
  const streams = new RandomStreams(scenario.seed);
  const cluster = new FlinkCluster(env, streams, clusterOptionsOf(scenario));
  const rest = new RestApi(cluster, () => env.now, scenario.cluster.metricFetcherUpdateIntervalMs, scenario.fetcherServesPreviousFetch);
  const timeseries = new TimeseriesRecorder();

  const sample = () => {
    const now = env.now;
    for (const s of sampleVertices(cluster, now)) {
      timeseries.record({
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
      });
    }
    options.onSample?.(cluster, now);
  };
  const scheduleSample = () => {
    env.schedule(scenario.sampleIntervalMs, () => {
      sample();
      if (env.now + scenario.sampleIntervalMs <= scenario.durationMs) scheduleSample();
    });
  };

  const operator = new FlinkOperator(env, streams, cluster, rest, {
    namespace: scenario.namespace,
    name: scenario.deploymentName,
    flinkConfiguration: scenario.flinkConfiguration,
    flinkVersion: scenario.flinkVersion,
    reconcileIntervalMs: scenario.reconcileIntervalMs,
    restart: scenario.restart,
  });

  cluster.start();
  operator.start();
  scheduleSample();
  const step = options.progressEveryMs ?? scenario.durationMs;
  for (let t = Math.min(step, scenario.durationMs); ; t = Math.min(t + step, scenario.durationMs)) {
    env.run(t);
    options.onProgress?.(t);
    if (t >= scenario.durationMs) break;
  }

  const totals = new Map(vertexTotals(cluster).map((t) => [t.vertexId, t]));
  const summary = buildSummary({
    scenario: scenario.name,
    variant: options.variant ?? scenario.variant,
    deployment: scenario.deploymentName,
    seed: scenario.seed,
    startTime: scenario.startTime,
    durationMs: scenario.durationMs,
    sampleIntervalMs: scenario.sampleIntervalMs,
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
        busyMs: t.busyMs,
        backPressuredMs: t.backPressuredMs,
        idleMs: t.idleMs,
      };
    }),
    timeseries: timeseries.rows,
    flinkConfiguration: scenario.flinkConfiguration,
    warnings: scenario.warnings,
    slotHours: operator.slotHours(scenario.durationMs),
    autoscaling: {
      evaluations: new Set(operator.decisions.map((d) => d.timeMs)).size,
      scalings: operator.restarts.length,
      restarts: operator.restarts.map((r) => ({
        decisionTimeMs: r.decisionTimeMs,
        actualMs: r.runningTimeMs === null ? null : r.runningTimeMs - r.decisionTimeMs,
        restartTimeUsedMs: r.restartTimeUsedMs,
        kind: r.kind,
      })),
      restartTimesUsedMs: [...new Map(operator.decisions.map((d) => [d.timeMs, d.restartTimeUsedMs])).values()],
      lastRescaleRunningMs: operator.restarts.at(-1)?.runningTimeMs ?? null,
      events: operator.events.events.length,
    },
  });
  const vertexName = new Map(cluster.graph.vertices.map((v) => [v.id, v.name]));
  const toVirtual = (epochMs: number) => epochMs - scenario.startEpochMs;
  const files = {
    "timeseries.csv": timeseries.toCsv(),
    "decisions.csv": decisionsCsv(operator.decisions.map((d) => ({ ...d, vertex: vertexName.get(d.vertexId) ?? d.vertexId }))),
    "restarts.csv": restartsCsv(
      operator.restarts.map((r) => ({
        decisionTimeMs: r.decisionTimeMs,
        runningTimeMs: r.runningTimeMs,
        restartTimeUsedMs: r.restartTimeUsedMs,
        kind: r.kind,
        phases: r.plan.phases,
      })),
    ),
    "events.csv": eventsCsv(operator.events.events.map((e) => ({ ...e, timeMs: toVirtual(e.timeMs), vertices: verticesMentioned(e.message, vertexName) }))),
    "autoscaler.log": operator.log.toText(),
    "summary.json": `${JSON.stringify(summary, null, 2)}\n`,
  };
  return { summary, files, env, cluster, rest, timeseries, operator };
}
