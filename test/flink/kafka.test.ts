import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseDuration } from "../../src/core/duration.ts";
import { splitOwner } from "../../src/flink/sources/KafkaTopic.ts";
import { profileRate } from "../../src/flink/sources/LoadProfile.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";

describe("Kafka-like source", () => {
  it("assigns partitions as KafkaSourceEnumerator does: a start index from the topic's hash, then round robin", () => {
    // Java 17: "orders".hashCode() = -1008770331, ((hash * 31) & 0x7fffffff) = 940374459, so the start index at 4 readers is 3.
    expect(Math.imul(-1008770331, 31) & 0x7fffffff).toBe(940374459);
    expect(splitOwner("orders", 0, 4)).toBe(940374459 % 4);
    expect([0, 1, 2, 3, 4, 5].map((p) => splitOwner("orders", p, 4))).toEqual([3, 0, 1, 2, 3, 0]);
  });

  it("keeps produced - consumed = backlog at every sample, and the summed pendingRecords equal it", () => {
    let checks = 0;
    runScenario(loadScenario("scenarios/kafka-backlog.yaml", { duration: "30min" }), {
      onSample: (cluster) => {
        const topic = [...cluster.topics.values()][0]!;
        let backlog = 0;
        for (let p = 0; p < topic.partitions; p++) backlog += topic.produced[p]! - topic.consumed[p]!;
        expect(topic.totalProduced() - topic.totalConsumed()).toBeCloseTo(backlog, 6);
        // Every partition is read by exactly one running reader, whose pendingRecords sum the whole records waiting.
        let pending = 0;
        for (const tasks of cluster.subtasks.values()) {
          for (const t of tasks) pending += t.metrics.values(0).get("Source__orders.pendingRecords") ?? 0;
        }
        // Once RUNNING again after a rescale, the tasks deploy and restore before they run (effective
        // status CREATED): no reader exists yet, so nothing reports pendingRecords.
        if (cluster.allTasksRunning()) expect(pending).toBe(topic.totalBacklog());
        else expect(cluster.subtasks.size).toBe(0);
        checks++;
      },
    });
    expect(checks).toBe(180);
  });

  it("aligns the source's parallelism with 12 partitions end to end (EVENLY_SPREAD: a divisor of 12)", () => {
    const result = runScenario(loadScenario("scenarios/kafka-backlog.yaml"));
    const source = result.timeseries.rows.filter((r) => r.vertex.startsWith("Source"));
    const seen = new Set(source.map((r) => r.parallelism));
    expect(seen.size).toBeGreaterThan(1); // it did scale
    for (const p of seen) expect(12 % p).toBe(0);
    // The autoscaler learned the partition count from the currentOffset metric names.
    const decision = result.operator.decisions.find((d) => d.executed && d.newParallelism !== d.currentParallelism)!;
    expect(12 % decision.newParallelism).toBe(0);
    // The backlog is caught up by the end.
    expect(source.at(-1)!.pendingRecords!).toBeLessThan(200);
  });

  it("grows the backlog by the produce rate times the restart's length while the job restarts", () => {
    const scenario = loadScenario("scenarios/kafka-backlog.yaml", { duration: "20min" });
    const snapshots: { produced: number; consumed: number; at: number }[] = [];
    const result = runScenario(scenario, {
      onSample: () => {},
    });
    // Replay with hooks on the cluster's restart calls.
    const replay = runScenario(scenario, {
      onSample: (cluster) => {
        if (snapshots.length === 0) {
          const topic = [...cluster.topics.values()][0]!;
          const cancel = cluster.cancelTasks.bind(cluster);
          const redeploy = cluster.redeployJob.bind(cluster);
          cluster.cancelTasks = (status) => {
            cancel(status);
            snapshots.push({ produced: topic.totalProduced(), consumed: topic.totalConsumed(), at: cluster.epochMs() });
          };
          cluster.redeployJob = (o, taskStartMs) => {
            snapshots.push({ produced: topic.totalProduced(), consumed: topic.totalConsumed(), at: cluster.epochMs() });
            redeploy(o, taskStartMs);
          };
          snapshots.push({ produced: 0, consumed: 0, at: -1 }); // hooks installed
        }
      },
    });
    expect(replay.files).toEqual(result.files); // the hooks change nothing
    const [, start, end] = snapshots;
    expect(start && end).toBeTruthy();
    expect(end!.consumed).toBe(start!.consumed); // nothing read while restarting
    const seconds = (end!.at - start!.at) / 1000;
    // An in-place rescale: from the cancel to the new RUNNING timestamp is the cancel phase plus the wait for the
    // desired slots (the new TaskManager's pod), as restarts.csv records them.
    const phase = (name: string) => replay.operator.restarts[0]!.plan.phases.find((p) => p.name === name)!.ms;
    expect(end!.at - start!.at).toBe(phase("cancel") + phase("resources"));
    expect(seconds).toBeGreaterThan(5);
    // Producers keep writing at 80 records/s, in ticks of 100 ms (8 records): one tick more or less at either end.
    expect(end!.produced - start!.produced).toBeGreaterThanOrEqual(80 * (seconds - 0.1) - 1e-6);
    expect(end!.produced - start!.produced).toBeLessThanOrEqual(80 * (seconds + 0.1) + 1e-6);
  });
});

describe("load profiles", () => {
  it("give the rates they describe", () => {
    expect(profileRate({ profile: "constant", rate: 5 }, 1e9)).toBe(5);
    const steps = { profile: "steps" as const, steps: [{ atMs: 0, rate: 10 }, { atMs: 60_000, rate: 50 }] };
    expect([profileRate(steps, 59_999), profileRate(steps, 60_000)]).toEqual([10, 50]);
    const ramp = { profile: "ramp" as const, from: 100, to: 200, startMs: 10_000, overMs: 100_000 };
    expect([profileRate(ramp, 0), profileRate(ramp, 60_000), profileRate(ramp, 200_000)]).toEqual([100, 150, 200]);
    const sine = { profile: "sine" as const, min: 20, max: 180, periodMs: 3_600_000 };
    expect(profileRate(sine, 0)).toBeCloseTo(20, 9);
    expect(profileRate(sine, 1_800_000)).toBeCloseTo(180, 9);
    expect(profileRate(sine, 900_000)).toBeCloseTo(100, 9);
    const trace = { profile: "trace" as const, points: [{ atMs: 0, rate: 0 }, { atMs: 10_000, rate: 100 }], interpolation: "linear" as const };
    expect(profileRate(trace, 2_500)).toBe(25);
    expect(profileRate({ ...trace, interpolation: "step" }, 9_999)).toBe(0);
  });

  it("drive the sine scenario up and down, every scale down held back by scale-down.interval", () => {
    const scenario = loadScenario("scenarios/sine-load.yaml");
    const result = runScenario(scenario);
    const interval = parseDuration(scenario.flinkConfiguration["job.autoscaler.scale-down.interval"]!);
    const restarts = result.operator.restarts;
    const map = (r: (typeof restarts)[number]) => Math.max(...r.parallelism.values());
    const ups = restarts.filter((r, i) => map(r) > (i === 0 ? 1 : map(restarts[i - 1]!)));
    const downs = restarts.filter((r, i) => i > 0 && map(r) < map(restarts[i - 1]!));
    expect(ups.length).toBeGreaterThanOrEqual(2);
    expect(downs.length).toBeGreaterThanOrEqual(2);
    // Scale ups come while the load rises (first half of each period), scale downs while it falls.
    const phase = (ms: number) => (ms % 3_600_000) / 3_600_000;
    for (const r of ups) expect(phase(r.decisionTimeMs)).toBeLessThan(0.5);
    for (const r of downs) expect(phase(r.decisionTimeMs) >= 0.5 || phase(r.decisionTimeMs) < 0.1).toBe(true);
    // Each scale down was first held back ("delayed by PT10M") at least the interval before it ran.
    const delayed = result.operator.log.lines
      .filter((l) => l.text.includes("is delayed by PT10M"))
      .map((l) => l.timeMs - scenario.startEpochMs);
    for (const r of downs) expect(delayed.some((t) => t <= r.decisionTimeMs - interval)).toBe(true);
  });
});

describe("trace load profiles", () => {
  it("read time_s,rate from a CSV next to the scenario, and reject one whose times do not increase", async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "trace-"));
    const seed = readFileSync("scenarios/backpressure.yaml", "utf8").replace(
      "source: { connector: datagen, rowsPerSecond: 10 }",
      "source: { connector: datastream-datagen, load: { profile: trace, file: load.csv, interpolation: step } }",
    );
    writeFileSync(join(dir, "s.yaml"), seed);
    writeFileSync(join(dir, "load.csv"), "time_s,rate\n0,5\n60,20\n");
    const s = loadScenario(join(dir, "s.yaml"));
    expect(s.job.operators[0]!.source!.load).toEqual({ profile: "trace", points: [{ atMs: 0, rate: 5 }, { atMs: 60_000, rate: 20 }], interpolation: "step" });
    writeFileSync(join(dir, "load.csv"), "time_s,rate\n0,5\n0,20\n");
    expect(() => loadScenario(join(dir, "s.yaml"))).toThrow(/simulation\.job\.operators\[0\]\.source\.load\.file: trace 'load\.csv' row 3: time_s must increase/);
  });
});

describe("lag in the timeseries while the job restarts", () => {
  it("is the topic's backlog when no reader reports pendingRecords, and grows by what is produced meanwhile", () => {
    const scenario = loadScenario("scenarios/kafka-backlog.yaml", { duration: "20min" });
    const down: { timeS: number; backlog: number; produced: number; consumed: number }[] = [];
    const result = runScenario(scenario, {
      onSample: (cluster, now) => {
        if (cluster.allTasksRunning()) return;
        const topic = [...cluster.topics.values()][0]!;
        down.push({ timeS: now / 1000, backlog: topic.totalBacklog(), produced: topic.totalProduced(), consumed: topic.totalConsumed() });
      },
    });
    expect(down.length).toBeGreaterThan(0);
    const source = result.timeseries.rows.filter((r) => r.vertex.startsWith("Source"));
    for (const d of down) expect(source.find((x) => x.timeS === d.timeS)!.pendingRecords).toBe(d.backlog);
    // Between two samples with nothing read, the backlog grows by what was produced (each partition's whole records: within 1 per partition).
    const partitions = [...result.cluster.topics.values()][0]!.partitions;
    let pairs = 0;
    for (let i = 1; i < down.length; i++) {
      const [a, b] = [down[i - 1]!, down[i]!];
      if (b.consumed !== a.consumed) continue;
      pairs++;
      expect(b.produced).toBeGreaterThan(a.produced);
      expect(Math.abs(b.backlog - a.backlog - (b.produced - a.produced))).toBeLessThanOrEqual(partitions);
    }
    expect(pairs).toBeGreaterThan(0);
  });
});
