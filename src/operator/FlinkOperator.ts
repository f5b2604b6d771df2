import { Configuration } from "../autoscaler/config/Configuration.ts";
import type { DelayedScaleDown } from "../autoscaler/DelayedScaleDown.ts";
import type { AutoScalerEventHandler } from "../autoscaler/event/AutoScalerEventHandler.ts";
import { JobAutoScalerContext, type JobStatus } from "../autoscaler/JobAutoScalerContext.ts";
import { JobAutoScalerImpl } from "../autoscaler/JobAutoScalerImpl.ts";
import type { EvaluatedMetrics } from "../autoscaler/metrics/EvaluatedMetrics.ts";
import type { ScalingRealizer } from "../autoscaler/realizer/ScalingRealizer.ts";
import { RestApiMetricsCollector } from "../autoscaler/RestApiMetricsCollector.ts";
import { ScalingExecutor } from "../autoscaler/ScalingExecutor.ts";
import { ScalingMetricEvaluator } from "../autoscaler/ScalingMetricEvaluator.ts";
import type { ScalingSummary } from "../autoscaler/ScalingSummary.ts";
import type { ScalingTracking } from "../autoscaler/ScalingTracking.ts";
import type { AutoScalerStateStore } from "../autoscaler/state/AutoScalerStateStore.ts";
import { InMemoryAutoScalerStateStore } from "../autoscaler/state/InMemoryAutoScalerStateStore.ts";
import type { JobTopology } from "../autoscaler/topology/JobTopology.ts";
import { setLogSink } from "../autoscaler/utils/Logger.ts";
import type { TreeMap } from "../autoscaler/utils/TreeMap.ts";
import type { Environment } from "../engine/Environment.ts";
import type { RandomStreams } from "../engine/random.ts";
import type { FlinkCluster } from "../flink/FlinkCluster.ts";
import { buildJobGraph } from "../flink/JobGraph.ts";
import type { RestApi } from "../flink/rest/RestApi.ts";
import { OperatorEventHandler } from "./OperatorEventHandler.ts";
import { OperatorLog } from "./OperatorLog.ts";
import { RestartModel, type RestartKind, type RestartPlan, type RestartSpec } from "../flink/restart/RestartModel.ts";
import { simulatedRestClusterClient } from "./SimulatedRestClusterClient.ts";

export interface OperatorOptions {
  readonly namespace: string;
  readonly name: string;
  /** spec.flinkConfiguration (strings), the autoscaler's configuration. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  readonly flinkVersion: string | undefined;
  /** kubernetes.operator.reconcile.interval */
  readonly reconcileIntervalMs: number;
  readonly restart: RestartSpec;
}

/** One vertex in one run of the scaling executor. */
export interface DecisionRecord {
  readonly timeMs: number;
  readonly vertexId: string;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  readonly trueProcessingRate: number;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  readonly restartTimeUsedMs: number;
  readonly executed: boolean;
}

/** One rescale, from the decision to RUNNING again. */
export interface RestartRecord {
  readonly kind: RestartKind;
  readonly decisionTimeMs: number;
  /** The restart time the autoscaler used when it decided. */
  readonly restartTimeUsedMs: number;
  readonly plan: RestartPlan;
  runningTimeMs: number | null;
  readonly parallelism: ReadonlyMap<string, number>;
}

type Ctx = JobAutoScalerContext<string>;

/** Records what the scaling executor saw and decided at each run (a ScalingExecutor with a tap). */
class RecordingScalingExecutor extends ScalingExecutor<string, Ctx> {
  constructor(
    handler: AutoScalerEventHandler<string, Ctx>,
    store: AutoScalerStateStore<string, Ctx>,
    private readonly onRun: (now: number, metrics: EvaluatedMetrics, executed: boolean, restartTimeMs: number) => void,
  ) {
    super(handler, store);
  }

  override scaleResource(
    context: Ctx,
    evaluatedMetrics: EvaluatedMetrics,
    scalingHistory: Map<string, TreeMap<ScalingSummary>>,
    scalingTracking: ScalingTracking,
    now: number,
    jobTopology: JobTopology,
    delayedScaleDown: DelayedScaleDown,
  ): boolean {
    const restartTime = scalingTracking.getMaxRestartTimeOrDefault(context.getConfiguration());
    const executed = super.scaleResource(context, evaluatedMetrics, scalingHistory, scalingTracking, now, jobTopology, delayedScaleDown);
    this.onRun(now, evaluatedMetrics, executed, restartTime);
    return executed;
  }
}

/** Flink version v1_18 or later. */
function atLeast118(version: string | undefined): boolean {
  const m = /^v(\d+)_(\d+)$/.exec(version ?? "");
  return m !== null && (Number(m[1]) > 1 || Number(m[2]) >= 18);
}

/**
 * The simulated Flink Kubernetes Operator for one FlinkDeployment: it reconciles every
 * reconcile interval, calls the autoscaler while the job runs, and realizes parallelism
 * overrides by rescaling in place (Flink >= 1.18, adaptive scheduler, in-place scaling
 * enabled) or by redeploying, each restart taking the time its drawn phases add up to.
 */
export class FlinkOperator {
  readonly log: OperatorLog;
  readonly events: OperatorEventHandler<string>;
  readonly decisions: DecisionRecord[] = [];
  readonly restarts: RestartRecord[] = [];
  /** (virtual ms, TaskManagers) whenever the number of TaskManagers changes. */
  readonly taskManagerTimeline: [number, number][] = [];
  private readonly autoscaler: JobAutoScalerImpl<string, Ctx>;
  private readonly restartModel: RestartModel;
  private readonly restClient;
  private restart: RestartRecord | null = null;
  /** The parallelism per vertex the job runs with, or is being restarted with. */
  private target = new Map<string, number>();
  private releaseEvent: ReturnType<Environment["schedule"]> | null = null;

  constructor(
    private readonly env: Environment,
    streams: RandomStreams,
    private readonly cluster: FlinkCluster,
    rest: RestApi,
    private readonly options: OperatorOptions,
  ) {
    const epochNow = () => cluster.epochMs(env.now);
    this.log = new OperatorLog(`${options.namespace}/${options.name}`, epochNow);
    this.events = new OperatorEventHandler(epochNow);
    this.restClient = simulatedRestClusterClient(rest);
    this.restartModel = new RestartModel(options.restart, streams);
    const stateStore = new InMemoryAutoScalerStateStore<string, Ctx>();
    const realizer: ScalingRealizer<string, Ctx> = {
      realizeParallelismOverrides: (_ctx, overrides) => this.realize(overrides),
      realizeConfigOverrides: () => {},
    };
    this.autoscaler = new JobAutoScalerImpl<string, Ctx>(
      new RestApiMetricsCollector(),
      new ScalingMetricEvaluator(),
      new RecordingScalingExecutor(this.events, stateStore, (now, metrics, executed, restartTime) => this.recordDecision(now, metrics, executed, restartTime)),
      this.events,
      realizer,
      stateStore,
    );
    this.autoscaler.setClock({ instant: epochNow });
  }

  /** Starts the reconcile loop; the first reconcile comes one interval after deployment. */
  start(): void {
    for (const v of this.cluster.graph.vertices) this.target.set(v.id, v.parallelism);
    this.taskManagerTimeline.push([this.env.now, this.cluster.taskManagers]);
    const loop = () => {
      this.reconcile();
      this.env.schedule(this.options.reconcileIntervalMs, loop);
    };
    this.env.schedule(this.options.reconcileIntervalMs, loop);
  }

  /** One reconcile: the autoscaler runs with the job's observed status. */
  private reconcile(): void {
    const ctx = new JobAutoScalerContext<string>(
      `${this.options.namespace}/${this.options.name}`,
      this.cluster.jobId,
      this.cluster.getStatus() as JobStatus,
      new Configuration(this.options.flinkConfiguration),
      () => this.restClient,
    );
    const previous = setLogSink(this.log.sink);
    try {
      this.autoscaler.scale(ctx);
    } finally {
      setLogSink(previous);
    }
  }

  private recordDecision(nowEpoch: number, metrics: EvaluatedMetrics, executed: boolean, restartTimeMs: number): void {
    for (const [vertexId, m] of metrics.vertexMetrics) {
      const current = m.get("PARALLELISM")!.getCurrent();
      const recommended = m.get("RECOMMENDED_PARALLELISM")?.getCurrent() ?? current;
      this.decisions.push({
        timeMs: nowEpoch - this.cluster.options.startEpochMs,
        vertexId,
        currentParallelism: current,
        newParallelism: recommended,
        trueProcessingRate: m.get("TRUE_PROCESSING_RATE")!.getAverage(),
        targetDataRate: m.get("TARGET_DATA_RATE")!.getAverage(),
        catchUpDataRate: m.get("CATCH_UP_DATA_RATE")!.getCurrent(),
        scaleUpThreshold: m.get("SCALE_UP_RATE_THRESHOLD")!.getCurrent(),
        scaleDownThreshold: m.get("SCALE_DOWN_RATE_THRESHOLD")!.getCurrent(),
        restartTimeUsedMs: restartTimeMs,
        executed: executed && recommended !== current,
      });
    }
  }

  /** The realizer: new parallelism overrides start a rescale unless the job already runs, or is restarting, with them. */
  private realize(overrides: Map<string, string>): void {
    const wanted = new Map(this.target);
    for (const [id, p] of overrides) if (wanted.has(id)) wanted.set(id, Number(p));
    const changed = [...wanted].some(([id, p]) => this.target.get(id) !== p);
    if (!changed || this.restart !== null) return;
    this.startRestart(wanted);
  }

  private restartKind(): RestartKind {
    const conf = this.options.flinkConfiguration;
    const adaptive = conf["jobmanager.scheduler"]?.toLowerCase() === "adaptive";
    const inPlace = (conf["kubernetes.operator.job.upgrade.inplace-scaling.enabled"] ?? "true").toLowerCase() !== "false";
    return atLeast118(this.options.flinkVersion) && adaptive && inPlace ? "in-place" : "redeploy";
  }

  private startRestart(parallelism: Map<string, number>): void {
    const kind = this.restartKind();
    const overrides = new Map(parallelism);
    const graph = buildJobGraph(this.cluster.options.job, { ...this.cluster.options.graph, parallelismOverrides: overrides });
    const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
    const neededTaskManagers = Math.ceil(slots / this.cluster.options.slotsPerTaskManager);
    const needsNew = neededTaskManagers > this.cluster.taskManagers;
    const plan = this.restartModel.plan(kind, kind === "redeploy" || needsNew);
    const decision = this.decisions.length > 0 ? this.decisions[this.decisions.length - 1]! : undefined;
    const record: RestartRecord = {
      kind,
      decisionTimeMs: this.env.now,
      restartTimeUsedMs: decision?.restartTimeUsedMs ?? NaN,
      plan,
      runningTimeMs: null,
      parallelism: overrides,
    };
    this.restart = record;
    this.restarts.push(record);
    this.target = parallelism;
    if (this.releaseEvent !== null) {
      this.env.cancel(this.releaseEvent);
      this.releaseEvent = null;
    }

    this.cluster.cancelTasks(kind === "in-place" ? "RESTARTING" : "CANCELLING");
    let t = 0;
    for (const phase of plan.phases) {
      t += phase.ms;
      const at = t;
      if (phase.name === "cancel") this.env.schedule(at, () => this.cluster.setJobStatus("CREATED"));
      if (phase.name === "shutdown") {
        this.env.schedule(at, () => {
          this.cluster.setJobStatus("CANCELED");
          this.setTaskManagers(0);
        });
      }
      if (phase.name === "jobManagerStart") this.env.schedule(at, () => this.cluster.setJobStatus("INITIALIZING"));
      if (phase.name === "podStart") this.env.schedule(at, () => this.setTaskManagers(Math.max(neededTaskManagers, this.cluster.taskManagers)));
    }
    this.env.schedule(t, () => {
      this.cluster.redeployJob(overrides);
      record.runningTimeMs = this.env.now;
      this.restart = null;
      if (this.cluster.taskManagers > neededTaskManagers) {
        // Idle TaskManagers go away after resourcemanager.taskmanager-timeout.
        this.releaseEvent = this.env.schedule(this.options.restart.taskManagerIdleTimeoutMs, () => {
          this.releaseEvent = null;
          this.setTaskManagers(neededTaskManagers);
        });
      }
    });
  }

  private setTaskManagers(n: number): void {
    if (n === this.cluster.taskManagers) return;
    this.cluster.taskManagers = n;
    this.taskManagerTimeline.push([this.env.now, n]);
  }

  /** Slot-hours used until `endMs`. */
  slotHours(endMs: number): number {
    let total = 0;
    const timeline = this.taskManagerTimeline;
    for (let i = 0; i < timeline.length; i++) {
      const [from, tms] = timeline[i]!;
      const to = i + 1 < timeline.length ? timeline[i + 1]![0] : endMs;
      total += (tms * this.cluster.options.slotsPerTaskManager * (to - from)) / 3_600_000;
    }
    return total;
  }
}
