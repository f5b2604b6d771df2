import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

/**
 * The seed job with keyed state on its map: 1 MiB for each of 1,024 keys (1 GiB, no growth),
 * a keyBy into it, checkpoints every 10 s (1 s each), 100 MiB/s per TaskManager, one slot each.
 */
function run(duration: string, version = "v1_18", extra: Record<string, string> = {}, upgradeMode = "stateless") {
  return runScenario(
    seedScenarioWith((d) => {
      (d.spec as Record<string, unknown>).flinkVersion = version;
      (d.spec.job as Record<string, unknown>).upgradeMode = upgradeMode;
      Object.assign(d.spec.flinkConfiguration, { "execution.checkpointing.interval": "10s" }, extra);
      d.simulation.duration = duration;
      (d.simulation as Record<string, unknown>).restart = {
        inPlace: { podStart: "12s", cancel: "1s", deploy: "1500ms", restore: "500ms" },
        redeploy: { shutdown: "5s", jobManagerStart: "20s", podStart: "6s", restore: "500ms", deploy: "1500ms" },
      };
      (d.simulation as Record<string, unknown>).state = { downloadBandwidth: "100mb", checkpointDuration: "1s" };
      const map = d.simulation.job.operators.find((o) => o.id === "map")!;
      map.state = { bytesPerKey: "1mb", keys: 1024 };
      d.simulation.job.edges[0]!.shipStrategy = "HASH";
      d.simulation.job.edges[0]!.keys = { count: 1024 };
    }),
  );
}

describe("restore time from keyed state", () => {
  it("in place 1 -> 2 (heap backend: full restore): each TaskManager reads half of 1 GiB, 512 MiB / 100 MiB/s = 5,120 ms", () => {
    const r = run("3m");
    const first = r.operator.restarts[0]!;
    expect(first.kind).toBe("in-place");
    expect([...first.parallelism.values()]).toContain(2);
    expect(first.plan.phases.find((p) => p.name === "restore")).toEqual({ name: "restore", ms: 5120 });
    // Tasks run after deploy (1.5 s) and restore; the RUNNING timestamp (what tracking measures) comes before both.
    expect(first.tasksRunningTimeMs! - first.runningTimeMs!).toBe(1500 + 5120);
  });

  it("RocksDB incremental 1 -> 2: each new subtask downloads the one old handle whole: 1 GiB / 100 MiB/s = 10,240 ms", () => {
    const r = run("3m", "v1_18", { "state.backend.type": "rocksdb", "state.backend.incremental": "true" });
    expect(r.operator.restarts[0]!.plan.phases.find((p) => p.name === "restore")).toEqual({ name: "restore", ms: 10_240 });
  });

  it("a redeploy restores nothing when stateless, the whole state split over the new subtasks with a savepoint", () => {
    const stateless = run("3m", "v1_17");
    expect(stateless.operator.restarts[0]!.kind).toBe("redeploy");
    expect(stateless.operator.restarts[0]!.plan.phases.find((p) => p.name === "restore")).toEqual({ name: "restore", ms: 0 });
    const savepoint = run("3m", "v1_17", {}, "savepoint");
    expect(savepoint.operator.restarts[0]!.plan.phases.find((p) => p.name === "restore")).toEqual({ name: "restore", ms: 5120 });
  });
});
