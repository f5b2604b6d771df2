import { describe, expect, it } from "vitest";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { aggregateUnsupported } from "../../src/flink/FlinkCluster.ts";
import { costWarning, estimateCommand, estimateRun, formatBytes, formatWall, recordHandlingsPerSecond, verdict } from "../../src/run/estimate.ts";
import { operator, SEED_SCENARIO, seedScenarioWith } from "../helpers.ts";

const seed = (duration: string, variant?: string) => loadScenarioVariants(SEED_SCENARIO, { duration, ...(variant === undefined ? {} : { variant }) });

describe("estimateRun, against figures worked out by hand", () => {
  it("the seed's day: 2 vertices, 5,760 reconciles, 30 records handled a second", () => {
    const e = estimateRun(seed("24h", "tracking-on")[0]!, true);
    expect(e.vertices).toBe(2);
    expect(e.reconciles).toBe(5760); // 86,400 s / 15 s
    // datagen emits 10 rows/s; the map receives 10 (and emits 10 x selectivity 1), the sink receives 10.
    expect(e.handlingsPerS).toBe(30);
    expect(e.wall.start).toBe(0.3);
    expect(e.wall.autoscaler).toBeCloseTo(5760 * 2 * 0.0001, 9); // 1.152 s
    expect(e.wall.records).toBeCloseTo(86_400 * 30 * 5e-8, 9); // 0.1296 s
    expect(e.wall.aggregate).toBe(0);
    expect(e.wall.report).toBeCloseTo(0.6 + 0.07, 9);
    expect(e.wallS).toBeCloseTo(2.2516, 9);
    // Measured that day: 33,880,963 bytes of log, 964,241 of timeseries, 1,148,826 of decisions.
    expect(e.bytes).toEqual({ log: 5760 * (1750 + 2 * 2100), timeseries: 8640 * 2 * 56, decisions: 5760 * 2 * 100, subtasks: 0 });
    expect(e.subtasksPerSample).toBe(0);
    expect(e.totalBytes).toBe(34_272_000 + 967_680 + 1_152_000);
  });

  it("400 days of one variant: about 9 minutes and 14.6 GB, most of it the DEBUG log", () => {
    const e = estimateRun(seed("400d", "tracking-on")[0]!, true);
    expect(e.reconciles).toBe(2_304_000);
    expect(e.bytes.log).toBe(2_304_000 * 5950); // 13.71 GB
    // + 3,456,000 samples x 2 vertices x 56 bytes (0.387 GB) + 2,304,000 x 2 x 100 (0.461 GB)
    expect(e.totalBytes).toBe(13_708_800_000 + 387_072_000 + 460_800_000);
    // 0.3 + 460.8 + 51.84 + 0.6 + 28 s
    expect(e.wallS).toBeCloseTo(541.54, 6);
  });

  it("counts what a flatMap multiplies: 10 rows/s into a map emitting 10^6 records per record", () => {
    const s = seedScenarioWith((doc) => {
      operator(doc, "map").selectivity = 1_000_000;
    });
    // source emits 10; map receives 10; the sink receives 10^7.
    expect(recordHandlingsPerSecond(s.job)).toBe(10 + 10 + 10_000_000);
    const e = estimateRun(s, false);
    expect(e.wall.records).toBeCloseTo(3600 * 10_000_020 * 5e-8, 6); // one virtual hour: 30 minutes of records
    expect(verdict(estimateCommand({ scenarios: [s], seeds: 1, keepRuns: false, report: false }))).toBe("confirm");
  });

  it("aggregate execution costs per virtual second, not per record", () => {
    const s = seedScenarioWith((doc) => {
      doc.simulation.duration = "24h";
      operator(doc, "source").source = { connector: "datastream-datagen", load: { profile: "constant", rate: 100_000 } };
      operator(doc, "map").python = false;
      (doc.simulation as Record<string, unknown>).execution = "aggregate";
    });
    const e = estimateRun(s, false);
    expect(e.handlingsPerS).toBe(0);
    expect(e.wall.records).toBe(0);
    expect(e.wall.aggregate).toBeCloseTo(86_400 * 2e-5, 9);
  });
});

describe("subtasks.csv (--subtasks, simulation.subtasks: true)", () => {
  const withSubtasks = (set: Record<string, string> = {}) =>
    loadScenarioVariants(SEED_SCENARIO, { duration: "24h", variant: "tracking-on", set: { "simulation.subtasks": "true", ...set } })[0]!;

  it("counts a row per subtask per sample, at the most subtasks the autoscaler can give each vertex", () => {
    const e = estimateRun(withSubtasks(), false);
    // Both vertices can reach pipeline.max-parallelism 12 (vertex.max-parallelism's default 200 is higher): 24 subtasks.
    expect(e.subtasksPerSample).toBe(24);
    // 8,640 samples x 24 subtasks x 61 bytes = 12,648,960.
    expect(e.bytes.subtasks).toBe(12_648_960);
    expect(e.totalBytes).toBe(34_272_000 + 967_680 + 1_152_000 + 12_648_960);
  });

  it("takes the lower job.autoscaler.vertex.max-parallelism, and the parallelism as it is when the autoscaler does not scale", () => {
    expect(estimateRun(withSubtasks({ "job.autoscaler.vertex.max-parallelism": "5" }), false).bytes.subtasks).toBe(8640 * 10 * 61);
    // Recommending only: each vertex stays at parallelism 1.
    expect(estimateRun(withSubtasks({ "job.autoscaler.scaling.enabled": "false" }), false).bytes.subtasks).toBe(8640 * 2 * 61);
  });

  it("names the file in the warning and suggests leaving it out when it is a good part of the bytes", () => {
    const s = withSubtasks({ "simulation.sampleInterval": "1s", "simulation.logLevel": "INFO" });
    const p = { scenarios: [s], seeds: 1, keepRuns: false, report: false };
    const e = estimateCommand(p);
    // 86,400 samples x 24 x 61 = 126.5 MB, against an INFO log of 0.127 x 34.27 MB and 86,400 x 2 x 56 of timeseries.
    expect(e.bytes.subtasks).toBe(126_489_600);
    const text = costWarning(p, e);
    expect(text).toContain("126 MB of subtasks.csv (at most)");
    expect(text).toContain("no --subtasks (simulation.subtasks: false)");
  });
});

describe("estimateCommand", () => {
  it("runs every seed of every variant, and writes and reports on the first seed's only (or every seed's with --keep-runs)", () => {
    const scenarios = seed("24h");
    const one = estimateRun(scenarios[0]!, true);
    const run = one.wallS - one.wall.report - one.wall.start;
    const e = estimateCommand({ scenarios, seeds: 3, keepRuns: false, report: true });
    expect(e.wallS).toBeCloseTo(0.3 + 2 * (3 * run + one.wall.report), 9);
    expect(e.totalBytes).toBe(2 * one.totalBytes);
    expect(estimateCommand({ scenarios, seeds: 3, keepRuns: true, report: true }).totalBytes).toBe(6 * one.totalBytes);
  });

  it("says fine, warn (over 3 minutes or 2 GB) or confirm (over 30 minutes or 10 GB)", () => {
    const plan = (duration: string) => ({ scenarios: seed(duration, "tracking-on"), seeds: 1, keepRuns: false, report: true });
    expect(verdict(estimateCommand(plan("7d")))).toBe("fine");
    expect(verdict(estimateCommand(plan("60d")))).toBe("warn"); // 3.6 GB
    expect(verdict(estimateCommand(plan("400d")))).toBe("confirm"); // 14.6 GB
  });
});

describe("the warning", () => {
  it("gives the estimates and what would make the run cheaper", () => {
    const p = { scenarios: seed("400d"), seeds: 1, keepRuns: false, report: true };
    expect(costWarning(p, estimateCommand(p))).toBe(
      "scenarios/backpressure.yaml: this run would take about 18 min and write about 29.1 GB (400 days of virtual time x 2 variants, record execution: " +
        "27.4 GB of autoscaler.log (DEBUG), 774 MB of timeseries.csv, 922 MB of decisions.csv). Cheaper: a shorter --duration; --variant NAME (runs one of the 2 variants); " +
        "simulation.logLevel: INFO (about an eighth of the log's bytes); --no-report (about 57 s).",
    );
  });

  it("counts an INFO log as 0.127 of the DEBUG one (the seed's measured share), and then does not suggest it", () => {
    const info = seedScenarioWith((doc) => {
      doc.simulation.duration = "400d";
      (doc.simulation as Record<string, unknown>).logLevel = "INFO";
    });
    const debug = seedScenarioWith((doc) => {
      doc.simulation.duration = "400d";
    });
    const pi = { scenarios: [info], seeds: 1, keepRuns: false, report: true };
    const pd = { scenarios: [debug], seeds: 1, keepRuns: false, report: true };
    expect(estimateCommand(pi).bytes.log).toBeCloseTo(0.127 * estimateCommand(pd).bytes.log, 0);
    expect(costWarning(pi, estimateCommand(pi))).toContain("of autoscaler.log (INFO)");
    expect(costWarning(pi, estimateCommand(pi))).not.toContain("simulation.logLevel");
  });

  it("suggests the aggregate mode when records are most of the time, and a longer sample interval when the timeseries is a good part of the bytes", () => {
    const s = seedScenarioWith((doc) => {
      doc.simulation.duration = "30d";
      doc.simulation.sampleInterval = "100ms";
      operator(doc, "source").source = { connector: "datastream-datagen", load: { profile: "constant", rate: 2000 } };
      operator(doc, "map").python = false;
      (doc.simulation as Record<string, unknown>).execution = "record";
    });
    const p = { scenarios: [s], seeds: 2, keepRuns: true, report: false };
    const text = costWarning(p, estimateCommand(p));
    expect(text).toMatch(/x 2 seeds, record execution/);
    expect(text).toMatch(/fewer --replications \(2\) or no --keep-runs/);
    expect(text).toMatch(/simulation\.execution: aggregate \(record by record, 6000 records handled per second take about \d+ min\)/);
    expect(text).toMatch(/a longer simulation\.sampleInterval \(now 0\.1 s\)/);
    expect(text).not.toMatch(/--no-report/);
  });

  it("does not suggest the aggregate mode for a job it cannot run (a Python worker short of CPU: what auto checks)", () => {
    const s = seedScenarioWith((doc) => {
      doc.simulation.duration = "30d";
      operator(doc, "source").source = { connector: "datastream-datagen", load: { profile: "constant", rate: 2000 } };
      operator(doc, "map").cpuShare = 1; // CPU-bound Python on the seed's 0.5-CPU TaskManagers
      operator(doc, "map").cost = "1ms";
      (doc.simulation as Record<string, unknown>).execution = "record";
    });
    // The task thread and the Python worker want 2 cores at most, the TaskManager has 0.5.
    expect(aggregateUnsupported(s.job, { cpu: s.cpu, slotsPerTaskManager: s.cluster.slotsPerTaskManager })).toMatch(/^operator map runs in Python on a CPU that can be short/);
    const p = { scenarios: [s], seeds: 1, keepRuns: false, report: false };
    const e = estimateCommand(p);
    // Records are most of the time (6,000 handlings a second x 2,592,000 s x 0.05 us = 777.6 s of about 812), which would have suggested it.
    expect(e.runs[0]!.wall.records).toBeGreaterThan(0.3 * e.wallS);
    expect(costWarning(p, e)).not.toContain("simulation.execution: aggregate");
  });

  it("formats times and sizes", () => {
    expect([formatWall(45), formatWall(540), formatWall(9000)]).toEqual(["45 s", "9 min", "2.5 h"]);
    expect([formatBytes(850e6), formatBytes(14.44e9)]).toEqual(["850 MB", "14.4 GB"]);
  });
});
