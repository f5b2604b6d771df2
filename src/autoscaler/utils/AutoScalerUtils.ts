import { CATCH_UP_DURATION, VERTEX_EXCLUDE_IDS } from "../config/AutoScalerOptions.ts";
import type { Configuration } from "../config/Configuration.ts";
import type { EvaluatedScalingMetric } from "../metrics/EvaluatedScalingMetric.ts";
import { requireMetric, type ScalingMetric } from "../metrics/ScalingMetric.ts";
import type { ScalingSummary } from "../ScalingSummary.ts";
import { instantToString, javaMathRound } from "./JavaCompat.ts";
import type { TreeMap } from "./TreeMap.ts";

/**
 * AutoScalerUtils.getTargetProcessingCapacity: lag catch-up rate + restart catch-up rate
 * (input rate x restart seconds / catch-up seconds) + input rate / utilization, rounded.
 */
export function getTargetProcessingCapacity(
  evaluatedMetrics: ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>,
  conf: Configuration,
  targetUtilization: number,
  withRestart: boolean,
  restartTimeMs: number,
): number {
  const lagCatchupTargetRate = requireMetric(evaluatedMetrics, "CATCH_UP_DATA_RATE", "the evaluated metrics").getCurrent();
  if (Number.isNaN(lagCatchupTargetRate)) return NaN;
  const catchUpTargetSec = Math.floor(conf.get(CATCH_UP_DURATION) / 1000);
  let utilization = Math.max(0, targetUtilization);
  utilization = Math.min(1, utilization);
  const avgInputTargetRate = requireMetric(evaluatedMetrics, "TARGET_DATA_RATE", "the evaluated metrics").getAverage();
  if (Number.isNaN(avgInputTargetRate)) return NaN;
  if (utilization === 0) return Infinity;
  const restartCatchupRate = !withRestart || catchUpTargetSec === 0 ? 0 : (avgInputTargetRate * Math.floor(restartTimeMs / 1000)) / catchUpTargetSec;
  const inputTargetAtUtilization = avgInputTargetRate / utilization;
  return javaMathRound(lagCatchupTargetRate + restartCatchupRate + inputTargetAtUtilization);
}

/** Adds the vertex to vertex.exclude.ids in `conf`; true when it was not excluded yet. */
export function excludeVertexFromScaling(conf: Configuration, jobVertexId: string): boolean {
  return excludeVerticesFromScaling(conf, [jobVertexId]);
}

export function excludeVerticesFromScaling(conf: Configuration, ids: Iterable<string>): boolean {
  const excludedIds = new Set(conf.get(VERTEX_EXCLUDE_IDS));
  let anyAdded = false;
  for (const id of ids) {
    if (!excludedIds.has(id)) {
      excludedIds.add(id);
      anyAdded = true;
    }
  }
  conf.set(VERTEX_EXCLUDE_IDS, [...excludedIds]);
  return anyAdded;
}

/** Least-squares fit of alpha in rate = baseline x alpha x parallelism, clamped to [lowerBound, upperBound]. */
export function optimizeLinearScalingCoefficient(
  parallelismLevels: readonly number[],
  processingRates: readonly number[],
  baselineProcessingRate: number,
  upperBound: number,
  lowerBound: number,
): number {
  let sum = 0;
  let squaredSum = 0;
  for (let i = 0; i < parallelismLevels.length; i++) {
    // List#get: a shorter list of rates throws, as upstream.
    if (i >= processingRates.length) throw new RangeError(`Index ${i} out of bounds for length ${processingRates.length} (processing rates)`);
    const parallelism = parallelismLevels[i]!;
    const processingRate = processingRates[i]!;
    sum += parallelism * processingRate;
    squaredSum += parallelism * parallelism;
  }
  if (squaredSum === 0) return 1; // linear scaling when nothing can be fitted
  const alpha = sum / (squaredSum * baselineProcessingRate);
  return Math.max(lowerBound, Math.min(upperBound, alpha));
}

/** The per-subtask processing rate at the lowest parallelism seen, latest first (1 if seen). */
export function computeBaselineProcessingRate(history: TreeMap<ScalingSummary>): number {
  let latestSmallest: [number, ScalingSummary] | undefined;
  for (const entry of [...history].reverse()) {
    const parallelism = entry[1].currentParallelism;
    if (parallelism === 1) return trueProcessingRateOf(entry);
    if (latestSmallest === undefined || parallelism < latestSmallest[1].currentParallelism) latestSmallest = entry;
  }
  if (latestSmallest === undefined) return NaN;
  return trueProcessingRateOf(latestSmallest) / latestSmallest[1].currentParallelism;
}

function trueProcessingRateOf([ts, summary]: [number, ScalingSummary]): number {
  return requireMetric(summary.metrics, "TRUE_PROCESSING_RATE", `the scaling summary of ${instantToString(ts)}`).getAverage();
}
