import type { DelayedScaleDown } from "../../autoscaler/DelayedScaleDown.ts";
import type { CollectedMetrics } from "../../autoscaler/metrics/CollectedMetrics.ts";
import type { ScalingSummary } from "../../autoscaler/ScalingSummary.ts";
import type { ScalingTracking } from "../../autoscaler/ScalingTracking.ts";
import type { JobAutoScalerContext } from "../../autoscaler/JobAutoScalerContext.ts";
import type { AutoScalerStateStore, ConfigChanges } from "../../autoscaler/state/AutoScalerStateStore.ts";
import { TreeMap } from "../../autoscaler/utils/TreeMap.ts";
import { StateFormatError } from "./AutoScalerSerDeModule.ts";
import { configMapManifest, LABEL_COMPONENT_AUTOSCALER, readConfigMapManifest, type AutoscalerResource } from "./ConfigMapStore.ts";
import {
  COLLECTED_METRICS_KEY,
  CONFIG_OVERRIDES_KEY,
  DELAYED_SCALE_DOWN,
  deserializeConfigOverrides,
  deserializeDelayedScaleDown,
  deserializeEvaluatedMetrics,
  deserializeParallelismOverrides,
  deserializeScalingHistory,
  deserializeScalingTracking,
  MAX_CM_BYTES,
  PARALLELISM_OVERRIDES_KEY,
  SCALING_HISTORY_KEY,
  SCALING_TRACKING_KEY,
  serializeConfigOverrides,
  serializeDelayedScaleDown,
  serializeEvaluatedMetrics,
  serializeParallelismOverrides,
  serializeScalingHistory,
  serializeScalingTracking,
  STATE_KEYS,
  trimHistoryToMaxCmSize,
} from "./KubernetesAutoScalerStateStore.ts";

/**
 * The autoscaler's state as the ConfigMap holds it: each part present only when the
 * operator has stored it (a key absent from `data` is undefined here).
 */
export interface AutoscalerState {
  readonly collectedMetrics?: TreeMap<CollectedMetrics>;
  readonly scalingHistory?: Map<string, TreeMap<ScalingSummary>>;
  readonly scalingTracking?: ScalingTracking;
  readonly parallelismOverrides?: Map<string, string>;
  readonly configChanges?: ConfigChanges;
  readonly delayedScaleDown?: DelayedScaleDown;
}

/** A ConfigMap that cannot be read: one line, what and where. */
export class ConfigMapDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigMapDecodeError";
  }
}

export interface EncodeOptions {
  /** The trimming limit (MAX_CM_BYTES, 1,000,000): tests lower it. */
  readonly maxBytes?: number;
}

/** The ConfigMap's `data` for this state, as KubernetesAutoScalerStateStore writes it, trimmed as its flush() trims it. */
export function encodeAutoscalerData(state: AutoscalerState, options: EncodeOptions = {}): Map<string, string> {
  const data = new Map<string, string>();
  if (state.scalingHistory !== undefined) data.set(SCALING_HISTORY_KEY, serializeScalingHistory(state.scalingHistory));
  if (state.scalingTracking !== undefined) data.set(SCALING_TRACKING_KEY, serializeScalingTracking(state.scalingTracking));
  if (state.collectedMetrics !== undefined) data.set(COLLECTED_METRICS_KEY, serializeEvaluatedMetrics(state.collectedMetrics));
  if (state.parallelismOverrides !== undefined) data.set(PARALLELISM_OVERRIDES_KEY, serializeParallelismOverrides(state.parallelismOverrides));
  if (state.configChanges !== undefined) data.set(CONFIG_OVERRIDES_KEY, serializeConfigOverrides(state.configChanges));
  if (state.delayedScaleDown !== undefined) data.set(DELAYED_SCALE_DOWN, serializeDelayedScaleDown(state.delayedScaleDown));
  if (state.collectedMetrics !== undefined) {
    const history = new TreeMap<CollectedMetrics>(state.collectedMetrics.entriesArray());
    trimHistoryToMaxCmSize(data, history, options.maxBytes ?? MAX_CM_BYTES);
  }
  return data;
}

/** The ConfigMap manifest text (configmap.yaml) for this state and resource. */
export function encodeAutoscalerConfigMap(state: AutoscalerState, resource: AutoscalerResource, options: EncodeOptions = {}): string {
  return configMapManifest(resource, encodeAutoscalerData(state, options));
}

/**
 * Reads a ConfigMap as `kubectl get configmap autoscaler-<name> -o yaml` prints it
 * into the port's state objects. Throws ConfigMapDecodeError, one line naming `source`
 * and the place: not a ConfigMap, another version's layout, corrupt base64 or gzip.
 */
export function decodeAutoscalerConfigMap(text: string, source = "configmap.yaml"): AutoscalerState & { readonly name: string | undefined; readonly namespace: string | undefined } {
  try {
    const cm = readConfigMapManifest(text);
    if (cm.labels["component"] !== undefined && cm.labels["component"] !== LABEL_COMPONENT_AUTOSCALER) {
      throw new StateFormatError("metadata.labels.component", `is '${cm.labels["component"]}', not '${LABEL_COMPONENT_AUTOSCALER}': not the autoscaler's ConfigMap`);
    }
    if (cm.data.has("jobUpdateTs")) {
      throw new StateFormatError("data.jobUpdateTs", "is the layout of operator 1.4-1.5 (AutoScalerInfo), not 1.15.0's");
    }
    const unknown = [...cm.data.keys()].filter((k) => !STATE_KEYS.includes(k));
    if (unknown.length > 0) {
      throw new StateFormatError(`data.${unknown[0]}`, `is not a key operator 1.15.0 writes (${STATE_KEYS.join(", ")}): a ConfigMap of another version?`);
    }
    if (cm.data.size === 0) throw new StateFormatError("data", "is empty: the autoscaler has stored nothing yet");
    const get = <T>(key: string, read: (s: string) => T): T | undefined => {
      const v = cm.data.get(key);
      return v === undefined ? undefined : read(v);
    };
    const state: AutoscalerState = {
      collectedMetrics: get(COLLECTED_METRICS_KEY, deserializeEvaluatedMetrics),
      scalingHistory: get(SCALING_HISTORY_KEY, deserializeScalingHistory),
      scalingTracking: get(SCALING_TRACKING_KEY, deserializeScalingTracking),
      parallelismOverrides: get(PARALLELISM_OVERRIDES_KEY, deserializeParallelismOverrides),
      configChanges: get(CONFIG_OVERRIDES_KEY, deserializeConfigOverrides),
      delayedScaleDown: get(DELAYED_SCALE_DOWN, deserializeDelayedScaleDown),
    };
    return { ...state, name: cm.name, namespace: cm.namespace };
  } catch (e) {
    if (e instanceof StateFormatError) throw new ConfigMapDecodeError(`${source}: ${e.message}`);
    throw e;
  }
}

/**
 * Puts a decoded state into an autoscaler state store (replay: the store then holds what
 * the real operator's ConfigMap held), part by part, as KubernetesAutoScalerStateStore's
 * getters would return it.
 */
export function loadIntoStore<KEY, C extends JobAutoScalerContext<KEY>>(state: AutoscalerState, store: AutoScalerStateStore<KEY, C>, ctx: C): void {
  if (state.scalingHistory !== undefined) store.storeScalingHistory(ctx, state.scalingHistory);
  if (state.scalingTracking !== undefined) store.storeScalingTracking(ctx, state.scalingTracking);
  if (state.collectedMetrics !== undefined) store.storeCollectedMetrics(ctx, state.collectedMetrics);
  if (state.parallelismOverrides !== undefined) store.storeParallelismOverrides(ctx, state.parallelismOverrides);
  if (state.configChanges !== undefined) store.storeConfigChanges(ctx, state.configChanges);
  if (state.delayedScaleDown !== undefined) store.storeDelayedScaleDown(ctx, state.delayedScaleDown);
}
