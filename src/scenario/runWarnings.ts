import { ALL_OPTIONS, AUTOSCALER_ENABLED, METRICS_WINDOW, STABILIZATION_INTERVAL } from "../autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../autoscaler/config/Configuration.ts";
import { formatDuration } from "../core/duration.ts";
import type { Scenario } from "./Scenario.ts";

/**
 * Traps in durations that make a run useless without making it invalid: a bare number
 * given for a duration on the command line (Flink's syntax reads it as milliseconds), an
 * autoscaler duration that looks like seconds written as milliseconds, and a run that ends
 * before the autoscaler can evaluate once. Isomorphic: no node: imports.
 */

/** "1m15s", "0.3s": a duration as the command line prints it. */
function short(ms: number): string {
  return formatDuration(ms).replace(/^PT/, "").toLowerCase();
}

/**
 * Why a command-line duration is refused, or undefined. A bare number is milliseconds in
 * Flink's syntax: `--duration 90` would simulate 90 ms, which no one means at a prompt.
 */
export function bareDurationArgument(flag: string, value: string): string | undefined {
  const text = value.trim();
  if (!/^\d+$/.test(text)) return undefined;
  return `${flag} ${text} is ${text} milliseconds (a bare number is ms in Flink's duration syntax): did you mean ${text}s? Write ${text}ms if you mean milliseconds`;
}

/** The raw text the autoscaler reads for `key` or its fallback keys (the first that is set). */
function rawValue(conf: Readonly<Record<string, string>>, keys: readonly string[]): { key: string; value: string } | undefined {
  for (const key of keys) {
    const value = conf[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * One-line warnings (each `file: problem`) for a run whose autoscaler will not work as the
 * scenario likely means; the run goes on. None when the autoscaler is off.
 *
 * The first evaluation with a full metric window (ScalingMetricCollector#updateMetrics,
 * JobAutoScalerImpl#runScalingLogic, release-1.15.0): the job runs from time 0, the
 * operator reconciles every interval from one interval on; samples count from the first
 * reconcile at or after `stabilization.interval`, and the window is full `metrics.window`
 * after that sample; the window is then trimmed to `metrics.window`, and fewer than two
 * samples in it means no evaluation. So no evaluation can come before
 * max(R, ceil(S / R) * R) + W, and none ever when W < R.
 */
export function runWarnings(scenario: Pick<Scenario, "file" | "flinkConfiguration" | "durationMs" | "reconcileIntervalMs">): string[] {
  const { file, flinkConfiguration } = scenario;
  const conf = new Configuration(flinkConfiguration);
  if (!conf.get(AUTOSCALER_ENABLED)) return [];
  const warnings: string[] = [];
  for (const option of ALL_OPTIONS) {
    if (option.type !== "duration") continue;
    const raw = rawValue(flinkConfiguration, [option.key, ...option.fallbackKeys.map((f) => f.key)]);
    if (raw === undefined || !/^\s*\d+\s*$/.test(raw.value)) continue;
    const n = Number(raw.value);
    // 0 turns some of them off; from a second on, milliseconds may well be meant.
    if (n > 0 && n < 1000) {
      warnings.push(`${file}: ${raw.key}: ${n} is ${n} ms (a bare number is milliseconds in Flink's syntax); did you mean ${n}s?`);
    }
  }
  const r = scenario.reconcileIntervalMs;
  const s = conf.get(STABILIZATION_INTERVAL);
  const w = conf.get(METRICS_WINDOW);
  if (w < r) {
    warnings.push(
      `${file}: the autoscaler will never evaluate: job.autoscaler.metrics.window (${short(w)}) is shorter than the reconcile interval (${short(r)}), so the window never holds the two samples it needs`,
    );
  } else {
    const firstEvaluationMs = Math.max(r, Math.ceil(s / r) * r) + w;
    if (firstEvaluationMs > scenario.durationMs) {
      warnings.push(
        `${file}: the run (${short(scenario.durationMs)}) ends before the autoscaler's first evaluation, at ${short(firstEvaluationMs)} at the earliest ` +
          `(job.autoscaler.stabilization.interval ${short(s)}, then job.autoscaler.metrics.window ${short(w)}, on the ${short(r)} reconcile interval): run longer or shorten them`,
      );
    }
  }
  return warnings;
}
