import { describe, expect, it } from "vitest";
import { buildJobGraph, deriveVertexId, type JobSpec, type OperatorSpec } from "../../src/flink/JobGraph.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

function op(id: string, extra: Partial<OperatorSpec> = {}): OperatorSpec {
  return {
    id,
    name: id,
    kind: "operator",
    cost: { kind: "constant", value: 1 },
    selectivity: 1,
    parallelism: undefined,
    maxParallelism: undefined,
    chaining: true,
    vertexId: undefined,
    source: undefined,
    ...extra,
  };
}
const noOverrides = { defaultParallelism: 2, maxParallelism: undefined, parallelismOverrides: new Map<string, number>() };

describe("job graph", () => {
  it("chains the seed job into a source vertex and 'Map -> Sink: Print to Std. Out'", () => {
    const s = loadScenario(SEED_SCENARIO);
    const g = buildJobGraph(s.job, { ...noOverrides, defaultParallelism: 1, maxParallelism: 12 });
    expect(g.vertices.map((v) => v.name)).toEqual(["Source: orders", "Map -> Sink: Print to Std. Out"]);
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]!.shipStrategy).toBe("SHUFFLE");
    expect(g.vertices.every((v) => /^[0-9a-f]{32}$/.test(v.id) && v.maxParallelism === 12)).toBe(true);
  });

  it("ends a chain at a non-forward edge, a parallelism change, a fan-out or disabled chaining", () => {
    const job: JobSpec = {
      name: "j",
      operators: [
        op("src", { kind: "source", source: { connector: "datagen", load: { profile: "constant", rate: 1 }, noise: undefined } }),
        op("a"),
        op("b", { chaining: false }),
        op("c", { parallelism: 4 }),
        op("d", { parallelism: 4 }),
        op("e", { parallelism: 4 }),
      ],
      edges: [
        { from: "src", to: "a", shipStrategy: "FORWARD", keys: undefined },
        { from: "a", to: "b", shipStrategy: "FORWARD", keys: undefined },
        { from: "b", to: "c", shipStrategy: "REBALANCE", keys: undefined },
        { from: "c", to: "d", shipStrategy: "FORWARD", keys: undefined },
        { from: "c", to: "e", shipStrategy: "FORWARD", keys: undefined },
      ],
    };
    const g = buildJobGraph(job, noOverrides);
    expect(g.vertices.map((v) => v.name)).toEqual(["src -> a", "b", "c", "d", "e"]);
  });

  it("derives stable 32-hex vertex ids, takes given ones, and applies parallelism overrides by id", () => {
    const job: JobSpec = {
      name: "j",
      operators: [
        op("src", { kind: "source", source: { connector: "datagen", load: { profile: "constant", rate: 1 }, noise: undefined }, vertexId: "0123456789abcdef0123456789abcdef" }),
        op("m"),
      ],
      edges: [{ from: "src", to: "m", shipStrategy: "HASH", keys: undefined }],
    };
    const mId = deriveVertexId("m");
    expect(mId).toMatch(/^[0-9a-f]{32}$/);
    expect(deriveVertexId("m")).toBe(mId);
    const g = buildJobGraph(job, { ...noOverrides, parallelismOverrides: new Map([[mId, 7]]) });
    expect(g.vertices.map((v) => [v.id, v.parallelism])).toEqual([
      ["0123456789abcdef0123456789abcdef", 2],
      [mId, 7],
    ]);
    // without pipeline.max-parallelism, the default is computed from the configured parallelism (2 -> 128)
    expect(g.vertices[1]!.maxParallelism).toBe(128);
  });
});
