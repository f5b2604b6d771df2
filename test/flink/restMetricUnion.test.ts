import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { TaskMetrics } from "../../src/flink/metrics/TaskMetrics.ts";
import { RestApi, snapshotSubtaskMetrics } from "../../src/flink/rest/RestApi.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { operator, seedScenarioWith, type SeedDoc } from "../helpers.ts";

const OFFSET = /\.KafkaSourceReader\.topic\.orders\.partition\.(\d+)\.currentOffset$/;

/** A subtask of a source vertex whose reader reports `reported` beside its records. */
function sourceSubtask(reported: Record<string, number>): { metrics: TaskMetrics } {
  const metrics = new TaskMetrics(["Source: orders"], 0);
  metrics.sourceMetrics = () => new Map(Object.entries(reported));
  return { metrics };
}

/**
 * The seed's job reading a Kafka topic "orders" of 24 partitions at source parallelism 6,
 * 2,400 records waiting at the start (100 a partition) and nothing produced after, the map
 * a Java one of no cost: within a minute every record is read.
 */
const kafka24 = (execution: "record" | "aggregate") => (d: SeedDoc & { simulation: { execution?: string } }) => {
  d.simulation.execution = execution;
  const source = operator(d, "source");
  source.source = { connector: "kafka", topic: "orders", partitions: 24, initialBacklog: 2400, load: { profile: "constant", rate: 0 } };
  source.parallelism = 6;
  const map = operator(d, "map");
  delete map.python;
  map.cost = "0ms";
};

describe("subtask metrics as the REST API aggregates them (AbstractAggregatingMetricsHandler, Flink 1.18.1)", () => {
  it("lists the union of the subtasks' metric names and aggregates each over the subtasks that report it", () => {
    // Three readers: partitions 0 and 3, partition 1, partition 2; `lag` reported by the first and the last only.
    const tasks = [
      sourceSubtask({ pendingRecords: 10, "KafkaSourceReader.topic.orders.partition.0.currentOffset": 100, "KafkaSourceReader.topic.orders.partition.3.currentOffset": 130, lag: 4 }),
      sourceSubtask({ pendingRecords: 20, "KafkaSourceReader.topic.orders.partition.1.currentOffset": 110 }),
      sourceSubtask({ pendingRecords: 60, "KafkaSourceReader.topic.orders.partition.2.currentOffset": 120, lag: 10 }),
    ];
    const store = snapshotSubtaskMetrics({ syncMetrics: () => {}, subtasks: new Map([["v", tasks]]) }, 0).get("v")!;
    const offsets = [...store.keys()].filter((n) => OFFSET.test(n)).map((n) => Number(OFFSET.exec(n)![1]));
    expect(offsets).toEqual([0, 3, 1, 2]); // first seen, first listed; the first subtask alone lists 0 and 3
    expect(store.get("Source__orders.KafkaSourceReader.topic.orders.partition.3.currentOffset")).toEqual([130]);
    expect(store.get("Source__orders.pendingRecords")).toEqual([10, 20, 60]);
    expect(store.get("Source__orders.lag")).toEqual([4, 10]);
    // The task-level names are there once, with one value per subtask.
    expect(store.get("numRecordsIn")).toEqual([0, 0, 0]);
    // 10 task-level names, pendingRecords, 4 offsets, lag, and the operator's 4 record metrics.
    expect(store.size).toBe(10 + 1 + 4 + 1 + 4);
  });

  it("serves min, max, avg and sum over the reporting subtasks only", () => {
    const tasks = [
      sourceSubtask({ pendingRecords: 10, lag: 4 }),
      sourceSubtask({ pendingRecords: 20 }),
      sourceSubtask({ pendingRecords: 60, lag: 10 }),
    ];
    const cluster = { syncMetrics: () => {}, subtasks: new Map([["v", tasks]]), jobManagerStarts: 1 };
    // Only what the subtask-metrics request reads of a cluster (the store is taken from its subtasks).
    const rest = new RestApi(cluster as unknown as FlinkCluster, () => 0);
    expect(rest.getAggregatedSubtaskMetrics("v", ["Source__orders.pendingRecords", "Source__orders.lag"])).toEqual([
      // (10 + 20 + 60) / 3 = 30
      { id: "Source__orders.pendingRecords", min: 10, max: 60, avg: 30, sum: 90 },
      // over the two subtasks that report it: (4 + 10) / 2 = 7, not 14 / 3
      { id: "Source__orders.lag", min: 4, max: 10, avg: 7, sum: 14 },
    ]);
  });

  for (const execution of ["record", "aggregate"] as const) {
    it(`lists all 24 partitions of a topic read at parallelism 6, each offset aggregated over its one reader (${execution})`, () => {
      const scenario = seedScenarioWith(kafka24(execution));
      const env = new Environment();
      const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
      cluster.start();
      const rest = new RestApi(cluster, () => env.now);
      env.run(60_000);
      const sourceId = cluster.graph.vertices[0]!.id;
      const names = rest.getAggregatedSubtaskMetrics(sourceId).map((m) => m.id);
      const partitions = names.filter((n) => OFFSET.test(n)).map((n) => Number(OFFSET.exec(n)![1]));
      expect(partitions.length).toBe(24);
      expect(new Set(partitions)).toEqual(new Set(Array.from({ length: 24 }, (_, p) => p)));
      // KafkaSourceEnumerator: "orders".hashCode() * 31 & 0x7fffffff = 940374459, 940374459 mod 6 = 3, so
      // partition P goes to reader (3 + P) mod 6 and the first reader lists 3, 9, 15, 21 first.
      expect(partitions.slice(0, 4)).toEqual([3, 9, 15, 21]);
      // Every partition's 100 records were read, by its one reader: min = max = avg = sum = 100.
      const offsets = rest.getAggregatedSubtaskMetrics(sourceId, names.filter((n) => OFFSET.test(n)));
      for (const m of offsets) expect(m).toEqual({ id: m.id, min: 100, max: 100, avg: 100, sum: 100 });
      // pendingRecords is reported by all six readers: 0 left.
      expect(rest.getAggregatedSubtaskMetrics(sourceId, ["Source__orders.pendingRecords"])).toEqual([
        { id: "Source__orders.pendingRecords", min: 0, max: 0, avg: 0, sum: 0 },
      ]);
      expect(rest.getAggregatedSubtaskMetrics(sourceId, ["Source__orders.numRecordsOut"])[0]!.sum).toBe(2400);
    });
  }

  it("lets the autoscaler count 24 partitions, not 24 / 6", () => {
    const result = runScenario(
      seedScenarioWith((d) => {
        kafka24("record")(d);
        d.simulation.duration = "2min";
      }),
    );
    const counts = result.operator.log.lines
      .map((l) => /max parallelism based on available partitions to (\d+)$/.exec(l.text)?.[1])
      .filter((n) => n !== undefined);
    expect(counts.length).toBeGreaterThan(0);
    expect(new Set(counts)).toEqual(new Set(["24"]));
  });
});
