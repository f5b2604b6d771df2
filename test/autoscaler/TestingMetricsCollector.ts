// Port of upstream's TestingMetricsCollector and TestMetrics (flink-autoscaler, release-1.15.0 tests).
import type { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import type { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import type { AggregatedMetric, Metric } from "../../src/autoscaler/metrics/AggregatedMetric.ts";
import type { FlinkMetric } from "../../src/autoscaler/metrics/FlinkMetric.ts";
import type { JobDetailsInfo, RestClusterClient } from "../../src/autoscaler/RestClusterClient.ts";
import { ScalingMetricCollector } from "../../src/autoscaler/ScalingMetricCollector.ts";
import type { IOMetrics } from "../../src/autoscaler/topology/IOMetrics.ts";
import type { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";

/** Collected test metrics of one vertex (TestMetrics). */
export class TestMetrics {
  numRecordsIn = 0;
  numRecordsOut = 0;
  maxBusyTimePerSec = 0;
  avgBackpressureTimePerSec = 0;
  accumulatedBusyTime = 0;
  pendingRecords: number | null = null;
  numRecordsInPerSec: number | null = null;

  constructor(init: Partial<Omit<TestMetrics, "toFlinkMetrics" | "toIoMetrics">> = {}) {
    Object.assign(this, init);
  }

  toFlinkMetrics(): Map<FlinkMetric, AggregatedMetric> {
    const sum = (d: number): AggregatedMetric => ({ id: "", min: NaN, max: NaN, avg: NaN, sum: d, skew: NaN });
    const fm = new Map<FlinkMetric, AggregatedMetric>();
    if (this.pendingRecords !== null) fm.set("PENDING_RECORDS", sum(this.pendingRecords));
    if (this.numRecordsInPerSec !== null) fm.set("SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", sum(this.numRecordsInPerSec));
    fm.set("BUSY_TIME_PER_SEC", { id: "", min: NaN, max: this.maxBusyTimePerSec, avg: NaN, sum: NaN, skew: NaN });
    fm.set("BACKPRESSURE_TIME_PER_SEC", { id: "", min: NaN, max: NaN, avg: this.avgBackpressureTimePerSec, sum: NaN, skew: NaN });
    fm.set("SOURCE_TASK_NUM_RECORDS_OUT", sum(this.numRecordsIn));
    return fm;
  }

  toIoMetrics(): IOMetrics {
    return { numRecordsIn: this.numRecordsIn, numRecordsOut: this.numRecordsOut, accumulatedBusyTime: this.accumulatedBusyTime };
  }
}

/** A REST client answering job details with nothing in them (TestingAutoscalerUtils.getRestClusterClientSupplier). */
export const emptyRestClient: RestClusterClient = {
  getJobDetails: () => ({ jid: "job", name: "", state: "RUNNING", timestamps: {}, vertices: [], plan: {} }),
  getAggregatedSubtaskMetrics: () => [],
  getJobManagerMetrics: () => [],
  getAggregatedTaskManagerMetrics: () => [],
};

/** A metric collector fed by the test (TestingMetricsCollector). */
export class TestingMetricsCollector<KEY, Context extends JobAutoScalerContext<KEY>> extends ScalingMetricCollector<KEY, Context> {
  testMetricWindowSize: number | null = null;
  jobUpdateTs = 0;
  private readonly metrics = new Map<string, TestMetrics>();
  currentMetrics: Map<string, Map<FlinkMetric, AggregatedMetric>> | null = null;
  metricNames = new Map<string, string[]>();

  constructor(public jobTopology: JobTopology) {
    super();
  }

  setJobTopology(t: JobTopology): void {
    this.jobTopology = t;
  }

  /** Upstream's updateMetrics(vertex, ...): renamed, as TypeScript cannot overload the collector's updateMetrics(ctx, store). */
  updateTestMetrics(v: string, tm: TestMetrics): void;
  updateTestMetrics(v: string, ...consumers: ((m: TestMetrics) => void)[]): void;
  updateTestMetrics(v: string, ...args: (TestMetrics | ((m: TestMetrics) => void))[]): void {
    if (args[0] instanceof TestMetrics) {
      this.metrics.set(v, args[0]);
      return;
    }
    for (const consumer of args as ((m: TestMetrics) => void)[]) consumer(this.metrics.get(v)!);
  }

  override getJobTopology(_jobDetailsInfo: JobDetailsInfo): JobTopology {
    return this.jobTopology;
  }

  protected queryAllAggregatedMetrics(): Map<string, Map<FlinkMetric, AggregatedMetric>> {
    if (this.currentMetrics !== null) return this.currentMetrics;
    const out = new Map<string, Map<FlinkMetric, AggregatedMetric>>();
    for (const [v, m] of this.metrics) {
      this.jobTopology.get(v).ioMetrics = m.toIoMetrics();
      out.set(v, m.toFlinkMetrics());
    }
    return out;
  }

  protected override queryFilteredMetricNames(): Map<string, Map<string, FlinkMetric>> {
    return new Map();
  }

  protected override queryAggregatedMetricNames(_restClient: RestClusterClient, _jobID: string | null, jobVertexID: string): string[] {
    return this.metricNames.get(jobVertexID) ?? [];
  }

  protected queryJmMetrics(): Map<FlinkMetric, Metric> {
    return new Map();
  }

  protected queryTmMetrics(): Map<FlinkMetric, AggregatedMetric> {
    return new Map();
  }

  protected override getMetricWindowSize(conf: Configuration): number {
    return this.testMetricWindowSize ?? super.getMetricWindowSize(conf);
  }

  override getJobRunningTs(): number {
    return this.jobUpdateTs;
  }
}
