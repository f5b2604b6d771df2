import { VERTEX_SCALING_HISTORY_AGE, VERTEX_SCALING_HISTORY_COUNT } from "../config/AutoScalerOptions.ts";
import type { Configuration } from "../config/Configuration.ts";
import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import type { ScalingTracking } from "../ScalingTracking.ts";
import type { AutoScalerStateStore } from "../state/AutoScalerStateStore.ts";
import { TreeMap } from "../utils/TreeMap.ts";

type History = Map<string, TreeMap<ScalingSummary>>;

/** Adds this scaling's summaries to the (trimmed) history and stores it. */
export function addToScalingHistoryAndStore<KEY, Context extends JobAutoScalerContext<KEY>>(
  stateStore: AutoScalerStateStore<KEY, Context>,
  context: Context,
  scalingHistory: History,
  now: number,
  summaries: ReadonlyMap<string, ScalingSummary>,
): void {
  for (const [id, summary] of summaries) {
    let h = scalingHistory.get(id);
    if (h === undefined) scalingHistory.set(id, (h = new TreeMap()));
    h.put(now, summary);
  }
  stateStore.storeScalingHistory(context, scalingHistory);
}

/** Drops the history of vertices no longer in the job. */
export function updateVertexList<KEY, Context extends JobAutoScalerContext<KEY>>(
  stateStore: AutoScalerStateStore<KEY, Context>,
  ctx: Context,
  now: number,
  vertexSet: ReadonlySet<string>,
): void {
  const trimmed = getTrimmedScalingHistory(stateStore, ctx, now);
  let removed = false;
  for (const v of [...trimmed.keys()]) {
    if (!vertexSet.has(v)) {
      trimmed.delete(v);
      removed = true;
    }
  }
  if (removed) stateStore.storeScalingHistory(ctx, trimmed);
}

export function getTrimmedScalingHistory<KEY, Context extends JobAutoScalerContext<KEY>>(
  stateStore: AutoScalerStateStore<KEY, Context>,
  context: Context,
  now: number,
): History {
  return trimScalingHistory(now, context.getConfiguration(), stateStore.getScalingHistory(context));
}

/** A copy of the history keeping entries younger than history.max.age, at most history.max.count per vertex. */
export function trimScalingHistory(now: number, conf: Configuration, scalingHistory: ReadonlyMap<string, TreeMap<ScalingSummary>>): History {
  const expectedStartTime = now - conf.get(VERTEX_SCALING_HISTORY_AGE);
  const maxCount = conf.get(VERTEX_SCALING_HISTORY_COUNT);
  const result: History = new Map();
  for (const [vertex, history] of [...scalingHistory].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const kept = history.tailMap(expectedStartTime);
    while (kept.size > maxCount) kept.remove(kept.firstKey());
    if (!kept.isEmpty()) result.set(vertex, kept);
  }
  return result;
}

/** The scaling tracking with records older than history.max.age or beyond history.max.count removed. */
export function getTrimmedScalingTracking<KEY, Context extends JobAutoScalerContext<KEY>>(
  stateStore: AutoScalerStateStore<KEY, Context>,
  context: Context,
  now: number,
): ScalingTracking {
  const conf = context.getConfiguration();
  const scalingTracking = stateStore.getScalingTracking(context);
  scalingTracking.removeOldRecords(now, conf.get(VERTEX_SCALING_HISTORY_AGE), conf.get(VERTEX_SCALING_HISTORY_COUNT));
  return scalingTracking;
}
