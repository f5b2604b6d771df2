import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

/**
 * The seed job slowed down: datagen at 1 row/s, a Python map costing exactly 100 ms a
 * record (no runtime overhead), bundle.time 1 s (PythonOptions' default), no double count.
 */
function cluster(bundleSize?: number, rowsPerSecond = 1) {
  const scenario = seedScenarioWith((d) => {
    operator(d, "source").source = { connector: "datagen", rowsPerSecond };
    operator(d, "map").cost = "100ms";
    operator(d, "map").python = { overhead: "0ms" };
    (d.simulation as Record<string, unknown>).flinkMetrics = { doubleCount: false };
    if (bundleSize !== undefined) d.spec.flinkConfiguration["python.fn-execution.bundle.size"] = String(bundleSize);
  });
  const env = new Environment();
  // Every task starts at 0 (no start spread): the timeline below is worked out by hand from it.
  const c = new FlinkCluster(env, new RandomStreams(1), { ...clusterOptionsOf(scenario), taskStartSpreadMs: 0 });
  c.start();
  const map = c.graph.vertices.find((v) => !v.isSource)!;
  const task = () => c.subtasks.get(map.id)![0]!;
  return { env, task, out: () => task().metrics.operators[0]!.numRecordsOut.count };
}

describe("PyFlink process-mode bundles (AbstractExternalPythonFunctionOperator, 1.18)", () => {
  it("finishes a bundle at the first 1 s timer tick at least bundle.time after the last finish, blocking for the whole bundle", () => {
    // Records leave the source at 0, 1000, 2000, ... and reach the map at the 100 ms flush.
    // Tick 1000: 1000 - 0 >= 1000, finish [r0]: result at 1100, lastFinish = 1100.
    // Tick 2000: 900 < 1000, skip. Tick 3000: finish [r1, r2]: results at 3100 and 3200.
    // Tick 4000: 800, skip. Tick 5000: finish [r3, r4]: results at 5100, 5200. And so on.
    const { env, out } = cluster();
    const expected: [number, number][] = [
      [1099, 0], [1101, 1], [3099, 1], [3150, 2], [3250, 3], [5099, 3], [5150, 4], [5250, 5], [7250, 7],
    ];
    for (const [t, count] of expected) {
      env.run(t);
      expect(out(), `records out at ${t} ms`).toBe(count);
    }
  });

  it("counts the wait in finishBundle as busy time: 100 ms, then 200 ms every 2 s", () => {
    const { env, task } = cluster();
    env.run(60_000);
    // busy 1000..1100, then bundles at 3000, 5000, ..., 59000 (29 of them) of 200 ms each
    expect(task().metrics.accumulatedBusyTime(env.now)).toBe(100 + 29 * 200);
  });

  it("finishes by count when bundle.size elements are in", () => {
    // With bundle.size 1 every record is a bundle of its own: out at arrival + 100 ms.
    const { env, out } = cluster(1);
    env.run(199);
    expect(out()).toBe(0);
    env.run(201);
    expect(out()).toBe(1);
    env.run(1201);
    expect(out()).toBe(2);
  });

  it("emits results as the worker flushes them: after an element that ends past a tick of its 1 s flush thread, and at the bundle's end", () => {
    // 5 rows/s: 5 records at 0 (read at the 100 ms flush), 5 at 1000, 5 at 2000, ...
    // Tick 1000 finishes [5 records]: they end at 1100, 1200, 1300, 1400, 1500. The flush
    // thread's first tick (1000) came after its start (0): the result of 1100 is sent;
    // 1200..1400 wait (no tick since 1100); the bundle's end at 1500 sends them all.
    // lastFinish 1500: tick 2000 skips; tick 3000 finishes the 10 records read at 1500
    // and 2100: 3100 is past the tick at 2000 (sent), 3200..3900 wait, 4000 ends the bundle.
    const { env, out } = cluster(undefined, 5);
    const expected: [number, number][] = [
      [1099, 0], [1101, 1], [1450, 1], [1501, 5], [3099, 5], [3101, 6], [3950, 6], [4001, 15],
    ];
    for (const [t, count] of expected) {
      env.run(t);
      expect(out(), `records out at ${t} ms`).toBe(count);
    }
  });
});
