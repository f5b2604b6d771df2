import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster, TASK_START_SPREAD_MS } from "../../src/flink/FlinkCluster.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { seedScenarioWith } from "../helpers.ts";

const P = 32;

/**
 * A source chain alone at parallelism 32: a FLIP-27 datagen at 1,000 records/s per subtask
 * (32,000 in all), each record taking 0.5 ms of the task thread (a sleep: no CPU model), a
 * sink chained after it. One slot per TaskManager: 32 TaskManagers.
 */
function deploy(taskStartSpreadMs?: number) {
  const scenario = seedScenarioWith((d) => {
    d.spec.job.parallelism = P;
    d.spec.flinkConfiguration["pipeline.max-parallelism"] = "128";
    (d.simulation as Record<string, unknown>).execution = "record";
    d.simulation.job.operators = [
      { id: "source", name: "Source: numbers", kind: "source", cost: "500µs", cpuShare: 0, source: { connector: "datastream-datagen", rowsPerSecond: 1000 * P } },
      { id: "sink", name: "Sink: none", kind: "sink" },
    ];
    d.simulation.job.edges = [{ from: "source", to: "sink", shipStrategy: "FORWARD" }];
  });
  const env = new Environment();
  const options = clusterOptionsOf(scenario);
  const cluster = new FlinkCluster(env, new RandomStreams(1), taskStartSpreadMs === undefined ? options : { ...options, taskStartSpreadMs });
  cluster.start();
  const tasks = () => cluster.subtasks.get(cluster.graph.vertices[0]!.id)!;
  return { env, cluster, tasks };
}

describe("each task's timers run from its own start (TASK_START_SPREAD_MS)", () => {
  // Closed form: 1,000 records/s x 0.5 ms = 500 ms/s busy per subtask. The idle time between
  // permits is measured in whole ms of the clock (TimerGauge, SystemClock#absoluteTimeMillis):
  // each 0.5 ms wait, from s + k + 0.5 to s + k + 1 (s: the task's start), covers a ms tick
  // when frac(s) < 0.5 and none otherwise, so a task reads busy 0 or 1000, each with
  // probability 1/2 when s is uniform. The vertex average of 32 independent tasks then has
  // mean 500 and standard deviation 1000 x 0.5 / sqrt(32) = 88.4 ms/s: within 3 sd = 265.
  it("reads the closed-form busy time on average over the subtasks, within 265 ms/s (3 sd of the phase draws)", () => {
    const { env, tasks } = deploy();
    env.run(40_000);
    const busy = tasks().map((t) => t.metrics.busyTimeMsPerSecond());
    // Each task is phase-locked to one lattice value (within the double count's 1 ms per update).
    for (const b of busy) expect(Math.min(Math.abs(b), Math.abs(b - 1000))).toBeLessThanOrEqual(2);
    const mean = busy.reduce((a, b) => a + b, 0) / P;
    expect(Math.abs(mean - 500)).toBeLessThanOrEqual(265);
    expect(new Set(busy.map((b) => (b > 500 ? 1 : 0))).size).toBe(2);
  });

  it("reads one lattice value in every subtask when all start at the same whole millisecond (the artefact)", () => {
    const { env, tasks } = deploy(0);
    env.run(40_000);
    const busy = tasks().map((t) => t.metrics.busyTimeMsPerSecond());
    const mean = busy.reduce((a, b) => a + b, 0) / P;
    expect(Math.abs(mean - 500)).toBeGreaterThan(265);
  });

  // ViewUpdater: one per TaskManager process, created when its first View registers (its
  // first task starts), ticking 5 s later and every 5 s (MetricRegistryImpl, ViewUpdater,
  // release-1.18.1). With one slot per TaskManager, task i's views update at its start + 5 s k.
  it("updates each TaskManager's views every 5 s from its first task's start, and starts tasks within the spread", () => {
    const { env, tasks } = deploy();
    const updates = new Map<number, number[]>();
    for (const t of tasks()) {
      const m = t.metrics;
      const update = m.updateViews.bind(m);
      updates.set(t.index, []);
      m.updateViews = (now: number) => {
        updates.get(t.index)!.push(now);
        update(now);
      };
    }
    env.run(11_000);
    const starts = tasks().map((t) => t.metrics.startMs);
    for (const s of starts) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(TASK_START_SPREAD_MS);
    }
    expect(new Set(starts).size).toBe(P);
    for (const t of tasks()) {
      const times = updates.get(t.index)!;
      expect(times).toHaveLength(2);
      times.forEach((time, k) => expect(time).toBeCloseTo(t.metrics.startMs + 5000 * (k + 1), 6));
    }
  });
});
