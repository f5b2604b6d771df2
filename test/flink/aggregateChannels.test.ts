import { describe, expect, it } from "vitest";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

/**
 * Source and map at parallelism 2 on two TaskManagers of one slot (subtask i of both in
 * TaskManager i), joined by REBALANCE: each source writes half its records to the map beside
 * it (a local channel) and half to the other TaskManager's (a remote one). The FLIP-27
 * datagen offers 4,000 records/s, the map takes 1,000/s per subtask (1 ms each).
 */
function twoTaskManagers(execution: "record" | "aggregate", duration: string) {
  return seedScenarioWith(
    (doc) => {
      doc.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      doc.spec.job.parallelism = 2;
      const source = operator(doc, "source");
      source.source = { connector: "datastream-datagen", rowsPerSecond: 4000 };
      source.cost = "0ms";
      Object.assign(operator(doc, "map"), { python: false, cost: "1ms" });
      doc.simulation.job.edges[0]!.shipStrategy = "REBALANCE";
      doc.simulation.duration = duration;
      (doc.simulation as Record<string, unknown>).execution = execution;
    },
    { variant: "tracking-on" },
  );
}

/** Records the sources emitted that the maps have not read: what the channels hold. */
function inFlight(cluster: FlinkCluster): number {
  const sum = (prefix: string, metric: string) => {
    const v = cluster.graph.vertices.find((x) => x.name.startsWith(prefix))!;
    return cluster.subtasks.get(v.id)!.reduce((a, t) => a + t.metrics.values(0).get(metric)!, 0);
  };
  return sum("Source", "numRecordsOut") - sum("Map", "numRecordsIn");
}

describe("aggregate mode's channel room", () => {
  it("lets a local channel fill its producer's buffers up to max-buffers-per-channel, as record mode and Flink do", () => {
    // By hand (64-byte records: 512 per 32 KiB buffer). Each source's pool has 2 x 2 + 8 = 12
    // buffers; the local channel has no receiver buffers (LocalInputChannel reads the
    // subpartition), so its records wait in the pool, up to max-buffers-per-channel = 10 =
    // 5,120 records, while the remote subpartition drains into its receiver (2 exclusive + the
    // gate's 8 floating, it being the gate's only remote channel). Each map reads its two
    // channels alike (500/s each) and each channel gets 1,000/s, so all four grow alike until
    // the local ones are full; the source then emits what the local channel drains and the
    // remote channel holds its level: 4 x 5,120 = 20,480 records in flight.
    // (Before: the local channel had the pool's even share, 6 buffers: 4 x 3,072 = 12,288.)
    const aggregate = inFlight(runScenario(twoTaskManagers("aggregate", "2min"), { output: { kind: "none" } }).cluster);
    expect(Math.abs(aggregate - 20_480)).toBeLessThanOrEqual(2);
    // Record mode's buffers, one by one, hold the same within a buffer per channel.
    const record = inFlight(runScenario(twoTaskManagers("record", "1min"), { output: { kind: "none" } }).cluster);
    expect(Math.abs(record - 20_480)).toBeLessThanOrEqual(4 * 512);
  });
});
