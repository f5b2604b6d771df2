import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { LoadProfile } from "../../src/flink/sources/LoadProfile.ts";
import { LegacyDatagenReader } from "../../src/flink/sources/SourceReader.ts";
import { clusterOptionsOf } from "../../src/scenario/clusterOptions.ts";
import { seedScenarioWith } from "../helpers.ts";


/** Polls until the reader asks to wait; returns the records taken and the wait. */
function drain(reader: LegacyDatagenReader, nowMs: number): { records: number; wait: number } {
  let records = 0;
  for (;;) {
    const wait = reader.poll(nowMs);
    if (wait > 0) return { records, wait };
    records++;
  }
}

const constantLoad = (rate: number) => new LoadProfile({ profile: "constant", rate }, undefined, new RandomStreams(1).stream("load"));

describe("legacy DataGeneratorSource (Table/SQL datagen in Flink 1.18)", () => {
  it("emits ceil(rows-per-second / p) rows back to back, then sleeps until nextReadTime += 1000", () => {
    // 10 rows/s over 3 subtasks: ceil(10 / 3) = 4 rows a second per subtask
    const reader = new LegacyDatagenReader(constantLoad(10), 3, 0);
    expect(drain(reader, 0)).toEqual({ records: 4, wait: 1000 });
    expect(drain(reader, 1000)).toEqual({ records: 4, wait: 1000 });
    // woken 250 ms after its read time: waits only what is left to the next one
    expect(drain(reader, 2250)).toEqual({ records: 4, wait: 750 });
  });

  it("catches up with back-to-back bursts when back-pressure made it late", () => {
    const reader = new LegacyDatagenReader(constantLoad(10), 1, 0);
    expect(drain(reader, 0)).toEqual({ records: 10, wait: 1000 });
    // blocked until 3500: the bursts due at 1000, 2000 and 3000 go at once, then it waits for 4000
    expect(drain(reader, 3500)).toEqual({ records: 30, wait: 500 });
  });

  it("reports busy time NaN, no operator input, hard back-pressure while blocked and no idle time", () => {
    // The seed job: the Python map at 2 s a record keeps the source blocked on its buffers.
    const scenario = seedScenarioWith((d) => {
      d.simulation.duration = "20m";
    });
    const env = new Environment();
    const cluster = new FlinkCluster(env, new RandomStreams(1), clusterOptionsOf(scenario));
    cluster.start();
    env.run(1_200_000);
    const source = cluster.graph.vertices.find((v) => v.isSource)!;
    const task = cluster.subtasks.get(source.id)![0]!;
    const m = task.metrics;
    expect(m.busyTimeMsPerSecond()).toBeNaN();
    expect(m.accumulatedBusyTime(env.now)).toBeNaN();
    expect(m.operators[0]!.numRecordsIn.count).toBe(0);
    expect(m.operators[0]!.numRecordsOut.count).toBeGreaterThan(0);
    expect(m.idleTime.getAccumulatedCount()).toBe(0);
    expect(m.softBackPressuredTime.getAccumulatedCount()).toBe(0);
    expect(m.hardBackPressuredTime.getAccumulatedCount()).toBeGreaterThan(0);
    // the sleep between bursts counts as neither idle nor back-pressured
    const exact = task.timeInStates();
    expect(exact.idle).toBeGreaterThan(0);
  });
});

describe("the Table/SQL datagen's rate in a scenario", () => {
  it("is one constant: a varying load is refused with a pointer to the connectors that have one", async () => {
    const { ScenarioError } = await import("../../src/scenario/ScenarioError.ts");
    const attempt = () =>
      seedScenarioWith((d) => {
        (d.simulation.job.operators[0] as Record<string, unknown>).source = { connector: "datagen", load: { profile: "sine", min: 1, max: 10, period: "1h" } };
      });
    expect(attempt).toThrow(ScenarioError);
    expect(attempt).toThrow(/constant rows-per-second; for a varying load use connector datastream-datagen or kafka/);
  });
});
