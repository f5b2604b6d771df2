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
import { muteLogs, setLogSink } from "../autoscaler/utils/Logger.ts";
import type { TreeMap } from "../autoscaler/utils/TreeMap.ts";
import type { Environment } from "../engine/Environment.ts";
import { sampler, type DistributionSpec } from "../engine/distributions.ts";
import type { RandomStreams } from "../engine/random.ts";
import type { FlinkCluster } from "../flink/FlinkCluster.ts";
import { buildJobGraph } from "../flink/JobGraph.ts";
import type { RestApi } from "../flink/rest/RestApi.ts";
import { OperatorEventHandler } from "./OperatorEventHandler.ts";
import { OperatorLog } from "./OperatorLog.ts";
import { RestartModel, type RestartKind, type RestartPlan, type RestartSpec } from "../flink/restart/RestartModel.ts";
import { simulatedRestClusterClient } from "./SimulatedRestClusterClient.ts";
import type { TextSink } from "../record/TextSink.ts";
import type { TrackingSnapshot } from "../record/restartTimeExplanations.ts";
import { PREFER_TRACKED_RESTART_TIME, RESTART_TIME, TRACKED_RESTART_TIME_LIMIT } from "../autoscaler/config/AutoScalerOptions.ts";
import { evaluatedVertexDecision, type EvaluatedVertexDecision, type ExecutorRunTrace } from "./decisionReason.ts";
import { createRescaleGate, enforceMinimalIncrease, FLINK_1_18_ADAPTIVE_SCHEDULER, type RescaleGate } from "../flink/restart/AdaptiveRescale.ts";
import { isAtLeast } from "../flink/versions.ts";

export interface OperatorOptions {
  readonly namespace: string;
  readonly name: string;
  /** spec.flinkConfiguration (strings), the autoscaler's configuration. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  readonly flinkVersion: string | undefined;
  /** kubernetes.operator.reconcile.interval */
  readonly reconcileIntervalMs: number;
  /** One reconcile's own duration (ms); the next reconcile comes an interval after it ends. Default 0. */
  readonly reconcileDuration?: DistributionSpec;
  /** The lowest level the log keeps (default DEBUG). */
  readonly logLevel?: "DEBUG" | "INFO";
  readonly restart: RestartSpec;
  /** spec.job.upgradeMode (stateless by default): what a redeploy restores. */
  readonly upgradeMode?: "stateless" | "savepoint" | "last-state";
  /** Where the log goes as it is written; when absent it is kept in memory (`log.toText()`). */
  readonly logSink?: TextSink;
  /** Called with every decision as it is made; `decisions` keeps them all unless `keepDecisions` is false. */
  readonly onDecision?: (decision: DecisionRecord) => void;
  readonly keepDecisions?: boolean;
}

/** One vertex in one run of the scaling executor (its figures and reason: evaluatedVertexDecision). */
export interface DecisionRecord extends EvaluatedVertexDecision {
  readonly timeMs: number;
  readonly vertexId: string;
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
  /** Flink's RUNNING timestamp at the target parallelism (what the autoscaler measures). */
  runningTimeMs: number | null;
  /** When every task runs again at the target parallelism: processing resumes. */
  tasksRunningTimeMs: number | null;
  readonly parallelism: ReadonlyMap<string, number>;
  /** Job restarts it took: more than one when new slots arrived in batches. */
  restarts: number;
  /** What the autoscaler's restart time came from when it decided (null: a rescale without a decision). */
  readonly trackingAtDecision: TrackingSnapshot | null;
}

type Ctx = JobAutoScalerContext<string>;

/** What the recording executor hands on after each run of the scaling executor. */
interface ExecutorRun {
  readonly nowEpoch: number;
  readonly metrics: EvaluatedMetrics;
  readonly executed: boolean;
  readonly restartTimeMs: number;
  readonly trace: ExecutorRunTrace;
  readonly configuration: Configuration;
  readonly delayedScaleDown: DelayedScaleDown;
  /** The scaling records getMaxRestartTimeOrDefault read (epoch ms, restart duration). */
  readonly trackingBefore: readonly (readonly [number, number | null])[];
}

/**
 * Records what the scaling executor saw and decided at each run (a ScalingExecutor with a
 * tap): the evaluated metrics, and what it logged and which events it raised meanwhile,
 * from which each vertex's reason is read.
 */
class RecordingScalingExecutor extends ScalingExecutor<string, Ctx> {
  private capture: { messages: string[]; events: { reason: string; message: string }[] } | null = null;

  constructor(
    handler: AutoScalerEventHandler<string, Ctx>,
    store: AutoScalerStateStore<string, Ctx>,
    private readonly onRun: (run: ExecutorRun) => void,
  ) {
    const tee: AutoScalerEventHandler<string, Ctx> = {
      handleEvent: (context, type, reason, message, messageKey, interval) => {
        this.capture?.events.push({ reason, message });
        handler.handleEvent(context, type, reason, message, messageKey, interval);
      },
    };
    super(tee, store);
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
    // Read for the record with the log muted: upstream's executor calls this once per run
    // (ScalingExecutor#scaleResource, release-1.15.0) and logs "Maximum tracked restart
    // time" then; the tap must not add a second line.
    const wasMuted = muteLogs(true);
    const restartTime = scalingTracking.getMaxRestartTimeOrDefault(context.getConfiguration());
    muteLogs(wasMuted);
    const trackingBefore = scalingTracking.scalingRecords.entriesArray().map(([t, r]) => [t, r.restartDuration] as const);
    const capture = { messages: [] as string[], events: [] as { reason: string; message: string }[] };
    this.capture = capture;
    // Every record still reaches the log; the run's messages are kept besides.
    const logTo = setLogSink((record) => {
      capture.messages.push(record.message);
      logTo(record);
    });
    let executed: boolean;
    try {
      executed = super.scaleResource(context, evaluatedMetrics, scalingHistory, scalingTracking, now, jobTopology, delayedScaleDown);
    } finally {
      setLogSink(logTo);
      this.capture = null;
    }
    this.onRun({ nowEpoch: now, metrics: evaluatedMetrics, executed, restartTimeMs: restartTime, trace: { messages: capture.messages, events: capture.events, executed }, configuration: context.getConfiguration(), delayedScaleDown, trackingBefore });
    return executed;
  }
}

/**
 * Flink version v1_18 or later (every version after it too: v1_19 ... v2_2): the operator's
 * in-place scaling gate (KubernetesOperatorConfigOptions job.upgrade.inplace-scaling.enabled,
 * "for Flink 1.18+", release-1.15.0). No spec.flinkVersion: redeploy, as before.
 */
function atLeast118(version: string | undefined): boolean {
  return version !== undefined && isAtLeast(version, 1, 18);
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
  /** Every decision of the run (empty when the options say not to keep them). */
  readonly decisions: DecisionRecord[] = [];
  private lastDecision: DecisionRecord | undefined;
  /** What the restart time of the latest run of the scaling executor came from. */
  lastTracking: TrackingSnapshot | null = null;
  /** Every scaling record opened, and the duration each was given (virtual ms): restartTimeExplanations.ts reads them. */
  readonly trackingHistory: { readonly opened: number[]; readonly recorded: Map<number, number> } = { opened: [], recorded: new Map() };
  readonly restarts: RestartRecord[] = [];
  /** (virtual ms, TaskManagers) whenever the number of TaskManagers changes. */
  readonly taskManagerTimeline: [number, number][] = [];
  private readonly autoscaler: JobAutoScalerImpl<string, Ctx>;
  /** The autoscaler's state store; its content is the autoscaler's ConfigMap (src/operator/state). */
  readonly stateStore: InMemoryAutoScalerStateStore<string, Ctx>;
  private readonly restartModel: RestartModel;
  private readonly restClient;
  private restart: RestartRecord | null = null;
  /** The parallelism per vertex the job runs with, or is being restarted with. */
  private target = new Map<string, number>();
  private releaseEvent: ReturnType<Environment["schedule"]> | null = null;
  /** spec.flinkConfiguration as entries, copied into each reconcile's Configuration. */
  private readonly configuration: ReadonlyMap<string, string>;
  /** The adaptive scheduler's Executing state's rescale decisions (null while the job restarts). */
  private gate: RescaleGate | null = null;
  /** What the gate's transition does: restart the pending in-place rescale. */
  private inPlaceTransition: (() => void) | null = null;
  /** Hands the pending in-place rescale new resource requirements (null when none is pending). */
  private retargetInPlace: ((record: RestartRecord) => void) | null = null;

  constructor(
    private readonly env: Environment,
    private readonly streams: RandomStreams,
    private readonly cluster: FlinkCluster,
    rest: RestApi,
    private readonly options: OperatorOptions,
  ) {
    this.configuration = new Map(Object.entries(options.flinkConfiguration));
    const epochNow = () => cluster.epochMs(env.now);
    this.log = new OperatorLog(`${options.namespace}/${options.name}`, epochNow, options.logLevel ?? "DEBUG", options.logSink ?? null);
    this.events = new OperatorEventHandler(epochNow);
    this.restClient = simulatedRestClusterClient(rest);
    this.restartModel = new RestartModel(options.restart, streams);
    const stateStore = (this.stateStore = new InMemoryAutoScalerStateStore<string, Ctx>());
    const realizer: ScalingRealizer<string, Ctx> = {
      realizeParallelismOverrides: (_ctx, overrides) => this.realize(overrides),
      realizeConfigOverrides: () => {},
    };
    this.autoscaler = new JobAutoScalerImpl<string, Ctx>(
      new RestApiMetricsCollector(),
      new ScalingMetricEvaluator(),
      new RecordingScalingExecutor(this.events, stateStore, (run) => this.recordDecision(run)),
      this.events,
      realizer,
      stateStore,
    );
    this.autoscaler.setClock({ instant: epochNow });
  }

  /** The FlinkDeployment this operator reconciles, and the job key its state is stored under. */
  get resource(): { readonly namespace: string; readonly name: string; readonly jobKey: string } {
    return { namespace: this.options.namespace, name: this.options.name, jobKey: `${this.options.namespace}/${this.options.name}` };
  }

  /**
   * Starts the reconcile loop; the first reconcile comes one interval after deployment.
   * The operator framework schedules the next reconcile when one ends (josdk:
   * UpdateControl#rescheduleAfter, counted from the end of the reconcile), so a period is
   * the interval plus the reconcile's own duration. The autoscaler reads the cluster at the
   * reconcile's start, all in one instant of virtual time.
   */
  start(): void {
    for (const v of this.cluster.graph.vertices) this.target.set(v.id, v.parallelism);
    this.taskManagerTimeline.push([this.env.now, this.cluster.taskManagers]);
    this.enterExecuting();
    this.cluster.checkpoints?.onCompleted(() => this.gate?.onTrigger());
    const duration = sampler(this.options.reconcileDuration ?? { kind: "constant", value: 0 }, this.streams.stream("operator.reconcile"));
    const loop = () => {
      this.reconcile();
      this.env.schedule(Math.round(duration()) + this.options.reconcileIntervalMs, loop);
    };
    this.env.schedule(this.options.reconcileIntervalMs, loop);
  }

  /** One reconcile: the autoscaler runs with the job's observed status. */
  private reconcile(): void {
    const ctx = new JobAutoScalerContext<string>(
      `${this.options.namespace}/${this.options.name}`,
      this.cluster.jobId,
      this.cluster.effectiveStatus() as JobStatus,
      // A fresh configuration each reconcile, as the operator observes it (the autoscaler may add excluded vertices to it).
      new Configuration(this.configuration),
      () => this.restClient,
    );
    const previous = setLogSink(this.log.sink);
    try {
      this.autoscaler.scale(ctx);
    } finally {
      setLogSink(previous);
    }
  }

  private recordDecision(run: ExecutorRun): void {
    const { metrics, executed, configuration: conf } = run;
    const startEpochMs = this.cluster.options.startEpochMs;
    const atMs = run.nowEpoch - startEpochMs;
    const records = run.trackingBefore.map(([t, d]) => ({ startMs: t - startEpochMs, durationMs: d }));
    for (const r of records) if (r.durationMs !== null) this.trackingHistory.recorded.set(r.startMs, r.durationMs);
    // scaleResource opened a record at `now` when it scaled (ScalingTracking#addScalingRecord).
    if (executed) this.trackingHistory.opened.push(atMs);
    this.lastTracking = {
      atMs,
      usedMs: run.restartTimeMs,
      trackingEnabled: conf.get(PREFER_TRACKED_RESTART_TIME),
      restartTimeMs: conf.get(RESTART_TIME),
      limitMs: conf.get(TRACKED_RESTART_TIME_LIMIT),
      records,
    };
    for (const [vertexId, m] of metrics.vertexMetrics) {
      const d = evaluatedVertexDecision(vertexId, m, conf, run.delayedScaleDown, startEpochMs, run.trace);
      const decision: DecisionRecord = {
        timeMs: run.nowEpoch - startEpochMs,
        vertexId,
        currentParallelism: d.currentParallelism,
        newParallelism: d.newParallelism,
        trueProcessingRate: d.trueProcessingRate,
        targetDataRate: d.targetDataRate,
        catchUpDataRate: d.catchUpDataRate,
        scaleUpThreshold: d.scaleUpThreshold,
        scaleDownThreshold: d.scaleDownThreshold,
        restartTimeUsedMs: run.restartTimeMs,
        executed: executed && d.newParallelism !== d.currentParallelism,
        reason: d.reason,
      };
      this.lastDecision = decision;
      if (this.options.keepDecisions !== false) this.decisions.push(decision);
      this.options.onDecision?.(decision);
    }
  }

  /**
   * The realizer: the operator reconciles the spec change the overrides make. Nothing when the
   * job already runs, or is being rescaled, with them. During a pending in-place rescale the
   * new overrides are applied at once, as upstream does: the autoscaler's overrides go into
   * the spec (KubernetesScalingRealizer), the reconcile after it sees a spec change and
   * scales (AbstractFlinkResourceReconciler#reconcile -> #scale), and NativeFlinkService#scale
   * PUTs the new upper bounds to /jobs/:jobid/resource-requirements whatever the job is
   * doing (operator release-1.15.0). A pending redeploy never gets one: its job is not
   * RUNNING until the new JobManager has scheduled it (finishRescale), and the autoscaler
   * stores new overrides only while it is (JobAutoScalerImpl#scale).
   */
  private realize(overrides: Map<string, string>): void {
    // Mostly nothing changes (every reconcile applies the stored overrides): no copy until something does.
    let changed = false;
    for (const [id, p] of overrides) {
      const current = this.target.get(id);
      if (current !== undefined && current !== Number(p)) changed = true;
    }
    if (!changed) return;
    const wanted = new Map(this.target);
    for (const [id, p] of overrides) if (wanted.has(id)) wanted.set(id, Number(p));
    if (this.restart === null) this.startRestart(wanted);
    else if (this.restart.kind === "in-place" && this.retargetInPlace !== null) this.retargetInPlace(this.newRestartRecord("in-place", wanted));
  }

  /**
   * The job runs (again): the adaptive scheduler is in a new Executing state, whose rescale
   * gate follows the Flink version (AdaptiveRescale.ts). The previous one's timers die.
   */
  private enterExecuting(): void {
    this.gate?.close();
    const settings = this.options.restart.adaptiveScheduler ?? FLINK_1_18_ADAPTIVE_SCHEDULER;
    const running = () => new Map(this.cluster.graph.vertices.map((v) => [v.id, v.parallelism]));
    // What the slots at hand allow: with one slot sharing group, each vertex min(target, slots).
    const achievable = (): Map<string, number> | null => {
      const record = this.restart;
      if (record === null || record.kind !== "in-place") return null;
      const total = this.cluster.slotsTotal();
      return new Map([...record.parallelism].map(([id, p]) => [id, Math.min(p, total)]));
    };
    const changes = (): boolean => {
      const next = achievable();
      const now = running();
      return next !== null && [...next].some(([id, p]) => now.get(id) !== p);
    };
    this.gate = createRescaleGate(settings.policy, {
      now: () => this.env.now,
      schedule: (delayMs, action) => {
        const handle = this.env.schedule(delayMs, action);
        return () => this.env.cancel(handle);
      },
      shouldRescale: (force) => {
        const next = achievable();
        if (next === null) return false;
        return force ? changes() : enforceMinimalIncrease(running(), next, settings.minParallelismIncrease);
      },
      hasSufficientResources: changes,
      hasDesiredResources: () => {
        const record = this.restart;
        if (record === null || !changes()) return false;
        return this.cluster.slotsTotal() >= Math.max(...record.parallelism.values());
      },
      transition: () => {
        this.gate = null;
        this.inPlaceTransition?.();
      },
    });
  }

  private restartKind(): RestartKind {
    const conf = this.options.flinkConfiguration;
    const adaptive = conf["jobmanager.scheduler"]?.toLowerCase() === "adaptive";
    const inPlace = (conf["kubernetes.operator.job.upgrade.inplace-scaling.enabled"] ?? "true").toLowerCase() !== "false";
    return atLeast118(this.options.flinkVersion) && adaptive && inPlace ? "in-place" : "redeploy";
  }

  /** The slots and TaskManagers the job needs at `parallelism` (one slot sharing group). */
  private needs(parallelism: ReadonlyMap<string, number>): { slots: number; taskManagers: number } {
    const graph = buildJobGraph(this.cluster.options.job, { ...this.cluster.options.graph, parallelismOverrides: new Map(parallelism) });
    const slots = Math.max(...graph.vertices.map((v) => v.parallelism));
    return { slots, taskManagers: Math.ceil(slots / this.cluster.options.slotsPerTaskManager) };
  }

  /** A rescale decided now: the restart record it will fill, now the pending one. */
  private newRestartRecord(kind: RestartKind, parallelism: Map<string, number>): RestartRecord {
    const record: RestartRecord = {
      kind,
      decisionTimeMs: this.env.now,
      restartTimeUsedMs: this.lastDecision?.restartTimeUsedMs ?? NaN,
      plan: { kind, phases: [] },
      runningTimeMs: null,
      tasksRunningTimeMs: null,
      parallelism: new Map(parallelism),
      restarts: 0,
      trackingAtDecision: this.lastTracking,
    };
    this.restart = record;
    this.restarts.push(record);
    this.target = parallelism;
    if (this.releaseEvent !== null) {
      this.env.cancel(this.releaseEvent);
      this.releaseEvent = null;
    }
    return record;
  }

  private startRestart(parallelism: Map<string, number>): void {
    const kind = this.restartKind();
    const record = this.newRestartRecord(kind, parallelism);
    const needs = this.needs(parallelism);
    if (kind === "in-place") this.rescaleInPlace(record, needs.slots, needs.taskManagers);
    else this.redeploy(record, needs.taskManagers);
  }

  /**
   * A full redeploy: the cluster goes down and a new JobManager comes up and schedules the
   * job with the new parallelism. The job is RUNNING as soon as it is scheduled
   * (DefaultScheduler#startSchedulingInternal calls transitionToRunning before the
   * scheduling strategy deploys anything, flink-runtime release-1.18.1); in native
   * Kubernetes mode its TaskManager pods are requested only then, and its tasks deploy and
   * restore once their slots arrive. So the RUNNING timestamp the autoscaler tracks comes
   * before the pods, the deployment and the state restore; processing resumes after them.
   */
  private redeploy(record: RestartRecord, neededTaskManagers: number): void {
    const plan = this.restartModel.planRedeploy();
    // What the new job restores (operator 1.15.0 upgrade modes): stateless nothing, savepoint
    // the state at the stop (a savepoint is taken on the way down), last-state the latest checkpoint.
    const mode = this.options.upgradeMode ?? "stateless";
    const restoresState = mode === "savepoint" || (mode === "last-state" && this.cluster.checkpoints?.latest != null);
    if (this.cluster.hasState()) {
      const snapshot = mode === "stateless" ? null : mode === "savepoint" ? this.cluster.stateSnapshot() : undefined;
      const ms = this.cluster.restoreMs(record.parallelism, snapshot);
      plan.phases.forEach((p, i) => {
        if (p.name === "restore") plan.phases[i] = { name: "restore", ms };
      });
    }
    record.plan.phases.push(...plan.phases);
    record.restarts = 1;
    this.gate?.close();
    this.gate = null;
    this.cluster.cancelTasks("CANCELLING");
    const phase = (name: string) => plan.phases.find((p) => p.name === name)?.ms ?? 0;
    const down = phase("shutdown");
    const scheduled = down + phase("jobManagerStart");
    this.env.schedule(down, () => {
      this.cluster.setJobStatus("CANCELED");
      this.setTaskManagers(0);
    });
    const untilTasksRun = phase("podStart") + phase("deploy") + phase("restore");
    this.env.schedule(scheduled, () => {
      this.cluster.startJobManager();
      this.cluster.setJobStatus("INITIALIZING");
      this.cluster.redeployJob(record.parallelism, untilTasksRun, restoresState);
      this.enterExecuting();
      this.finishRescale(record, neededTaskManagers, untilTasksRun);
    });
    this.env.schedule(scheduled + phase("podStart"), () => this.setTaskManagers(neededTaskManagers));
  }

  /**
   * An in-place rescale on Flink 1.18's adaptive scheduler (flink-runtime
   * scheduler/adaptive/Executing#maybeRescale, WaitingForResources; release-1.18.1): the
   * job keeps RUNNING at its old parallelism while new TaskManager pods start. When it
   * restarts is the version's rescale gate (AdaptiveRescale.ts): on 1.18 as soon as the
   * slots it has let its parallelism change (min-parallelism-increase 1): at once for a
   * scale-down, else when the first new slot arrives; 1.19/1.20 after scaling-interval.min;
   * 2.x on a checkpoint after the cooldown. After the cancel it waits for the desired slots,
   * at most resource-stabilization-timeout once it has sufficient ones, and runs with what
   * it has; slots arriving later restart it again. The job is RUNNING (a new timestamp)
   * when its tasks are deployed; they run after deploy and restore.
   */
  private rescaleInPlace(first: RestartRecord, firstSlots: number, firstTaskManagers: number): void {
    const spec = this.restartModel.spec;
    let record = first;
    let slots = firstSlots;
    let neededTaskManagers = firstTaskManagers;
    let restarting = false;
    let waitingSince = -1;
    let stabilizationEvent: ReturnType<Environment["schedule"]> | null = null;
    /** When the phase under way began: waiting for pods, then for resources. */
    let phaseMark = this.env.now;
    /** When the last requested pod started (its TaskManager registered). */
    let lastPodAt = -Infinity;
    /** TaskManager pods requested and not started yet, in the order they will start. */
    const pendingPods: { readonly at: number; readonly event: ReturnType<Environment["schedule"]> }[] = [];
    const achievable = () => {
      const total = this.cluster.slotsTotal();
      return new Map([...record.parallelism].map(([id, p]) => [id, Math.min(p, total)]));
    };
    const differs = (a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>) => [...a].some(([id, p]) => b.get(id) !== p);

    // Executing -> Restarting: what the version's rescale gate triggers (1.18: at once).
    const restart = () => {
      if (restarting || this.restart !== record) return;
      restarting = true;
      record.restarts++;
      const cancel = this.restartModel.draw("in-place", "cancel", spec.inPlace.cancel);
      // Until the restart: first the wait for requested pods, then the rest, the version's
      // rescale gate holding a job that has its pods (a cooldown, a checkpoint to wait for).
      const podsMs = (pendingPods.length > 0 ? this.env.now : Math.max(lastPodAt, phaseMark)) - phaseMark;
      const gateMs = this.env.now - phaseMark - podsMs;
      record.plan.phases.push({ name: "pods", ms: podsMs });
      if (gateMs > 0) record.plan.phases.push({ name: "gate", ms: gateMs });
      record.plan.phases.push({ name: "cancel", ms: cancel });
      this.cluster.cancelTasks("RESTARTING");
      this.env.schedule(cancel, () => {
        this.cluster.setJobStatus("CREATED");
        waitingSince = this.env.now;
        waitForResources();
      });
    };
    this.inPlaceTransition = restart;
    const waitForResources = () => {
      if (!restarting || waitingSince < 0) return;
      if (this.cluster.slotsTotal() >= slots) {
        createExecutionGraph();
      } else if (stabilizationEvent === null) {
        stabilizationEvent = this.env.schedule(spec.resourceStabilizationTimeoutMs, createExecutionGraph);
      }
    };
    const createExecutionGraph = () => {
      if (stabilizationEvent !== null) this.env.cancel(stabilizationEvent);
      stabilizationEvent = null;
      record.plan.phases.push({ name: "resources", ms: this.env.now - waitingSince });
      phaseMark = this.env.now;
      waitingSince = -1;
      restarting = false;
      const parallelism = achievable();
      const deploy = this.restartModel.draw("in-place", "deploy", spec.inPlace.deploy);
      // With keyed state, the restore is the download of the latest checkpoint's key groups.
      const restore = this.cluster.hasState() ? this.cluster.restoreMs(parallelism) : this.restartModel.draw("in-place", "restore", spec.inPlace.restore);
      if (this.cluster.hasState()) record.plan.phases.push({ name: "restore", ms: restore });
      this.cluster.redeployJob(parallelism, deploy + restore);
      this.enterExecuting();
      if (!differs(parallelism, record.parallelism)) {
        this.retargetInPlace = null;
        for (const pod of pendingPods) this.env.cancel(pod.event);
        pendingPods.length = 0;
        this.finishRescale(record, neededTaskManagers, deploy + restore);
      }
    };
    const requestPod = () => {
      const ms = this.restartModel.draw("in-place", "podStart", spec.inPlace.podStart);
      const pod = {
        at: this.env.now + ms,
        event: this.env.schedule(ms, () => {
          pendingPods.splice(pendingPods.indexOf(pod), 1);
          lastPodAt = this.env.now;
          this.setTaskManagers(this.cluster.taskManagers + 1);
          if (restarting) waitForResources();
          else if (this.restart === record) this.gate?.onChange();
        }),
      };
      pendingPods.push(pod);
      pendingPods.sort((x, y) => x.at - y.at);
    };
    // The ResourceManager's answer to the job's declared resources (ActiveResourceManager
    // #checkResourceDeclarations, flink-runtime release-1.18.1): pods for the missing
    // TaskManagers; with fewer needed, workers not yet registered are released first (here
    // the pods that would start last), and registered ones stay until the rescale is over.
    const declareResources = () => {
      let missing = neededTaskManagers - this.cluster.taskManagers - pendingPods.length;
      for (; missing > 0; missing--) requestPod();
      while (missing < 0 && pendingPods.length > 0) {
        this.env.cancel(pendingPods.pop()!.event);
        missing++;
      }
    };
    // A new resource-requirements update while this rescale is pending (AdaptiveScheduler
    // #updateJobResourceRequirements, release-1.18.1): the desired resources are declared
    // again, and the state reacts if it is a ResourceListener: Executing re-runs maybeRescale,
    // WaitingForResources checks for desired or sufficient resources; Restarting does not
    // react, and the WaitingForResources after it uses the new requirements.
    this.retargetInPlace = (next) => {
      record = next;
      const needs = this.needs(next.parallelism);
      slots = needs.slots;
      neededTaskManagers = needs.taskManagers;
      phaseMark = this.env.now;
      declareResources();
      if (restarting) {
        waitForResources();
        return;
      }
      const running = new Map(this.cluster.graph.vertices.map((v) => [v.id, v.parallelism]));
      if (!differs(next.parallelism, running)) {
        // Back to what the job runs with: no restart; Executing has nothing to change.
        this.retargetInPlace = null;
        for (const pod of pendingPods) this.env.cancel(pod.event);
        pendingPods.length = 0;
        this.endRescale(neededTaskManagers);
        return;
      }
      this.gate?.onChange();
    };
    declareResources();
    // The operator's resource-requirements update (Executing#onNewResourceRequirements).
    this.gate?.onChange();
  }

  /**
   * The job is RUNNING with the target parallelism again (its tasks run `untilTasksRunMs`
   * later): the rescale is over; surplus TaskManagers go idle.
   */
  private finishRescale(record: RestartRecord, neededTaskManagers: number, untilTasksRunMs: number): void {
    record.runningTimeMs = this.env.now;
    record.tasksRunningTimeMs = this.env.now + untilTasksRunMs;
    this.endRescale(neededTaskManagers);
  }

  /** No rescale is pending any more (also one that needed no restart: it has no RUNNING timestamp). */
  private endRescale(neededTaskManagers: number): void {
    this.restart = null;
    if (this.cluster.taskManagers > neededTaskManagers) {
      // Idle TaskManagers go away after resourcemanager.taskmanager-timeout.
      this.releaseEvent = this.env.schedule(this.options.restart.taskManagerIdleTimeoutMs, () => {
        this.releaseEvent = null;
        this.setTaskManagers(neededTaskManagers);
      });
    }
  }

  private setTaskManagers(n: number): void {
    if (n === this.cluster.taskManagers) return;
    this.cluster.taskManagers = n;
    this.taskManagerTimeline.push([this.env.now, n]);
  }

  /**
   * TaskManager-hours until `endMs`: each TaskManager from its registration (its pod started)
   * until it goes (idle timeout, or a redeploy's shutdown), through in-place restarts.
   */
  taskManagerHours(endMs: number): number {
    const timeline = this.taskManagerTimeline;
    let total = 0;
    for (let i = 0; i < timeline.length; i++) {
      const to = i + 1 < timeline.length ? timeline[i + 1]![0] : endMs;
      total += (timeline[i]![1] * (to - timeline[i]![0])) / 3_600_000;
    }
    return total;
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
