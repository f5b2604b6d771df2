import { describe, expect, it } from "vitest";
import { bareLoopRun, measure, seedScenarioRun } from "./cases.ts";

// A smoke run of the harness only: `npm run bench` measures; tests never time anything.
describe("benchmark harness (smoke)", () => {
  it("measures the seed scenario and the bare loop with the same number of events", () => {
    const model = measure("seed", 1, () => seedScenarioRun("5min"));
    expect(model.virtualS).toBe(300);
    expect(model.events).toBeGreaterThan(3000); // at least one event per source record (10/s)
    const bare = measure("bare", 1, () => bareLoopRun(model.events));
    expect(bare.events).toBe(model.events);
    expect(model.wallMs.min).toBeLessThanOrEqual(model.wallMs.max);
  });
});
