import { describe, expect, it } from "vitest";
import { FluidCpu } from "../../src/flink/aggregate/FluidCpu.ts";

describe("FluidCpu (aggregate mode's CPU per slice)", () => {
  it("gives the CPU a back-pressured task cannot use to the TaskManager's other tasks", () => {
    // One TaskManager of 1 core, a 1,000 ms slice. Task A: 1 ms per record, a backlog of
    // 10,000; task B: 40 ms per record, 1,000 queued. Both all CPU.
    const cpu = new FluidCpu(Int32Array.of(0, 0), Float64Array.of(1, 1), { requestCores: 1, limitCores: 1 });
    const costMs = Float64Array.of(1, 40);
    const nominal = Float64Array.of(1000, 25);
    const capacity = Float64Array.from(nominal);
    const available = Float64Array.of(10_000, 1000);
    const noLimit = Float64Array.of(Infinity, Infinity);
    // Round 1, before any CPU limit: A processes 600 (what its output takes then), B 25. They
    // want 600 + 1,000 ms of the 1,000: the quota runs out at f = 0.5, both at speed 0.5.
    expect(cpu.constrain(1000, Float64Array.of(600, 25), available, noLimit, costMs, capacity, nominal)).toBe(true);
    expect(Array.from(cpu.speed)).toEqual([0.5, 0.5]);
    expect(capacity[1]).toBe(12.5);
    // Round 2: B at 12.5 records/slice reads less, so A's output now takes only 100 records.
    // By hand: A is runnable for those 100 ms only (then it waits for an output buffer, not
    // for the CPU); B gets the other 900 ms: speed 0.9, 900 / 40 = 22.5 records. A, needing
    // less than 0.9 of the slice, runs at full speed.
    expect(cpu.constrain(1000, Float64Array.of(100, 12.5), available, Float64Array.of(100, Infinity), costMs, capacity, nominal)).toBe(true);
    expect(cpu.speed[1]).toBeCloseTo(0.9, 12);
    expect(capacity[1]).toBeCloseTo(22.5, 12);
    expect(cpu.speed[0]).toBe(1);
    expect(capacity[0]).toBe(1000);
  });
});
