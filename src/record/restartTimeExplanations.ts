/**
 * Why the restart time the autoscaler used differs from a restart that actually happened
 * (by more than RATIO either way): the rule of upstream's ScalingTracking
 * (apache/flink-kubernetes-operator release-1.15.0, flink-autoscaler ScalingTracking.java,
 * ScalingExecutor.java, JobAutoScalerImpl.java) that produced the value, named so that a
 * reader can look it up:
 * - getMaxRestartTimeOrDefault: with job.autoscaler.restart.time-tracking.enabled false, or
 *   before any record has a restart duration, job.autoscaler.restart.time; else the longest
 *   recorded duration in whole seconds (Duration#toSeconds), capped by
 *   job.autoscaler.restart.time-tracking.limit.
 * - ScalingExecutor#scaleResource opens a record (addScalingRecord) at every executed
 *   scaling; JobAutoScalerImpl#runScalingLogic calls
 *   recordRestartDurationIfTrackedAndParallelismMatches at each reconcile, which fills only
 *   the latest record, measured from that record's own decision. A scaling executed while the
 *   previous one's pods still start opens a newer record: the older one is never filled.
 * - removeOldRecords drops records older than job.autoscaler.history.max.age and beyond
 *   job.autoscaler.history.max.count (the latest is always kept).
 */
import { round } from "./csv.ts";

/** A difference by more than this factor, either way, is explained. */
export const RATIO = 2;
/** Scalings summary.json explains in words at most (every one is counted by cause). */
export const MAX_EXPLAINED_SCALINGS = 20;

/** What getMaxRestartTimeOrDefault saw at one run of the scaling executor. */
export interface TrackingSnapshot {
  /** Virtual time of the executor run. */
  readonly atMs: number;
  readonly usedMs: number;
  readonly trackingEnabled: boolean;
  /** job.autoscaler.restart.time */
  readonly restartTimeMs: number;
  /** job.autoscaler.restart.time-tracking.limit */
  readonly limitMs: number;
  /** The scaling records then held: decision (virtual ms) and restart duration, null while unrecorded. */
  readonly records: readonly { readonly startMs: number; readonly durationMs: number | null }[];
}

/** One rescale of the run with what the autoscaler saw when it decided it. */
export interface RestartFacts {
  readonly decisionTimeMs: number;
  readonly runningTimeMs: number | null;
  readonly actualMs: number | null;
  readonly basis: TrackingSnapshot | null;
}

export type RestartTimeCause =
  | "tracking-disabled"
  | "no-record-yet"
  | "over-limit"
  | "never-recorded"
  | "trimmed"
  | "whole-seconds"
  | "longest-recorded"
  | "longer-than-recorded";

export interface RestartTimeExplanation {
  /** The scaling (1-based, restarts.csv's order) whose decision used it, or null for the run's last evaluation. */
  readonly scaling: number | null;
  readonly time_s: number;
  readonly used_s: number;
  /** The actual restart compared: the scaling's own, or for the last evaluation the latest one finished before it. */
  readonly actual_s: number;
  readonly actual_scaling: number;
  readonly cause: RestartTimeCause;
  readonly text: string;
}

const s = (ms: number) => round(ms / 1000, 3);
const wholeS = (ms: number) => Math.floor(ms / 1000);
const at = (ms: number) => `t = ${s(ms)} s`;
const RULE = "ScalingTracking#getMaxRestartTimeOrDefault, flink-kubernetes-operator 1.15.0";

/**
 * Everything the run's records tell about scaling records: which were ever opened (every
 * executor run that scaled, including those whose rescale the operator did not start because
 * one was under way) and the duration each got, if any.
 */
export interface TrackingHistory {
  readonly opened: readonly number[];
  readonly recorded: ReadonlyMap<number, number>;
}

/** Earlier rescales (finished before `beforeMs`) whose actual restart the snapshot does not hold, longest first, with why. */
function missing(restarts: readonly RestartFacts[], snapshot: TrackingSnapshot, history: TrackingHistory, beforeMs: number) {
  const held = new Map(snapshot.records.map((r) => [r.startMs, r.durationMs]));
  const out: { index: number; actualMs: number; why: "never-recorded" | "trimmed"; laterRecordMs?: number }[] = [];
  restarts.forEach((r, index) => {
    if (r.actualMs === null || r.runningTimeMs === null || r.runningTimeMs > beforeMs) return;
    const heldDuration = held.get(r.decisionTimeMs);
    if (heldDuration !== undefined && heldDuration !== null) return;
    if (history.recorded.has(r.decisionTimeMs)) {
      if (heldDuration === undefined) out.push({ index, actualMs: r.actualMs, why: "trimmed" });
      return;
    }
    // A newer record opened between the decision and RUNNING took the measurement.
    const later = history.opened.find((t) => t > r.decisionTimeMs && t <= r.runningTimeMs!);
    if (later !== undefined) out.push({ index, actualMs: r.actualMs, why: "never-recorded", laterRecordMs: later });
  });
  return out.sort((a, b) => b.actualMs - a.actualMs);
}

function explain(
  snapshot: TrackingSnapshot,
  actualMs: number,
  actualIndex: number,
  ownRestart: boolean,
  restarts: readonly RestartFacts[],
  history: TrackingHistory,
): { cause: RestartTimeCause; text: string } {
  const used = s(snapshot.usedMs);
  if (!snapshot.trackingEnabled) {
    return {
      cause: "tracking-disabled",
      text: `restart-time tracking is off (job.autoscaler.restart.time-tracking.enabled: false), so the autoscaler uses job.autoscaler.restart.time (${used} s) whatever restarts take (${RULE}).`,
    };
  }
  const recorded = snapshot.records.filter((r) => r.durationMs !== null) as { startMs: number; durationMs: number }[];
  const gone = missing(restarts, snapshot, history, snapshot.atMs);
  const goneText = (g: (typeof gone)[number]) =>
    g.why === "never-recorded"
      ? `the ${s(g.actualMs)} s restart of scaling ${g.index + 1} (decided at ${at(restarts[g.index]!.decisionTimeMs)}) was never recorded: the autoscaler executed another scaling at ${at(g.laterRecordMs!)} while its pods were still starting, which opened a newer scaling record (ScalingExecutor#scaleResource, addScalingRecord), and recordRestartDurationIfTrackedAndParallelismMatches fills only the latest record, measured from its own decision`
      : `the ${s(g.actualMs)} s restart of scaling ${g.index + 1} was recorded but its record has since been dropped (ScalingTracking#removeOldRecords: job.autoscaler.history.max.age / history.max.count)`;
  if (recorded.length === 0) {
    // Records opened while an earlier rescale was under way (decided, not yet RUNNING at its target).
    const underWay = restarts.find((r) => snapshot.records.some((x) => x.startMs > r.decisionTimeMs && (r.runningTimeMs === null || x.startMs < r.runningTimeMs)));
    const parts: string[] = [];
    if (snapshot.records.length === 0) parts.push("no scaling before this one");
    else if (underWay !== undefined) {
      parts.push(
        `the ${snapshot.records.length} scaling records it held were opened by scalings the autoscaler executed while the rescale decided at ${at(underWay.decisionTimeMs)} was still under way ` +
          "(ScalingExecutor#scaleResource opens a record at every executed scaling; recordRestartDurationIfTrackedAndParallelismMatches fills only the latest one, once the job runs at that record's target parallelism)",
      );
    } else parts.push("the job had not yet run at the latest scaling's target parallelism");
    if (gone.length > 0) parts.push(goneText(gone[0]!));
    return {
      cause: gone.length > 0 && gone[0]!.why === "never-recorded" ? "never-recorded" : underWay !== undefined ? "never-recorded" : gone.length > 0 ? gone[0]!.why : "no-record-yet",
      text: `no restart duration was recorded yet (${parts.join("; ")}); until one is, the autoscaler uses job.autoscaler.restart.time, ${used} s (${RULE}).`,
    };
  }
  const longest = recorded.reduce((a, b) => (wholeS(b.durationMs) > wholeS(a.durationMs) ? b : a));
  if (wholeS(longest.durationMs) * 1000 > snapshot.limitMs) {
    return {
      cause: "over-limit",
      text: `the longest recorded restart, ${s(longest.durationMs)} s (scaling decided at ${at(longest.startMs)}), exceeds job.autoscaler.restart.time-tracking.limit, so the autoscaler uses the limit, ${used} s (${RULE}: the tracked maximum capped by the limit).`,
    };
  }
  const relevant = gone.filter((g) => g.actualMs > snapshot.usedMs);
  if (actualMs > RATIO * snapshot.usedMs && !ownRestart && relevant.length > 0) {
    return { cause: relevant[0]!.why, text: `${goneText(relevant[0]!)}; the autoscaler used the longest restart it still held, ${used} s (${RULE}).` };
  }
  if (actualMs > RATIO * snapshot.usedMs && ownRestart && relevant.length > 0) {
    return { cause: relevant[0]!.why, text: `${goneText(relevant[0]!)}; the autoscaler used the longest restart it still held, ${used} s (${RULE}), and this restart took ${s(actualMs)} s.` };
  }
  // A restart under a second counts 0 s.
  if (snapshot.usedMs === 0 && longest.durationMs > 0) {
    return {
      cause: "whole-seconds",
      text: `the longest recorded restart, ${s(longest.durationMs)} s, counts in whole seconds (Duration#toSeconds in ${RULE}), so the autoscaler used ${used} s.`,
    };
  }
  if (snapshot.usedMs > RATIO * actualMs) {
    return {
      cause: "longest-recorded",
      text: `the autoscaler uses the longest restart among its scaling records, not a typical one: ${used} s, recorded for the scaling decided at ${at(longest.startMs)}, while scaling ${actualIndex + 1}'s restart took ${s(actualMs)} s (${RULE}; records are kept for job.autoscaler.history.max.age and up to history.max.count).`,
    };
  }
  return {
    cause: "longer-than-recorded",
    text: `this restart (${s(actualMs)} s) took longer than any the autoscaler had recorded when it decided; it used the longest of them, ${used} s, recorded for the scaling decided at ${at(longest.startMs)} (${RULE}).`,
  };
}

const differs = (usedMs: number, actualMs: number) => actualMs > RATIO * usedMs || usedMs > RATIO * actualMs;

/**
 * The explanations of a run: one per rescale whose decision used a restart time more than
 * RATIO away from its actual restart, and one for the run's last evaluation when its restart
 * time differs that much from the latest restart finished before it.
 */
export function explainRestartTimes(restarts: readonly RestartFacts[], last: TrackingSnapshot | null, history: TrackingHistory): RestartTimeExplanation[] {
  const out: RestartTimeExplanation[] = [];
  restarts.forEach((r, i) => {
    if (r.actualMs === null || r.basis === null || !differs(r.basis.usedMs, r.actualMs)) return;
    const e = explain(r.basis, r.actualMs, i, true, restarts, history);
    out.push({ scaling: i + 1, time_s: s(r.decisionTimeMs), used_s: s(r.basis.usedMs), actual_s: s(r.actualMs), actual_scaling: i + 1, ...e });
  });
  if (last !== null) {
    let latest = -1;
    restarts.forEach((r, i) => {
      if (r.actualMs !== null && r.runningTimeMs !== null && r.runningTimeMs <= last.atMs) latest = i;
    });
    const r = restarts[latest];
    if (r !== undefined && r.actualMs !== null && differs(last.usedMs, r.actualMs)) {
      const e = explain(last, r.actualMs, latest, false, restarts, history);
      out.push({ scaling: null, time_s: s(last.atMs), used_s: s(last.usedMs), actual_s: s(r.actualMs), actual_scaling: latest + 1, ...e });
    }
  }
  return out;
}
