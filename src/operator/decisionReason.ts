/**
 * Why the scaling executor did or did not change a vertex's parallelism, in a few words,
 * for decisions.csv. Read from what the autoscaler itself said during that executor run
 * (its log lines and the events it raised, upstream's text) and from the evaluated
 * metrics it decided on, so the port stays as upstream wrote it.
 */

import { SCALE_DOWN_INTERVAL, VERTEX_MAX_PARALLELISM, VERTEX_MIN_PARALLELISM } from "../autoscaler/config/AutoScalerOptions.ts";
import type { Configuration } from "../autoscaler/config/Configuration.ts";
import type { DelayedScaleDown } from "../autoscaler/DelayedScaleDown.ts";
import type { EvaluatedScalingMetric } from "../autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../autoscaler/metrics/ScalingMetric.ts";

/** What one run of the scaling executor said and decided, as far as one vertex is concerned. */
export interface ExecutorRunTrace {
  /** Every log message of the run, formatted. */
  readonly messages: readonly string[];
  /** Every event the run raised (before the operator's de-duplication). */
  readonly events: readonly { readonly reason: string; readonly message: string }[];
  /** The executor applied the scaling (some vertex changed). */
  readonly executed: boolean;
}

export interface VertexDecision {
  readonly vertexId: string;
  readonly currentParallelism: number;
  /** RECOMMENDED_PARALLELISM, or the current parallelism when there was none. */
  readonly newParallelism: number;
  readonly trueProcessingRate: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  /** The highest parallelism the autoscaler may set (MAX_PARALLELISM, within vertex.max-parallelism). */
  readonly maxParallelism: number;
  /** The lowest (vertex.min-parallelism). */
  readonly minParallelism: number;
  /** When a delayed scale down of this vertex may go ahead (virtual ms), if one is pending. */
  readonly scaleDownAllowedAtMs: number | null;
}

/** The run's messages as one text, joined once per trace (every vertex's checks search it). */
const joined = new WeakMap<ExecutorRunTrace, string>();
function has(trace: ExecutorRunTrace, text: string): boolean {
  let all = joined.get(trace);
  if (all === undefined) joined.set(trace, (all = trace.messages.join("\n")));
  return all.includes(text);
}
const hasEvent = (trace: ExecutorRunTrace, reason: string, text = "") => trace.events.some((e) => e.reason === reason && e.message.includes(text));

/** The reason, most specific first. */
export function decisionReason(d: VertexDecision, trace: ExecutorRunTrace): string {
  const v = d.vertexId;
  const changed = d.newParallelism !== d.currentParallelism;
  if (changed && trace.executed) return d.newParallelism > d.currentParallelism ? "scaled up" : "scaled down";
  if (has(trace, `Vertex ${v} is part of \`vertex.exclude.ids\``)) return "excluded by vertex.exclude.ids";
  if (has(trace, "Skipping vertex scaling due to memory pressure")) return "memory pressure (gc-pressure or heap-usage threshold)";
  if (has(trace, `True processing rate is not available for ${v}`)) return "true processing rate not available";
  if (has(trace, `Target data rate is not available for ${v}`)) return "target data rate not available";
  if (changed) {
    // A new parallelism was recommended and something held the whole scaling back.
    if (hasEvent(trace, "ScalingReport", "job.autoscaler.scaling.enabled:false")) return "recommend only (scaling.enabled: false)";
    if (hasEvent(trace, "ScalingReport", "job.autoscaler.excluded.periods:")) return "in an excluded period (excluded.periods)";
    if (has(trace, "resource quota reached with value")) return "limited by resource quota";
    if (has(trace, "JM metrics not ready yet")) return "JobManager metrics not ready";
    return "not enough cluster resources";
  }
  if (hasEvent(trace, "IneffectiveScaling", `Ineffective scaling detected for ${v} `) && hasEvent(trace, "IneffectiveScaling", "is enabled")) return "ineffective scale-up blocked";
  if (has(trace, `The scale down of ${v} is delayed by`) || has(trace, `Try to skip immediate scale down within scale-down interval for ${v}`)) {
    return d.scaleDownAllowedAtMs === null ? "scale-down delayed by scale-down.interval" : `scale-down delayed by scale-down.interval until ${Math.round(d.scaleDownAllowedAtMs / 1000)} s`;
  }
  if (has(trace, `Scaling of ${v} blocked: alignment`)) return "limited by key-group or partition alignment";
  // JobVertexScaler#outsideUtilizationBound's test. A vertex outside its bounds whose new
  // parallelism came out as the current one is held by a limit or by rounding.
  const within = !(d.trueProcessingRate < d.scaleUpThreshold || d.trueProcessingRate > d.scaleDownThreshold);
  if (within) return "within utilization bounds";
  if (d.trueProcessingRate < d.scaleUpThreshold && d.currentParallelism >= d.maxParallelism) return `at max parallelism ${d.maxParallelism}`;
  if (d.trueProcessingRate > d.scaleDownThreshold && d.currentParallelism <= d.minParallelism) return `at min parallelism ${d.minParallelism}`;
  return "new parallelism rounds to the current one";
}

/** One vertex's figures from the evaluated metrics an executor run decided on, with its reason. */
export interface EvaluatedVertexDecision {
  readonly currentParallelism: number;
  readonly newParallelism: number;
  readonly trueProcessingRate: number;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  /** Why the parallelism changed or not (decisionReason). */
  readonly reason: string;
}

/**
 * The decision on `vertexId` read from its evaluated metrics (the run's and replay's
 * shared reading): bounds as JobVertexScaler#computeScaleTargetParallelism takes them, a
 * pending delayed scale-down's allowed time relative to `originMs` (epoch ms).
 */
export function evaluatedVertexDecision(
  vertexId: string,
  m: ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>,
  conf: Configuration,
  delayedScaleDown: DelayedScaleDown,
  originMs: number,
  trace: ExecutorRunTrace,
): EvaluatedVertexDecision {
  const current = m.get("PARALLELISM")!.getCurrent();
  const recommended = m.get("RECOMMENDED_PARALLELISM")?.getCurrent() ?? current;
  const trueProcessingRate = m.get("TRUE_PROCESSING_RATE")!.getAverage();
  const scaleUpThreshold = m.get("SCALE_UP_RATE_THRESHOLD")!.getCurrent();
  const scaleDownThreshold = m.get("SCALE_DOWN_RATE_THRESHOLD")!.getCurrent();
  const pending = delayedScaleDown.getDelayedVertices().get(vertexId);
  const reason = decisionReason(
    {
      vertexId,
      currentParallelism: current,
      newParallelism: recommended,
      trueProcessingRate,
      scaleUpThreshold,
      scaleDownThreshold,
      maxParallelism: Math.min(m.get("MAX_PARALLELISM")!.getCurrent(), Math.max(current, conf.get(VERTEX_MAX_PARALLELISM))),
      minParallelism: Math.min(current, conf.get(VERTEX_MIN_PARALLELISM)),
      scaleDownAllowedAtMs: pending === undefined ? null : pending.getFirstTriggerTime() + conf.get(SCALE_DOWN_INTERVAL) - originMs,
    },
    trace,
  );
  return {
    currentParallelism: current,
    newParallelism: recommended,
    trueProcessingRate,
    targetDataRate: m.get("TARGET_DATA_RATE")!.getAverage(),
    catchUpDataRate: m.get("CATCH_UP_DATA_RATE")!.getCurrent(),
    scaleUpThreshold,
    scaleDownThreshold,
    reason,
  };
}
