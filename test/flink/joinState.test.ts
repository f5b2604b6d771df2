/**
 * A join's buffered contents are keyed state (IntervalJoinOperator's left and right
 * MapState buffers, WindowOperator's window contents; Flink 1.18.1): their size counts
 * into the vertex's checkpointed state, and a restart that restores state resumes the join
 * with them. Checked against hand computations: buffered records x record size, the
 * restore's download time, and the pairs emitted in the first seconds after a restart
 * (interval join: 2 x r1 x r2 x (W - D) / K per second with a restored buffer, D being the
 * downtime, against r1 x r2 x T^2 / K in T seconds from an empty one).
 */
import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { FluidTwoInput } from "../../src/flink/aggregate/FluidTwoInput.ts";
import { TwoInputHead } from "../../src/flink/runtime/TwoInputHead.ts";
import { keyTransfer } from "../../src/flink/state/JoinState.ts";
import { KeyRouting } from "../../src/flink/partitioners.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const ORDERS = 40; // records/s of input 1
const PAYMENTS = 20; // records/s of input 2
const RECORD = 256; // bytes
const S = 1000;

interface JobOptions {
  readonly join: string;
  readonly execution: "record" | "aggregate";
  readonly keys: number;
  readonly checkpoints: boolean;
  readonly parallelism?: number;
}

/** Orders and payments (FLIP-27 datagen, evenly paced) into a join, its pairs into a sink; no autoscaler. */
function cluster(o: JobOptions): { env: Environment; cluster: FlinkCluster; joinId: string } {
  const scenario = parseScenario(
    "join-state.yaml",
    `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: join-state }
spec:
  flinkVersion: v1_18
  flinkConfiguration:
    job.autoscaler.enabled: "false"
    taskmanager.numberOfTaskSlots: "2"
    pipeline.max-parallelism: "24"
${o.checkpoints ? '    execution.checkpointing.interval: "10s"' : ""}
  taskManager: { resource: { cpu: 8 } }
  job: { jarURI: local:///job.jar, parallelism: ${o.parallelism ?? 1} }
simulation:
  duration: 20min
  seed: 5
  execution: ${o.execution}
  recordSize: ${RECORD}b
  state: { downloadBandwidth: 100kb, checkpointDuration: 1s }
  job:
    operators:
      - { id: orders, cost: 20µs, source: { connector: datastream-datagen, load: ${ORDERS} } }
      - { id: payments, cost: 20µs, source: { connector: datastream-datagen, load: ${PAYMENTS} } }
      - id: join
        join: ${o.join}
        inputs: { orders: { cost: 1ms }, payments: { cost: 1ms } }
      - { id: sink, kind: sink, cost: 50µs }
    edges:
      - { from: orders, to: join, shipStrategy: HASH, keys: { count: ${o.keys} } }
      - { from: payments, to: join, shipStrategy: HASH, keys: { count: ${o.keys} } }
      - { from: join, to: sink, shipStrategy: REBALANCE }
`,
  );
  const env = new Environment();
  const c = new FlinkCluster(env, new RandomStreams(5), { ...clusterOptionsOf(scenario), taskStartSpreadMs: 0 });
  return { env, cluster: c, joinId: c.graph.vertices.find((v) => v.name === "join")!.id };
}

/** Pairs the join's current tasks have emitted. */
function pairsOut(c: FlinkCluster, joinId: string): number {
  c.syncMetrics();
  return c.subtasks.get(joinId)!.reduce((sum, t) => sum + t.metrics.operators[0]!.numRecordsOut.count, 0);
}

/** Runs to `stopS`, cancels every task, deploys again at `restartS` (same parallelism unless given), and counts the pairs in the next `spanS`. */
function pairsAfterRestart(
  o: JobOptions,
  stopS: number,
  restartS: number,
  spanS: number,
  newParallelism?: number,
): { pairs: number; checkpointed: boolean; restoredRecords: number } {
  const { env, cluster: c, joinId } = cluster(o);
  c.start();
  env.run(stopS * S);
  const checkpointed = c.checkpoints?.latest != null;
  c.cancelTasks("RESTARTING");
  env.run(restartS * S);
  c.redeployJob(newParallelism === undefined ? new Map() : new Map([[joinId, newParallelism]]));
  const restoredRecords = c.joinRecords(joinId);
  env.run((restartS + spanS) * S);
  return { pairs: pairsOut(c, joinId), checkpointed, restoredRecords };
}

describe("a join's buffers are keyed state: their size", () => {
  for (const execution of ["record", "aggregate"] as const) {
    it(`of an interval join [-10s, 20s] is (r1 x 20 s + r2 x 10 s) x record size (${execution} mode)`, () => {
      // IntervalJoinOperator keeps a left record until ts + upper and a right one until ts - lower:
      // 40/s x 20 s + 20/s x 10 s = 1,000 records x 256 B = 256,000 B.
      const { env, cluster: c, joinId } = cluster({ join: "{ type: interval, lower: -10s, upper: 20s }", execution, keys: 1200, checkpoints: true, parallelism: 2 });
      c.start();
      env.run(300 * S);
      const bytes = c.stateSnapshot().find((s) => s.vertexId === joinId)!.bytes;
      expect(Math.abs(bytes - 1000 * RECORD) / (1000 * RECORD)).toBeLessThan(0.01);
      // The latest checkpoint holds it, and the restore downloads it: 256,000 B at 100 KiB/s = 2.5 s (one TaskManager, two slots).
      const held = c.checkpoints!.latest!.state.find((s) => s.vertexId === joinId)!.bytes;
      expect(Math.abs(held - 1000 * RECORD) / (1000 * RECORD)).toBeLessThan(0.01);
      expect(Math.abs(c.restoreMs(new Map([[joinId, 2]])) - 2500)).toBeLessThan(25);
    });

    it(`of a 10 s window join is the running window's records x record size (${execution} mode)`, () => {
      // At 305 s the window [300, 310) holds 5 s x (40 + 20)/s = 300 records: 76,800 B.
      const { env, cluster: c, joinId } = cluster({ join: "{ type: window, size: 10s }", execution, keys: 1200, checkpoints: true });
      c.start();
      env.run(305 * S);
      const bytes = c.stateSnapshot().find((s) => s.vertexId === joinId)!.bytes;
      expect(Math.abs(bytes - 300 * RECORD)).toBeLessThanOrEqual(2 * RECORD + 0.01 * 300 * RECORD);
    });
  }

  it("is not counted for a job without checkpoints: a restart restores no state then", () => {
    const { cluster: c } = cluster({ join: "{ type: interval, lower: -10s, upper: 20s }", execution: "record", keys: 1200, checkpoints: false });
    expect(c.hasState()).toBe(false);
  });
});

describe("a restart resumes the join with its buffers", () => {
  // Interval join [-30 s, 30 s], 1,200 keys, parallelism 1 (c = 1/1200): steady output 40 x 20 x 60 / 1,200 = 40 pairs/s.
  // Stopped at 600 s, running again at 605 s (D = 5 s); counted over T = 10 s. A record at t' in [605, 615] pairs with the
  // other input's records of [t' - 30, t'], which holds all of the downtime: 2 x 40 x 20 x (30 - 5) / 1,200 = 33.3 pairs/s,
  // 333.3 in 10 s. From an empty buffer (no checkpoint to restore): 2 x 40 x 20 x (t' - 605) / 1,200 per second, 40 x 20 x 10^2 / 1,200 = 66.7.
  const interval = "{ type: interval, lower: -30s, upper: 30s }";
  const restored = (2 * ORDERS * PAYMENTS * 25 * 10) / 1200;
  const empty = (ORDERS * PAYMENTS * 10 * 10) / 1200;
  for (const execution of ["record", "aggregate"] as const) {
    it(`interval join: ${restored.toFixed(1)} pairs in the first 10 s after a restart from a checkpoint, not ${empty.toFixed(1)} (${execution} mode)`, () => {
      const r = pairsAfterRestart({ join: interval, execution, keys: 1200, checkpoints: true }, 600, 605, 10);
      expect(r.checkpointed).toBe(true);
      // At the stop the join held 40 x 30 + 20 x 30 = 1,800 records; at 605 s those of the last 25 s still count: 1,500.
      expect(Math.abs(r.restoredRecords - 1500)).toBeLessThan(15);
      expect(Math.abs(r.pairs - restored) / restored).toBeLessThan(0.03);
    });

    it(`interval join: without checkpoints the buffer starts empty (${execution} mode)`, () => {
      const r = pairsAfterRestart({ join: interval, execution, keys: 1200, checkpoints: false }, 600, 605, 10);
      expect(r.restoredRecords).toBe(0);
      expect(Math.abs(r.pairs - empty) / empty).toBeLessThan(0.1);
    });

    it(`interval join rescaled 1 -> 2: the key groups' shares of the buffer move, the pairs stay ${restored.toFixed(1)} (${execution} mode)`, () => {
      // Subtask j gets the share s_j of the buffer its keys carry and has c_j = 1 / (K s_j): its pairs are s_j x the total.
      const r = pairsAfterRestart({ join: interval, execution, keys: 1200, checkpoints: true }, 600, 605, 10, 2);
      expect(Math.abs(r.restoredRecords - 1500)).toBeLessThan(15);
      expect(Math.abs(r.pairs - restored) / restored).toBeLessThan(0.06);
    });

    it(`window join: a window that ended while the job was down fires at the restart (${execution} mode)`, () => {
      // 10 s windows, 120 keys. Stopped at 607 s: the window [600, 610) holds 280 orders and 140 payments, 280 x 140 / 120 = 326.7
      // pairs, emitted when the job runs again at 612 s (its timer is overdue). The window [610, 620) gets 8 s of records:
      // 320 x 160 / 120 = 426.7 pairs at 620 s. Counted until 621 s: 753.3; without a checkpoint to restore, 426.7.
      const window = "{ type: window, size: 10s }";
      const withState = pairsAfterRestart({ join: window, execution, keys: 120, checkpoints: true }, 607, 612, 9);
      const without = pairsAfterRestart({ join: window, execution, keys: 120, checkpoints: false }, 607, 612, 9);
      // The restored window's own pairs, what the restore adds: 326.7.
      expect(Math.abs(withState.pairs - without.pairs - 326.7) / 326.7).toBeLessThan(0.02);
      expect(Math.abs(withState.pairs - 753.3) / 753.3).toBeLessThan(0.02);
      // Record mode: a record reaches the join up to the buffer timeout (100 ms) after its source emits it, so the window
      // [610, 620) misses up to 0.1 s of each input after the restart: 316 x 158 / 120 = 416.1 at worst, 2.5% low.
      expect(Math.abs(without.pairs - 426.7) / 426.7).toBeLessThan(0.03);
    });
  }
});

describe("restoring a join subtask's contents", () => {
  const inputs = [
    { cost: () => 1, selectivity: 1 },
    { cost: () => 1, selectivity: 1 },
  ];

  it("window join: the restored window fires first when its end passed while down, else it goes on filling", () => {
    const before = new TwoInputHead(inputs, { type: "window", sizeMs: 10_000 }, 1 / 50);
    for (let i = 0; i < 30; i++) before.onRecord(0, 1000 + i);
    for (let i = 0; i < 20; i++) before.onRecord(1, 1000 + i);
    const contents = before.contents(5000);
    expect(contents.window).toEqual({ endMs: 10_000, records: [30, 20] });
    const late = new TwoInputHead(inputs, { type: "window", sizeMs: 10_000 }, 1 / 50);
    late.restore([{ contents, share: 1 }]);
    expect(late.windowOverdue(12_000)).toBe(true);
    expect(late.fireWindow()).toBe(12); // 30 x 20 / 50
    expect(late.windowOverdue(12_000)).toBe(false);
    const soon = new TwoInputHead(inputs, { type: "window", sizeMs: 10_000 }, 1 / 50);
    soon.restore([{ contents, share: 1 }]);
    expect(soon.windowOverdue(8000)).toBe(false);
    for (let i = 0; i < 10; i++) soon.onRecord(1, 8000 + i);
    expect(soon.fireWindow()).toBe(18); // 30 x 30 / 50
  });

  it("interval join: the restored arrivals pair with new records, weighted by the share of keys", () => {
    const join = { type: "interval", lowerMs: -1000, upperMs: 1000 } as const;
    const before = new TwoInputHead(inputs, join, 1);
    for (let t = 0; t < 10; t++) before.onRecord(1, 100 * t); // input 2 at 0, 100, .., 900
    const half = new TwoInputHead(inputs, join, 1);
    half.restore([{ contents: before.contents(900), share: 0.5 }]);
    expect(half.bufferedRecords(900)).toBe(5);
    // Input 1 at 1500 pairs with input 2 in [500, 2500]: 500..900, 5 records x 0.5.
    expect(half.onRecord(0, 1500)).toBe(2);
    // Input 1 at 1550: [550, 2550] holds 600..900, 4 x 0.5 = 2, plus the 0.5 carried.
    expect(half.onRecord(0, 1550)).toBe(2);
  });

  it("aggregate interval join: the restored curve is flat while down, and a slice's records pair with it", () => {
    const input = { costSum: () => 0, meanCostMs: 1, selectivity: 1 };
    const join = { type: "interval", lowerMs: -30_000, upperMs: 30_000 } as const;
    const before = new FluidTwoInput([input, input], join, 1 / 1200, 0);
    for (let t = 0; t < 600; t++) before.commit(40, 20, 40, 20, t * S, (t + 1) * S);
    expect(before.bufferedRecords()).toBeCloseTo(1800, 6);
    const after = new FluidTwoInput([input, input], join, 1 / 1200, 605 * S);
    after.restore([{ contents: before.contents(), share: 1 }]);
    expect(after.bufferedRecords()).toBeCloseTo(40 * 25 + 20 * 25, 6); // at 605 s, 5 s after the last arrival
    // Deployed again at the instant of the stop, it keeps all 1,800.
    const atOnce = new FluidTwoInput([input, input], join, 1 / 1200, 600 * S);
    atOnce.restore([{ contents: before.contents(), share: 1 }]);
    expect(atOnce.bufferedRecords()).toBeCloseTo(1800, 6);
    // The slice [605, 606), at its middle 605.5 s: its 40 orders pair with the payments of [575.5, 605.5], 20 x 24.5 before
    // the stop and half the slice's own 20 (spread over it); its 20 payments with the orders of the same span, 40 x 24.5 + 20.
    // (40 x 500 + 20 x 1,000) / 1,200 = 33.3.
    expect(after.output(40, 20, 605 * S, 606 * S)).toBeCloseTo((40 * (20 * 24.5 + 10) + 20 * (40 * 24.5 + 20)) / 1200, 6);
  });

  it("key transfer: the same parallelism keeps each subtask's contents; 1 -> 2 splits them by the keys' shares", () => {
    const keys = { count: 1200, skew: 0 };
    const same = keyTransfer(keys, 24, 2, 2);
    expect(same.map((row) => Array.from(row))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const split = keyTransfer(keys, 24, 1, 2);
    const shares = new KeyRouting(keys, 24, 2).channelShares();
    expect(split[0]![0]).toBeCloseTo(shares[0]!, 12);
    expect(split[0]![1]).toBeCloseTo(shares[1]!, 12);
    expect(split[0]![0]! + split[0]![1]!).toBeCloseTo(1, 12);
  });
});

describe("a redeploy by the operator (Flink 1.17: no in-place rescale) restores the join as its upgrade mode says", () => {
  // The join (20 ms a record of either input: 50 records/s, against 60 offered) is scaled up at the first full metric
  // window; until then it reads 50 records/s (the FLIP-27 datagen sources keep no backlog). The redeploy's phases are
  // constants (shutdown 5 s, JobManager 20 s, pods 6 s, deploy 1.5 s; restore: the download, a few ms), so the tasks run
  // again 32.5 s after the cancel. Interval [-60 s, 60 s]: at that moment the contents of the stop still count for
  // 60 - 32.5 = 27.5 s of its input, 50 x 27.5 = 1,375 records, with savepoint and last-state (a checkpoint completed);
  // none when stateless.
  function restored(upgradeMode: string): { records: number; downS: number } {
    const scenario = parseScenario(
      "join-redeploy.yaml",
      `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: join-redeploy }
spec:
  flinkVersion: v1_17
  flinkConfiguration:
    job.autoscaler.enabled: "true"
    job.autoscaler.stabilization.interval: "30s"
    job.autoscaler.metrics.window: "1m"
    taskmanager.numberOfTaskSlots: "2"
    pipeline.max-parallelism: "24"
    execution.checkpointing.interval: "10s"
  taskManager: { resource: { cpu: 8 } }
  job: { jarURI: local:///job.jar, parallelism: 1, upgradeMode: ${upgradeMode} }
simulation:
  duration: 5min
  seed: 5
  sampleInterval: 500ms
  recordSize: ${RECORD}b
  state: { checkpointDuration: 1s }
  restart:
    redeploy: { shutdown: 5s, jobManagerStart: 20s, podStart: 6s, restore: 500ms, deploy: 1500ms }
  job:
    operators:
      - { id: orders, name: "Source: orders", cost: 20µs, source: { connector: datastream-datagen, load: ${ORDERS} } }
      - { id: payments, name: "Source: payments", cost: 20µs, source: { connector: datastream-datagen, load: ${PAYMENTS} } }
      - id: join
        join: { type: interval, lower: -60s, upper: 60s }
        inputs: { orders: { cost: 20ms }, payments: { cost: 20ms } }
      - { id: sink, kind: sink, cost: 50µs }
    edges:
      - { from: orders, to: join, shipStrategy: HASH, keys: { count: 1200 } }
      - { from: payments, to: join, shipStrategy: HASH, keys: { count: 1200 } }
      - { from: join, to: sink, shipStrategy: REBALANCE }
`,
    );
    let records = -1;
    let joinId = "";
    let tasksRunning = false;
    let down = false;
    const r = runScenario(scenario, {
      output: { kind: "none" },
      onSample: (c) => {
        joinId ||= c.graph.vertices.find((v) => v.name === "join")!.id;
        const running = c.allTasksRunning();
        if (!running) down = true;
        // The first sample at which the redeployed tasks run: restored records plus at most 0.5 s of new ones.
        if (down && running && !tasksRunning && records < 0) records = c.joinRecords(joinId);
        tasksRunning = running;
      },
    });
    const restart = r.operator.restarts[0]!;
    expect(restart.kind).toBe("redeploy");
    return { records, downS: (restart.tasksRunningTimeMs! - restart.decisionTimeMs) / S };
  }

  it("savepoint and last-state (with a checkpoint) resume with the contents of the stop, stateless with none", () => {
    for (const mode of ["savepoint", "last-state"]) {
      const r = restored(mode);
      expect(r.downS).toBeCloseTo(32.5, 1);
      // 1,375 restored, plus up to 0.5 s x 60/s new ones, give or take a record at either end of the span.
      expect(r.records).toBeGreaterThan(1375 - 5);
      expect(r.records).toBeLessThan(1375 + 30 + 5);
    }
    expect(restored("stateless").records).toBeLessThan(30 + 1);
  });
});
