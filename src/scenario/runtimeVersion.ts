/**
 * What spec.flinkVersion and the Flink keys behind them select in the simulated runtime:
 * the adaptive scheduler's rescale policy, checkpoints, and how keyed state is restored.
 */
import { parseMemorySize, MemorySizeFormatError } from "../core/memorySize.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import type { StateOptions } from "../flink/FlinkCluster.ts";
import type { AdaptiveSchedulerSettings } from "../flink/restart/AdaptiveRescale.ts";
import type { CheckpointSettings } from "../flink/state/CheckpointCoordinator.ts";
import type { KeyedStateSpec } from "../flink/state/KeyedState.ts";
import { isAtLeast } from "../flink/versions.ts";
import { ConfigValueError, FlinkConfigReader } from "./flinkConfiguration.ts";

const AS = "jobmanager.adaptive-scheduler.";

/**
 * The adaptive scheduler's rescale settings of `version` (AdaptiveRescale.ts for the sources):
 * 1.18 and before at once; 1.19, 1.20 scaling-interval.min (30 s) / .max (none);
 * 2.x executing.cooldown-after-rescaling (30 s; scaling-interval.min is its deprecated key in
 * JobManagerOptions at the release-2.0 branch point dccb7821), executing.resource-stabilization-timeout (60 s),
 * rescale-trigger.max-checkpoint-failures (2), rescale-trigger.max-delay (checkpoint interval
 * x (failures + 1), 0 without checkpoints). Throws ConfigValueError naming the key.
 */
export function adaptiveSchedulerSettings(
  version: string | undefined,
  conf: Readonly<Record<string, string>>,
  checkpointIntervalMs: number | null,
): AdaptiveSchedulerSettings {
  const r = new FlinkConfigReader(conf);
  const v = version ?? "v1_18";
  if (isAtLeast(v, 2, 0)) {
    const cooldownMs = r.duration(`${AS}executing.cooldown-after-rescaling`, `${AS}scaling-interval.min`) ?? 30_000;
    const stabilizationTimeoutMs = r.duration(`${AS}executing.resource-stabilization-timeout`) ?? 60_000;
    const maxCheckpointFailures = r.int(`${AS}rescale-trigger.max-checkpoint-failures`, 1) ?? 2;
    const maxTriggerDelayMs =
      r.duration(`${AS}rescale-trigger.max-delay`) ?? (checkpointIntervalMs === null ? 0 : checkpointIntervalMs * (maxCheckpointFailures + 1));
    return { policy: { kind: "checkpoint", cooldownMs, stabilizationTimeoutMs, maxTriggerDelayMs, maxCheckpointFailures }, minParallelismIncrease: 1 };
  }
  const minParallelismIncrease = r.int(`${AS}min-parallelism-increase`, 1) ?? 1;
  if (isAtLeast(v, 1, 19)) {
    const scalingIntervalMinMs = r.duration(`${AS}scaling-interval.min`) ?? 30_000;
    const scalingIntervalMaxMs = r.duration(`${AS}scaling-interval.max`) ?? null;
    // AdaptiveScheduler.Settings#of (1.19 branch point 03b45844, 1.20.1): checkState(max > min).
    if (scalingIntervalMaxMs !== null && !(scalingIntervalMaxMs > scalingIntervalMinMs)) {
      throw new ConfigValueError(`${AS}scaling-interval.max`, `must be greater than ${AS}scaling-interval.min (${scalingIntervalMinMs} ms)`);
    }
    return { policy: { kind: "cooldown", scalingIntervalMinMs, scalingIntervalMaxMs }, minParallelismIncrease };
  }
  return { policy: { kind: "immediate" }, minParallelismIncrease };
}

/** The adaptive scheduler's resource-stabilization-timeout after a restart (renamed submission.* in 2.0, FLIP-472). */
export function submissionStabilizationKeys(version: string | undefined): string[] {
  return isAtLeast(version ?? "v1_18", 2, 0) ? [`${AS}submission.resource-stabilization-timeout`, `${AS}resource-stabilization-timeout`] : [`${AS}resource-stabilization-timeout`];
}

/** execution.checkpointing.interval and min-pause; null when checkpointing is off (no interval). */
export function checkpointSettings(conf: Readonly<Record<string, string>>): CheckpointSettings | null {
  const r = new FlinkConfigReader(conf);
  const intervalMs = r.duration("execution.checkpointing.interval");
  if (intervalMs === undefined) return null;
  if (!(intervalMs >= 10)) throw new ConfigValueError("execution.checkpointing.interval", "must be at least 10 ms (Flink's minimum checkpoint interval)");
  const minPauseMs = r.duration("execution.checkpointing.min-pause") ?? 0;
  return { intervalMs, minPauseMs: Math.min(minPauseMs, intervalMs) };
}

/**
 * Incremental (RocksDB with incremental checkpoints: whole overlapping handles are
 * downloaded) or full. state.backend.type (1.18: default hashmap; older key state.backend),
 * state.backend.incremental (default false; 2.0 names it execution.checkpointing.incremental).
 */
export function restoreMode(version: string | undefined, conf: Readonly<Record<string, string>>): "incremental" | "full" {
  const r = new FlinkConfigReader(conf);
  const backend = (r.get("state.backend.type", "state.backend")?.value ?? "hashmap").trim().toLowerCase();
  const incrementalKeys = isAtLeast(version ?? "v1_18", 2, 0) ? ["execution.checkpointing.incremental", "state.backend.incremental"] : ["state.backend.incremental"];
  let incremental = false;
  for (const k of incrementalKeys) {
    const b = r.boolean(k);
    if (b !== undefined) {
      incremental = b;
      break;
    }
  }
  return backend === "rocksdb" && incremental ? "incremental" : "full";
}

/**
 * The default download bandwidth per TaskManager: 150 MiB/s. An assumption for S3-like
 * storage: RocksDB downloads with state.backend.rocksdb.checkpoint.transfer.thread.num
 * threads (default 4, RocksDBOptions, release-1.18.1), each a single object GET stream of
 * some tens of MB/s, bounded by the pod's share of its node's network.
 */
export const DEFAULT_DOWNLOAD_BANDWIDTH = "150mb";
/** A checkpoint's duration from trigger to completion when the scenario gives none (an assumption). */
export const DEFAULT_CHECKPOINT_DURATION: DistributionSpec = { kind: "lognormal", median: 1000, p95: 3000 };

/** A size in Flink's memory syntax or bytes; throws MemorySizeFormatError. */
export function sizeOf(value: string | number): number {
  return typeof value === "number" ? value : parseMemorySize(value);
}

export { MemorySizeFormatError };

export type { StateOptions, KeyedStateSpec };
