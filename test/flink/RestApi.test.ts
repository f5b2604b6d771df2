import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { RestApi } from "../../src/flink/rest/RestApi.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { operator, seedScenarioWith, type SeedDoc } from "../helpers.ts";

function deploy(edit: Parameters<typeof seedScenarioWith>[0] = () => {}) {
  const scenario = seedScenarioWith(edit);
  const env = new Environment();
  // Every task starts at 0 (no start spread): the figures below are worked out by hand from it.
  const cluster = new FlinkCluster(env, new RandomStreams(1), { ...clusterOptionsOf(scenario), taskStartSpreadMs: 0 });
  cluster.start();
  return {
    env,
    cluster,
    rest: new RestApi(cluster, () => env.now, scenario.cluster.metricFetcherUpdateIntervalMs, scenario.fetcherServesPreviousFetch),
    scenario,
  };
}

/**
 * The seed's job as a DataStream job: the FLIP-27 rate-limited datagen and a Java map (no
 * Python bundles), so the map takes one record every 2 s as it finishes the previous one.
 */
function streamJob(d: SeedDoc): void {
  operator(d, "source").source = { connector: "datastream-datagen", rowsPerSecond: 10 };
  delete operator(d, "map").python;
}

describe("REST view", () => {
  it("shows job details: vertices, parallelism, max parallelism, status timestamps and the plan's ship strategies", () => {
    // The seed's job, its Python map without the runtime's per-element overhead, so the bundles can be timed by hand.
    const { env, rest, scenario } = deploy((d) => {
      operator(d, "map").python = { overhead: "0ms" };
    });
    env.run(600_000);
    const details = rest.getJobDetails();
    expect(details.state).toBe("RUNNING");
    expect(details.timestamps.RUNNING).toBe(scenario.startEpochMs);
    expect(details.timestamps.FAILED).toBe(0);
    expect(details.now).toBe(scenario.startEpochMs + 600_000);
    expect(details.vertices.map((v) => [v.name, v.parallelism, v.maxParallelism, v.slotSharingGroupId])).toEqual([
      ["Source: orders", 1, 12, "default"],
      ["Map -> Sink: Print to Std. Out", 1, 12, "default"],
    ]);
    const [source, map] = details.plan.nodes;
    expect(source!.inputs).toBeUndefined();
    expect(map!.inputs).toEqual([{ num: 0, id: source!.id, ship_strategy: "SHUFFLE", exchange: "pipelined_bounded" }]);
    // Totals, by hand. The legacy source emits 10 rows back to back at t = 0, 1 s, 2 s, ...; each burst becomes
    // readable at the next 100 ms flush. The map takes every readable record into its bundle at once (its work
    // is in the Python worker) and finishes the bundle at the first 1 s timer tick at least 1 s after the last
    // finish, blocked (busy) until the worker has done 2 s per element:
    //   bundle 1 at 1 s:  the burst of 0 s, 10 elements, until 1 + 20 = 21 s;
    //   bundle 2 at 22 s: the bursts of 1..20 s read at 21 s, that of 21 s at 21.1 s: 210 elements, until 442 s;
    //   bundle 3 at 442 s: by count, the first 1000 of the 4200 records waiting (bundle.size), until 2442 s.
    // Read: 10 + 210 + 1000 = 1220. Idle [0, 1 s) and [21 s, 22 s), neither across a 5 s view update (so no
    // double count): 2000 ms; no output channel, so never back-pressured; busy 600 000 - 2000.
    const [sourceMetrics, mapMetrics] = details.vertices.map((v) => v.metrics);
    expect(mapMetrics).toEqual({
      "read-records": 1220,
      "write-records": 0,
      "accumulated-backpressured-time": 0,
      "accumulated-idle-time": 2000,
      "accumulated-busy-time": 598_000,
    });
    // The source: 600 bursts of 10 (0 s to 599 s: the one due at 600 s starts when the thread wakes, 10-90 µs
    // later, ThreadSleep); 6000 - 1220 = 4780 records waiting fit in the channel's 10 buffers of 512, so it never
    // blocked. A legacy source counts no input and reports no busy time.
    expect(sourceMetrics!["write-records"]).toBe(6000);
    expect(sourceMetrics!["read-records"]).toBe(0);
    expect(sourceMetrics!["accumulated-backpressured-time"]).toBe(0);
    expect(sourceMetrics!["accumulated-busy-time"]).toBeNaN();
  });

  it("aggregates subtask metrics by name as min, max, avg and sum", () => {
    const { env, cluster, rest } = deploy((d) => {
      operator(d, "map").parallelism = 3;
      operator(d, "sink").parallelism = 3;
    });
    env.run(300_000);
    const mapId = cluster.graph.vertices[1]!.id;
    const names = rest.getAggregatedSubtaskMetrics(mapId).map((m) => m.id);
    expect(names).toEqual(expect.arrayContaining(["busyTimeMsPerSecond", "numRecordsInPerSecond", "Map.numRecordsOut", "Sink__Print_to_Std__Out.numRecordsIn"]));
    const [m] = rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"]);
    const perSubtask = cluster.subtasks.get(mapId)!.map((t) => t.metrics.numRecordsIn.count);
    expect(m).toEqual({
      id: "numRecordsIn",
      min: Math.min(...perSubtask),
      max: Math.max(...perSubtask),
      sum: perSubtask.reduce((a, b) => a + b, 0),
      avg: perSubtask.reduce((a, b) => a + b, 0) / 3,
    });
    const sourceId = cluster.graph.vertices[0]!.id;
    expect(rest.getAggregatedSubtaskMetrics(sourceId, ["Source__orders.numRecordsOutPerSecond"])).toHaveLength(1);
    expect(rest.getAggregatedSubtaskMetrics(sourceId, ["no.such.metric"])).toEqual([]);
  });

  it("serves metric values at most metrics.fetcher.update-interval (10 s) old, the request that triggers a fetch getting the previous one", () => {
    const { env, cluster, rest } = deploy(streamJob);
    const mapId = cluster.graph.vertices[1]!.id;
    const numRecordsIn = () => rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]!.sum;
    // The map takes a record at 0.1 s (the first flush) and then every 2 s: at 0.1 + 2k s.
    env.run(60_000);
    expect(numRecordsIn()).toBe(30); // the first request fetches at once: k = 0..29
    env.run(69_000); // 35 taken by now, but the store is 9 s old
    expect(numRecordsIn()).toBe(30);
    env.run(70_000); // 10 s old is not older than the interval
    expect(numRecordsIn()).toBe(30);
    env.run(71_000);
    // MetricFetcherImpl#update starts a fetch and returns: this request still gets the values of 60 s ...
    expect(numRecordsIn()).toBe(30);
    // ... and the next one those of 71 s: k = 0..35.
    expect(numRecordsIn()).toBe(36);
  });

  // After a restart: the same JobManager keeps its store and its fetch schedule (an in-place
  // rescale), a new one starts with an empty store and no fetch yet (a redeploy).
  const liveRecordsIn = (cluster: FlinkCluster, vertexId: string) => cluster.subtasks.get(vertexId)!.reduce((sum, t) => sum + t.metrics.numRecordsIn.count, 0);

  it("keeps serving the old tasks' last fetched values after a restart until the next fetch is due, and no job-details counts for the new attempts (same JobManager)", () => {
    const { env, cluster, rest } = deploy(streamJob);
    const mapId = cluster.graph.vertices[1]!.id;
    const numRecordsIn = () => rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]?.sum;
    env.run(60_000);
    expect(numRecordsIn()).toBe(30);
    env.run(65_000);
    cluster.cancelTasks("RESTARTING");
    cluster.redeployJob(new Map());
    env.run(66_000);
    expect(liveRecordsIn(cluster, mapId)).toBeLessThan(30); // the new attempt counts from 0
    expect(numRecordsIn()).toBe(30); // fetched at 60 s from the old attempt
    // Job details look up the new attempt's own metrics, not fetched yet: nothing to add.
    expect(rest.getJobDetails().vertices[1]!.metrics["read-records"]).toBe(0);
    env.run(71_000);
    expect(numRecordsIn()).toBe(30); // starts the fetch of 71 s
    expect(numRecordsIn()).toBe(liveRecordsIn(cluster, mapId));
  });

  it("serves nothing from a new JobManager until its first fetch, though the old one fetched just before (redeploy)", () => {
    const { env, cluster, rest } = deploy(streamJob);
    const mapId = cluster.graph.vertices[1]!.id;
    const numRecordsIn = () => rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]?.sum;
    env.run(60_000);
    expect(numRecordsIn()).toBe(30);
    cluster.cancelTasks("CANCELLING");
    env.run(62_000);
    cluster.startJobManager();
    cluster.redeployJob(new Map());
    env.run(64_000);
    expect(numRecordsIn()).toBeUndefined();
    expect(rest.getJobDetails().vertices[1]!.metrics["read-records"]).toBe(liveRecordsIn(cluster, mapId));
  });

  it("reports JobManager slot metrics: one slot per TaskManager, as many TaskManagers as the widest vertex needs", () => {
    const { rest, cluster } = deploy((d) => {
      operator(d, "map").parallelism = 12;
      operator(d, "sink").parallelism = 12;
    });
    expect(cluster.taskManagers).toBe(12);
    expect(rest.getJobManagerMetrics(["taskSlotsTotal", "taskSlotsAvailable"])).toEqual([
      { id: "taskSlotsTotal", value: "12" },
      { id: "taskSlotsAvailable", value: "0" },
    ]);
    const four = deploy((d) => {
      d.spec.flinkConfiguration["taskmanager.numberOfTaskSlots"] = "4";
      operator(d, "map").parallelism = 10;
      operator(d, "sink").parallelism = 10;
    });
    expect(four.cluster.taskManagers).toBe(3); // ceil(10 / 4)
    expect(four.rest.getJobManagerMetrics(["taskSlotsTotal", "taskSlotsAvailable"]).map((m) => m.value)).toEqual(["12", "2"]);
  });
});
