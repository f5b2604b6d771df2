import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { flattenFlinkConfiguration } from "../../src/scenario/flattenConfiguration.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";

const FIXTURE = new URL("../fixtures/operator/autoscaling.yaml", import.meta.url);

describe("flattenFlinkConfiguration (ConfigObjectNode#asFlatMap, release-1.15.0)", () => {
  it("joins nested keys with '.' and arrays with ';' (upstream's ConfigObjectNodeTest cases)", () => {
    expect(flattenFlinkConfiguration(parse("a: 1\nb:\n c: [1,2]"))).toEqual({ a: "1", "b.c": "1;2" });
    expect(flattenFlinkConfiguration(parse('a: 1\nb:\n c: ["1","2"]'))).toEqual({ a: "1", "b.c": "1;2" });
  });

  it("keeps flat keys, adds nothing for an empty array, lets a later key win, stores a nested null as 'null'", () => {
    expect(flattenFlinkConfiguration({ "x.y": "1", x: { y: 2, z: [], w: null, b: true } })).toEqual({ "x.y": "2", "x.w": "null", "x.b": "true" });
    expect(flattenFlinkConfiguration({ top: null })).toEqual({ top: null });
    expect(flattenFlinkConfiguration("not a map")).toBe("not a map");
  });

  it("flattens the operator's example autoscaling.yaml as the operator would", () => {
    const doc = parse(readFileSync(FIXTURE, "utf8")) as { spec: { flinkConfiguration: unknown } };
    // Read off the fixture by hand: every leaf under flinkConfiguration with its dotted path.
    expect(flattenFlinkConfiguration(doc.spec.flinkConfiguration)).toEqual({
      "job.autoscaler.enabled": "true",
      "job.autoscaler.stabilization.interval": "1m",
      "job.autoscaler.metrics.window": "3m",
      "job.autoscaler.target.utilization.boundary": "0.1",
      "pipeline.max-parallelism": "24",
      "taskmanager.numberOfTaskSlots": "4",
      "state.savepoints.dir": "file:///flink-data/savepoints",
      "state.checkpoints.dir": "file:///flink-data/checkpoints",
      "high-availability.type": "kubernetes",
      "high-availability.storageDir": "file:///flink-data/ha",
      "execution.checkpointing.interval": "1m",
      "jobmanager.scheduler": "adaptive",
    });
  });

  it("lets the example deployment load as a scenario once a simulation: block is added", () => {
    const simulation = [
      "simulation:",
      "  duration: 10m",
      "  job:",
      "    operators:",
      "      - { id: source, name: src, kind: source, source: { connector: datagen, rowsPerSecond: 10 } }",
      "      - { id: sink, name: sink, kind: sink }",
      "    edges:",
      "      - { from: source, to: sink, shipStrategy: REBALANCE }",
      "",
    ].join("\n");
    const scenario = parseScenario("autoscaling.yaml", `${readFileSync(FIXTURE, "utf8")}\n${simulation}`);
    expect(scenario.flinkConfiguration["job.autoscaler.enabled"]).toBe("true");
    expect(scenario.flinkConfiguration["job.autoscaler.metrics.window"]).toBe("3m");
    expect(scenario.flinkConfiguration["high-availability.type"]).toBe("kubernetes");
    expect(scenario.flinkConfiguration["pipeline.max-parallelism"]).toBe("24");
  });
});
