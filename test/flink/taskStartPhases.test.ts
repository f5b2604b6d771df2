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
  // permits is measured in whole ms of the clock (TimerGauge, SystemClock#absoluteTimeMillis).
  // With exact waits each 0.5 ms wait, from s + k + 0.5 to s + k + 1 (s: the task's start),
  // covered a ms tick when frac(s) < 0.5 and none otherwise: a task read busy 0 or 1000 for
  // as long as its rate held, and only the average over many tasks approached 500. The source
  // thread sleeps as the JDK does (whole ms, then a wake-up latency: ThreadSleep), so where
  // its waits start wanders against the ms grid and each task reads about 500 on its own.
  // 50 ms/s: what the rate limiter's 1 ms-commensurate ticket grid leaves (476..524 here).
  it("reads the closed-form busy time in every subtask, within 50 ms/s", () => {
    const { env, tasks } = deploy();
    env.run(40_000);
    const busy = tasks().map((t) => t.metrics.busyTimeMsPerSecond());
    for (const b of busy) expect(Math.abs(b - 500)).toBeLessThanOrEqual(50);
  });

  it("reads it in every subtask even when all start at the same whole millisecond (no phase to average over)", () => {
    const { env, tasks } = deploy(0);
    env.run(40_000);
    const busy = tasks().map((t) => t.metrics.busyTimeMsPerSecond());
    for (const b of busy) expect(Math.abs(b - 500)).toBeLessThanOrEqual(50);
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
