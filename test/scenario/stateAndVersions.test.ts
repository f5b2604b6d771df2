import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";

const largeState = readFileSync("scenarios/large-state.yaml", "utf8");

function edited(from: string, to: string): string {
  if (!largeState.includes(from)) throw new Error(`test setup: '${from}' is not in large-state.yaml`);
  return largeState.replace(from, to);
}

function errorOf(text: string): string {
  try {
    parseScenario("bad.yaml", text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("the scenario was accepted");
}

describe("state and versions in a scenario", () => {
  it("resolves large-state.yaml: 40 kb x 100,000 keys, 200 b per record, 24 GiB cap, incremental RocksDB restore at 150 MiB/s, checkpoints every minute", () => {
    const s = parseScenario("scenarios/large-state.yaml", largeState);
    const state = s.job.operators.find((o) => o.id === "aggregate")!.state!;
    expect(state).toEqual({ bytesPerKey: 40 * 1024, keys: 100_000, bytesPerRecord: 200, initialBytes: 0, maxBytes: 24 * 1024 ** 3 });
    expect(s.state).toMatchObject({ restoreMode: "incremental", bytesPerSecondPerTaskManager: 150 * 1024 ** 2, checkpoints: { intervalMs: 60_000, minPauseMs: 0 } });
    expect(s.restart.adaptiveScheduler).toEqual({ policy: { kind: "immediate" }, minParallelismIncrease: 1 });
  });

  it("reads each version's adaptive-scheduler keys and defaults", () => {
    const on = (v: string) => parseScenario("x.yaml", edited("flinkVersion: v1_18", `flinkVersion: ${v}`)).restart.adaptiveScheduler;
    expect(on("v1_19")!.policy).toEqual({ kind: "cooldown", scalingIntervalMinMs: 30_000, scalingIntervalMaxMs: null });
    expect(on("v1_20")!.policy).toEqual({ kind: "cooldown", scalingIntervalMinMs: 30_000, scalingIntervalMaxMs: null });
    // 2.x: max-delay = checkpoint interval (1 min) x (max-checkpoint-failures 2 + 1)
    for (const v of ["v2_0", "v2_1", "v2_2"]) {
      expect(on(v)!.policy).toEqual({ kind: "checkpoint", cooldownMs: 30_000, stabilizationTimeoutMs: 60_000, maxTriggerDelayMs: 180_000, maxCheckpointFailures: 2 });
    }
  });

  it("2.0 reads execution.checkpointing.incremental, 1.18 does not", () => {
    const text = edited('state.backend.incremental: "true"', 'execution.checkpointing.incremental: "true"');
    expect(parseScenario("x.yaml", text).state!.restoreMode).toBe("full");
    expect(parseScenario("x.yaml", text.replace("flinkVersion: v1_18", "flinkVersion: v2_0")).state!.restoreMode).toBe("incremental");
  });

  it("rejects a version the simulator does not model, naming the field and the valid values", () => {
    const message = errorOf(edited("flinkVersion: v1_18", "flinkVersion: v2_3"));
    expect(message).toBe(
      "bad.yaml: spec.flinkVersion: 'v2_3' is not a Flink version the simulator models; valid: v1_13, v1_14, v1_15, v1_16, v1_17, v1_18, v1_19, v1_20, v2_0, v2_1, v2_2",
    );
    expect(message.split("\n")).toHaveLength(1);
    expect(errorOf(edited("flinkVersion: v1_18", "flinkVersion: \"1.19\""))).toBe(
      "bad.yaml: spec.flinkVersion: '1.19' is not a Flink version the simulator models; valid: v1_13, v1_14, v1_15, v1_16, v1_17, v1_18, v1_19, v1_20, v2_0, v2_1, v2_2",
    );
  });

  it("rejects a negative or zero download bandwidth", () => {
    expect(errorOf(edited("downloadBandwidth: 150mb", "downloadBandwidth: -5"))).toBe("bad.yaml: simulation.state.downloadBandwidth: must not be negative, got -5");
    expect(errorOf(edited("downloadBandwidth: 150mb", "downloadBandwidth: 0"))).toMatch(/^bad\.yaml: simulation\.state\.downloadBandwidth: must be greater than 0/);
  });

  it("rejects keyed state without a keyBy, a negative size, a size without a unit it knows, and a state with no size", () => {
    expect(errorOf(edited("shipStrategy: HASH, keys: { count: 100000 } }", "shipStrategy: REBALANCE }"))).toBe(
      "bad.yaml: simulation.job.operators[1].state: keyed state needs a HASH input edge into 'aggregate' (a keyBy)",
    );
    expect(errorOf(edited("bytesPerRecord: 200b", "bytesPerRecord: -200"))).toBe("bad.yaml: simulation.job.operators[1].state.bytesPerRecord: must not be negative, got -200");
    expect(errorOf(edited("max: 24gb", "max: 24 parsecs"))).toMatch(/^bad\.yaml: simulation\.job\.operators\[1\]\.state\.max: /);
    expect(errorOf(edited("state: { bytesPerKey: 40kb, bytesPerRecord: 200b, max: 24gb }", "state: { max: 24gb }"))).toBe(
      "bad.yaml: simulation.job.operators[1].state: give its size: bytesPerKey (with keys), bytesPerRecord (growth) or initial",
    );
  });

  it("rejects scaling-interval.max not above .min on 1.19 (Executing's precondition)", () => {
    const text = edited("flinkVersion: v1_18", "flinkVersion: v1_19").replace(
      "jobmanager.scheduler: adaptive",
      'jobmanager.scheduler: adaptive\n    jobmanager.adaptive-scheduler.scaling-interval.max: "20s"',
    );
    expect(errorOf(text)).toBe(
      'bad.yaml: spec.flinkConfiguration["jobmanager.adaptive-scheduler.scaling-interval.max"]: must be greater than jobmanager.adaptive-scheduler.scaling-interval.min (30000 ms)',
    );
  });
});
