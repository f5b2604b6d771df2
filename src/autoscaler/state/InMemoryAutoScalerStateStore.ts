import { DelayedScaleDown } from "../DelayedScaleDown.ts";
import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import type { CollectedMetrics } from "../metrics/CollectedMetrics.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import { ScalingTracking } from "../ScalingTracking.ts";
import { TreeMap } from "../utils/TreeMap.ts";
import { EMPTY_CONFIG_CHANGES, type AutoScalerStateStore, type ConfigChanges } from "./AutoScalerStateStore.ts";

/** The state store that keeps everything in memory, per job key (InMemoryAutoScalerStateStore). */
export class InMemoryAutoScalerStateStore<KEY, Context extends JobAutoScalerContext<KEY>> implements AutoScalerStateStore<KEY, Context> {
  private readonly scalingHistoryStore = new Map<KEY, Map<string, TreeMap<ScalingSummary>>>();
  private readonly collectedMetricsStore = new Map<KEY, TreeMap<CollectedMetrics>>();
  private readonly parallelismOverridesStore = new Map<KEY, Map<string, string>>();
  private readonly tmConfigOverrides = new Map<KEY, ConfigChanges>();
  private readonly scalingTrackingStore = new Map<KEY, ScalingTracking>();
  private readonly delayedScaleDownStore = new Map<KEY, DelayedScaleDown>();

  storeScalingHistory(ctx: Context, scalingHistory: Map<string, TreeMap<ScalingSummary>>): void {
    this.scalingHistoryStore.set(ctx.getJobKey(), scalingHistory);
  }
  getScalingHistory(ctx: Context): Map<string, TreeMap<ScalingSummary>> {
    return this.scalingHistoryStore.get(ctx.getJobKey()) ?? new Map();
  }
  storeScalingTracking(ctx: Context, scalingTracking: ScalingTracking): void {
    this.scalingTrackingStore.set(ctx.getJobKey(), scalingTracking);
  }
  getScalingTracking(ctx: Context): ScalingTracking {
    return this.scalingTrackingStore.get(ctx.getJobKey()) ?? new ScalingTracking();
  }
  removeScalingHistory(ctx: Context): void {
    this.scalingHistoryStore.delete(ctx.getJobKey());
  }
  storeCollectedMetrics(ctx: Context, metrics: TreeMap<CollectedMetrics>): void {
    this.collectedMetricsStore.set(ctx.getJobKey(), metrics);
  }
  getCollectedMetrics(ctx: Context): TreeMap<CollectedMetrics> {
    return this.collectedMetricsStore.get(ctx.getJobKey()) ?? new TreeMap();
  }
  removeCollectedMetrics(ctx: Context): void {
    this.collectedMetricsStore.delete(ctx.getJobKey());
  }
  storeParallelismOverrides(ctx: Context, parallelismOverrides: Map<string, string>): void {
    this.parallelismOverridesStore.set(ctx.getJobKey(), parallelismOverrides);
  }
  getParallelismOverrides(ctx: Context): Map<string, string> {
    return this.parallelismOverridesStore.get(ctx.getJobKey()) ?? new Map();
  }
  removeParallelismOverrides(ctx: Context): void {
    this.parallelismOverridesStore.delete(ctx.getJobKey());
  }
  storeConfigChanges(ctx: Context, configChanges: ConfigChanges): void {
    this.tmConfigOverrides.set(ctx.getJobKey(), configChanges);
  }
  getConfigChanges(ctx: Context): ConfigChanges {
    return this.tmConfigOverrides.get(ctx.getJobKey()) ?? EMPTY_CONFIG_CHANGES;
  }
  removeConfigChanges(ctx: Context): void {
    this.tmConfigOverrides.delete(ctx.getJobKey());
  }
  storeDelayedScaleDown(ctx: Context, delayedScaleDown: DelayedScaleDown): void {
    this.delayedScaleDownStore.set(ctx.getJobKey(), delayedScaleDown);
  }
  getDelayedScaleDown(ctx: Context): DelayedScaleDown {
    return this.delayedScaleDownStore.get(ctx.getJobKey()) ?? new DelayedScaleDown();
  }
  clearAll(ctx: Context): void {
    const k = ctx.getJobKey();
    for (const store of this.stores()) store.delete(k);
  }
  flush(_ctx: Context): void {
    // Nothing to persist.
  }
  /**
   * What is stored for a job key, part by part (a part never stored, or removed, is
   * undefined): the autoscaler's ConfigMap at this moment (src/operator/state).
   */
  snapshot(key: KEY): {
    scalingHistory?: Map<string, TreeMap<ScalingSummary>>;
    collectedMetrics?: TreeMap<CollectedMetrics>;
    parallelismOverrides?: Map<string, string>;
    configChanges?: ConfigChanges;
    scalingTracking?: ScalingTracking;
    delayedScaleDown?: DelayedScaleDown;
  } {
    const scalingHistory = this.scalingHistoryStore.get(key);
    const collectedMetrics = this.collectedMetricsStore.get(key);
    const parallelismOverrides = this.parallelismOverridesStore.get(key);
    const configChanges = this.tmConfigOverrides.get(key);
    const scalingTracking = this.scalingTrackingStore.get(key);
    const delayedScaleDown = this.delayedScaleDownStore.get(key);
    return {
      ...(scalingHistory !== undefined ? { scalingHistory } : {}),
      ...(collectedMetrics !== undefined ? { collectedMetrics } : {}),
      ...(parallelismOverrides !== undefined ? { parallelismOverrides } : {}),
      ...(configChanges !== undefined ? { configChanges } : {}),
      ...(scalingTracking !== undefined ? { scalingTracking } : {}),
      ...(delayedScaleDown !== undefined ? { delayedScaleDown } : {}),
    };
  }
  hasDataFor(ctx: Context): boolean {
    const k = ctx.getJobKey();
    return this.stores().some((s) => s.has(k));
  }
  private stores(): Map<KEY, unknown>[] {
    return [
      this.scalingHistoryStore,
      this.parallelismOverridesStore,
      this.collectedMetricsStore,
      this.tmConfigOverrides,
      this.scalingTrackingStore,
      this.delayedScaleDownStore,
    ];
  }
}
