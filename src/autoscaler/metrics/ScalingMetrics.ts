import { BUSY_TIME_AGGREGATOR, OBSERVE_TRUE_PROCESSING_RATE_LAG_THRESHOLD } from "../config/AutoScalerOptions.ts";
import type { Configuration } from "../config/Configuration.ts";
import type { IOMetrics } from "../topology/IOMetrics.ts";
import type { JobTopology } from "../topology/JobTopology.ts";
import { excludeVertexFromScaling } from "../utils/AutoScalerUtils.ts";
import { precisionRound } from "../utils/JavaCompat.ts";
import { getLogger } from "../utils/Logger.ts";
import type { AggregatedMetric, Metric } from "./AggregatedMetric.ts";
import type { FlinkMetric } from "./FlinkMetric.ts";
import { getAggregate } from "./MetricAggregator.ts";
import type { ScalingMetric } from "./ScalingMetric.ts";

const LOG = getLogger("org.apache.flink.autoscaler.metrics.ScalingMetrics");

const seconds = (ms: number) => Math.floor(ms / 1000); // Duration#toSeconds

/** ScalingMetrics.computeLoadMetrics: LOAD from busy time, and the accumulated busy time. */
export function computeLoadMetrics(
  jobVertexID: string,
  flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>,
  scalingMetrics: Map<ScalingMetric, number>,
  ioMetrics: IOMetrics | null,
  conf: Configuration,
): void {
  scalingMetrics.set("LOAD", getBusyTimeMsPerSecond(flinkMetrics, conf, jobVertexID) / 1000);
  scalingMetrics.set("ACCUMULATED_BUSY_TIME", requireIoMetrics(ioMetrics, jobVertexID).accumulatedBusyTime);
}

/** A vertex's records and busy time from the job details; upstream dereferences them (a NullPointerException when absent). */
function requireIoMetrics(ioMetrics: IOMetrics | null, jobVertexID: string): IOMetrics {
  if (ioMetrics === null) throw new Error(`No IO metrics (records in and out) of vertex ${jobVertexID} in the job details`);
  return ioMetrics;
}

function getBusyTimeMsPerSecond(flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>, conf: Configuration, jobVertexId: string): number {
  const busyTimeAggregator = conf.get(BUSY_TIME_AGGREGATOR);
  const busyTimeMsPerSecond = getAggregate(busyTimeAggregator, flinkMetrics.get("BUSY_TIME_PER_SEC"));
  if (!Number.isFinite(busyTimeMsPerSecond)) {
    if (excludeVertexFromScaling(conf, jobVertexId)) {
      LOG.warn("No busyTimeMsPerSecond metric available for {}. No scaling will be performed for this vertex.", jobVertexId);
    }
    return NaN;
  }
  return Math.max(0, busyTimeMsPerSecond);
}

/** ScalingMetrics.computeDataRateMetrics: records in/out totals and, for sources, the observed true processing rate. */
export function computeDataRateMetrics(
  jobVertexID: string,
  flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>,
  scalingMetrics: Map<ScalingMetric, number>,
  topology: JobTopology,
  conf: Configuration,
  observedTprAvg: () => number,
): void {
  const isSource = topology.isSource(jobVertexID);
  const ioMetrics = requireIoMetrics(topology.get(jobVertexID).getIoMetrics(), jobVertexID);
  const numRecordsIn = getNumRecordsInAccumulated(flinkMetrics, ioMetrics, jobVertexID, isSource);
  scalingMetrics.set("NUM_RECORDS_IN", numRecordsIn);
  scalingMetrics.set("NUM_RECORDS_OUT", ioMetrics.numRecordsOut);
  if (isSource) {
    const numRecordsInPerSecond = getSourceNumRecordsInPerSecond(flinkMetrics, jobVertexID);
    if (!Number.isNaN(numRecordsInPerSecond)) {
      const observedTpr = getObservedTpr(flinkMetrics, scalingMetrics, numRecordsInPerSecond, conf) ?? observedTprAvg();
      scalingMetrics.set("OBSERVED_TPR", observedTpr);
    }
  }
}

function getObservedTpr(
  flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>,
  scalingMetrics: ReadonlyMap<ScalingMetric, number>,
  numRecordsInPerSecond: number,
  conf: Configuration,
): number | undefined {
  // Nothing is coming in: assume infinite processing power until data flows.
  if (numRecordsInPerSecond === 0) return Infinity;
  // Catching up: the lag is worth at least lag-threshold seconds of input.
  const catchingUp = (scalingMetrics.get("LAG") ?? 0) >= seconds(conf.get(OBSERVE_TRUE_PROCESSING_RATE_LAG_THRESHOLD)) * numRecordsInPerSecond;
  if (!catchingUp) return undefined;
  const backpressure = requireFlinkMetric(flinkMetrics, "BACKPRESSURE_TIME_PER_SEC");
  const observedTpr = computeObservedTprWithBackpressure(numRecordsInPerSecond, requireAggregate(backpressure, "avg", "BACKPRESSURE_TIME_PER_SEC"));
  return Number.isNaN(observedTpr) ? undefined : observedTpr;
}

/** The input rate scaled up to the share of time the source was not back-pressured. */
export function computeObservedTprWithBackpressure(numRecordsInPerSecond: number, backpressureMsPerSeconds: number): number {
  if (backpressureMsPerSeconds >= 1000) return NaN;
  const nonBackpressuredRate = 1 - backpressureMsPerSeconds / 1000;
  return numRecordsInPerSecond / nonBackpressuredRate;
}

/** ScalingMetrics.computeGlobalMetrics: slots used, GC pressure, heap, managed and metaspace memory. */
export function computeGlobalMetrics(
  collectedJmMetrics: ReadonlyMap<FlinkMetric, Metric>,
  collectedTmMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric> | null,
  _conf: Configuration,
): Map<ScalingMetric, number> | null {
  if (collectedTmMetrics === null) return null;
  const out = new Map<ScalingMetric, number>();
  const total = collectedJmMetrics.get("NUM_TASK_SLOTS_TOTAL")?.value;
  const available = collectedJmMetrics.get("NUM_TASK_SLOTS_AVAILABLE")?.value;
  if (total !== undefined && available !== undefined && !Number.isNaN(Number(total)) && !Number.isNaN(Number(available))) {
    out.set("NUM_TASK_SLOTS_USED", Number(total) - Number(available));
  } else {
    LOG.debug("Slot metrics and registered task managers not available");
  }
  const gcTime = collectedTmMetrics.get("TOTAL_GC_TIME_PER_SEC");
  if (gcTime !== undefined) out.set("GC_PRESSURE", requireAggregate(gcTime, "max", "TOTAL_GC_TIME_PER_SEC") / 1000);
  const heapMax = collectedTmMetrics.get("HEAP_MEMORY_MAX");
  const heapUsed = collectedTmMetrics.get("HEAP_MEMORY_USED");
  if (heapMax !== undefined && heapUsed !== undefined) {
    const used = requireAggregate(heapUsed, "max", "HEAP_MEMORY_USED");
    out.set("HEAP_MEMORY_USED", used);
    out.set("HEAP_MAX_USAGE_RATIO", used / requireAggregate(heapMax, "max", "HEAP_MEMORY_MAX"));
  }
  const managedMemory = collectedTmMetrics.get("MANAGED_MEMORY_USED");
  // Upstream stores a null max here and fails at the next evaluation: failing now says which metric.
  if (managedMemory !== undefined) out.set("MANAGED_MEMORY_USED", requireAggregate(managedMemory, "max", "MANAGED_MEMORY_USED"));
  const metaspaceMemory = collectedTmMetrics.get("METASPACE_MEMORY_USED");
  if (metaspaceMemory !== undefined) out.set("METASPACE_MEMORY_USED", requireAggregate(metaspaceMemory, "max", "METASPACE_MEMORY_USED"));
  return out;
}

/** ScalingMetrics.computeLagMetrics: LAG is the summed pendingRecords, 0 without them. */
export function computeLagMetrics(flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>, scalingMetrics: Map<ScalingMetric, number>): void {
  const pendingRecords = flinkMetrics.get("PENDING_RECORDS");
  scalingMetrics.set("LAG", pendingRecords !== undefined ? requireAggregate(pendingRecords, "sum", "PENDING_RECORDS") : 0);
}

function getSourceNumRecordsInPerSecond(flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>, jobVertexID: string): number {
  return getNumRecordsInInternal(flinkMetrics, null, jobVertexID, true, true);
}

function getNumRecordsInAccumulated(
  flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>,
  ioMetrics: IOMetrics,
  jobVertexID: string,
  isSource: boolean,
): number {
  return getNumRecordsInInternal(flinkMetrics, ioMetrics, jobVertexID, isSource, false);
}

function getNumRecordsInInternal(
  flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>,
  ioMetrics: IOMetrics | null,
  jobVertexID: string,
  isSource: boolean,
  perSecond: boolean,
): number {
  // Per second is only available for sources; totals come from the job details.
  let numRecords: AggregatedMetric | undefined = perSecond
    ? undefined
    : { id: "n", min: NaN, max: NaN, avg: NaN, sum: ioMetrics!.numRecordsIn, skew: NaN };
  if (isSource && (numRecords === undefined || sumOf(numRecords) === 0)) {
    const sourceTaskIn = flinkMetrics.get(perSecond ? "SOURCE_TASK_NUM_RECORDS_IN_PER_SEC" : "SOURCE_TASK_NUM_RECORDS_IN");
    numRecords = sourceTaskIn ?? numRecords;
  }
  if (isSource && (numRecords === undefined || sumOf(numRecords) === 0)) {
    const sourceTaskOut = flinkMetrics.get(perSecond ? "SOURCE_TASK_NUM_RECORDS_OUT_PER_SEC" : "SOURCE_TASK_NUM_RECORDS_OUT");
    numRecords = sourceTaskOut ?? numRecords;
  }
  if (numRecords === undefined) {
    LOG.debug("Received null input rate for {}. Returning NaN.", jobVertexID);
    return NaN;
  }
  return Math.max(0, sumOf(numRecords));
}

/** The records-in metric's sum (a null Double unboxed upstream: a NullPointerException). */
function sumOf(numRecords: AggregatedMetric): number {
  return requireAggregate(numRecords, "sum", numRecords.id);
}

function requireFlinkMetric(flinkMetrics: ReadonlyMap<FlinkMetric, AggregatedMetric>, metric: FlinkMetric): AggregatedMetric {
  const value = flinkMetrics.get(metric);
  if (value === undefined) throw new Error(`Missing Flink metric ${metric}`);
  return value;
}

/**
 * An aggregate of a REST metric that upstream unboxes from a Double (a NullPointerException
 * when Flink did not send it): an error naming the metric and the aggregate.
 */
export function requireAggregate(metric: AggregatedMetric, aggregate: "min" | "max" | "avg" | "sum", name: string): number {
  const value = metric[aggregate];
  if (value === undefined) throw new Error(`Flink metric ${name} has no ${aggregate}`);
  return value;
}

/** Rounds to 3 decimals (HALF_UP), keeping values that would round to 0. */
export function roundMetric(value: number): number {
  const rounded = precisionRound(value, 3);
  return rounded === 0 ? value : rounded;
}
