import type { DelayedScaleDown } from "../DelayedScaleDown.ts";
import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import type { CollectedMetrics } from "../metrics/CollectedMetrics.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import type { ScalingTracking } from "../ScalingTracking.ts";
import type { TreeMap } from "../utils/TreeMap.ts";

/** Memory-tuning config changes (tuning/ConfigChanges); memory tuning is not ported, so always empty. */
export interface ConfigChanges {
  readonly overrides: Readonly<Record<string, string>>;
  readonly removals: readonly string[];
}

export const EMPTY_CONFIG_CHANGES: ConfigChanges = { overrides: {}, removals: [] };

/** Where the autoscaler keeps its state between calls (AutoScalerStateStore). */
export interface AutoScalerStateStore<KEY, Context extends JobAutoScalerContext<KEY>> {
  storeScalingHistory(ctx: Context, scalingHistory: Map<string, TreeMap<ScalingSummary>>): void;
  getScalingHistory(ctx: Context): Map<string, TreeMap<ScalingSummary>>;
  storeScalingTracking(ctx: Context, scalingTracking: ScalingTracking): void;
  getScalingTracking(ctx: Context): ScalingTracking;
  removeScalingHistory(ctx: Context): void;
  storeCollectedMetrics(ctx: Context, metrics: TreeMap<CollectedMetrics>): void;
  getCollectedMetrics(ctx: Context): TreeMap<CollectedMetrics>;
  removeCollectedMetrics(ctx: Context): void;
  storeParallelismOverrides(ctx: Context, parallelismOverrides: Map<string, string>): void;
  getParallelismOverrides(ctx: Context): Map<string, string>;
  removeParallelismOverrides(ctx: Context): void;
  storeConfigChanges(ctx: Context, configChanges: ConfigChanges): void;
  getConfigChanges(ctx: Context): ConfigChanges;
  removeConfigChanges(ctx: Context): void;
  storeDelayedScaleDown(ctx: Context, delayedScaleDown: DelayedScaleDown): void;
  getDelayedScaleDown(ctx: Context): DelayedScaleDown;
  clearAll(ctx: Context): void;
  flush(ctx: Context): void;
}
