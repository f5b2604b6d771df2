import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { operator, seedScenarioWith } from "../helpers.ts";

/**
 * The seed's job as a DataStream job at 100 rows/s (FLIP-27 datagen, rate limited) for
 * 10 minutes, its map a Java filter of 1 ms passing 5% of its records, chained to the sink
 * ("Filter -> Sink: Print to Std. Out"). Nothing scales: both vertices stay at 1.
 */
function filteredRun(execution: "record" | "aggregate") {
  return runScenario(
    seedScenarioWith((d) => {
      (d.simulation as Record<string, unknown>).execution = execution;
      d.simulation.duration = "10min";
      operator(d, "source").source = { connector: "datastream-datagen", rowsPerSecond: 100 };
      const filter = operator(d, "map");
      delete filter.python;
      filter.name = "Filter";
      filter.cost = "1ms";
      filter.selectivity = 0.05;
    }),
  ).summary;
}

describe("records delivered to sinks", () => {
  it("counts what reaches the sink operator, not the input of the chain that holds it (aggregate: exact)", () => {
    const s = filteredRun("aggregate");
    const chain = s.vertices.find((v) => v.name === "Filter -> Sink: Print to Std. Out")!;
    expect(s.autoscaling.scalings).toBe(0);
    // 100 rows/s x 600 s = 60,000 produced, all taken by the filter; 5% of them pass: 3,000.
    expect(s.records_produced).toBe(60_000);
    expect(chain.records_in).toBe(60_000);
    expect(s.records_delivered_to_sinks).toBe(3_000);
  });

  it("counts what reaches the sink operator in record mode: floor(5% of the filter's input)", () => {
    const s = filteredRun("record");
    const chain = s.vertices.find((v) => v.name === "Filter -> Sink: Print to Std. Out")!;
    expect(s.autoscaling.scalings).toBe(0);
    // The filter passes floor(0.05 n) of its first n records (its output carried as a running quotient).
    expect(s.records_delivered_to_sinks).toBe(Math.floor(0.05 * chain.records_in));
    // About 60,000 produced (a permit every 10 ms from t = 0), a few in flight at the end: 3,000 delivered, give or take one.
    expect(Math.abs(s.records_produced - 60_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(s.records_delivered_to_sinks - 3_000)).toBeLessThanOrEqual(1);
  });

  it("still counts every record a sink vertex of its own receives (the seed's job, no filter)", () => {
    const s = runScenario(
      seedScenarioWith((d) => {
        d.simulation.duration = "10min";
        operator(d, "source").source = { connector: "datastream-datagen", rowsPerSecond: 100 };
        const map = operator(d, "map");
        delete map.python;
        map.cost = "1ms";
        operator(d, "sink").chaining = false;
      }),
    ).summary;
    const sink = s.vertices.find((v) => v.name === "Sink: Print to Std. Out")!;
    expect(s.records_delivered_to_sinks).toBe(sink.records_in);
    expect(Math.abs(s.records_delivered_to_sinks - 60_000)).toBeLessThanOrEqual(20);
  });
});
