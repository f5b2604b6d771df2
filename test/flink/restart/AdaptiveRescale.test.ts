import { describe, expect, it } from "vitest";
import { Environment } from "../../../src/engine/Environment.ts";
import { createRescaleGate, enforceMinimalIncrease, type RescalePolicy } from "../../../src/flink/restart/AdaptiveRescale.ts";

/** A job whose parallelism could change (`sufficient`) and whose desired slots may all be there (`desired`); records when it restarts. */
function harness(policy: RescalePolicy, startAtMs = 0) {
  const env = new Environment();
  const state = { sufficient: false, desired: false, restartedAt: [] as number[] };
  env.run(startAtMs);
  const gate = createRescaleGate(policy, {
    now: () => env.now,
    schedule: (delay, action) => {
      const h = env.schedule(delay, action);
      return () => env.cancel(h);
    },
    shouldRescale: () => state.sufficient,
    hasSufficientResources: () => state.sufficient,
    hasDesiredResources: () => state.sufficient && state.desired,
    transition: () => state.restartedAt.push(env.now),
  });
  /** At `t` ms: the resources change (or requirements do), then the gate hears of it. */
  const change = (t: number, sufficient: boolean, desired = sufficient) =>
    env.scheduleAt(t, () => {
      state.sufficient = sufficient;
      state.desired = desired;
      gate.onChange();
    });
  return { env, state, gate, change };
}

describe("Flink 1.18: Executing rescales at once", () => {
  it("restarts when the change arrives", () => {
    const h = harness({ kind: "immediate" });
    h.change(10_000, true);
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([10_000]);
  });
});

describe("Flink 1.19/1.20: scaling-interval.min cooldown (Executing#rescaleWhenCooldownPeriodIsOver)", () => {
  const policy: RescalePolicy = { kind: "cooldown", scalingIntervalMinMs: 30_000, scalingIntervalMaxMs: null };

  it("a request 10 s after the last rescale waits until 30 s: Executing's constructor already scheduled maybeRescale at lastRescale + 30 s", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([30_000]);
  });

  it("a request 31 s after it restarts at once", () => {
    const h = harness(policy);
    h.change(31_000, true);
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([31_000]);
  });

  it("a second change during the wait does not move it (rescaleScheduled)", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.change(25_000, true);
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([30_000]);
  });

  it("scaling-interval.max forces a rescale that much after a look that found no sufficient change (the look at 30 s: 30 + 60 = 90 s)", () => {
    let force = false;
    // shouldRescale(false) stays false (the increase is below min-parallelism-increase); a forced one sees the change.
    const env = new Environment();
    const restarted: number[] = [];
    const gate = createRescaleGate({ kind: "cooldown", scalingIntervalMinMs: 30_000, scalingIntervalMaxMs: 60_000 }, {
      now: () => env.now,
      schedule: (d, a) => {
        const x = env.schedule(d, a);
        return () => env.cancel(x);
      },
      shouldRescale: (f) => f && force,
      hasSufficientResources: () => false,
      hasDesiredResources: () => false,
      transition: () => restarted.push(env.now),
    });
    env.scheduleAt(40_000, () => {
      force = true;
      gate.onChange(); // 40 s > 30 s: maybeRescale now: not rescaling, so forceRescale in 60 s
    });
    env.run(200_000);
    // The constructor's look at 30 s found no rescale and scheduled forceRescale at 90 s; the
    // look at 40 s schedules another at 100 s, which the restart at 90 s cancels.
    expect(restarted).toEqual([90_000]);
  });

  it("timers die with the Executing state (close)", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.env.scheduleAt(20_000, () => h.gate.close());
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([]);
  });
});

describe("Flink 2.x: DefaultStateTransitionManager (cooldown, stabilization, rescale on checkpoints)", () => {
  const policy: RescalePolicy = { kind: "checkpoint", cooldownMs: 30_000, stabilizationTimeoutMs: 60_000, maxTriggerDelayMs: 180_000, maxCheckpointFailures: 2 };

  it("a change in the cooldown waits for its end (30 s after the last rescale, not after the change), then for a checkpoint", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.env.scheduleAt(35_000, () => h.gate.onTrigger()); // a checkpoint completes at 35 s
    h.env.run(400_000);
    expect(h.state.restartedAt).toEqual([35_000]);
  });

  it("ignores checkpoints during the cooldown", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.env.scheduleAt(20_000, () => h.gate.onTrigger());
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([]);
  });

  it("without a checkpoint, rescales rescale-trigger.max-delay after the change (10 + 180 = 190 s)", () => {
    const h = harness(policy);
    h.change(10_000, true);
    h.env.run(400_000);
    expect(h.state.restartedAt).toEqual([190_000]);
  });

  it("with sufficient but not desired resources, waits for stabilization (change + 60 s) and the next checkpoint", () => {
    const h = harness(policy);
    h.change(40_000, true, false); // Idling -> Stabilizing at 40 s
    h.env.scheduleAt(70_000, () => h.gate.onTrigger()); // not desired: no rescale
    h.env.scheduleAt(110_000, () => h.gate.onTrigger()); // Stabilized since 100 s: sufficient is enough
    h.env.run(400_000);
    expect(h.state.restartedAt).toEqual([110_000]);
  });

  it("with a cooldown of 0 and the desired resources already there, rescales at once (Executing's constructor calls onChange, then onTrigger)", () => {
    // By hand: finalizeCooldown (delay 0) -> Idling; onChange -> Stabilizing; onTrigger with
    // the desired resources -> Transitioning at 0 s, not at max-delay (180 s).
    const h = harness({ ...policy, cooldownMs: 0 } as RescalePolicy);
    h.state.sufficient = true;
    h.state.desired = true;
    h.env.run(400_000);
    expect(h.state.restartedAt).toEqual([0]);
  });

  it("with max-delay 0 (no checkpointing) rescales when the cooldown ends", () => {
    const h = harness({ ...policy, maxTriggerDelayMs: 0 } as RescalePolicy);
    h.change(10_000, true);
    h.env.run(100_000);
    expect(h.state.restartedAt).toEqual([30_000]);
  });
});

describe("EnforceMinimalIncreaseRescalingController", () => {
  it("rescales when a vertex shrinks or grows by at least min-parallelism-increase", () => {
    const now = new Map([["a", 2], ["b", 2]]);
    expect(enforceMinimalIncrease(now, new Map([["a", 3], ["b", 2]]), 2)).toBe(false);
    expect(enforceMinimalIncrease(now, new Map([["a", 4], ["b", 2]]), 2)).toBe(true);
    expect(enforceMinimalIncrease(now, new Map([["a", 2], ["b", 1]]), 2)).toBe(true);
  });
});
