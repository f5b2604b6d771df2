// Port of upstream's JobTopologyTest (flink-autoscaler, release-1.15.0). Upstream builds the plan with Flink's
// StreamExecutionEnvironment; here the same job is built by the simulator and its REST view gives the plan.
import { describe, expect, it } from "vitest";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import type { EdgeSpec, JobSpec, OperatorSpec } from "../../src/flink/JobGraph.ts";
import { DEFAULT_NETWORK_CONFIG } from "../../src/flink/network/NetworkConfig.ts";
import { RestApi } from "../../src/flink/rest/RestApi.ts";

function op(id: string, name: string, extra: Partial<OperatorSpec> = {}): OperatorSpec {
  return {
    id,
    name,
    kind: "operator",
    cost: { kind: "constant", value: 0 },
    selectivity: 1,
    parallelism: undefined,
    maxParallelism: undefined,
    chaining: true,
    vertexId: undefined,
    source: undefined,
    ...extra,
  };
}
const src = (id: string, name: string) => op(id, name, { kind: "source", source: { connector: "datagen", load: { profile: "constant", rate: 1 }, noise: undefined } });
const edge = (from: string, to: string, shipStrategy: EdgeSpec["shipStrategy"]): EdgeSpec => ({ from, to, shipStrategy, keys: undefined });

describe("JobTopologyTest", () => {
  it("testTopologyFromJson", () => {
    // s1.union(s2).keyBy().map(map1, p=2).print(sink1, p=2, disableChaining); s3.rescale().map(map2, p=4).rebalance() -> sink2 (p=5), sink3 (p=6)
    const job: JobSpec = {
      name: "topology",
      operators: [
        src("s1", "Source: s1"),
        src("s2", "Source: s2"),
        op("map1", "map1", { parallelism: 2 }),
        op("sink1", "Sink: sink1", { kind: "sink", selectivity: 0, parallelism: 2, chaining: false }),
        src("s3", "Source: s3"),
        op("map2", "map2", { parallelism: 4 }),
        op("sink2", "Sink: sink2", { kind: "sink", selectivity: 0, parallelism: 5 }),
        op("sink3", "Sink: sink3", { kind: "sink", selectivity: 0, parallelism: 6 }),
      ],
      edges: [
        edge("s1", "map1", "HASH"),
        edge("s2", "map1", "HASH"),
        edge("map1", "sink1", "FORWARD"),
        edge("s3", "map2", "RESCALE"),
        edge("map2", "sink2", "REBALANCE"),
        edge("map2", "sink3", "REBALANCE"),
      ],
    };
    const env = new Environment();
    const cluster = new FlinkCluster(env, new RandomStreams(1), {
      job,
      graph: { defaultParallelism: 1, maxParallelism: undefined, parallelismOverrides: new Map() },
      network: DEFAULT_NETWORK_CONFIG,
      slotsPerTaskManager: 1,
      startEpochMs: 0,
    });
    const details = new RestApi(cluster, () => env.now).getJobDetails();
    const vertices = new Map(details.vertices.map((v) => [v.name, v.id]));
    const maxParallelism = new Map(details.vertices.map((v) => [v.id, v.maxParallelism]));
    const jobTopology = JobTopology.fromJsonPlan(JSON.stringify(details.plan), new Map(), maxParallelism, new Map(), new Set());
    const id = (name: string) => vertices.get(name)!;

    for (const sink of ["Sink: sink1", "Sink: sink2", "Sink: sink3"]) expect(jobTopology.get(id(sink)).getOutputs().size).toBe(0);
    expect(jobTopology.get(id("Source: s1")).getOutputs()).toEqual(new Map([[id("map1"), "HASH"]]));
    expect(jobTopology.get(id("Source: s2")).getOutputs()).toEqual(new Map([[id("map1"), "HASH"]]));
    expect(jobTopology.get(id("map1")).getOutputs()).toEqual(new Map([[id("Sink: sink1"), "FORWARD"]]));
    expect(jobTopology.get(id("Source: s3")).getOutputs()).toEqual(new Map([[id("map2"), "RESCALE"]]));
    expect(jobTopology.get(id("map2")).getOutputs()).toEqual(
      new Map([
        [id("Sink: sink2"), "REBALANCE"],
        [id("Sink: sink3"), "REBALANCE"],
      ]),
    );
    expect(jobTopology.get(id("map1")).getParallelism()).toBe(2);
    expect(jobTopology.get(id("map2")).getParallelism()).toBe(4);
    for (const v of jobTopology.getVertexInfos().values()) expect(v.getMaxParallelism()).toBe(128);
    // Sources come first in the topological order, sinks last.
    const order = jobTopology.getVerticesInTopologicalOrder();
    expect(order.indexOf(id("map1"))).toBeGreaterThan(order.indexOf(id("Source: s1")));
    expect(order.indexOf(id("Sink: sink2"))).toBeGreaterThan(order.indexOf(id("map2")));
  });

  it("maps unknown ship strategies to UNKNOWN and refuses a plan without nodes", () => {
    const t = JobTopology.fromJsonPlan(
      '{"nodes":[{"id":"a","parallelism":1},{"id":"b","parallelism":2,"inputs":[{"id":"a","ship_strategy":"PARTITION_CUSTOM_X"}]}]}',
      new Map(),
      new Map([["a", 128], ["b", 128]]),
      new Map(),
      new Set(),
    );
    expect(t.get("b").getInputs()).toEqual(new Map([["a", "UNKNOWN"]]));
    expect(() => JobTopology.fromJsonPlan('{"nodes":[]}', new Map(), new Map(), new Map(), new Set())).toThrow(/No nodes found in the plan/);
  });
});
