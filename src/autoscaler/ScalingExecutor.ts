import { parseMemorySize } from "../core/memorySize.ts";
import { formatDuration } from "../core/duration.ts";
import {
  CPU_QUOTA,
  EXCLUDED_PERIODS,
  GC_PRESSURE_THRESHOLD,
  HEAP_USAGE_THRESHOLD,
  MEMORY_QUOTA,
  MEMORY_TUNING_ENABLED,
  NUM_TASK_SLOTS,
  SCALING_ENABLED,
  SCALING_EVENT_INTERVAL,
  VERTEX_EXCLUDE_IDS,
} from "./config/AutoScalerOptions.ts";
import type { Configuration } from "./config/Configuration.ts";
import type { DelayedScaleDown } from "./DelayedScaleDown.ts";
import {
  handleScalingEvent,
  SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED,
  SCALING_SUMMARY_HEADER_SCALING_EXECUTION_ENABLED,
  type AutoScalerEventHandler,
} from "./event/AutoScalerEventHandler.ts";
import type { JobAutoScalerContext } from "./JobAutoScalerContext.ts";
import { JobVertexScaler } from "./JobVertexScaler.ts";
import type { EvaluatedMetrics } from "./metrics/EvaluatedMetrics.ts";
import { EvaluatedScalingMetric } from "./metrics/EvaluatedScalingMetric.ts";
import { requireMetric, requireVertexMetric, type ScalingMetric } from "./metrics/ScalingMetric.ts";
import { addToScalingHistoryAndStore } from "./metrics/ScalingHistoryUtils.ts";
import { NoopResourceCheck, type ResourceCheck } from "./resources/ResourceCheck.ts";
import { ScalingRecord } from "./ScalingRecord.ts";
import { ScalingSummary } from "./ScalingSummary.ts";
import type { ScalingTracking } from "./ScalingTracking.ts";
import { EMPTY_CONFIG_CHANGES, type AutoScalerStateStore, type ConfigChanges } from "./state/AutoScalerStateStore.ts";
import type { JobTopology } from "./topology/JobTopology.ts";
import { inExcludedPeriods } from "./utils/CalendarUtils.ts";
import type { Clock } from "./utils/Clock.ts";
import { intDiv, javaDoubleToString, toInt } from "./utils/JavaCompat.ts";
import { getLogger } from "./utils/Logger.ts";
import { estimateNumTaskSlotsAfterRescale } from "./utils/ResourceCheckUtils.ts";
import { TreeMap } from "./utils/TreeMap.ts";

const LOG = getLogger("org.apache.flink.autoscaler.ScalingExecutor");
const GLOBAL_METRICS = "the evaluated global metrics";

export const GC_PRESSURE_MESSAGE = (gcPressure: string) =>
  `GC Pressure ${gcPressure} is above the allowed limit for scaling operations. Please adjust the available memory manually.`;
export const HEAP_USAGE_MESSAGE = (heapUsage: string) =>
  `Heap Usage ${heapUsage} is above the allowed limit for scaling operations. Please adjust the available memory manually.`;
export const RESOURCE_QUOTA_REACHED_MESSAGE = "Resource usage is above the allowed limit for scaling operations. Please adjust the resource quota manually.";

/** The memory-tuning step (MemoryTuning.tuneTaskManagerMemory), not ported: no changes, and a clear error when enabled. */
function tuneTaskManagerMemory(conf: Configuration): ConfigChanges {
  if (conf.get(MEMORY_TUNING_ENABLED)) {
    throw new Error(`${MEMORY_TUNING_ENABLED.key} is true, but memory tuning is not supported by this port of the autoscaler`);
  }
  return EMPTY_CONFIG_CHANGES;
}

/** MemoryTuning.getTotalMemory: taskmanager.memory.process.size, else what the context knows, else 0. */
function getTotalMemory(config: Configuration, ctx: JobAutoScalerContext<unknown>): number {
  const override = config.getString("taskmanager.memory.process.size");
  // Read as Flink's Configuration reads a MemorySize: a value that does not parse fails.
  if (override !== undefined) return parseMemorySize(override);
  return ctx.getTaskManagerMemory() ?? 0;
}

/** Turns evaluated metrics into parallelism decisions and stores them (ScalingExecutor). */
export class ScalingExecutor<KEY, Context extends JobAutoScalerContext<KEY>> {
  private readonly jobVertexScaler: JobVertexScaler<KEY, Context>;
  private readonly resourceCheck: ResourceCheck;

  constructor(
    private readonly autoScalerEventHandler: AutoScalerEventHandler<KEY, Context>,
    private readonly autoScalerStateStore: AutoScalerStateStore<KEY, Context>,
    resourceCheck: ResourceCheck | null = null,
  ) {
    this.jobVertexScaler = new JobVertexScaler(autoScalerEventHandler);
    this.resourceCheck = resourceCheck ?? new NoopResourceCheck();
  }

  /** Decides and stores a scaling; true when the parallelism changes. */
  scaleResource(
    context: Context,
    evaluatedMetrics: EvaluatedMetrics,
    scalingHistory: Map<string, TreeMap<ScalingSummary>>,
    scalingTracking: ScalingTracking,
    now: number,
    jobTopology: JobTopology,
    delayedScaleDown: DelayedScaleDown,
  ): boolean {
    const conf = context.getConfiguration();
    const restartTime = scalingTracking.getMaxRestartTimeOrDefault(conf);

    const scalingSummaries = this.computeScalingSummary(context, evaluatedMetrics, scalingHistory, restartTime, jobTopology, delayedScaleDown);

    if (scalingSummaries.size === 0) {
      LOG.info("All job vertices are currently running at their target parallelism.");
      return false;
    }

    this.updateRecommendedParallelism(evaluatedMetrics.vertexMetrics, scalingSummaries);

    if (this.checkIfBlockedAndTriggerScalingEvent(context, scalingSummaries, conf, now)) return false;

    const configOverrides = tuneTaskManagerMemory(conf);

    if (this.scalingWouldExceedMaxResources(conf, jobTopology, evaluatedMetrics, scalingSummaries, context)) return false;

    addToScalingHistoryAndStore(this.autoScalerStateStore, context, scalingHistory, now, scalingSummaries);

    scalingTracking.addScalingRecord(now, new ScalingRecord());
    this.autoScalerStateStore.storeScalingTracking(context, scalingTracking);

    this.autoScalerStateStore.storeParallelismOverrides(context, getVertexParallelismOverrides(evaluatedMetrics.vertexMetrics, scalingSummaries));
    this.autoScalerStateStore.storeConfigChanges(context, configOverrides);

    // A scaling voids all pending scale downs.
    delayedScaleDown.clearAll();
    return true;
  }

  private updateRecommendedParallelism(
    evaluatedMetrics: Map<string, Map<ScalingMetric, EvaluatedScalingMetric>>,
    scalingSummaries: ReadonlyMap<string, ScalingSummary>,
  ): void {
    for (const [id, summary] of scalingSummaries) {
      evaluatedMetrics.get(id)!.set("RECOMMENDED_PARALLELISM", EvaluatedScalingMetric.of(summary.newParallelism));
    }
  }

  /** The scaling summaries of the vertices whose parallelism should change; none when all are within bounds. */
  computeScalingSummary(
    context: Context,
    evaluatedMetrics: EvaluatedMetrics,
    scalingHistory: ReadonlyMap<string, TreeMap<ScalingSummary>>,
    restartTime: number,
    jobTopology: JobTopology,
    delayedScaleDown: DelayedScaleDown,
  ): Map<string, ScalingSummary> {
    LOG.debug("Restart time used in scaling summary computation: {}", formatDuration(restartTime));

    if (this.isJobUnderMemoryPressure(context, evaluatedMetrics.globalMetrics)) {
      LOG.info("Skipping vertex scaling due to memory pressure");
      return new Map();
    }

    const out = new Map<string, ScalingSummary>();
    const excludeVertexIdList = context.getConfiguration().get(VERTEX_EXCLUDE_IDS);
    let anyVertexOutsideBound = false;
    for (const [v, metrics] of evaluatedMetrics.vertexMetrics) {
      if (excludeVertexIdList.includes(v)) {
        LOG.debug("Vertex {} is part of `vertex.exclude.ids` config, Ignoring it for scaling", v);
        continue;
      }
      const currentParallelism = toInt(requireVertexMetric(metrics, "PARALLELISM", v).getCurrent());
      const parallelismChange = this.jobVertexScaler.computeScaleTargetParallelism(
        context,
        v,
        jobTopology.get(v).inputs.values(),
        metrics,
        scalingHistory.get(v) ?? new TreeMap(),
        restartTime,
        delayedScaleDown,
      );
      if (parallelismChange.isNoChange()) continue;
      if (parallelismChange.isOutsideUtilizationBound()) anyVertexOutsideBound = true;
      out.set(v, new ScalingSummary(currentParallelism, parallelismChange.getNewParallelism(), metrics));
    }

    // Every vertex within its utilization bounds: no scaling.
    if (!anyVertexOutsideBound) {
      LOG.info("All vertex processing rates are within target.");
      return new Map();
    }
    return out;
  }

  private isJobUnderMemoryPressure(ctx: Context, evaluatedMetrics: ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>): boolean {
    const gcPressure = requireMetric(evaluatedMetrics, "GC_PRESSURE", GLOBAL_METRICS).getCurrent();
    const conf = ctx.getConfiguration();
    if (gcPressure > conf.get(GC_PRESSURE_THRESHOLD)) {
      this.autoScalerEventHandler.handleEvent(ctx, "Normal", "MemoryPressure", GC_PRESSURE_MESSAGE(javaDoubleToString(gcPressure)), "gcPressure", conf.get(SCALING_EVENT_INTERVAL));
      return true;
    }
    const heapUsage = requireMetric(evaluatedMetrics, "HEAP_MAX_USAGE_RATIO", GLOBAL_METRICS).getAverage();
    if (heapUsage > conf.get(HEAP_USAGE_THRESHOLD)) {
      this.autoScalerEventHandler.handleEvent(ctx, "Normal", "MemoryPressure", HEAP_USAGE_MESSAGE(javaDoubleToString(heapUsage)), "heapUsage", conf.get(SCALING_EVENT_INTERVAL));
      return true;
    }
    return false;
  }

  scalingWouldExceedMaxResources(
    tunedConfig: Configuration,
    jobTopology: JobTopology,
    evaluatedMetrics: EvaluatedMetrics,
    scalingSummaries: ReadonlyMap<string, ScalingSummary>,
    ctx: Context,
  ): boolean {
    if (this.scalingWouldExceedClusterResources(tunedConfig, evaluatedMetrics, scalingSummaries, ctx)) return true;
    if (ScalingExecutor.scalingWouldExceedResourceQuota(tunedConfig, jobTopology, scalingSummaries, ctx)) {
      this.autoScalerEventHandler.handleEvent(ctx, "Warning", "ResourceQuotaReached", RESOURCE_QUOTA_REACHED_MESSAGE, null, tunedConfig.get(SCALING_EVENT_INTERVAL));
      return true;
    }
    return false;
  }

  private scalingWouldExceedClusterResources(
    tunedConfig: Configuration,
    evaluatedMetrics: EvaluatedMetrics,
    scalingSummaries: ReadonlyMap<string, ScalingSummary>,
    ctx: Context,
  ): boolean {
    const taskManagerCpu = ctx.getTaskManagerCpu() ?? 0;
    const taskManagerMemory = getTotalMemory(tunedConfig, ctx);
    // Without the TaskManagers' requirements nothing can be assumed.
    if (taskManagerCpu <= 0 || taskManagerMemory <= 0) return false;

    const globalMetrics = evaluatedMetrics.globalMetrics;
    if (!globalMetrics.has("NUM_TASK_SLOTS_USED")) {
      LOG.info("JM metrics not ready yet");
      return true;
    }
    const numTaskSlotsUsed = toInt(globalMetrics.get("NUM_TASK_SLOTS_USED")!.getCurrent());
    const numTaskSlotsAfterRescale = estimateNumTaskSlotsAfterRescale(evaluatedMetrics.vertexMetrics, scalingSummaries, numTaskSlotsUsed);
    const taskSlotsPerTm = tunedConfig.get(NUM_TASK_SLOTS);
    const currentNumTms = toInt(Math.ceil(numTaskSlotsUsed / taskSlotsPerTm));
    const newNumTms = toInt(Math.ceil(numTaskSlotsAfterRescale / taskSlotsPerTm));
    return !this.resourceCheck.trySchedule(currentNumTms, newNumTms, taskManagerCpu, taskManagerMemory);
  }

  static scalingWouldExceedResourceQuota<KEY, Context extends JobAutoScalerContext<KEY>>(
    tunedConfig: Configuration,
    jobTopology: JobTopology | null,
    scalingSummaries: ReadonlyMap<string, ScalingSummary>,
    ctx: Context,
  ): boolean {
    if (jobTopology === null || jobTopology.slotSharingGroupMapping.size === 0) return false;
    const cpuQuota = tunedConfig.getOptional(CPU_QUOTA);
    const memoryQuota = tunedConfig.getOptional(MEMORY_QUOTA);
    const tmMemory = getTotalMemory(tunedConfig, ctx as JobAutoScalerContext<unknown>);
    const tmCpu = ctx.getTaskManagerCpu() ?? 0;
    if (cpuQuota === undefined && memoryQuota === undefined) return false;

    let currentTotalSlots = 0;
    let newTotalSlots = 0;
    for (const vertices of jobTopology.slotSharingGroupMapping.values()) {
      const scaled = [...vertices].filter((v) => scalingSummaries.has(v));
      currentTotalSlots += scaled.reduce((m, v) => Math.max(m, scalingSummaries.get(v)!.currentParallelism), 0);
      newTotalSlots += scaled.reduce((m, v) => Math.max(m, scalingSummaries.get(v)!.newParallelism), 0);
    }
    const numSlotsPerTm = tunedConfig.get(NUM_TASK_SLOTS);
    const currentNumTms = intDiv(currentTotalSlots, numSlotsPerTm);
    const newNumTms = intDiv(newTotalSlots, numSlotsPerTm);
    if (newNumTms <= currentNumTms) {
      LOG.debug("Skipping quota check due to new resource allocation is less or equals than the current");
      return false;
    }
    if (cpuQuota !== undefined) {
      LOG.debug("CPU resource quota is {}, checking limits", cpuQuota);
      const totalCPU = tmCpu * newNumTms;
      if (totalCPU > cpuQuota) {
        LOG.info("CPU resource quota reached with value: {}", totalCPU);
        return true;
      }
    }
    if (memoryQuota !== undefined) {
      LOG.debug("Memory resource quota is {}, checking limits", memoryQuota);
      const totalMemory = tmMemory * newNumTms;
      if (totalMemory > memoryQuota) {
        LOG.info("Memory resource quota reached with value: {}", totalMemory);
        return true;
      }
    }
    return false;
  }

  private checkIfBlockedAndTriggerScalingEvent(
    context: Context,
    scalingSummaries: Map<string, ScalingSummary>,
    conf: Configuration,
    now: number,
  ): boolean {
    const scaleEnabled = conf.get(SCALING_ENABLED);
    const isExcluded = inExcludedPeriods(conf, now);
    let message: string;
    if (!scaleEnabled) {
      message = `${SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED}${SCALING_ENABLED.key}:false, recommended parallelism change:`;
    } else if (isExcluded) {
      message = `${SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED}${EXCLUDED_PERIODS.key}:[${conf.get(EXCLUDED_PERIODS).join(", ")}], recommended parallelism change:`;
    } else {
      message = SCALING_SUMMARY_HEADER_SCALING_EXECUTION_ENABLED;
    }
    handleScalingEvent(this.autoScalerEventHandler, context, scalingSummaries, message, conf.get(SCALING_EVENT_INTERVAL));
    return !scaleEnabled || isExcluded;
  }

  setClock(clock: Clock): void {
    this.jobVertexScaler.setClock(clock);
  }
}

/** The parallelism of every evaluated vertex: the new one where it changes, the current one elsewhere. */
function getVertexParallelismOverrides(
  evaluatedMetrics: ReadonlyMap<string, ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>>,
  summaries: ReadonlyMap<string, ScalingSummary>,
): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const [id, metrics] of evaluatedMetrics) {
    const summary = summaries.get(id);
    overrides.set(id, String(summary !== undefined ? summary.newParallelism : toInt(requireVertexMetric(metrics, "PARALLELISM", id).getCurrent())));
  }
  return overrides;
}
