import type { DistributionSpec } from "../engine/distributions.ts";
import type { TaskManagerCpu } from "../flink/cpu/TaskManagerCpu.ts";
import type { ClusterSettings } from "./flinkConfiguration.ts";
import type { JobSpec } from "../flink/JobGraph.ts";
import type { RestartSpec } from "../flink/restart/RestartModel.ts";
import type { TimerGaugeSemantics } from "../flink/metrics/TimerGauge.ts";
import type { ExecutionSetting } from "./executionMode.ts";
import type { ExecutionMode, StateOptions } from "../flink/FlinkCluster.ts";
import type { PodResources, Prices } from "./podResources.ts";

/** A validated scenario, resolved to the units and types the simulation uses. */
export interface Scenario {
  readonly file: string;
  /** The file's base name without extension: the output folder's name. */
  readonly name: string;
  /** The variant this scenario is ("default" without variants). */
  readonly variant: string;
  readonly deploymentName: string;
  readonly namespace: string;
  readonly flinkVersion: string | undefined;
  /** spec.flinkConfiguration as strings, with command-line overrides applied. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  readonly cluster: ClusterSettings;
  readonly durationMs: number;
  readonly seed: number;
  readonly sampleIntervalMs: number;
  /** The instant virtual time 0 stands for, ISO-8601 UTC. */
  readonly startTime: string;
  readonly startEpochMs: number;
  readonly recordSizeBytes: number;
  /** simulation.execution as stated (auto by default). */
  readonly executionSetting: ExecutionSetting;
  /** The mode the run uses, `auto` resolved (executionMode.ts). */
  readonly execution: ExecutionMode;
  readonly job: JobSpec;
  /** kubernetes.operator.reconcile.interval (15 s, the operator Helm chart's value). */
  readonly reconcileIntervalMs: number;
  /** simulation.operator.reconcileDuration: one reconcile's own duration (the next starts an interval after it ends). */
  readonly reconcileDuration: DistributionSpec;
  /** simulation.logLevel: the lowest level autoscaler.log keeps. */
  readonly logLevel: "DEBUG" | "INFO";
  /** simulation.subtasks: also write subtasks.csv (one row per subtask per sample). */
  readonly subtasks: boolean;
  /** simulation.flinkMetrics: TimerGauge semantics replacing those of the Flink version. */
  readonly timerGauge: Partial<TimerGaugeSemantics>;
  /** simulation.flinkMetrics.fetcherServesPreviousFetch (true): the request that triggers a MetricFetcher update gets the previous values. */
  readonly fetcherServesPreviousFetch: boolean;
  /** Likely mistakes that are not errors (a key close to one the simulator reads), each `file: path: problem`. */
  readonly warnings: readonly string[];
  readonly restart: RestartSpec;
  /** The TaskManager pods' CPU request and limit, and the nodes they run on (taskManagerCpu.ts). */
  readonly cpu: TaskManagerCpu;
  /** The pods' CPU and memory requests, what cost is counted from (podResources.ts). */
  readonly resources: PodResources;
  /** simulation.prices; undefined: cost in core-hours and GiB-hours only. */
  readonly prices: Prices | undefined;
  /** Checkpoints and restore of keyed state; undefined when no operator has state and checkpointing is off. */
  readonly state: StateOptions | undefined;
  /** spec.job.upgradeMode (stateless by default): what a redeploy restores. */
  readonly upgradeMode: "stateless" | "savepoint" | "last-state";
}

/** Values from the command line that replace the file's. */
export interface ScenarioOverrides {
  readonly set?: Readonly<Record<string, string>>;
  readonly seed?: number;
  readonly duration?: string;
  /** Resolve this variant of simulation.variants (default: the first, or "default" without variants). */
  readonly variant?: string;
  /** Warnings become errors (--strict). */
  readonly strict?: boolean;
}

