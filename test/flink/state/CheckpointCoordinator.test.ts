import { describe, expect, it } from "vitest";
import { Environment } from "../../../src/engine/Environment.ts";
import { CheckpointCoordinator } from "../../../src/flink/state/CheckpointCoordinator.ts";

function coordinator(randomValue: number, durationMs: number, running: () => boolean = () => true) {
  const env = new Environment();
  const c = new CheckpointCoordinator(env, { intervalMs: 60_000, minPauseMs: 0 }, () => randomValue, () => durationMs, running, () => [
    { vertexId: "v", bytes: env.now, parallelism: 1, maxParallelism: 128 },
  ]);
  return { env, c };
}

describe("CheckpointCoordinator (periodic trigger, release-1.18.1)", () => {
  it("first triggers after the random delay in [min-pause, interval] (here 0.5 x 60,001 ms -> 30,000 ms), then every interval; each completes after its duration with the state at its trigger", () => {
    const { env, c } = coordinator(0.5, 2000);
    c.startScheduler();
    env.run(200_000);
    expect(c.completed).toEqual([32_000, 92_000, 152_000]);
    expect(c.latest!.state[0]!.bytes).toBe(150_000);
  });

  it("declines a trigger while a task is not running, and skips one while another is in progress", () => {
    let running = false;
    const slow = coordinator(0, 90_000, () => running);
    slow.c.startScheduler();
    slow.env.scheduleAt(30_000, () => (running = true));
    slow.env.run(300_000);
    // 0 s: declined (not running); 60 s: starts, completes at 150 s; 120 s: skipped; 180 s: starts, completes at 270 s
    expect(slow.c.completed).toEqual([150_000, 270_000]);
  });

  it("stops with the job: a checkpoint in progress never completes", () => {
    const { env, c } = coordinator(0, 5000);
    c.startScheduler();
    env.scheduleAt(2000, () => c.stopScheduler());
    env.run(300_000);
    expect(c.completed).toEqual([]);
  });
});
