import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { seedScenarioWith } from "../helpers.ts";

function run(logLevel: "DEBUG" | "INFO" | undefined) {
  return runScenario(
    seedScenarioWith((d) => {
      d.simulation.duration = "20min";
      if (logLevel !== undefined) (d.simulation as Record<string, unknown>).logLevel = logLevel;
    }),
  );
}

describe("simulation.logLevel", () => {
  const debug = run(undefined);
  const info = run("INFO");

  it("INFO keeps exactly the DEBUG log's lines that are not DEBUG, in order", () => {
    const expected = debug.files["autoscaler.log"]!.split("\n").filter((l) => !l.includes(" [DEBUG][")).join("\n");
    expect(info.files["autoscaler.log"]).toBe(expected);
    // The seed's DEBUG lines are most of its log: INFO is much smaller, and has none.
    expect(info.files["autoscaler.log"]!.length).toBeLessThan(debug.files["autoscaler.log"]!.length / 2);
    expect(info.files["autoscaler.log"]).not.toContain("[DEBUG]");
  });

  it("changes nothing else: the same decisions (reasons included), restarts and events", () => {
    for (const f of ["decisions.csv", "restarts.csv", "events.csv", "timeseries.csv"]) expect(info.files[f], f).toBe(debug.files[f]);
  });

  it("defaults to DEBUG, as the seed's log is", () => {
    expect(debug.files["autoscaler.log"]).toContain("[DEBUG][");
    expect(run("DEBUG").files["autoscaler.log"]).toBe(debug.files["autoscaler.log"]);
  });
});
