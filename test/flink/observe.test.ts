import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { vertexTotals } from "../../src/flink/observe.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

describe("vertex totals", () => {
  it("count the records into a chain's last operator (a chained sink behind a 5% filter) across a restart", () => {
    // The seed's job in aggregate mode at 100 rows/s (FLIP-27 datagen), its map a Java filter passing 5%, chained to the sink.
    const scenario = seedScenarioWith((d) => {
      (d.simulation as Record<string, unknown>).execution = "aggregate";
      operator(d, "source").source = { connector: "datastream-datagen", rowsPerSecond: 100 };
      const filter = operator(d, "map");
      delete filter.python;
      filter.cost = "1ms";
      filter.selectivity = 0.05;
      // Round robin, so that each of 2 subtasks gets exactly half (SHUFFLE splits multinomially in aggregate too).
      d.simulation.job.edges[0]!.shipStrategy = "REBALANCE";
    });
    const env = new Environment();
    const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
    cluster.start();
    const chain = cluster.graph.vertices[1]!.id;
    const totalsOfChain = () => vertexTotals(cluster).find((t) => t.vertexId === chain)!;
    env.run(60_000);
    // 60 s x 100/s = 6,000 into the filter, 5% of them into the sink: 300.
    expect(totalsOfChain()).toMatchObject({ recordsIn: 6_000, lastOperatorRecordsIn: 300 });
    // A rescale of the chain to 2: the first attempts' counts are kept, the new ones start at 0.
    cluster.cancelTasks("RESTARTING");
    cluster.redeployJob(new Map([[chain, 2]]));
    env.run(120_000);
    // 6,000 more, 3,000 a subtask, 150 of each into its sink: 300 + 2 x 150 = 600.
    expect(totalsOfChain()).toMatchObject({ recordsIn: 12_000, lastOperatorRecordsIn: 600 });
  });
});
