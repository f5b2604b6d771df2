import { AUTOSCALER_ENABLED, MEMORY_TUNING_ENABLED, PARALLELISM_OVERRIDES_KEY, VERTEX_EXCLUDE_IDS } from "./config/AutoScalerOptions.ts";
import { handleException, type AutoScalerEventHandler } from "./event/AutoScalerEventHandler.ts";
import { NotReadyException } from "./exceptions/NotReadyException.ts";
import type { JobAutoScalerContext } from "./JobAutoScalerContext.ts";
import type { EvaluatedMetrics } from "./metrics/EvaluatedMetrics.ts";
import { initRecommendedParallelism, resetRecommendedParallelism, type AutoscalerFlinkMetrics } from "./metrics/AutoscalerFlinkMetrics.ts";
import { getTrimmedScalingHistory, getTrimmedScalingTracking } from "./metrics/ScalingHistoryUtils.ts";
import type { ScalingRealizer } from "./realizer/ScalingRealizer.ts";
import type { ScalingExecutor } from "./ScalingExecutor.ts";
import type { ScalingMetricCollector } from "./ScalingMetricCollector.ts";
import type { ScalingMetricEvaluator } from "./ScalingMetricEvaluator.ts";
import type { AutoScalerStateStore } from "./state/AutoScalerStateStore.ts";
import { UNSET_CLOCK, type Clock } from "./utils/Clock.ts";
import { getLogger } from "./utils/Logger.ts";

const LOG = getLogger("org.apache.flink.autoscaler.JobAutoScalerImpl");

export const AUTOSCALER_ERROR = "AutoscalerError";

/**
 * The autoscaler's entry point (JobAutoScalerImpl): collect, evaluate, compute
 * parallelism, execute; then apply the stored parallelism overrides through the realizer.
 */
export class JobAutoScalerImpl<KEY, Context extends JobAutoScalerContext<KEY>> {
  private clock: Clock = UNSET_CLOCK;
  readonly lastEvaluatedMetrics = new Map<KEY, EvaluatedMetrics>();
  readonly flinkMetrics = new Map<KEY, AutoscalerFlinkMetrics>();

  constructor(
    private readonly metricsCollector: ScalingMetricCollector<KEY, Context>,
    private readonly evaluator: ScalingMetricEvaluator,
    private readonly scalingExecutor: ScalingExecutor<KEY, Context>,
    private readonly eventHandler: AutoScalerEventHandler<KEY, Context>,
    private readonly scalingRealizer: ScalingRealizer<KEY, Context>,
    private readonly stateStore: AutoScalerStateStore<KEY, Context>,
  ) {}

  scale(ctx: Context): void {
    const autoscalerMetrics = this.getOrInitAutoscalerFlinkMetrics(ctx);
    try {
      if (!ctx.getConfiguration().getBoolean(AUTOSCALER_ENABLED)) {
        LOG.debug("Autoscaler is disabled");
        this.stateStore.clearAll(ctx);
        this.stateStore.flush(ctx);
        return;
      }
      if (ctx.getJobStatus() !== "RUNNING") {
        LOG.debug("Autoscaler is waiting for stable, running state");
        this.lastEvaluatedMetrics.delete(ctx.getJobKey());
        return;
      }
      this.runScalingLogic(ctx, autoscalerMetrics);
      this.stateStore.flush(ctx);
    } catch (e) {
      if (e instanceof NotReadyException) LOG.debug("Not ready for scaling", e);
      else this.onError(ctx, autoscalerMetrics, e);
    } finally {
      try {
        this.applyParallelismOverrides(ctx);
        this.applyConfigOverrides(ctx);
      } catch (e) {
        LOG.error("Error applying overrides.", e);
        this.onError(ctx, autoscalerMetrics, e);
      }
    }
  }

  cleanup(ctx: Context): void {
    LOG.info("Cleaning up autoscaling meta data");
    this.metricsCollector.cleanup(ctx.getJobKey());
    this.lastEvaluatedMetrics.delete(ctx.getJobKey());
    this.flinkMetrics.delete(ctx.getJobKey());
    try {
      this.stateStore.clearAll(ctx);
      this.stateStore.flush(ctx);
    } catch (e) {
      LOG.error("Error cleaning up autoscaling meta data for {}", ctx.getJobKey(), e);
    }
  }

  getParallelismOverrides(ctx: Context): Map<string, string> {
    return this.stateStore.getParallelismOverrides(ctx);
  }

  /** Merges the stored overrides into the user's, keeping the user's for excluded vertices. */
  applyParallelismOverrides(ctx: Context): void {
    const overrides = this.getParallelismOverrides(ctx);
    if (overrides.size === 0) return;
    LOG.debug("Applying parallelism overrides: {}", overrides);
    const conf = ctx.getConfiguration();
    const userOverrides = parseMapOption(conf.getString(PARALLELISM_OVERRIDES_KEY));
    const exclusions = conf.get(VERTEX_EXCLUDE_IDS);
    for (const [k, v] of overrides) {
      // The user's override wins for an excluded vertex.
      if (exclusions.includes(k)) {
        if (!userOverrides.has(k)) userOverrides.set(k, v);
      } else {
        userOverrides.set(k, v);
      }
    }
    this.scalingRealizer.realizeParallelismOverrides(ctx, userOverrides);
  }

  applyConfigOverrides(ctx: Context): void {
    if (!ctx.getConfiguration().get(MEMORY_TUNING_ENABLED)) return;
    const configChanges = this.stateStore.getConfigChanges(ctx);
    LOG.debug("Applying config overrides: {}", configChanges);
    this.scalingRealizer.realizeConfigOverrides(ctx, configChanges);
  }

  private runScalingLogic(ctx: Context, autoscalerMetrics: AutoscalerFlinkMetrics): void {
    const collectedMetrics = this.metricsCollector.updateMetrics(ctx, this.stateStore);
    const jobTopology = collectedMetrics.jobTopology;

    const now = this.clock.instant();
    const scalingTracking = getTrimmedScalingTracking(this.stateStore, ctx, now);
    const scalingHistory = getTrimmedScalingHistory(this.stateStore, ctx, now);
    // A scaling record gets its restart duration once the job runs again with the target parallelism.
    if (scalingTracking.recordRestartDurationIfTrackedAndParallelismMatches(collectedMetrics.jobRunningTs, jobTopology, scalingHistory)) {
      this.stateStore.storeScalingTracking(ctx, scalingTracking);
    }

    // Rates from accumulated metrics need at least two samples.
    if (collectedMetrics.metricHistory.size < 2) return;
    LOG.debug("Collected metrics: {}", collectedMetrics.metricHistory.size);

    // Past restart times feed the evaluation.
    const restartTime = scalingTracking.getMaxRestartTimeOrDefault(ctx.getConfiguration());

    const evaluatedMetrics = this.evaluator.evaluate(ctx.getConfiguration(), collectedMetrics, restartTime);
    LOG.debug("Evaluated metrics: {}", evaluatedMetrics.vertexMetrics.size);
    this.lastEvaluatedMetrics.set(ctx.getJobKey(), evaluatedMetrics);

    initRecommendedParallelism(evaluatedMetrics.vertexMetrics);

    if (!collectedMetrics.isFullyCollected()) {
      // Evaluated upfront, but not ready to scale yet.
      resetRecommendedParallelism(evaluatedMetrics.vertexMetrics);
      return;
    }

    const delayedScaleDown = this.stateStore.getDelayedScaleDown(ctx);
    const parallelismChanged = this.scalingExecutor.scaleResource(
      ctx,
      evaluatedMetrics,
      scalingHistory,
      scalingTracking,
      now,
      jobTopology,
      delayedScaleDown,
    );

    if (delayedScaleDown.isUpdated()) this.stateStore.storeDelayedScaleDown(ctx, delayedScaleDown);

    if (parallelismChanged) autoscalerMetrics.numScalings++;
    else autoscalerMetrics.numBalanced++;
  }

  private onError(ctx: Context, autoscalerMetrics: AutoscalerFlinkMetrics, e: unknown): void {
    LOG.error("Error while scaling job", e);
    autoscalerMetrics.numErrors++;
    handleException(this.eventHandler, ctx, AUTOSCALER_ERROR, e);
  }

  private getOrInitAutoscalerFlinkMetrics(ctx: Context): AutoscalerFlinkMetrics {
    let m = this.flinkMetrics.get(ctx.getJobKey());
    if (m === undefined) {
      m = { numScalings: 0, numErrors: 0, numBalanced: 0 };
      this.flinkMetrics.set(ctx.getJobKey(), m);
    }
    return m;
  }

  setClock(clock: Clock): void {
    this.clock = clock;
    this.metricsCollector.setClock(clock);
    this.scalingExecutor.setClock(clock);
  }
}

/** Flink's map option syntax: k1:v1,k2:v2. */
function parseMapOption(text: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of (text ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0)) {
    const colon = entry.indexOf(":");
    if (colon > 0) out.set(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim());
  }
  return out;
}
