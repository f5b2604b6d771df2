import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster, type ExecutionMode } from "../../src/flink/FlinkCluster.ts";
import type { OperatorSpec } from "../../src/flink/JobGraph.ts";
import { DEFAULT_NETWORK_CONFIG } from "../../src/flink/network/NetworkConfig.ts";
import { fairLevel, nodeOf, taskManagerAllocations, type TaskManagerCpu } from "../../src/flink/cpu/TaskManagerCpu.ts";
import { readTaskManagerCpu } from "../../src/scenario/taskManagerCpu.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";
import { seedScenarioWith } from "../helpers.ts";

describe("sharing cores", () => {
  it("gives each demand min(demand, level): 3 cores over 0.5, 2, 2 is a level of 1.25", () => {
    expect(fairLevel([0.5, 2, 2], 3)).toBe(1.25);
    expect(fairLevel([1, 1], 2)).toBe(Infinity);
  });

  it("caps each TaskManager at its limit, then shares a saturated node fairly", () => {
    const cpu: TaskManagerCpu = { requestCores: 1, limitCores: 1, nodes: { count: 1, cores: 2 } };
    expect([...taskManagerAllocations([1, 1, 1, 0.2], cpu)]).toEqual([0.6, 0.6, 0.6, 0.2]);
    expect([...taskManagerAllocations([3, 0.5], { requestCores: 1, limitCores: 1 })]).toEqual([1, 0.5]);
  });

  it("places identical pods round robin over the nodes (least allocated, lowest index on ties)", () => {
    const cpu: TaskManagerCpu = { requestCores: 1, limitCores: 1, nodes: { count: 3, cores: 4 } };
    expect([0, 1, 2, 3, 4].map((p) => nodeOf(p, cpu))).toEqual([0, 1, 2, 0, 1]);
  });
});

describe("a TaskManager's CPU from its FlinkDeployment", () => {
  it("is spec.taskManager.resource.cpu, limited to cpu x kubernetes.taskmanager.cpu.limit-factor", () => {
    expect(readTaskManagerCpu({ "kubernetes.taskmanager.cpu.limit-factor": "2" }, 0.5, 1, undefined)).toEqual({ requestCores: 0.5, limitCores: 1, nodes: undefined });
  });

  it("without one: taskmanager.cpu.cores, then kubernetes.taskmanager.cpu.amount (or its deprecated key), then the slot count", () => {
    expect(readTaskManagerCpu({ "taskmanager.cpu.cores": "3" }, 0.5, 1, undefined).limitCores).toBe(3);
    expect(readTaskManagerCpu({ "kubernetes.taskmanager.cpu.amount": "1.5" }, undefined, 1, undefined).limitCores).toBe(1.5);
    expect(readTaskManagerCpu({ "kubernetes.taskmanager.cpu": "2.5" }, undefined, 1, undefined).limitCores).toBe(2.5);
    expect(readTaskManagerCpu({}, undefined, 4, undefined).limitCores).toBe(4);
  });

  it("refuses a CPU of 0 or less, or a limit factor under 1, naming the field (exit 2)", () => {
    const bad = (edit: (d: { spec: Record<string, unknown> }) => void) => {
      try {
        seedScenarioWith((d) => edit(d as unknown as { spec: Record<string, unknown> }));
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as ScenarioError).message;
      }
      throw new Error("no error");
    };
    expect(bad((d) => ((d.spec.taskManager as { resource: { cpu: number } }).resource.cpu = 0))).toBe("test.yaml: spec.taskManager.resource.cpu: must be greater than 0, got number 0");
    expect(bad((d) => ((d.spec.taskManager as { resource: { cpu: number } }).resource.cpu = -1))).toBe("test.yaml: spec.taskManager.resource.cpu: must be greater than 0, got number -1");
    expect(bad((d) => ((d.spec.flinkConfiguration as Record<string, string>)["taskmanager.cpu.cores"] = "0"))).toBe(
      'test.yaml: spec.flinkConfiguration["taskmanager.cpu.cores"]: must be a number of cores greater than 0, got 0',
    );
    expect(bad((d) => ((d.spec.flinkConfiguration as Record<string, string>)["kubernetes.taskmanager.cpu.limit-factor"] = "0.5"))).toBe(
      'test.yaml: spec.flinkConfiguration["kubernetes.taskmanager.cpu.limit-factor"]: must be at least 1 (the limit is cpu x limit-factor), got 0.5',
    );
  });
});

/** A datagen source at 1,000 rows/s that costs nothing, into a map sink at parallelism `p` costing `costMs` with `cpuShare`. */
function cluster(execution: ExecutionMode, cpu: TaskManagerCpu, p: number, slots: number, costMs: number, cpuShare: number): { env: Environment; cluster: FlinkCluster } {
  const env = new Environment();
  const base = { maxParallelism: undefined, chaining: true, vertexId: undefined, python: undefined } as const;
  const operators: OperatorSpec[] = [
    { ...base, id: "source", name: "Source: s", kind: "source", cost: { kind: "constant", value: 0 }, selectivity: 1, parallelism: 1, source: { connector: "datastream-datagen", load: { profile: "constant", rate: 1000 }, noise: undefined } },
    { ...base, id: "map", name: "Map", kind: "sink", cost: { kind: "constant", value: costMs }, selectivity: 0, parallelism: p, source: undefined, cpuShare },
  ];
  const c = new FlinkCluster(env, new RandomStreams(1), {
    job: { name: "cpu", operators, edges: [{ from: "source", to: "map", shipStrategy: "REBALANCE", keys: undefined }] },
    graph: { defaultParallelism: 1, maxParallelism: undefined, parallelismOverrides: new Map() },
    network: { ...DEFAULT_NETWORK_CONFIG, recordSizeBytes: 64 },
    slotsPerTaskManager: slots,
    startEpochMs: 0,
    execution,
    cpu,
  });
  c.start();
  return { env, cluster: c };
}

/** Per map subtask over the last minute of 3: records in per second and busyTimeMsPerSecond. */
function mapRates(execution: ExecutionMode, cpu: TaskManagerCpu, p: number, slots: number, costMs: number, cpuShare: number): { rate: number; busy: number }[] {
  const { env, cluster: c } = cluster(execution, cpu, p, slots, costMs, cpuShare);
  const map = c.graph.vertices.find((v) => v.name === "Map")!;
  env.run(120_000);
  c.syncMetrics();
  const before = c.subtasks.get(map.id)!.map((t) => t.metrics.numRecordsIn.count);
  env.run(180_000);
  c.syncMetrics();
  return c.subtasks.get(map.id)!.map((t, i) => ({ rate: (t.metrics.numRecordsIn.count - before[i]!) / 60, busy: t.metrics.values(180_000).get("busyTimeMsPerSecond")! }));
}

const ONE_CORE: TaskManagerCpu = { requestCores: 1, limitCores: 1 };

describe.each(["record", "aggregate"] as const)("CPU shared in a TaskManager (%s mode)", (execution) => {
  it("two CPU-bound subtasks of 10 ms in a TaskManager with 1 CPU do 50 records/s each, busy 1000 ms/s", () => {
    for (const m of mapRates(execution, ONE_CORE, 2, 2, 10, 1)) {
      expect(m.rate).toBeCloseTo(50, 0);
      expect(m.busy).toBe(1000);
    }
  });

  it("a sleep (cpuShare 0) is not slowed: 100 records/s each", () => {
    for (const m of mapRates(execution, ONE_CORE, 2, 2, 10, 0)) expect(m.rate).toBeCloseTo(100, 0);
  });

  it("a 0.5-CPU TaskManager halves a single CPU-bound subtask: 50 records/s instead of 100", () => {
    expect(mapRates(execution, { requestCores: 0.5, limitCores: 0.5 }, 1, 1, 10, 1)[0]!.rate).toBeCloseTo(50, 0);
    expect(mapRates(execution, ONE_CORE, 1, 1, 10, 1)[0]!.rate).toBeCloseTo(100, 0);
  });

  it("a limit factor lifts the limit: request 0.5, limit 1 does 100 records/s", () => {
    expect(mapRates(execution, { requestCores: 0.5, limitCores: 1 }, 1, 1, 10, 1)[0]!.rate).toBeCloseTo(100, 0);
  });

  it("half-CPU work (cpuShare 0.5) of 10 ms: two subtasks on 0.5 CPU do 50 records/s each", () => {
    // Each asks 0.5 core at full speed (100 records/s); together 1 core on a 0.5 quota: half speed.
    for (const m of mapRates(execution, { requestCores: 0.5, limitCores: 0.5 }, 2, 2, 10, 0.5)) expect(m.rate).toBeCloseTo(50, 0);
  });

  it("TaskManagers on one node of 1 core share it: 4 one-slot TaskManagers of 1 CPU do 25 records/s each", () => {
    for (const m of mapRates(execution, { requestCores: 1, limitCores: 1, nodes: { count: 1, cores: 1 } }, 4, 1, 10, 1)) {
      expect(m.rate).toBeCloseTo(25, 0);
      expect(m.busy).toBe(1000);
    }
  });

  it("on two nodes the same four TaskManagers get a core per two: 50 records/s each", () => {
    for (const m of mapRates(execution, { requestCores: 1, limitCores: 1, nodes: { count: 2, cores: 1 } }, 4, 1, 10, 1)) expect(m.rate).toBeCloseTo(50, 0);
  });
});

describe("the seed scenario", () => {
  it("its map sleeps (cpuShare 0): the 0.5-CPU TaskManagers never limit it", () => {
    const s = seedScenarioWith(() => {});
    expect(s.cpu.limitCores).toBe(0.5);
    expect(s.job.operators.find((o) => o.id === "map")!.cpuShare).toBe(0);
  });
});

describe("record and aggregate modes", () => {
  it("agree on a CPU-bound TaskManager: three 10 ms subtasks on 1 CPU, 33.3 records/s each, busy 1000 ms/s", () => {
    const record = mapRates("record", ONE_CORE, 3, 3, 10, 1);
    const aggregate = mapRates("aggregate", ONE_CORE, 3, 3, 10, 1);
    for (let i = 0; i < 3; i++) {
      expect(record[i]!.rate).toBeCloseTo(100 / 3, 0);
      expect(Math.abs(record[i]!.rate - aggregate[i]!.rate) / aggregate[i]!.rate).toBeLessThan(0.02);
      expect(record[i]!.busy).toBe(aggregate[i]!.busy);
    }
  });
});

describe("cpuShare and nodes in a scenario", () => {
  const bad = (edit: (d: Record<string, unknown>) => void): string => {
    try {
      seedScenarioWith((d) => edit(d as unknown as Record<string, unknown>));
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).message;
    }
    throw new Error("no error");
  };

  it("refuses a cpuShare outside 0..1 and nodes without cores, naming the field", () => {
    expect(bad((d) => ((d as { simulation: { job: { operators: Record<string, unknown>[] } } }).simulation.job.operators[1]!.cpuShare = 1.5))).toBe(
      "test.yaml: simulation.job.operators[1].cpuShare: must be at most 1 (the share of the cost spent on a CPU: 0 for a sleep, 1 for plain code)",
    );
    expect(bad((d) => ((d as { simulation: Record<string, unknown> }).simulation.cluster = { nodes: { count: 1, cores: 0 } }))).toBe("test.yaml: simulation.cluster.nodes.cores: must be greater than 0, got number 0");
  });

  it("reads simulation.cluster.nodes into the TaskManagers' CPU", () => {
    const s = seedScenarioWith((d) => ((d as unknown as { simulation: Record<string, unknown> }).simulation.cluster = { nodes: { count: 2, cores: 4 } }));
    expect(s.cpu).toEqual({ requestCores: 0.5, limitCores: 0.5, nodes: { count: 2, cores: 4 } });
  });
});
