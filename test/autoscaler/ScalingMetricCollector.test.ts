// Port of upstream's ScalingMetricCollectorTest (flink-autoscaler, release-1.15.0), the cases listed in src/autoscaler/README.md.
import { describe, expect, it } from "vitest";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import type { FlinkMetric } from "../../src/autoscaler/metrics/FlinkMetric.ts";
import { MetricNotFoundException } from "../../src/autoscaler/metrics/MetricNotFoundException.ts";
import type { JobDetailsInfo, RestClusterClient } from "../../src/autoscaler/RestClusterClient.ts";
import { RestApiMetricsCollector } from "../../src/autoscaler/RestApiMetricsCollector.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { newJobVertexID } from "./testing.ts";
import { emptyRestClient, TestingMetricsCollector } from "./TestingMetricsCollector.ts";

type Ctx = JobAutoScalerContext<string>;
const context = new JobAutoScalerContext<string>("job-key", "job", "RUNNING", new Configuration(), () => emptyRestClient);
const twoVertices = (source: string, sink: string, sourceFinished = false) =>
  new JobTopology([
    new VertexInfo(source, null, new Map(), 1, 1, sourceFinished, null),
    VertexInfo.of(sink, new Map([[source, "REBALANCE"]]), 1, 1),
  ]);

describe("ScalingMetricCollectorTest", () => {
  it("testJobUpdateTsLogic", () => {
    const details: JobDetailsInfo = { jid: "j", name: "", state: "RUNNING", timestamps: { RUNNING: 3, CREATED: 2 }, vertices: [], plan: {} };
    expect(new RestApiMetricsCollector<string, Ctx>().getJobRunningTs(details)).toBe(3);
  });

  it("testQueryNamesOnTopologyChange", () => {
    const counter = new Map<string, number>();
    class Counting extends RestApiMetricsCollector<string, Ctx> {
      override getFilteredVertexMetricNames(_rc: RestClusterClient, _id: string | null, jvi: string): Map<string, FlinkMetric> {
        counter.set(jvi, counter.get(jvi)! + 1);
        return new Map();
      }
      query(t: JobTopology) {
        return this.queryFilteredMetricNames(context, t);
      }
    }
    const collector = new Counting();
    const [source, source2, sink] = [newJobVertexID(), newJobVertexID(), newJobVertexID()];
    for (const v of [source, source2, sink]) counter.set(v, 0);
    const t1 = twoVertices(source, sink);
    let t2 = twoVertices(source2, sink);
    const counts = () => [counter.get(source), counter.get(source2), counter.get(sink)];
    collector.query(t1);
    expect(counts()).toEqual([1, 0, 1]);
    collector.query(t1);
    collector.query(t1);
    expect(counts()).toEqual([3, 0, 1]); // source metric names are refreshed every time
    collector.query(t2); // topology change
    expect(counts()).toEqual([3, 1, 2]);
    collector.query(t2);
    expect(counts()).toEqual([3, 2, 2]);
    t2 = twoVertices(source2, sink, true); // a finished source is not queried again
    collector.query(t2);
    expect(counts()).toEqual([3, 2, 2]);
  });

  it("testRequiredMetrics", () => {
    const metricList: string[] = [];
    class Fixed extends RestApiMetricsCollector<string, Ctx> {
      protected override queryAggregatedMetricNames(): string[] {
        return [...metricList];
      }
    }
    const collector = new Fixed();
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const topology = twoVertices(source, sink);
    const check = (required: string[], vertex: string) => {
      for (const m of required) {
        metricList.length = 0;
        metricList.push(...required.filter((x) => x !== m));
        expect(() => collector.getFilteredVertexMetricNames(emptyRestClient, "job", vertex, topology), m).toThrow(/^Could not find required metric /);
      }
    };
    check(["busyTimeMsPerSecond", "numRecordsOutPerSecond", "Source__XXX.numRecordsInPerSecond"], source);
    check(["busyTimeMsPerSecond"], sink);
  });

  it("testQueryMetricNames", () => {
    const client: RestClusterClient = { ...emptyRestClient, getAggregatedSubtaskMetrics: () => [{ id: "a" }, { id: "b" }] };
    class Open extends RestApiMetricsCollector<string, Ctx> {
      names() {
        return this.queryAggregatedMetricNames(client, "job", newJobVertexID());
      }
    }
    expect(new Set(new Open().names())).toEqual(new Set(["a", "b"]));
  });

  it("testThrowsMetricNotFoundException", () => {
    const [source, sink] = [newJobVertexID(), newJobVertexID()];
    const topology = twoVertices(source, sink);
    const collector = new TestingMetricsCollector<string, Ctx>(topology);
    expect(() => collector.getFilteredVertexMetricNames(emptyRestClient, "job", source, topology)).toThrow(MetricNotFoundException);
  });
});
