import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import { formatFixed2, javaStringHashCode } from "../utils/JavaCompat.ts";

export const SCALING_SUMMARY_ENTRY = "{ Vertex ID %s | Parallelism %d -> %d | Processing capacity %.2f -> %.2f | Target data rate %.2f}";
export const SCALING_EXECUTION_DISABLED_REASON = "%s:%s, recommended parallelism change:";
export const SCALING_SUMMARY_HEADER_SCALING_EXECUTION_DISABLED = "Scaling execution disabled by config ";
export const SCALING_SUMMARY_HEADER_SCALING_EXECUTION_ENABLED = "Scaling execution enabled, begin scaling vertices:";
export const SCALING_REPORT_REASON = "ScalingReport";
export const SCALING_REPORT_KEY = "ScalingExecutor";

export type EventType = "Normal" | "Warning";

/** Where the autoscaler reports what it does (AutoScalerEventHandler). Intervals are ms. */
export interface AutoScalerEventHandler<KEY, Context extends JobAutoScalerContext<KEY>> {
  handleEvent(context: Context, type: EventType, reason: string, message: string, messageKey: string | null, interval: number | null): void;
  handleException?(context: Context, reason: string, e: unknown): void;
  handleScalingEvent?(context: Context, scalingSummaries: Map<string, ScalingSummary>, message: string, interval: number): void;
}

/** The interface's default handleException: the exception's message (or its stack, abbreviated to 2048 characters) as a Warning. */
export function handleException<KEY, Context extends JobAutoScalerContext<KEY>>(
  handler: AutoScalerEventHandler<KEY, Context>,
  context: Context,
  reason: string,
  e: unknown,
): void {
  if (handler.handleException !== undefined) return handler.handleException(context, reason, e);
  let message = e instanceof Error ? e.message : String(e);
  if (message === "" && e instanceof Error) message = abbreviate(e.stack ?? String(e), 2048);
  handler.handleEvent(context, "Warning", reason, message, null, null);
}

/** The interface's default handleScalingEvent: the scaling report, keyed ScalingExecutor. */
export function handleScalingEvent<KEY, Context extends JobAutoScalerContext<KEY>>(
  handler: AutoScalerEventHandler<KEY, Context>,
  context: Context,
  scalingSummaries: Map<string, ScalingSummary>,
  message: string,
  interval: number,
): void {
  if (handler.handleScalingEvent !== undefined) return handler.handleScalingEvent(context, scalingSummaries, message, interval);
  handler.handleEvent(context, "Normal", SCALING_REPORT_REASON, scalingReport(scalingSummaries, message), SCALING_REPORT_KEY, interval);
}

function abbreviate(s: string, maxWidth: number): string {
  return s.length <= maxWidth ? s : `${s.slice(0, maxWidth - 3)}...`;
}

/** The message followed by one SCALING_SUMMARY_ENTRY per vertex. */
export function scalingReport(scalingSummaries: Map<string, ScalingSummary>, message: string): string {
  let sb = message;
  for (const [v, s] of scalingSummaries) {
    sb += `{ Vertex ID ${v} | Parallelism ${s.currentParallelism} -> ${s.newParallelism} | Processing capacity ${formatFixed2(
      s.metrics.get("TRUE_PROCESSING_RATE")!.getAverage(),
    )} -> ${formatFixed2(s.metrics.get("EXPECTED_PROCESSING_RATE")!.getCurrent())} | Target data rate ${formatFixed2(s.metrics.get("TARGET_DATA_RATE")!.getAverage())}}`;
  }
  return sb;
}

/** The hash of the parallelism changes, as Java's HashMap<String, String>#hashCode & 0x7FFFFFFF. */
export function getParallelismHashCode(scalingSummaries: Map<string, ScalingSummary>): string {
  let hash = 0;
  for (const [v, s] of scalingSummaries) {
    hash = (hash + (javaStringHashCode(v) ^ javaStringHashCode(`Parallelism ${s.currentParallelism} -> ${s.newParallelism}`))) | 0;
  }
  return String(hash & 0x7fffffff);
}
