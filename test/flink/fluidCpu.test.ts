import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FluidCpu } from "../../src/flink/aggregate/FluidCpu.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import type { OperatorSpec } from "../../src/flink/JobGraph.ts";
import { DEFAULT_NETWORK_CONFIG } from "../../src/flink/network/NetworkConfig.ts";

describe("FluidCpu (aggregate mode's CPU per slice)", () => {
  it("gives the CPU a back-pressured task cannot use to the TaskManager's other tasks", () => {
    // One TaskManager of 1 core, a 1,000 ms slice. Task A: 1 ms per record, a backlog of
    // 10,000; it feeds task B (40 ms per record, all CPU), whose input channel has room for
    // 87.5 more records than B reads: A processes at most B's take + 87.5. Standing in for
    // FluidNetwork, `flow` gives what each processes at the capacities FluidCpu sets.
    const cpu = new FluidCpu(Int32Array.of(0, 0), Float64Array.of(1, 1), { requestCores: 1, limitCores: 1 });
    const costMs = Float64Array.of(1, 40);
    const nominal = Float64Array.of(1000, 25);
    const capacity = Float64Array.from(nominal);
    const processed = new Float64Array(2);
    const flow = () => {
      processed[1] = Math.min(capacity[1]!, 1000);
      processed[0] = Math.min(capacity[0]!, 10_000, processed[1]! + 87.5);
    };
    cpu.reset();
    flow();
    let trials = 0;
    while (cpu.adjust(1000, processed, costMs)) {
      cpu.cap(1000, costMs, nominal, capacity);
      flow();
      expect(++trials).toBeLessThan(24);
    }
    cpu.settleSpeeds(1000, processed, costMs);
    // By hand: B runs at speed f and reads 25f records; A, waiting for B's channel, is
    // runnable for 25f + 87.5 ms only, so B gets the rest of the 1,000 ms:
    // 25f + 87.5 + 1000f = 1000, f = 912.5 / 1025 = 0.89024, B reads 22.256 records.
    const f = 912.5 / 1025;
    const used = processed[0]! * 1 + processed[1]! * 40;
    expect(used).toBeLessThanOrEqual(1000 + 1e-9);
    expect(used).toBeGreaterThan(999); // within the 0.1% FluidCpu tolerates below the share
    expect(cpu.speed[1]! / f).toBeGreaterThan(0.999);
    expect(cpu.speed[1]! / f).toBeLessThanOrEqual(1 + 1e-12);
    expect(processed[1]! / (25 * f)).toBeGreaterThan(0.999);
    // A never waits for the CPU: full speed.
    expect(cpu.speed[0]).toBe(1);
  });
});

/**
 * A datagen source at 10^6 rows/s (no cost) into a map of `mapMs` per record (all CPU) at
 * parallelism 8 over a HASH edge, in the aggregate mode: eight one-slot TaskManagers of 1
 * CPU each, all on one node of 2.2 cores. Returns the records the maps read from 60 s to 180 s.
 */
function hashJobRead(recordSizeBytes: number, mapMs: number): number {
  const env = new Environment();
  const base = { maxParallelism: undefined, chaining: true, vertexId: undefined, python: undefined } as const;
  const operators: OperatorSpec[] = [
    { ...base, id: "source", name: "Source: s", kind: "source", cost: { kind: "constant", value: 0 }, selectivity: 1, parallelism: 1, source: { connector: "datastream-datagen", load: { profile: "constant", rate: 1_000_000 }, noise: undefined } },
    { ...base, id: "map", name: "Map", kind: "sink", cost: { kind: "constant", value: mapMs }, selectivity: 0, parallelism: 8, source: undefined, cpuShare: 1 },
  ];
  const c = new FlinkCluster(env, new RandomStreams(1), {
    job: { name: "hash", operators, edges: [{ from: "source", to: "map", shipStrategy: "HASH", keys: undefined }] },
    graph: { defaultParallelism: 1, maxParallelism: undefined, parallelismOverrides: new Map() },
    network: { ...DEFAULT_NETWORK_CONFIG, recordSizeBytes },
    slotsPerTaskManager: 1,
    startEpochMs: 0,
    execution: "aggregate",
    cpu: { requestCores: 1, limitCores: 1, nodes: { count: 1, cores: 2.2 } },
  });
  c.start();
  const map = c.graph.vertices.find((v) => v.name === "Map")!;
  const read = () => c.subtasks.get(map.id)!.reduce((sum, t) => sum + t.metrics.numRecordsIn.count, 0);
  env.run(60_000);
  c.syncMetrics();
  const before = read();
  env.run(180_000);
  c.syncMetrics();
  return read() - before;
}

describe("a CPU-short HASH job in the aggregate mode, at any record size", () => {
  // The eight maps need 10^6 x c ms of CPU a second; the node has 2,200 ms. With c chosen
  // so that the CPU allows 0.715 of the rate (c = 2,200 / 715,000 ms, 3.08 µs), the maps
  // read 715,000 records/s whatever the key noise: a map reading less than its share
  // leaves its CPU to the others on the node (no TaskManager comes near its 1-core limit:
  // an eighth of the node is 0.275 core). Over 120 s: 85.8 million.
  const mapMs = 2200 / 715_000;
  const byHand = 715_000 * 120;

  it("reads what the node's 2.2 cores allow, 0.715 of the rate, when a channel holds ~1 ms of records", () => {
    // 4,096-byte records: 8 to a 32 KiB buffer; a remote channel's 13 buffers (3 of the
    // sender's pool, 2 exclusive + 8 floating at the receiver) hold 104 records, 1.2 ms of
    // the 89,375 records/s each map reads.
    const read = hashJobRead(4096, mapMs);
    expect(Math.abs(read / byHand - 1)).toBeLessThan(0.002);
  });

  it("reads the same at 4-byte records, when a channel holds ~1 s of records", () => {
    // 8,192 records to a buffer: 106,496 to a remote channel, 1.2 s of a map's input.
    const small = hashJobRead(4, mapMs);
    const large = hashJobRead(4096, mapMs);
    expect(Math.abs(small / byHand - 1)).toBeLessThan(0.002);
    expect(Math.abs(large / small - 1)).toBeLessThan(0.002);
  });
});
