import { formatDuration } from "../core/duration.ts";
import { PREFER_TRACKED_RESTART_TIME, RESTART_TIME, TRACKED_RESTART_TIME_LIMIT } from "./config/AutoScalerOptions.ts";
import type { Configuration } from "./config/Configuration.ts";
import { ScalingRecord } from "./ScalingRecord.ts";
import type { ScalingSummary } from "./ScalingSummary.ts";
import type { JobTopology } from "./topology/JobTopology.ts";
import type { VertexInfo } from "./topology/VertexInfo.ts";
import { instantToString } from "./utils/JavaCompat.ts";
import { getLogger } from "./utils/Logger.ts";
import { TreeMap } from "./utils/TreeMap.ts";

const LOG = getLogger("org.apache.flink.autoscaler.ScalingTracking");

const toSeconds = (ms: number) => Math.floor(ms / 1000); // Duration#toSeconds for non-negative durations

/** The rescales the autoscaler made, by the instant each was decided, with their restart durations. */
export class ScalingTracking {
  readonly scalingRecords = new TreeMap<ScalingRecord>();

  addScalingRecord(startTimestamp: number, scalingRecord: ScalingRecord): void {
    this.scalingRecords.put(startTimestamp, scalingRecord);
  }

  getLatestScalingRecordEntry(): [number, ScalingRecord] | undefined {
    return this.scalingRecords.lastEntry();
  }

  /**
   * Records the restart duration of the latest rescale (decision to RUNNING again) once
   * every vertex it scaled runs at its target parallelism; true when recorded.
   */
  recordRestartDurationIfTrackedAndParallelismMatches(
    jobRunningTs: number,
    jobTopology: JobTopology,
    scalingHistory: ReadonlyMap<string, TreeMap<ScalingSummary>>,
  ): boolean {
    const entry = this.getLatestScalingRecordEntry();
    if (entry === undefined) return false;
    const [scalingTimestamp, value] = entry;
    if (value.restartDuration === null) {
      const targetParallelism = getTargetParallelismOfScaledVertices(scalingTimestamp, scalingHistory);
      if (targetParallelismMatchesActual(targetParallelism, jobTopology.getVertexInfos())) {
        value.setRestartDuration(jobRunningTs - scalingTimestamp);
        LOG.debug(
          "Recorded restart duration of {} seconds (from {} till {})",
          toSeconds(jobRunningTs - scalingTimestamp),
          instantToString(scalingTimestamp),
          instantToString(jobRunningTs),
        );
        return true;
      }
    } else {
      LOG.debug("Cannot record restart duration because already set in the latest record: {}", formatDuration(value.restartDuration));
    }
    return false;
  }

  /**
   * With tracking enabled, the largest recorded restart in whole seconds, capped by
   * restart.time-tracking.limit; otherwise, or before any is recorded, restart.time.
   */
  getMaxRestartTimeOrDefault(conf: Configuration): number {
    let maxRestartTime = -1;
    if (conf.get(PREFER_TRACKED_RESTART_TIME)) {
      for (const record of this.scalingRecords.values()) {
        if (record.restartDuration !== null) maxRestartTime = Math.max(toSeconds(record.restartDuration), maxRestartTime);
      }
      LOG.debug("Maximum tracked restart time: {}", maxRestartTime);
    }
    const restartTimeFromConfig = conf.get(RESTART_TIME);
    const maxRestartTimeFromConfig = toSeconds(conf.get(TRACKED_RESTART_TIME_LIMIT));
    return maxRestartTime === -1 ? restartTimeFromConfig : Math.min(maxRestartTime, maxRestartTimeFromConfig) * 1000;
  }

  /** Keeps records younger than `keptTimeSpanMs` and at most `keptNumRecords` of them, always the latest. */
  removeOldRecords(now: number, keptTimeSpanMs: number, keptNumRecords: number): void {
    const latestRecord = this.getLatestScalingRecordEntry();
    this.scalingRecords.removeHead(now - keptTimeSpanMs);
    while (this.scalingRecords.size > keptNumRecords) this.scalingRecords.pollFirstEntry();
    if (latestRecord !== undefined) this.scalingRecords.put(latestRecord[0], latestRecord[1]);
  }
}

function getTargetParallelismOfScaledVertices(
  scalingTimestamp: number,
  scalingHistory: ReadonlyMap<string, TreeMap<ScalingSummary>>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [vertex, history] of scalingHistory) {
    const summary = history.get(scalingTimestamp);
    if (summary !== undefined) out.set(vertex, summary.newParallelism);
  }
  return out;
}

function targetParallelismMatchesActual(targetParallelisms: ReadonlyMap<string, number>, vertexInfoMap: ReadonlyMap<string, VertexInfo>): boolean {
  for (const [vertexID, targetParallelism] of targetParallelisms) {
    const vertexInfo = vertexInfoMap.get(vertexID);
    const actualParallelism = vertexInfo === undefined ? -1 : vertexInfo.parallelism;
    if (actualParallelism !== targetParallelism) {
      LOG.debug("Vertex {} actual parallelism {} does not match target parallelism {}", vertexID, actualParallelism, targetParallelism);
      return false;
    }
  }
  return true;
}
