import { md5Hex } from "./md5.ts";
import type { Environment } from "../engine/Environment.ts";
import { mean, sampler, sumSampler } from "../engine/distributions.ts";
import type { RandomStreams } from "../engine/random.ts";
import { buildJobGraph, type JobEdge, type JobGraph, type JobGraphOptions, type JobSpec, type JobVertex } from "./JobGraph.ts";
import { TaskMetrics } from "./metrics/TaskMetrics.ts";
import { FLINK_1_18_TIMER_GAUGE, UPDATE_INTERVAL_SECONDS, type TimerGaugeSemantics } from "./metrics/TimerGauge.ts";
import { InputGate, LocalInputChannel, RemoteInputChannel, type InputChannel } from "./network/InputGate.ts";
import { recordsPerBuffer, type NetworkConfig } from "./network/NetworkConfig.ts";
import { ResultPartition } from "./network/ResultPartition.ts";
import { connectedConsumers, createChannelSelector, DEFAULT_KEYS, KeyRouting, type ShipStrategy } from "./partitioners.ts";
import { RateLimiter } from "./runtime/RateLimiter.ts";
import { KafkaTopic, splitOwner } from "./sources/KafkaTopic.ts";
import { LoadProfile } from "./sources/LoadProfile.ts";
import { DatagenReader, KafkaReader, LegacyDatagenReader, type SourceReader } from "./sources/SourceReader.ts";
import { DEFAULT_MAX_POLL_RECORDS, FetchingKafkaReader } from "./sources/KafkaFetcher.ts";
import type { PythonBundling } from "./runtime/PythonBundle.ts";
import { Subtask, type ChainedOperator, type TaskOutput } from "./runtime/Subtask.ts";
import { TwoInputHead, type JoinContents } from "./runtime/TwoInputHead.ts";
import { ThreadSleep } from "./runtime/ThreadSleep.ts";
import type { AsyncIo } from "./runtime/AsyncWaitQueue.ts";
import type { TaskRuntime } from "./runtime/TaskRuntime.ts";
import { FluidNetwork, type FluidChannel, type KeyedSplit } from "./aggregate/FluidNetwork.ts";
import { FluidDatagenSource, FluidKafkaSource, type FluidSource } from "./aggregate/FluidSources.ts";
import { FluidTask } from "./aggregate/FluidTask.ts";
import { FluidLegacyDatagenSource } from "./aggregate/FluidLegacyDatagen.ts";
import { FluidPython } from "./aggregate/FluidPython.ts";
import { FluidTwoInput, fluidInput, type FluidJoinContents } from "./aggregate/FluidTwoInput.ts";
import { CheckpointCoordinator, type CheckpointSettings } from "./state/CheckpointCoordinator.ts";
import { restoreBytesPerTaskManager, restoreTimeMs, stateBytes, type RestoreMode, type VertexStateSnapshot } from "./state/KeyedState.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import { joinStateBytes, keyTransfer } from "./state/JoinState.ts";
import { FluidCpu } from "./aggregate/FluidCpu.ts";
import { CpuScheduler, directRunner, type CpuRunner } from "./cpu/CpuScheduler.ts";
import { mayContend, peakDemand } from "./cpu/contention.ts";
import type { TaskManagerCpu } from "./cpu/TaskManagerCpu.ts";

/**
 * How tasks move records: one by one through buffers (`record`), or as flows per time
 * slice (`aggregate`, FluidNetwork), whose cost does not grow with the record rate.
 */
export type ExecutionMode = "record" | "aggregate";

/** The aggregate mode's time slice: a second, five to each view update. */
export const AGGREGATE_SLICE_MS = 1000;

/** Flink's JobStatus values, in the order the REST API lists them. */
export const JOB_STATUSES = [
  "INITIALIZING",
  "CREATED",
  "RUNNING",
  "FAILING",
  "FAILED",
  "CANCELLING",
  "CANCELED",
  "FINISHED",
  "RESTARTING",
  "SUSPENDED",
  "RECONCILING",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface ClusterOptions {
  readonly job: JobSpec;
  readonly graph: JobGraphOptions;
  readonly network: NetworkConfig;
  /** taskmanager.numberOfTaskSlots */
  readonly slotsPerTaskManager: number;
  /** How far apart a deployment's tasks start (ms; default TASK_START_SPREAD_MS); 0 for hand-timed tests. */
  readonly taskStartSpreadMs?: number;
  /** The wall-clock instant virtual time 0 stands for (epoch ms). */
  readonly startEpochMs: number;
  /** The TimerGauge of the job's Flink version (span, FLINK-35764 double count). */
  readonly timerGauge?: TimerGaugeSemantics;
  /** python.fn-execution.bundle.size and .time (ms); Flink's defaults 1000 and 1000 ms when absent. */
  readonly pythonBundle?: { readonly size: number; readonly timeMs: number };
  /** record (default) or aggregate; see `aggregateUnsupported` for what aggregate cannot run. */
  readonly execution?: ExecutionMode;
  /** The TaskManagers' CPU (request, limit, nodes); undefined: CPUs never limit. */
  readonly cpu?: TaskManagerCpu;
  /** Checkpoints and state restore (absent: no checkpoints, restarts restore nothing the state model knows). */
  readonly state?: StateOptions;
}

/** Checkpointing and restore settings of a cluster whose job has keyed state. */
export interface StateOptions {
  /** execution.checkpointing.interval / min-pause; null: checkpointing disabled. */
  readonly checkpoints: CheckpointSettings | null;
  /** How long a checkpoint takes, trigger to completion (ms). */
  readonly checkpointDuration: DistributionSpec;
  /** incremental (RocksDB incremental checkpoints) or full (heap, or RocksDB full). */
  readonly restoreMode: RestoreMode;
  /** Download bandwidth per TaskManager, bytes per second. */
  readonly bytesPerSecondPerTaskManager: number;
}

/** The TaskManagers' CPU as aggregateUnsupported needs it. */
export interface AggregateCpuContext {
  readonly cpu: TaskManagerCpu;
  readonly slotsPerTaskManager: number;
}

/**
 * Why the aggregate mode cannot run `job`, or null when it can. It models Python bundles
 * (FluidPython) and the legacy datagen source (FluidLegacyDatagenSource), but not a Python
 * worker slowed by its TaskManager's CPU: refused when a Python operator spends CPU
 * (cpuShare > 0) and a TaskManager's slots, each running every operator at once, could
 * want more cores than its limit (or share a node with others).
 */
export function aggregateUnsupported(job: JobSpec, context?: AggregateCpuContext): string | null {
  const python = job.operators.find((op) => op.python !== undefined && (op.cpuShare ?? 1) > 0);
  if (python === undefined || context === undefined) return null;
  const { cpu, slotsPerTaskManager } = context;
  const perSlot = job.operators.reduce((sum, op) => sum + peakDemand([op]), 0);
  if (cpu.nodes === undefined && perSlot * slotsPerTaskManager <= cpu.limitCores) return null;
  return `operator ${python.id} runs in Python on a CPU that can be short (${perSlot * slotsPerTaskManager} cores wanted per TaskManager at most, ${cpu.limitCores} its limit${cpu.nodes !== undefined ? ", nodes shared" : ""}), which the aggregate mode does not model for Python workers`;
}

/** A FORWARD edge whose two ends differ in parallelism cannot stay forward: Flink would rebalance. */
function effectiveStrategy(strategy: ShipStrategy, producers: number, consumers: number): ShipStrategy {
  return strategy === "FORWARD" && producers !== consumers ? "REBALANCE" : strategy;
}

/** Which input of its target's head operator an edge feeds: its place among the head's `inputs` (0 for a one-input head). */
function inputIndex(edge: JobEdge): number {
  const inputs = edge.target.operators[0]!.inputs;
  return inputs === undefined ? 0 : Math.max(0, inputs.findIndex((i) => i.from === edge.from));
}

/** The partitions of a topic reader `index` of `parallelism` is assigned, as KafkaSourceEnumerator assigns them. */
function assignedPartitions(topic: string, partitions: number, index: number, parallelism: number): number[] {
  return Array.from({ length: partitions }, (_, p) => p).filter((p) => splitOwner(topic, p, parallelism) === index);
}

/** A channel with both of its ends, for inspection. */
export interface ChannelView {
  readonly edge: number;
  readonly producer: Subtask;
  readonly consumer: Subtask;
  readonly channel: InputChannel;
}

/**
 * The simulated Flink cluster running one job: the job graph deployed as subtasks in
 * TaskManager slots, wired by channels, with the view updater refreshing every
 * subtask's gauges and meters every 5 s. Slot sharing puts subtask i of every vertex
 * into slot i; slot i lives in TaskManager floor(i / slotsPerTaskManager).
 */
/**
 * How far apart the tasks of one deployment start (ms): each task's start is drawn uniformly
 * within it. An assumption, not read in a source or fitted to a trace: tens of ms, as task
 * submissions and thread starts take; what matters is that the starts, and so each task's
 * timers, are not on one instant and not on the clock's whole milliseconds.
 */
export const TASK_START_SPREAD_MS = 50;

export class FlinkCluster {
  readonly jobId: string;
  graph: JobGraph;
  readonly subtasks = new Map<string, TaskRuntime[]>();
  readonly channels: ChannelView[] = [];
  private registeredTaskManagers = 0;
  /** Increases with every deployment of the job (a restart deploys new task attempts). */
  deployments = 0;
  /**
   * JobManager processes started so far: the first with the cluster, one more with each
   * redeploy (an in-place rescale keeps its JobManager). Each has its own MetricFetcher.
   */
  jobManagerStarts = 1;
  /**
   * Each TaskManager process's ViewUpdater (its next tick), by TaskManager index: created
   * when the first task there registers its metrics, gone with the process.
   */
  private readonly viewUpdaters = new Map<number, ReturnType<Environment["schedule"]>>();
  /** When every task of the current deployment has started (their starts are spread). */
  private tasksRunningEvent: ReturnType<Environment["schedule"]> | null = null;
  /** The load profile of each source operator (by operator id). */
  readonly loads = new Map<string, LoadProfile>();
  /** The topic of each Kafka source operator (by operator id): it outlives restarts. */
  readonly topics = new Map<string, KafkaTopic>();
  /** The Kafka readers of the current deployment (read-only use: tests of the fetcher). */
  readonly readers: (KafkaReader | FetchingKafkaReader | FluidKafkaSource)[] = [];
  /** The aggregate mode's network of the current deployment. */
  private fluid: FluidNetwork | null = null;
  /** Record mode's shared CPUs of the current deployment, when any can be short. */
  private cpuScheduler: CpuScheduler | null = null;
  /** Totals of cancelled task attempts, per vertex, so that run totals survive restarts. */
  readonly retired = new Map<string, { recordsIn: number; recordsOut: number; lastOperatorRecordsIn: number; busyMs: number; backPressuredMs: number; idleMs: number }>();
  private status: JobStatus = "INITIALIZING";
  /** Every task of the current deployment is RUNNING (not DEPLOYING or INITIALIZING). */
  private tasksRunning = false;
  private taskStartEvent: ReturnType<Environment["schedule"]> | null = null;
  private readonly statusTimestamps = new Map<JobStatus, number>();
  /** Periodic checkpoints, when execution.checkpointing.interval is set. */
  readonly checkpoints: CheckpointCoordinator | null = null;
  /** The join heads of the current deployment, per join vertex (record mode, aggregate mode). */
  private readonly joinHeads = new Map<string, TwoInputHead[]>();
  private readonly fluidJoins = new Map<string, FluidTwoInput[]>();
  /** Each join vertex's contents when its last tasks were cancelled, per subtask; what the next deployment restores. */
  private readonly joinsAtStop = new Map<string, { readonly record: JoinContents[]; readonly fluid: FluidJoinContents[] }>();
  /** Whether the next deployment restores the joins' contents (see redeployJob). */
  private restoreJoins = false;

  constructor(
    private readonly env: Environment,
    private readonly streams: RandomStreams,
    readonly options: ClusterOptions,
  ) {
    this.graph = buildJobGraph(options.job, options.graph);
    for (const op of options.job.operators) {
      const source = op.source;
      if (source === undefined) continue;
      const load = new LoadProfile(source.load, source.noise, streams.stream(`load/${op.id}`));
      this.loads.set(op.id, load);
      if (source.connector === "kafka") {
        // The producers' tick grid has its own phase: they do not start with the cluster's clock.
        const phase = 1 - streams.stream(`topic-phase/${op.id}`)();
        this.topics.set(op.id, new KafkaTopic(env, source.topic, source.partitions, load, source.initialBacklog, undefined, phase));
      }
    }
    if ((options.execution ?? "record") === "aggregate") {
      const why = aggregateUnsupported(options.job, options.cpu === undefined ? undefined : { cpu: options.cpu, slotsPerTaskManager: options.slotsPerTaskManager });
      if (why !== null) throw new Error(`aggregate execution: ${why}`);
    }
    this.jobId = md5Hex(`job:${options.job.name}`);
    const cp = options.state?.checkpoints;
    if (cp != null) {
      const duration = sampler(options.state!.checkpointDuration, streams.stream("checkpoint/duration"));
      this.checkpoints = new CheckpointCoordinator(env, cp, streams.stream("checkpoint/initial-delay"), duration, () => this.allTasksRunning(), () => this.stateSnapshot());
    }
    this.taskManagers = Math.ceil(this.slotsRequired() / options.slotsPerTaskManager);
  }

  /** TaskManagers registered with the JobManager. Fewer: the processes gone take their ViewUpdaters with them. */
  get taskManagers(): number {
    return this.registeredTaskManagers;
  }

  set taskManagers(n: number) {
    this.registeredTaskManagers = n;
    for (const [tm, tick] of this.viewUpdaters) {
      if (tm < n) continue;
      this.env.cancel(tick);
      this.viewUpdaters.delete(tm);
    }
  }

  /** Slots the job needs: with one slot sharing group, its largest parallelism. */
  slotsRequired(): number {
    return Math.max(...this.graph.vertices.map((v) => v.parallelism));
  }

  slotsTotal(): number {
    return this.taskManagers * this.options.slotsPerTaskManager;
  }

  getStatus(): JobStatus {
    return this.status;
  }

  /** Whether every task of a RUNNING job has finished deploying and restoring. */
  allTasksRunning(): boolean {
    return this.status === "RUNNING" && this.tasksRunning;
  }

  /**
   * The status the operator reports (JobStatusUtils / AbstractFlinkService#getEffectiveStatus,
   * operator 1.8.0 to 1.15.0): RUNNING with any task not yet running counts as CREATED.
   */
  effectiveStatus(): JobStatus {
    return this.status === "RUNNING" && !this.tasksRunning ? "CREATED" : this.status;
  }

  /** When the job last entered `status`, in epoch ms (0: never). */
  statusTimestamp(status: JobStatus): number {
    return this.statusTimestamps.get(status) ?? 0;
  }

  /** The wall-clock instant of virtual time `ms`. */
  epochMs(ms = this.env.now): number {
    return this.options.startEpochMs + Math.floor(ms);
  }

  private setStatus(status: JobStatus): void {
    this.status = status;
    this.statusTimestamps.set(status, this.epochMs());
  }

  /** Submits and deploys the job; it is RUNNING at once (deployment time is the restart model's business). */
  start(): void {
    this.setStatus("INITIALIZING");
    this.setStatus("CREATED");
    this.deploy();
    this.setStatus("RUNNING");
    this.checkpoints?.startScheduler();
    this.startTasks();
    for (const topic of this.topics.values()) topic.start(this.options.execution === "aggregate");
  }

  /**
   * Cancels every task (a restart or a redeploy begins): nothing is processed, in-flight
   * data is dropped, and the job shows `status` until it is deployed again.
   */
  cancelTasks(status: JobStatus): void {
    this.syncMetrics();
    this.keepJoinContents();
    this.checkpoints?.stopScheduler();
    this.fluid?.stop();
    this.fluid = null;
    this.cpuScheduler?.stop();
    this.cpuScheduler = null;
    if (this.taskStartEvent !== null) this.env.cancel(this.taskStartEvent);
    this.taskStartEvent = null;
    if (this.tasksRunningEvent !== null) this.env.cancel(this.tasksRunningEvent);
    this.tasksRunningEvent = null;
    this.tasksRunning = false;
    for (const [vertexId, tasks] of this.subtasks) {
      const v = this.vertex(vertexId);
      const r = this.retired.get(vertexId) ?? { recordsIn: 0, recordsOut: 0, lastOperatorRecordsIn: 0, busyMs: 0, backPressuredMs: 0, idleMs: 0 };
      for (const t of tasks) {
        t.stop();
        r.recordsIn += v.isSource ? t.metrics.operators[0]!.numRecordsIn.count : t.metrics.numRecordsIn.count;
        r.recordsOut += t.metrics.numRecordsOut.count;
        r.lastOperatorRecordsIn += t.metrics.operators.at(-1)!.numRecordsIn.count;
        const time = t.timeInStates();
        r.busyMs += time.busy;
        r.backPressuredMs += time.backpressured;
        r.idleMs += time.idle;
      }
      this.retired.set(vertexId, r);
    }
    this.subtasks.clear();
    this.channels.length = 0;
    for (const r of this.readers) r.close();
    this.readers.length = 0;
    this.setStatus(status);
  }

  /**
   * Deploys the job again with `parallelismOverrides` (pipeline.jobvertex-parallelism-overrides
   * on top of the configured ones): new task attempts, new counters, a new RUNNING timestamp.
   * The tasks deploy and restore for `taskStartMs` before they run: meanwhile the job is
   * RUNNING and its effective status CREATED. `restoresState`: whether the deployment
   * restores the job's keyed state (default: when a checkpoint has completed); the joins'
   * buffered contents are restored then, else they start empty (see keepJoinContents).
   */
  redeployJob(parallelismOverrides: ReadonlyMap<string, number>, taskStartMs = 0, restoresState = this.checkpoints?.latest != null): void {
    this.restoreJoins = restoresState;
    const overrides = new Map([...this.options.graph.parallelismOverrides, ...parallelismOverrides]);
    this.graph = buildJobGraph(this.options.job, { ...this.options.graph, parallelismOverrides: overrides });
    this.setStatus("CREATED");
    this.setStatus("RUNNING");
    this.checkpoints?.startScheduler();
    if (taskStartMs <= 0) {
      this.deploy();
      this.startTasks();
      return;
    }
    this.taskStartEvent = this.env.schedule(taskStartMs, () => {
      this.taskStartEvent = null;
      // Counters and gauges start with the task (TaskIOMetricGroup's taskStartTime).
      this.deploy();
      this.startTasks();
    });
  }

  /**
   * Whether any operator of the job has keyed state the restore downloads: a `state:` block,
   * or a join's buffered contents when checkpoints are taken (without checkpoints a restart
   * of a join-only job restores nothing and keeps the restart model's drawn restore phase).
   */
  hasState(): boolean {
    const ops = this.options.job.operators;
    return ops.some((op) => op.state !== undefined) || (this.checkpoints !== null && ops.some((op) => op.join !== undefined));
  }

  /**
   * Keeps the join vertices' contents at the cancel of their tasks (a cancel before the
   * tasks were deployed keeps the contents kept before). The simulator's sources do not
   * rewind to a checkpoint's offsets on a restart: a Kafka reader resumes where it stopped,
   * a datagen source produces from now. Flink's restore of the checkpoint's buffers plus
   * the replay of the records read after the checkpoint brings a join's buffers back to
   * their contents at the stop; without a replay, those contents are what the join
   * resumes with (the replay's duplicate output and extra load are left out, as for every
   * operator).
   */
  private keepJoinContents(): void {
    const now = this.env.now;
    for (const [id, heads] of this.joinHeads) this.joinsAtStop.set(id, { record: heads.map((h) => h.contents(now)), fluid: [] });
    for (const [id, heads] of this.fluidJoins) this.joinsAtStop.set(id, { record: [], fluid: heads.map((h) => h.contents()) });
    this.joinHeads.clear();
    this.fluidJoins.clear();
  }

  /**
   * Per new subtask of join vertex `v`, the old subtasks' contents with the share of them
   * its keys carry; null when the deployment restores nothing for `v`.
   */
  private joinRestoreShares(v: JobVertex): Float64Array[] | null {
    const kept = this.joinsAtStop.get(v.id);
    if (!this.restoreJoins || kept === undefined) return null;
    const oldParallelism = Math.max(kept.record.length, kept.fluid.length);
    if (oldParallelism === 0) return null;
    const edge = this.graph.edges.find((e) => e.target === v && inputIndex(e) === 0)!;
    return keyTransfer(edge.keys ?? DEFAULT_KEYS, v.maxParallelism, oldParallelism, v.parallelism);
  }

  /** Records a join vertex's subtasks buffer now (window contents, interval buffers). */
  joinRecords(vertexId: string): number {
    const now = this.env.now;
    let records = 0;
    for (const h of this.joinHeads.get(vertexId) ?? []) records += h.bufferedRecords(now);
    for (const h of this.fluidJoins.get(vertexId) ?? []) records += h.bufferedRecords();
    return records;
  }

  /**
   * The keyed state of every stateful job vertex now (its operators' sizes summed, a join's
   * buffered records x the record size included), at the parallelism it runs with.
   */
  stateSnapshot(): VertexStateSnapshot[] {
    this.syncMetrics();
    const out: VertexStateSnapshot[] = [];
    for (const v of this.graph.vertices) {
      const stateful = v.operators.filter((op) => op.state !== undefined);
      if (stateful.length === 0 && v.operators[0]!.join === undefined) continue;
      const retired = this.retired.get(v.id)?.recordsIn ?? 0;
      let live = 0;
      for (const t of this.subtasks.get(v.id) ?? []) live += v.isSource ? t.metrics.operators[0]!.numRecordsIn.count : t.metrics.numRecordsIn.count;
      let bytes = stateful.reduce((sum, op) => sum + stateBytes(op.state!, retired + live), 0);
      bytes += joinStateBytes(this.joinRecords(v.id), this.options.network.recordSizeBytes);
      out.push({ vertexId: v.id, bytes, parallelism: v.parallelism, maxParallelism: v.maxParallelism });
    }
    return out;
  }

  /**
   * How long restoring `snapshot` (default: the latest completed checkpoint; none: nothing
   * to restore) takes at `parallelism`: the slowest TaskManager's download (KeyedState.ts).
   */
  restoreMs(parallelism: ReadonlyMap<string, number>, snapshot: readonly VertexStateSnapshot[] | null = this.checkpoints?.latest?.state ?? null): number {
    const state = this.options.state;
    if (state === undefined || snapshot === null || snapshot.length === 0) return 0;
    const perTm = restoreBytesPerTaskManager(snapshot, parallelism, this.options.slotsPerTaskManager, state.restoreMode);
    return restoreTimeMs(perTm, state.bytesPerSecondPerTaskManager);
  }

  /**
   * Starts each task at its own start time (record mode spreads them, see deploy); the job's
   * tasks are all running when the last has started.
   */
  private startTasks(): void {
    let last = this.env.now;
    for (const tasks of this.subtasks.values()) {
      for (const t of tasks) {
        const at = t.metrics.startMs;
        last = Math.max(last, at);
        const start = () => {
          this.registerViews(this.taskManagerOf(t.index));
          t.start();
        };
        if (at <= this.env.now) start();
        else this.env.scheduleAt(at, start);
      }
    }
    this.fluid?.start();
    if (last <= this.env.now) {
      this.tasksRunning = true;
      return;
    }
    this.tasksRunningEvent = this.env.scheduleAt(last, () => {
      this.tasksRunningEvent = null;
      this.tasksRunning = true;
    });
  }

  /**
   * Brings the aggregate mode's flows up to now, so that metrics read now are current
   * (record mode's are always current). Call before reading any task's metrics.
   */
  syncMetrics(): void {
    this.fluid?.advanceTo(this.env.now);
  }

  /** The job's status history: a status entered again keeps its latest time, as Flink's timestamps do. */
  /** A new JobManager process (a redeploy): its REST endpoint's metric store starts empty. */
  startJobManager(): void {
    this.jobManagerStarts++;
  }

  setJobStatus(status: JobStatus): void {
    this.setStatus(status);
  }

  vertex(id: string): JobVertex {
    const v = this.graph.vertices.find((x) => x.id === id);
    if (v === undefined) throw new Error(`no job vertex ${id}`);
    return v;
  }

  private taskManagerOf(subtaskIndex: number): number {
    return Math.floor(subtaskIndex / this.options.slotsPerTaskManager);
  }

  /**
   * Per TaskManager of the deployment: whether its CPU can be short (else its work runs
   * without the CPU model). Subtask i of every vertex shares slot i (one slot sharing
   * group: DefaultSlotAssigner#createExecutionSlotSharingGroups, Flink 1.18.1).
   */
  private contendedTaskManagers(): boolean[] {
    const cpu = this.options.cpu;
    const count = this.taskManagerOf(this.slotsRequired() - 1) + 1;
    if (cpu === undefined) return new Array<boolean>(count).fill(false);
    const peak = new Array<number>(count).fill(0);
    for (const v of this.graph.vertices) {
      const d = peakDemand(v.operators);
      for (let i = 0; i < v.parallelism; i++) peak[this.taskManagerOf(i)]! += d;
    }
    return mayContend(peak, cpu);
  }

  /** The CPU runner of each TaskManager for record mode (a CpuScheduler's where the CPU can be short). */
  private cpuRunners(): CpuRunner[] {
    const contended = this.contendedTaskManagers();
    const direct = directRunner(this.env);
    if (!contended.includes(true)) return contended.map(() => direct);
    const scheduler = new CpuScheduler(this.env, contended.length, this.options.cpu!);
    this.cpuScheduler = scheduler;
    return contended.map((c, p) => (c ? scheduler.runner(p) : direct));
  }

  private deploy(): void {
    if (this.options.execution === "aggregate") {
      this.deployAggregate();
      return;
    }
    this.deployments++;
    const { network } = this.options;
    const perBuffer = recordsPerBuffer(network);
    const now = this.env.now;
    const inputEdges = this.inputEdgeCounts();

    // Input gates first, so producers can attach channels to them.
    const gates = new Map<string, InputGate[]>();
    for (const v of this.graph.vertices) {
      const n = inputEdges.get(v.id) ?? 0;
      if (n === 0) continue;
      const config = { ...network, floatingBuffersPerGate: network.floatingBuffersPerGate * n };
      gates.set(v.id, Array.from({ length: v.parallelism }, () => new InputGate(config)));
    }

    const outputs = new Map<string, TaskOutput[][]>();
    const wiring: { edge: number; producer: string; i: number; consumer: string; j: number; channel: InputChannel }[] = [];
    this.graph.edges.forEach((edge, edgeIndex) => {
      const producers = edge.source.parallelism;
      const consumers = edge.target.parallelism;
      const strategy = effectiveStrategy(edge.shipStrategy, producers, consumers);
      const perProducer = outputs.get(edge.source.id) ?? Array.from({ length: producers }, () => []);
      outputs.set(edge.source.id, perProducer);
      // HASH connects every producer to every consumer: one routing table serves them all.
      const keyRouting = strategy === "HASH" ? new KeyRouting(edge.keys ?? DEFAULT_KEYS, edge.target.maxParallelism, consumers) : undefined;
      const input = inputIndex(edge);
      for (let i = 0; i < producers; i++) {
        const targets = connectedConsumers(strategy, i, producers, consumers);
        const partition = new ResultPartition(targets.length, network, perBuffer, strategy === "BROADCAST");
        targets.forEach((j, k) => {
          const gate = gates.get(edge.target.id)![j]!;
          const sub = partition.subpartitions[k]!;
          const channel =
            this.taskManagerOf(i) === this.taskManagerOf(j) ? new LocalInputChannel(sub, gate) : new RemoteInputChannel(sub, gate, network);
          channel.input = input;
          gate.channels.push(channel);
          wiring.push({ edge: edgeIndex, producer: edge.source.id, i, consumer: edge.target.id, j, channel });
        });
        const selector = createChannelSelector({
          strategy,
          channels: targets.length,
          maxParallelism: edge.target.maxParallelism,
          keys: edge.keys,
          random: this.streams.stream(`partitioner/${edgeIndex}/${i}`),
          ...(keyRouting !== undefined ? { keyRouting } : {}),
        });
        perProducer[i]!.push(strategy === "BROADCAST" ? { partition, selector, broadcast: true } : { partition, selector });
      }
    });

    const recordTasks = new Map<string, Subtask[]>();
    const runners = this.cpuRunners();
    // The tasks of a deployment do not start at one instant: the JobManager submits them one
    // by one and each TaskManager starts each task's thread when the submission arrives
    // (Execution#deploy -> TaskExecutor#submitTask, release-1.18.1). Each task's timers (its
    // output flusher, its source's schedule, its metrics' start) run from its own start.
    const startOffset = this.streams.stream("task-start");
    for (const v of this.graph.vertices) {
      const head = v.operators[0]!;
      const collisions = head.join === undefined ? null : this.joinCollisions(v);
      const restoreShares = head.join === undefined ? null : this.joinRestoreShares(v);
      const kept = this.joinsAtStop.get(v.id)?.record ?? [];
      const heads: TwoInputHead[] = [];
      const tasks = Array.from({ length: v.parallelism }, (_, i) => {
        const chain: ChainedOperator[] = v.operators.map((op) => ({
          spec: op,
          cost: sampler(op.cost, this.streams.stream(`cost/${op.id}/${i}`)),
          carry: 0,
        }));
        const startMs = now + startOffset() * (this.options.taskStartSpreadMs ?? TASK_START_SPREAD_MS);
        const metrics = this.taskMetrics(v, startMs);
        const reader = this.sourceReader(head.id, i, v.parallelism, startMs, runners[this.taskManagerOf(i)]!);
        if (reader !== null) metrics.sourceMetrics = () => reader.metrics();
        // SourceStreamTask#init: setEnableBusyTime(false) for legacy sources.
        if (reader?.legacy === true) metrics.busyTimeEnabled = false;
        const pythonIndex = v.operators.findIndex((op) => op.python !== undefined);
        const twoInput =
          head.inputs === undefined
            ? null
            : new TwoInputHead(
                head.inputs.map((input) => ({ cost: sampler(input.cost, this.streams.stream(`cost/${head.id}/${input.from}/${i}`)), selectivity: input.selectivity })),
                head.join,
                collisions?.[i] ?? 0,
              );
        if (twoInput !== null && head.join !== undefined) {
          heads.push(twoInput);
          if (restoreShares !== null) twoInput.restore(kept.map((contents, a) => ({ contents, share: restoreShares[a]![i]! })));
        }
        const python: PythonBundling | null =
          pythonIndex < 0
            ? null
            : {
                index: pythonIndex,
                bundleSize: this.options.pythonBundle?.size ?? 1000,
                bundleTimeMs: this.options.pythonBundle?.timeMs ?? 1000,
                overhead: sampler(v.operators[pythonIndex]!.python!.overhead, this.streams.stream(`python-overhead/${v.operators[pythonIndex]!.id}/${i}`)),
              };
        return new Subtask(
          this.env,
          v.id,
          i,
          this.taskManagerOf(i),
          chain,
          metrics,
          gates.get(v.id)?.[i] ?? null,
          outputs.get(v.id)?.[i] ?? [],
          reader,
          network.bufferTimeoutMs,
          python,
          runners[this.taskManagerOf(i)]!,
          twoInput,
          this.asyncIo(v, i),
          // A source thread's timed sleeps: whole ms and a wake-up latency of its own (ThreadSleep).
          reader === null ? null : new ThreadSleep(this.streams.stream(`wake-up/${head.id}/${i}`)),
        );
      });
      this.subtasks.set(v.id, tasks);
      recordTasks.set(v.id, tasks);
      if (head.join !== undefined) this.joinHeads.set(v.id, heads);
    }
    this.joinsAtStop.clear();
    for (const w of wiring) {
      this.channels.push({
        edge: w.edge,
        producer: recordTasks.get(w.producer)![w.i]!,
        consumer: recordTasks.get(w.consumer)![w.j]!,
        channel: w.channel,
      });
    }
  }

  /** The async I/O operator ending vertex `v`'s chain, as subtask `index` runs it; null when there is none. */
  private asyncIo(v: JobVertex, index: number): AsyncIo | null {
    const op = v.operators[v.operators.length - 1]!;
    if (op.async === undefined) return null;
    return {
      capacity: op.async.capacity,
      ordered: op.async.ordered,
      latency: sampler(op.async.latency, this.streams.stream(`async-latency/${op.id}/${index}`)),
      timeoutMs: op.async.timeoutMs ?? Infinity,
      selectivity: op.selectivity,
    };
  }

  /**
   * Deploys the job for the aggregate mode: a FluidTask per subtask, in topological order,
   * and a FluidChannel per pair of connected subtasks, with the share of its producer's
   * records the edge's partitioner gives it and the records its buffers hold.
   */
  private deployAggregate(): void {
    this.deployments++;
    const { network } = this.options;
    const perBuffer = recordsPerBuffer(network);
    const now = this.env.now;
    const tasks: FluidTask[] = [];
    const first = new Map<string, number>();
    const outgoing = new Set(this.graph.edges.map((e) => e.source.id));
    const inputEdges = this.inputEdgeCounts();
    for (const v of this.graph.vertices) {
      first.set(v.id, tasks.length);
      const vertexTasks: FluidTask[] = [];
      const restoreShares = v.operators[0]!.join === undefined ? null : this.joinRestoreShares(v);
      const kept = this.joinsAtStop.get(v.id)?.fluid ?? [];
      const joins: FluidTwoInput[] = [];
      for (let i = 0; i < v.parallelism; i++) {
        const metrics = this.taskMetrics(v, now);
        const source = this.fluidSource(v.operators[0]!.id, i, v.parallelism, now);
        if (source !== null) metrics.sourceMetrics = () => source.metrics();
        // SourceStreamTask#init: setEnableBusyTime(false) for legacy sources.
        if (source?.legacy === true) metrics.busyTimeEnabled = false;
        const chain = v.operators.map((op) => ({ spec: op, costSum: sumSampler(op.cost, this.streams.stream(`cost/${op.id}/${i}`)) }));
        const head = v.operators[0]!;
        const twoInput =
          head.inputs === undefined
            ? null
            : new FluidTwoInput(
                head.inputs.map((input) => fluidInput(input.cost, sumSampler(input.cost, this.streams.stream(`cost/${head.id}/${input.from}/${i}`)), input.selectivity)),
                head.join,
                head.join === undefined ? 0 : this.joinCollisions(v)[i]!,
                now,
              );
        if (twoInput !== null && head.join !== undefined) {
          joins.push(twoInput);
          if (restoreShares !== null) twoInput.restore(kept.map((contents, a) => ({ contents, share: restoreShares[a]![i]! })));
        }
        const task = new FluidTask(v.id, i, chain, metrics, source, outgoing.has(v.id), Math.max(0, network.bufferTimeoutMs), twoInput);
        const pythonIndex = v.operators.findIndex((op) => op.python !== undefined);
        if (pythonIndex >= 0) {
          const py = v.operators[pythonIndex]!;
          const overhead = py.python!.overhead;
          const config = {
            index: pythonIndex,
            bundleSize: this.options.pythonBundle?.size ?? 1000,
            bundleTimeMs: this.options.pythonBundle?.timeMs ?? 1000,
            overhead,
            overheadSum: sumSampler(overhead, this.streams.stream(`python-overhead/${py.id}/${i}`)),
          };
          task.python = new FluidPython(config, chain, metrics, outgoing.has(v.id), source !== null, source?.legacy === true, now);
        }
        vertexTasks.push(task);
        tasks.push(task);
      }
      this.subtasks.set(v.id, vertexTasks);
      if (joins.length > 0) this.fluidJoins.set(v.id, joins);
    }
    this.joinsAtStop.clear();
    const channels: FluidChannel[] = [];
    const splits: KeyedSplit[] = [];
    this.graph.edges.forEach((edge, edgeIndex) => {
      const producers = edge.source.parallelism;
      const consumers = edge.target.parallelism;
      const strategy = effectiveStrategy(edge.shipStrategy, producers, consumers);
      // SHUFFLE sends each record to a random channel (ShufflePartitioner): a multinomial split, as HASH's around its key groups' shares.
      const keyShares =
        strategy === "HASH"
          ? new KeyRouting(edge.keys ?? DEFAULT_KEYS, edge.target.maxParallelism, consumers).channelShares()
          : strategy === "SHUFFLE" && consumers > 1
            ? new Float64Array(consumers).fill(1 / consumers)
            : null;
      const broadcast = strategy === "BROADCAST";
      const input = inputIndex(edge);
      const channelsTo: number[][] = Array.from({ length: consumers }, () => []);
      // Per consumer: its remote channels on this edge, which alone share the gate's floating
      // buffers (a LocalInputChannel reads its producer's subpartition and has no buffers of
      // its own: SingleInputGateFactory#createInputChannel, Flink 1.18.1).
      const remoteInto = new Int32Array(consumers);
      for (let i = 0; i < producers; i++) for (const j of connectedConsumers(strategy, i, producers, consumers)) if (this.taskManagerOf(i) !== this.taskManagerOf(j)) remoteInto[j]!++;
      const gateFloating = network.floatingBuffersPerGate * (inputEdges.get(edge.target.id) ?? 1);
      for (let i = 0; i < producers; i++) {
        const targets = connectedConsumers(strategy, i, producers, consumers);
        // The partition's pool: subpartitions x buffers-per-channel + floating-buffers-per-gate
        // (NettyShuffleUtils#getMinMaxNetworkBuffersPerResultPartition, Flink 1.18.1), a
        // subpartition holding at most max-buffers-per-channel. Under back-pressure a remote
        // subpartition's records wait first in its receiver's buffers, a local one's only in the
        // pool: the local ones take the pool but for the buffer each remote one is filling
        // (record mode shares the pool buffer by buffer); with no remote channel, even shares.
        // BROADCAST: every channel sees the same shared buffers, at most max-buffers-per-channel of them (counted on channel 0).
        const pool = targets.length * network.buffersPerChannel + network.floatingBuffersPerGate;
        const remoteTargets = targets.filter((j) => this.taskManagerOf(i) !== this.taskManagerOf(j)).length;
        const evenShare = Math.min(network.maxBuffersPerChannel, pool / targets.length);
        const localShare = Math.min(network.maxBuffersPerChannel, (pool - remoteTargets) / Math.max(1, targets.length - remoteTargets));
        for (const j of targets) {
          const remote = this.taskManagerOf(i) !== this.taskManagerOf(j);
          const sender = broadcast ? Math.min(network.maxBuffersPerChannel, pool) : remote ? evenShare : localShare;
          const receiver = remote ? network.buffersPerChannel + gateFloating / remoteInto[j]! : 0;
          channelsTo[j]!.push(channels.length);
          channels.push({
            producer: first.get(edge.source.id)! + i,
            consumer: first.get(edge.target.id)! + j,
            // BROADCAST: every record to every channel.
            share: keyShares !== null ? keyShares[j]! : broadcast ? 1 : 1 / targets.length,
            capacity: (sender + receiver) * perBuffer,
            ...(input !== 0 ? { input } : {}),
          });
        }
      }
      if (keyShares !== null) {
        const producerTasks = Array.from({ length: producers }, (_, i) => first.get(edge.source.id)! + i);
        if (strategy === "HASH") splits.push({ shares: keyShares, channelsTo, producers: producerTasks, random: this.streams.stream(`keys/${edgeIndex}`) });
        else splits.push({ shares: keyShares, channelsTo, producers: producerTasks, random: this.streams.stream(`shuffle/${edgeIndex}`), thisSlice: true });
      }
    });
    const contended = this.contendedTaskManagers();
    const cpu = contended.includes(true)
      ? new FluidCpu(
          Int32Array.from(tasks, (t) => this.taskManagerOf(t.index)),
          // A Python chain's CPU is not modelled (aggregateUnsupported refuses one that could be short).
          Float64Array.from(tasks, (t) => (contended[this.taskManagerOf(t.index)] && t.python === null ? t.cpuShare : 0)),
          this.options.cpu!,
        )
      : null;
    // A legacy source's bursts and a Python operator's bundle timer count from the tasks' start: slices do too.
    const timed = this.options.job.operators.some((op) => op.python !== undefined || op.source?.connector === "datagen");
    this.fluid = new FluidNetwork(this.env, tasks, channels, AGGREGATE_SLICE_MS, splits, cpu, timed ? now % AGGREGATE_SLICE_MS : 0);
  }

  /** The aggregate mode's reader of source subtask `index`, or null for a non-source operator. */
  private fluidSource(operatorId: string, index: number, parallelism: number, now: number): FluidSource | null {
    const spec = this.options.job.operators.find((o) => o.id === operatorId)!.source;
    if (spec === undefined) return null;
    if (spec.connector === "datagen") return new FluidLegacyDatagenSource(this.loads.get(operatorId)!, parallelism, now);
    if (spec.connector !== "kafka") return new FluidDatagenSource(this.loads.get(operatorId)!, parallelism);
    const topic = this.topics.get(operatorId)!;
    const partitions = assignedPartitions(spec.topic, spec.partitions, index, parallelism);
    const fetching = spec.fetchCost === undefined ? null : { meanFetchMs: mean(spec.fetchCost), maxPollRecords: spec.maxPollRecords ?? DEFAULT_MAX_POLL_RECORDS };
    const reader = new FluidKafkaSource(topic, partitions, spec.maxRecordsPerSecond, fetching);
    this.readers.push(reader);
    return reader;
  }

  /**
   * Per subtask of a join vertex, the chance that two of its records share a key: from
   * its first input's HASH routing (both inputs are keyed alike, which the scenario checks).
   */
  private joinCollisions(v: JobVertex): Float64Array {
    const edge = this.graph.edges.find((e) => e.target === v && inputIndex(e) === 0)!;
    return new KeyRouting(edge.keys ?? DEFAULT_KEYS, v.maxParallelism, v.parallelism).collisionProbabilities();
  }

  /** Input edges per consuming vertex id. */
  private inputEdgeCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.graph.edges) counts.set(e.target.id, (counts.get(e.target.id) ?? 0) + 1);
    return counts;
  }

  /** A new task attempt's metrics (counters and gauges start with the task). */
  private taskMetrics(v: JobVertex, now: number): TaskMetrics {
    return new TaskMetrics(
      v.operators.map((o) => o.name),
      now,
      this.options.timerGauge ?? FLINK_1_18_TIMER_GAUGE,
    );
  }

  /** The reader of source subtask `index` of `parallelism`, or null for a non-source operator. */
  private sourceReader(operatorId: string, index: number, parallelism: number, now: number, cpu: CpuRunner): SourceReader | null {
    const spec = this.options.job.operators.find((o) => o.id === operatorId)!.source;
    if (spec === undefined) return null;
    if (spec.connector !== "kafka") return this.datagenReader(spec.connector, operatorId, parallelism, now);
    const topic = this.topics.get(operatorId)!;
    const partitions = assignedPartitions(spec.topic, spec.partitions, index, parallelism);
    const limiter = spec.maxRecordsPerSecond === undefined ? null : new RateLimiter(spec.maxRecordsPerSecond, now);
    const reader =
      spec.fetchCost === undefined
        ? new KafkaReader(topic, partitions, limiter)
        : new FetchingKafkaReader(
            topic,
            partitions,
            limiter,
            sampler(spec.fetchCost, this.streams.stream(`fetch-cost/${operatorId}/${index}`)),
            spec.maxPollRecords ?? DEFAULT_MAX_POLL_RECORDS,
            cpu,
          );
    this.readers.push(reader);
    return reader;
  }

  private datagenReader(connector: "datagen" | "datastream-datagen", operatorId: string, parallelism: number, now: number): SourceReader {
    const load = this.loads.get(operatorId)!;
    if (connector === "datagen") return new LegacyDatagenReader(load, parallelism, now);
    const rate = load.rate(now) / parallelism;
    return new DatagenReader(new RateLimiter(rate > 0 ? rate : 1, now), load, parallelism);
  }

  /**
   * A task on TaskManager `tm` registers its metrics: the process's ViewUpdater starts with
   * its first View (MetricRegistryImpl#register creates it, ViewUpdater schedules its task
   * with a fixed delay of View.UPDATE_INTERVAL_SECONDS, first 5 s after; release-1.18.1) and
   * updates every View of the process, later tasks' too, until the process is gone.
   */
  private registerViews(tm: number): void {
    if (this.viewUpdaters.has(tm)) return;
    const tick = () => {
      const now = this.env.now;
      this.syncMetrics();
      for (const tasks of this.subtasks.values()) for (const t of tasks) if (this.taskManagerOf(t.index) === tm && t.metrics.startMs <= now) t.metrics.updateViews(now);
      this.viewUpdaters.set(tm, this.env.schedule(UPDATE_INTERVAL_SECONDS * 1000, tick));
    };
    this.viewUpdaters.set(tm, this.env.schedule(UPDATE_INTERVAL_SECONDS * 1000, tick));
  }

}
