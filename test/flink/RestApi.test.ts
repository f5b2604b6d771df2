import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { RestApi } from "../../src/flink/rest/RestApi.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

function deploy(edit: Parameters<typeof seedScenarioWith>[0] = () => {}) {
  const scenario = seedScenarioWith(edit);
  const env = new Environment();
  const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
  cluster.start();
  return { env, cluster, rest: new RestApi(cluster, () => env.now, scenario.cluster.metricFetcherUpdateIntervalMs), scenario };
}

describe("REST view", () => {
  it("shows job details: vertices, parallelism, max parallelism, status timestamps and the plan's ship strategies", () => {
    const { env, rest, scenario } = deploy();
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
    // totals: the map read one record every 2 s for 10 minutes (the first at t = 0.1 s when the first flush made it readable)
    expect(details.vertices[1]!.metrics["read-records"]).toBe(300);
    // busy since 0.1 s: 600 000 - 100 ms
    expect(details.vertices[1]!.metrics["accumulated-busy-time"]).toBe(599_900);
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

  it("serves metric values at most metrics.fetcher.update-interval (10 s) old", () => {
    const { env, cluster, rest } = deploy();
    const mapId = cluster.graph.vertices[1]!.id;
    env.run(60_000);
    const first = rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]!.sum;
    env.run(69_000); // 4 more records processed, but the store is 9 s old
    expect(rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]!.sum).toBe(first);
    env.run(70_000);
    expect(rest.getAggregatedSubtaskMetrics(mapId, ["numRecordsIn"])[0]!.sum).toBe(first! + 5);
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
