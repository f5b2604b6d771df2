import { formatDuration } from "../core/duration.ts";
import {
  BACKLOG_PROCESSING_LAG_THRESHOLD,
  BUSY_TIME_AGGREGATOR,
  CATCH_UP_DURATION,
  OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS,
  OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD,
  TARGET_UTILIZATION_BOUNDARY,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  UTILIZATION_TARGET,
} from "./config/AutoScalerOptions.ts";
import type { Configuration } from "./config/Configuration.ts";
import type { CollectedMetricHistory } from "./metrics/CollectedMetricHistory.ts";
import type { CollectedMetrics } from "./metrics/CollectedMetrics.ts";
import type { EvaluatedMetrics } from "./metrics/EvaluatedMetrics.ts";
import { EvaluatedScalingMetric } from "./metrics/EvaluatedScalingMetric.ts";
import { requireVertexMetric, type ScalingMetric } from "./metrics/ScalingMetric.ts";
import type { JobTopology } from "./topology/JobTopology.ts";
import { getTargetProcessingCapacity } from "./utils/AutoScalerUtils.ts";
import { instantToString } from "./utils/JavaCompat.ts";
import { getLogger } from "./utils/Logger.ts";
import type { TreeMap } from "./utils/TreeMap.ts";

const LOG = getLogger("org.apache.flink.autoscaler.ScalingMetricEvaluator");

type History = TreeMap<CollectedMetrics>;
type Evaluated = Map<ScalingMetric, EvaluatedScalingMetric>;

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Turns the metric history into per-vertex evaluated metrics (ScalingMetricEvaluator). */
export class ScalingMetricEvaluator {
  evaluate(conf: Configuration, collectedMetrics: CollectedMetricHistory, restartTime: number): EvaluatedMetrics {
    LOG.debug("Restart time used in metrics evaluation: {}", formatDuration(restartTime));
    const scalingOutput = new Map<string, Evaluated>();
    const metricsHistory = collectedMetrics.metricHistory;
    const topology = collectedMetrics.jobTopology;

    const processingBacklog = ScalingMetricEvaluator.isProcessingBacklog(topology, metricsHistory, conf);

    for (const vertex of topology.getVerticesInTopologicalOrder()) {
      scalingOutput.set(vertex, this.evaluateMetrics(conf, scalingOutput, metricsHistory, topology, vertex, processingBacklog, restartTime));
    }
    const globalMetrics = ScalingMetricEvaluator.evaluateGlobalMetrics(metricsHistory);
    return { vertexMetrics: scalingOutput, globalMetrics };
  }

  /** Whether any source's lag exceeds backlog-processing.lag-threshold seconds of its input. */
  static isProcessingBacklog(topology: JobTopology, metricsHistory: History, conf: Configuration): boolean {
    const lastTs = metricsHistory.lastKey();
    const last = metricsHistory.get(lastTs)!;
    return topology
      .getVerticesInTopologicalOrder()
      .filter((v) => topology.isSource(v))
      .some((vertex) => {
        const lag = metricsAt(lastTs, last, vertex).get("LAG") ?? 0;
        const inputRateAvg = ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", vertex, metricsHistory);
        if (Number.isNaN(inputRateAvg)) return false;
        const lagSeconds = lag / inputRateAvg;
        if (lagSeconds > toSeconds(conf.get(BACKLOG_PROCESSING_LAG_THRESHOLD))) {
          LOG.info("Currently processing backlog at source {}", vertex);
          return true;
        }
        return false;
      });
  }

  private evaluateMetrics(
    conf: Configuration,
    scalingOutput: Map<string, Evaluated>,
    metricsHistory: History,
    topology: JobTopology,
    vertex: string,
    processingBacklog: boolean,
    restartTime: number,
  ): Evaluated {
    const lastTs = metricsHistory.lastKey();
    const latestVertexMetrics = metricsAt(lastTs, metricsHistory.get(lastTs)!, vertex);
    const vertexInfo = topology.get(vertex);
    const inputRateAvg = ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", vertex, metricsHistory);

    const evaluatedMetrics: Evaluated = new Map();
    this.computeTargetDataRate(topology, vertex, conf, inputRateAvg, scalingOutput, metricsHistory, latestVertexMetrics, evaluatedMetrics);

    const busyTimeAvg = ScalingMetricEvaluator.computeBusyTimeAvg(conf, metricsHistory, vertex, vertexInfo.parallelism);
    evaluatedMetrics.set(
      "TRUE_PROCESSING_RATE",
      EvaluatedScalingMetric.avg(ScalingMetricEvaluator.computeTrueProcessingRate(busyTimeAvg, inputRateAvg, metricsHistory, vertex, conf)),
    );
    evaluatedMetrics.set("LOAD", EvaluatedScalingMetric.avg(busyTimeAvg / 1000));

    const lag = latestVertexMetrics.get("LAG");
    if (lag !== undefined) evaluatedMetrics.set("LAG", EvaluatedScalingMetric.of(lag));
    evaluatedMetrics.set("PARALLELISM", EvaluatedScalingMetric.of(vertexInfo.parallelism));
    evaluatedMetrics.set("MAX_PARALLELISM", EvaluatedScalingMetric.of(vertexInfo.maxParallelism));
    evaluatedMetrics.set("NUM_SOURCE_PARTITIONS", EvaluatedScalingMetric.of(vertexInfo.numSourcePartitions));
    ScalingMetricEvaluator.computeProcessingRateThresholds(evaluatedMetrics, conf, processingBacklog, restartTime);
    return evaluatedMetrics;
  }

  static computeBusyTimeAvg(conf: Configuration, metricsHistory: History, vertex: string, parallelism: number): number {
    if (conf.get(BUSY_TIME_AGGREGATOR) === "AVG") {
      return ScalingMetricEvaluator.getRate("ACCUMULATED_BUSY_TIME", vertex, metricsHistory) / parallelism;
    }
    return ScalingMetricEvaluator.getAverage("LOAD", vertex, metricsHistory) * 1000;
  }

  /** The busy-time based true processing rate, or the observed one when it is measured and clearly lower. */
  static computeTrueProcessingRate(busyTimeAvg: number, inputRateAvg: number, metricsHistory: History, vertex: string, conf: Configuration): number {
    const busyTimeTpr = computeTprFromBusyTime(busyTimeAvg, inputRateAvg);
    const observedTprAvg = ScalingMetricEvaluator.getAverage("OBSERVED_TPR", vertex, metricsHistory, conf.get(OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS));
    const tprMetric = selectTprMetric(vertex, conf, busyTimeTpr, observedTprAvg);
    return tprMetric === "OBSERVED_TPR" ? observedTprAvg : busyTimeTpr;
  }

  /** The rates above and below which the vertex is out of its utilization bounds. */
  static computeProcessingRateThresholds(metrics: Evaluated, conf: Configuration, processingBacklog: boolean, restartTime: number): void {
    const targetUtilization = conf.get(UTILIZATION_TARGET);
    const utilizationBoundary = conf.get(TARGET_UTILIZATION_BOUNDARY);
    let upperUtilization: number;
    let lowerUtilization: number;
    if (processingBacklog) {
      // While processing backlog: allow full utilization, and never scale down for low utilization.
      upperUtilization = 1.0;
      lowerUtilization = 0.0;
    } else {
      upperUtilization = conf.getOptional(UTILIZATION_MAX) ?? targetUtilization + utilizationBoundary;
      lowerUtilization = conf.getOptional(UTILIZATION_MIN) ?? targetUtilization - utilizationBoundary;
    }
    const scaleUpThreshold = getTargetProcessingCapacity(metrics, conf, upperUtilization, false, restartTime);
    const scaleDownThreshold = getTargetProcessingCapacity(metrics, conf, lowerUtilization, true, restartTime);
    metrics.set("SCALE_UP_RATE_THRESHOLD", EvaluatedScalingMetric.of(scaleUpThreshold));
    metrics.set("SCALE_DOWN_RATE_THRESHOLD", EvaluatedScalingMetric.of(scaleDownThreshold));
  }

  private computeTargetDataRate(
    topology: JobTopology,
    vertex: string,
    conf: Configuration,
    inputRate: number,
    alreadyEvaluated: Map<string, Evaluated>,
    metricsHistory: History,
    latestVertexMetrics: ReadonlyMap<ScalingMetric, number>,
    out: Evaluated,
  ): void {
    if (topology.isSource(vertex)) {
      const catchUpTargetSec = toSeconds(conf.get(CATCH_UP_DURATION));
      const lagRate = ScalingMetricEvaluator.getRate("LAG", vertex, metricsHistory);
      const ingestionDataRate = Math.max(0, inputRate + lagRate);
      if (Number.isNaN(ingestionDataRate)) throw new Error("Cannot evaluate metrics without ingestion rate information");
      out.set("TARGET_DATA_RATE", EvaluatedScalingMetric.avg(ingestionDataRate));
      const lag = latestVertexMetrics.get("LAG") ?? 0;
      const catchUpInputRate = catchUpTargetSec === 0 ? 0 : lag / catchUpTargetSec;
      if (catchUpInputRate > 0) LOG.debug("Extra backlog processing input rate for {} is {}", vertex, catchUpInputRate);
      out.set("CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(catchUpInputRate));
    } else {
      let sumAvgTargetRate = 0;
      let sumCatchUpDataRate = 0;
      for (const inputVertex of topology.get(vertex).inputs.keys()) {
        // Evaluated already: inputs come first in topological order.
        const inputEvaluatedMetrics = alreadyEvaluated.get(inputVertex)!;
        const inputTargetRate = requireVertexMetric(inputEvaluatedMetrics, "TARGET_DATA_RATE", inputVertex);
        const outputRatio = ScalingMetricEvaluator.computeEdgeOutputRatio(inputVertex, vertex, topology, metricsHistory);
        LOG.debug("Computed output ratio for edge ({} -> {}) : {}", inputVertex, vertex, outputRatio);
        sumAvgTargetRate += inputTargetRate.getAverage() * outputRatio;
        sumCatchUpDataRate += requireVertexMetric(inputEvaluatedMetrics, "CATCH_UP_DATA_RATE", inputVertex).getCurrent() * outputRatio;
      }
      out.set("TARGET_DATA_RATE", EvaluatedScalingMetric.avg(sumAvgTargetRate));
      out.set("CATCH_UP_DATA_RATE", EvaluatedScalingMetric.of(sumCatchUpDataRate));
    }
  }

  static evaluateGlobalMetrics(metricHistory: History): Evaluated {
    const lastTs = metricHistory.lastKey();
    const latest = metricsAt(lastTs, metricHistory.get(lastTs)!, null);
    const out: Evaluated = new Map();
    out.set("GC_PRESSURE", EvaluatedScalingMetric.of(latest.get("GC_PRESSURE") ?? NaN));
    for (const m of ["HEAP_MAX_USAGE_RATIO", "HEAP_MEMORY_USED", "MANAGED_MEMORY_USED", "METASPACE_MEMORY_USED"] as const) {
      populateMetric(m, metricHistory, out);
    }
    out.set("NUM_TASK_SLOTS_USED", EvaluatedScalingMetric.of(latest.get("NUM_TASK_SLOTS_USED") ?? NaN));
    return out;
  }

  /** Per second change of an accumulated metric between its first and last valid samples. */
  static getRate(metric: ScalingMetric, jobVertexId: string, metricsHistory: History): number {
    let firstTs = 0;
    let first = NaN;
    let lastTs = 0;
    let last = NaN;
    for (const [ts, collected] of metricsHistory) {
      const value = metricsAt(ts, collected, jobVertexId).get(metric) ?? NaN;
      if (!Number.isNaN(value)) {
        if (Number.isNaN(first)) {
          first = value;
          firstTs = ts;
        } else {
          last = value;
          lastTs = ts;
        }
      }
    }
    if (Number.isNaN(last)) return NaN;
    const tsDiff = Math.max(lastTs - firstTs, 1);
    return (1000 * (last - first)) / tsDiff;
  }

  /** The mean of a metric over the history (infinite values skipped, but infinite if all are); NaN with fewer than `minElements`. */
  static getAverage(metric: ScalingMetric, jobVertexId: string | null, metricsHistory: History, minElements = 1): number {
    let sum = 0;
    let n = 0;
    let anyInfinite = false;
    for (const [ts, collected] of metricsHistory) {
      const num = metricsAt(ts, collected, jobVertexId).get(metric) ?? NaN;
      if (Number.isNaN(num)) continue;
      if (!Number.isFinite(num)) {
        anyInfinite = true;
        continue;
      }
      sum += num;
      n++;
    }
    if (n === 0) return anyInfinite ? Infinity : NaN;
    return n < minElements ? NaN : sum / n;
  }

  static computeEdgeOutputRatio(from: string, to: string, topology: JobTopology, metricsHistory: History): number {
    const inputRate = ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", from, metricsHistory);
    let outputRatio = 0;
    // Without input, no output ratio: it would be huge and scale up wildly.
    if (inputRate > 0) {
      const outputRate = ScalingMetricEvaluator.computeEdgeDataRate(topology, metricsHistory, from, to);
      if (outputRate > 0) outputRatio = outputRate / inputRate;
    }
    return outputRatio;
  }

  static computeEdgeDataRate(topology: JobTopology, metricsHistory: History, from: string, to: string): number {
    const toVertexInputs = topology.get(to).inputs;
    // Case 1: a single input: its records in are the edge's rate.
    if (toVertexInputs.size === 1) {
      LOG.debug("Computing edge ({}, {}) data rate for single input downstream task", from, to);
      return ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", to, metricsHistory);
    }
    // Case 2: the other inputs have no other outputs: subtract their output rates.
    let inputRateFromOtherVertices = 0;
    for (const input of toVertexInputs.keys()) {
      if (input === from) continue;
      if (topology.get(input).outputs.size === 1) {
        inputRateFromOtherVertices += ScalingMetricEvaluator.getRate("NUM_RECORDS_OUT", input, metricsHistory);
      } else {
        inputRateFromOtherVertices = NaN;
        break;
      }
    }
    if (!Number.isNaN(inputRateFromOtherVertices)) {
      LOG.debug("Computing edge ({}, {}) data rate by subtracting upstream input rates", from, to);
      return ScalingMetricEvaluator.getRate("NUM_RECORDS_IN", to, metricsHistory) - inputRateFromOtherVertices;
    }
    // Case 3: the upstream's records out, the least reliable.
    LOG.debug("Computing edge ({}, {}) data rate by falling back to from num records out", from, to);
    return ScalingMetricEvaluator.getRate("NUM_RECORDS_OUT", from, metricsHistory);
  }
}

/** A sample's metrics of a vertex, or its global ones for null; upstream reads them at once (a NullPointerException when absent). */
function metricsAt(ts: number, collected: CollectedMetrics, jobVertexId: string | null): ReadonlyMap<ScalingMetric, number> {
  const metrics = jobVertexId !== null ? collected.vertexMetrics.get(jobVertexId) : collected.globalMetrics;
  if (metrics === undefined || metrics === null) {
    throw new Error(`No ${jobVertexId !== null ? `metrics of vertex ${jobVertexId}` : "global metrics"} in the metric history at ${instantToString(ts)}`);
  }
  return metrics;
}

function computeTprFromBusyTime(busyMsPerSecond: number, rate: number): number {
  // Nothing coming in: assume infinite processing power until data flows.
  if (rate === 0) return Infinity;
  return rate / (busyMsPerSecond / 1000);
}

function selectTprMetric(jobVertexID: string, conf: Configuration, busyTimeTprAvg: number, observedTprAvg: number): ScalingMetric {
  if (Number.isNaN(observedTprAvg)) return "TRUE_PROCESSING_RATE";
  if (!Number.isFinite(busyTimeTprAvg)) return "OBSERVED_TPR";
  const switchThreshold = conf.get(OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD);
  // Use the observed rate when the busy-time based one is clearly larger.
  if (busyTimeTprAvg > observedTprAvg * (1 + switchThreshold)) {
    LOG.debug("Using observed tpr {} for {} as busy time based seems too large ({})", observedTprAvg, jobVertexID, busyTimeTprAvg);
    return "OBSERVED_TPR";
  }
  LOG.debug("Using busy time based tpr {} for {}.", busyTimeTprAvg, jobVertexID);
  return "TRUE_PROCESSING_RATE";
}

function populateMetric(metric: ScalingMetric, metricHistory: History, out: Evaluated): void {
  const lastTs = metricHistory.lastKey();
  const latestObservation = metricsAt(lastTs, metricHistory.get(lastTs)!, null).get(metric) ?? NaN;
  const value = ScalingMetricEvaluator.getAverage(metric, null, metricHistory);
  out.set(metric, new EvaluatedScalingMetric(latestObservation, value));
}
