import { formatDuration } from "../core/duration.ts";
import {
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  OBSERVED_SCALABILITY_COEFFICIENT_MIN,
  OBSERVED_SCALABILITY_ENABLED,
  OBSERVED_SCALABILITY_MIN_OBSERVATIONS,
  SCALE_DOWN_INTERVAL,
  SCALING_EFFECTIVENESS_DETECTION_ENABLED,
  SCALING_EFFECTIVENESS_THRESHOLD,
  SCALING_EVENT_INTERVAL,
  SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE,
  UTILIZATION_TARGET,
  VERTEX_MAX_PARALLELISM,
  VERTEX_MIN_PARALLELISM,
} from "./config/AutoScalerOptions.ts";
import type { Configuration } from "./config/Configuration.ts";
import type { DelayedScaleDown } from "./DelayedScaleDown.ts";
import type { AutoScalerEventHandler } from "./event/AutoScalerEventHandler.ts";
import type { JobAutoScalerContext } from "./JobAutoScalerContext.ts";
import { EvaluatedScalingMetric } from "./metrics/EvaluatedScalingMetric.ts";
import { requireMetric, requireVertexMetric, type ScalingMetric } from "./metrics/ScalingMetric.ts";
import type { ScalingSummary } from "./ScalingSummary.ts";
import type { ShipStrategy } from "./topology/ShipStrategy.ts";
import { computeBaselineProcessingRate, getTargetProcessingCapacity, optimizeLinearScalingCoefficient } from "./utils/AutoScalerUtils.ts";
import { UNSET_CLOCK, type Clock } from "./utils/Clock.ts";
import { INTEGER_MAX_VALUE, instantToString, intDiv, javaDoubleToString, setScale, toInt } from "./utils/JavaCompat.ts";
import { getLogger } from "./utils/Logger.ts";
import type { TreeMap } from "./utils/TreeMap.ts";

const LOG = getLogger("org.apache.flink.autoscaler.JobVertexScaler");

export const INEFFECTIVE_SCALING = "IneffectiveScaling";
export const SCALING_LIMITED = "ScalingLimited";

/** INEFFECTIVE_MESSAGE_FORMAT */
export function ineffectiveMessage(vertex: string, expectedIncrease: number, actualIncrease: number, blocking: boolean): string {
  return `Ineffective scaling detected for ${vertex} (expected increase: ${javaDoubleToString(expectedIncrease)}, actual increase ${javaDoubleToString(actualIncrease)}). Blocking of ineffective scaling decisions is ${blocking ? "enabled" : "disabled"}`;
}

/** SCALE_LIMITED_MESSAGE_FORMAT (with upstream's full-width comma). */
export function scaleLimitedMessage(vertex: string, expected: number, actual: number, numKeyGroupsOrPartitions: number, upperBound: number, lowerLimit: number): string {
  return (
    `Scaling limited detected for ${vertex} (expected parallelism: ${expected}, actual parallelism ${actual}). ` +
    `Scaling limited due to numKeyGroupsOrPartitions : ${numKeyGroupsOrPartitions}，` +
    `upperBoundForAlignment(maxParallelism or parallelismUpperLimit): ${upperBound}, parallelismLowerLimit: ${lowerLimit}.`
  );
}

/** A vertex's parallelism decision (JobVertexScaler.ParallelismChange). */
export class ParallelismChange {
  private constructor(
    readonly newParallelism: number,
    readonly currentParallelism: number,
    readonly outsideUtilizationBound: boolean,
  ) {}

  static build(newParallelism: number, currentParallelism: number, outsideUtilizationBound: boolean): ParallelismChange {
    if (!(newParallelism > 0) || !(currentParallelism > 0)) throw new Error("The parallelism should be greater than 0.");
    return new ParallelismChange(newParallelism, currentParallelism, outsideUtilizationBound);
  }

  static noChange(currentParallelism: number): ParallelismChange {
    if (!(currentParallelism > 0)) throw new Error("The parallelism should be greater than 0.");
    return new ParallelismChange(currentParallelism, currentParallelism, false);
  }

  isNoChange(): boolean {
    return this.newParallelism === this.currentParallelism;
  }

  getNewParallelism(): number {
    return this.newParallelism;
  }

  isOutsideUtilizationBound(): boolean {
    return this.outsideUtilizationBound;
  }

  /** Upstream's equals: without a change, only the current parallelism counts. */
  equals(that: ParallelismChange): boolean {
    if (this.isNoChange() && that.isNoChange()) return this.currentParallelism === that.currentParallelism;
    return (
      this.newParallelism === that.newParallelism &&
      this.currentParallelism === that.currentParallelism &&
      this.outsideUtilizationBound === that.outsideUtilizationBound
    );
  }

  toString(): string {
    return this.isNoChange()
      ? `NoParallelismChange{currentParallelism=${this.currentParallelism}}`
      : `ParallelismChange{newParallelism=${this.newParallelism}, currentParallelism=${this.currentParallelism}, outsideUtilizationBound=${this.outsideUtilizationBound}}`;
  }
}

/** Computes one vertex's new parallelism (JobVertexScaler). */
export class JobVertexScaler<KEY, Context extends JobAutoScalerContext<KEY>> {
  private clock: Clock = UNSET_CLOCK;

  constructor(private readonly autoScalerEventHandler: AutoScalerEventHandler<KEY, Context>) {}

  computeScaleTargetParallelism(
    context: Context,
    vertex: string,
    inputShipStrategies: Iterable<ShipStrategy>,
    evaluatedMetrics: Map<ScalingMetric, EvaluatedScalingMetric>,
    history: TreeMap<ScalingSummary>,
    restartTime: number,
    delayedScaleDown: DelayedScaleDown,
  ): ParallelismChange {
    const conf = context.getConfiguration();
    const currentParallelism = toInt(requireVertexMetric(evaluatedMetrics, "PARALLELISM", vertex).getCurrent());
    const averageTrueProcessingRate = requireVertexMetric(evaluatedMetrics, "TRUE_PROCESSING_RATE", vertex).getAverage();
    if (Number.isNaN(averageTrueProcessingRate)) {
      LOG.warn("True processing rate is not available for {}, cannot compute new parallelism", vertex);
      return ParallelismChange.noChange(currentParallelism);
    }

    const targetCapacity = getTargetProcessingCapacity(evaluatedMetrics, conf, conf.get(UTILIZATION_TARGET), true, restartTime);
    if (Number.isNaN(targetCapacity)) {
      LOG.warn("Target data rate is not available for {}, cannot compute new parallelism", vertex);
      return ParallelismChange.noChange(currentParallelism);
    }

    LOG.debug("Target processing capacity for {} is {}", vertex, targetCapacity);
    let scaleFactor = targetCapacity / averageTrueProcessingRate;
    if (conf.get(OBSERVED_SCALABILITY_ENABLED)) {
      const scalingCoefficient = JobVertexScaler.calculateObservedScalingCoefficient(history, conf);
      scaleFactor = scaleFactor / scalingCoefficient;
    }
    const minScaleFactor = 1 - conf.get(MAX_SCALE_DOWN_FACTOR);
    const maxScaleFactor = 1 + conf.get(MAX_SCALE_UP_FACTOR);
    if (scaleFactor < minScaleFactor) {
      LOG.debug("Computed scale factor of {} for {} is capped by maximum scale down factor to {}", scaleFactor, vertex, minScaleFactor);
      scaleFactor = minScaleFactor;
    } else if (scaleFactor > maxScaleFactor) {
      LOG.debug("Computed scale factor of {} for {} is capped by maximum scale up factor to {}", scaleFactor, vertex, maxScaleFactor);
      scaleFactor = maxScaleFactor;
    }

    // The target capacity the capped scale factor allows.
    const cappedTargetCapacity = averageTrueProcessingRate * scaleFactor;
    LOG.debug("Capped target processing capacity for {} is {}", vertex, cappedTargetCapacity);

    const newParallelism = JobVertexScaler.scale(
      vertex,
      currentParallelism,
      inputShipStrategies,
      toInt(requireVertexMetric(evaluatedMetrics, "NUM_SOURCE_PARTITIONS", vertex).getCurrent()),
      toInt(requireVertexMetric(evaluatedMetrics, "MAX_PARALLELISM", vertex).getCurrent()),
      scaleFactor,
      Math.min(currentParallelism, conf.get(VERTEX_MIN_PARALLELISM)),
      Math.max(currentParallelism, conf.get(VERTEX_MAX_PARALLELISM)),
      this.autoScalerEventHandler,
      context,
    );

    if (newParallelism === currentParallelism) {
      // No change: any pending scale down of this vertex is void.
      delayedScaleDown.clearVertex(vertex);
      return ParallelismChange.noChange(currentParallelism);
    }

    // Our expectation, checked by the next scaling's effectiveness detection.
    evaluatedMetrics.set("EXPECTED_PROCESSING_RATE", EvaluatedScalingMetric.of(cappedTargetCapacity));

    return this.detectBlockScaling(context, vertex, conf, evaluatedMetrics, history, currentParallelism, newParallelism, delayedScaleDown);
  }

  /** The scalability coefficient fitted on the vertex's scaling history, rounded up to 2 decimals; 1 without enough history. */
  static calculateObservedScalingCoefficient(history: TreeMap<ScalingSummary>, conf: Configuration): number {
    const minObservations = conf.get(OBSERVED_SCALABILITY_MIN_OBSERVATIONS);
    if (history.isEmpty() || history.size < minObservations) return 1.0;
    const baselineProcessingRate = computeBaselineProcessingRate(history);
    if (Number.isNaN(baselineProcessingRate)) return 1.0;
    const parallelismList: number[] = [];
    const processingRateList: number[] = [];
    for (const [ts, summary] of history) {
      const processingRate = requireMetric(summary.metrics, "TRUE_PROCESSING_RATE", `the scaling summary of ${instantToString(ts)}`).getAverage();
      if (Number.isNaN(processingRate)) {
        LOG.warn("True processing rate is not available in scaling history. Cannot compute scaling coefficient.");
        return 1.0;
      }
      parallelismList.push(summary.currentParallelism);
      processingRateList.push(processingRate);
    }
    const lowerBound = conf.get(OBSERVED_SCALABILITY_COEFFICIENT_MIN);
    const coefficient = optimizeLinearScalingCoefficient(parallelismList, processingRateList, baselineProcessingRate, 1, lowerBound);
    return setScale(coefficient, 2, "CEILING");
  }

  private detectBlockScaling(
    context: Context,
    vertex: string,
    conf: Configuration,
    evaluatedMetrics: Map<ScalingMetric, EvaluatedScalingMetric>,
    history: TreeMap<ScalingSummary>,
    currentParallelism: number,
    newParallelism: number,
    delayedScaleDown: DelayedScaleDown,
  ): ParallelismChange {
    if (currentParallelism === newParallelism) {
      throw new Error("The newParallelism is equal to currentParallelism, no scaling is needed. This is probably a bug.");
    }
    const outsideUtilizationBound = JobVertexScaler.outsideUtilizationBound(vertex, evaluatedMetrics);
    const scaledUp = currentParallelism < newParallelism;
    if (scaledUp) {
      // A scale up voids any pending scale down.
      delayedScaleDown.clearVertex(vertex);
      // Without past scalings of this vertex nothing blocks a scale up.
      if (history.isEmpty()) return ParallelismChange.build(newParallelism, currentParallelism, outsideUtilizationBound);
      const lastSummary = history.get(history.lastKey())!;
      if (
        currentParallelism === lastSummary.newParallelism &&
        lastSummary.isScaledUp() &&
        this.detectIneffectiveScaleUp(context, vertex, conf, evaluatedMetrics, lastSummary)
      ) {
        // The last scale up was ineffective: block this one.
        return ParallelismChange.noChange(currentParallelism);
      }
      return ParallelismChange.build(newParallelism, currentParallelism, outsideUtilizationBound);
    }
    return this.applyScaleDownInterval(delayedScaleDown, vertex, conf, newParallelism, currentParallelism, outsideUtilizationBound);
  }

  private static outsideUtilizationBound(vertex: string, metrics: ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>): boolean {
    const trueProcessingRate = requireVertexMetric(metrics, "TRUE_PROCESSING_RATE", vertex).getAverage();
    const scaleUpRateThreshold = requireVertexMetric(metrics, "SCALE_UP_RATE_THRESHOLD", vertex).getCurrent();
    const scaleDownRateThreshold = requireVertexMetric(metrics, "SCALE_DOWN_RATE_THRESHOLD", vertex).getCurrent();
    if (trueProcessingRate < scaleUpRateThreshold || trueProcessingRate > scaleDownRateThreshold) {
      LOG.debug("Vertex {} processing rate {} is outside ({}, {})", vertex, trueProcessingRate, scaleUpRateThreshold, scaleDownRateThreshold);
      return true;
    }
    LOG.debug("Vertex {} processing rate {} is within target ({}, {})", vertex, trueProcessingRate, scaleUpRateThreshold, scaleDownRateThreshold);
    return false;
  }

  private applyScaleDownInterval(
    delayedScaleDown: DelayedScaleDown,
    vertex: string,
    conf: Configuration,
    newParallelism: number,
    currentParallelism: number,
    outsideUtilizationBound: boolean,
  ): ParallelismChange {
    const scaleDownInterval = conf.get(SCALE_DOWN_INTERVAL);
    if (scaleDownInterval <= 0) {
      // The scale down interval is disabled: nothing delays the scale down.
      return ParallelismChange.build(newParallelism, currentParallelism, outsideUtilizationBound);
    }
    const now = this.clock.instant();
    const windowStartTime = now - scaleDownInterval;
    const info = delayedScaleDown.triggerScaleDown(vertex, now, newParallelism, outsideUtilizationBound);

    // Never scale down within the scale down interval.
    if (windowStartTime < info.getFirstTriggerTime()) {
      if (now === info.getFirstTriggerTime()) {
        LOG.info("The scale down of {} is delayed by {}.", vertex, formatDuration(scaleDownInterval));
      } else {
        LOG.debug("Try to skip immediate scale down within scale-down interval for {}", vertex);
      }
      return ParallelismChange.noChange(currentParallelism);
    }
    // Scale down to the largest parallelism recommended within the window, not the latest.
    const max = info.getMaxRecommendedParallelism(windowStartTime);
    return ParallelismChange.build(max.parallelism, currentParallelism, max.outsideUtilizationBound);
  }

  private detectIneffectiveScaleUp(
    context: Context,
    vertex: string,
    conf: Configuration,
    evaluatedMetrics: ReadonlyMap<ScalingMetric, EvaluatedScalingMetric>,
    lastSummary: ScalingSummary,
  ): boolean {
    const lastScaling = `the last scaling summary of vertex ${vertex}`;
    const lastProcRate = requireMetric(lastSummary.metrics, "TRUE_PROCESSING_RATE", lastScaling).getAverage();
    const lastExpectedProcRate = requireMetric(lastSummary.metrics, "EXPECTED_PROCESSING_RATE", lastScaling).getCurrent();
    const currentProcRate = requireVertexMetric(evaluatedMetrics, "TRUE_PROCESSING_RATE", vertex).getAverage();

    // The share of the expected increase that happened; below the threshold the scaling was ineffective.
    const expectedIncrease = lastExpectedProcRate - lastProcRate;
    const actualIncrease = currentProcRate - lastProcRate;
    const withinEffectiveThreshold = actualIncrease / expectedIncrease >= conf.get(SCALING_EFFECTIVENESS_THRESHOLD);
    if (withinEffectiveThreshold) return false;

    const blockIneffectiveScalings = conf.get(SCALING_EFFECTIVENESS_DETECTION_ENABLED);
    const message = ineffectiveMessage(vertex, expectedIncrease, actualIncrease, blockIneffectiveScalings);
    this.autoScalerEventHandler.handleEvent(
      context,
      "Normal",
      INEFFECTIVE_SCALING,
      message,
      `ineffective${vertex}${javaDoubleToString(expectedIncrease)}`,
      conf.get(SCALING_EVENT_INTERVAL),
    );
    return blockIneffectiveScalings;
  }

  /**
   * The new parallelism: current x scale factor rounded up, within [lower limit, min(max
   * parallelism, upper limit)], then, for a source with known partitions or a vertex fed
   * by a HASH edge, aligned with the partitions or key groups as the adjust mode says.
   */
  static scale<KEY, Context extends JobAutoScalerContext<KEY>>(
    vertex: string,
    currentParallelism: number,
    inputShipStrategies: Iterable<ShipStrategy>,
    numSourcePartitions: number,
    maxParallelism: number,
    scaleFactor: number,
    parallelismLowerLimit: number,
    parallelismUpperLimit: number,
    eventHandler: AutoScalerEventHandler<KEY, Context>,
    context: Context,
  ): number {
    if (parallelismLowerLimit > parallelismUpperLimit) {
      throw new Error("The parallelism lower limitation must not be greater than the parallelism upper limitation.");
    }
    if (parallelismLowerLimit > maxParallelism) {
      LOG.warn(
        "Specified autoscaler minimum parallelism {} is greater than the operator max parallelism {}. The min parallelism will be set to the operator max parallelism.",
        parallelismLowerLimit,
        maxParallelism,
      );
    }
    if (maxParallelism < parallelismUpperLimit && parallelismUpperLimit !== INTEGER_MAX_VALUE) {
      LOG.debug(
        "Specified autoscaler maximum parallelism {} is greater than the operator max parallelism {}. This means the operator max parallelism can never be reached.",
        parallelismUpperLimit,
        maxParallelism,
      );
    }

    // (int) Math.min(Math.ceil(...), Integer.MAX_VALUE): no int overflow.
    let newParallelism = toInt(Math.min(Math.ceil(scaleFactor * currentParallelism), INTEGER_MAX_VALUE));

    // At most the max parallelism (key groups or partitions) or the upper limit.
    const upperBound = Math.min(maxParallelism, parallelismUpperLimit);
    newParallelism = Math.min(Math.max(parallelismLowerLimit, newParallelism), upperBound);

    const adjustByMaxParallelismOrPartitions = numSourcePartitions > 0 || [...inputShipStrategies].includes("HASH");
    if (!adjustByMaxParallelismOrPartitions) return newParallelism;

    const numKeyGroupsOrPartitions = numSourcePartitions <= 0 ? maxParallelism : numSourcePartitions;
    const upperBoundForAlignment = Math.min(numKeyGroupsOrPartitions, upperBound);
    const mode = context.getConfiguration().get(SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE);

    if (newParallelism === currentParallelism) return newParallelism;
    const isScaleUp = newParallelism > currentParallelism;

    // Phase 1: search upwards for a divisor (or, maximizing utilisation, a better share).
    // A scale down searches no further than the current parallelism, so it cannot turn into a scale up.
    const phase1UpperBound = isScaleUp ? upperBoundForAlignment : Math.min(currentParallelism, upperBoundForAlignment);
    for (let p = newParallelism; p <= phase1UpperBound; p++) {
      if (
        numKeyGroupsOrPartitions % p === 0 ||
        (mode === "MAXIMIZE_UTILISATION" && intDiv(numKeyGroupsOrPartitions, p) < intDiv(numKeyGroupsOrPartitions, newParallelism))
      ) {
        return p;
      }
    }

    // Phase 2: the smallest parallelism that still meets the rate of newParallelism.
    let p = newParallelism;
    for (; p > 0; p--) {
      if (intDiv(numKeyGroupsOrPartitions, p) > intDiv(numKeyGroupsOrPartitions, newParallelism)) {
        if (numKeyGroupsOrPartitions % p !== 0) p++;
        break;
      }
    }
    p = Math.max(p, parallelismLowerLimit);

    // Never let the alignment invert the direction of the scaling.
    if ((isScaleUp && p <= currentParallelism) || (!isScaleUp && p >= currentParallelism)) {
      LOG.warn(
        "Scaling of {} blocked: alignment could not find a value that preserves the {} direction from current parallelism {} with mode {}. Keeping current parallelism.",
        vertex,
        isScaleUp ? "scale-up" : "scale-down",
        currentParallelism,
        mode,
      );
      JobVertexScaler.emitScalingLimitedEvent(vertex, newParallelism, currentParallelism, numKeyGroupsOrPartitions, upperBound, parallelismLowerLimit, eventHandler, context);
      return currentParallelism;
    }
    if (p !== newParallelism) {
      JobVertexScaler.emitScalingLimitedEvent(vertex, newParallelism, p, numKeyGroupsOrPartitions, upperBound, parallelismLowerLimit, eventHandler, context);
    }
    return p;
  }

  private static emitScalingLimitedEvent<KEY, Context extends JobAutoScalerContext<KEY>>(
    vertex: string,
    expectedParallelism: number,
    actualParallelism: number,
    numKeyGroupsOrPartitions: number,
    upperBound: number,
    parallelismLowerLimit: number,
    eventHandler: AutoScalerEventHandler<KEY, Context>,
    context: Context,
  ): void {
    const message = scaleLimitedMessage(vertex, expectedParallelism, actualParallelism, numKeyGroupsOrPartitions, upperBound, parallelismLowerLimit);
    eventHandler.handleEvent(context, "Warning", SCALING_LIMITED, message, SCALING_LIMITED + vertex, context.getConfiguration().get(SCALING_EVENT_INTERVAL));
  }

  setClock(clock: Clock): void {
    this.clock = clock;
  }
}
