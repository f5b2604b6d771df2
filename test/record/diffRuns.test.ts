import { describe, expect, it } from "vitest";
import { diffRuns, formatDifferences } from "../../src/record/diffRuns.ts";
import type { Summary } from "../../src/record/summary.ts";

const summary = (scalings: number, slotHours: number) =>
  ({ autoscaling: { scalings, restarts: scalings }, slot_hours: slotHours, vertices: [{ name: "Map", parallelism: 2 }] }) as unknown as Summary;
const decisions = "time_s,vertex,current_parallelism,new_parallelism,executed,reason\n75,Map,1,2,true,scaled up\n";
const restarts = (actual: string) => `decision_time_s,actual_s,restart_time_used_s,kind\n75,${actual},120,in-place\n`;

describe("diffRuns", () => {
  it("lists changed figures with their relative change, and changed restarts", () => {
    const a = { summary: summary(1, 10), decisions, restarts: restarts("10.5") };
    const b = { summary: summary(1, 12), decisions, restarts: restarts("11") };
    const diffs = diffRuns(a, b, 0);
    // slot-hours 10 -> 12: |12 - 10| / 12
    expect(diffs.find((d) => d.what === "slot-hours")!.relative).toBeCloseTo(2 / 12, 12);
    expect(diffs.find((d) => d.what === "restart 1")).toEqual({ what: "restart 1", a: "75s in-place: 10.5 s to RUNNING, 120 s used", b: "75s in-place: 11 s to RUNNING, 120 s used", relative: 1 });
    // Within a 20% tolerance only the restart remains (any other change counts in full).
    expect(diffRuns(a, b, 0.2).map((d) => d.what)).toEqual(["restart 1"]);
    // Without restarts.csv on one side, restarts are not compared.
    expect(diffRuns({ ...a, restarts: undefined }, b, 0.2)).toEqual([]);
  });

  it("formats the differences as an aligned table", () => {
    const table = formatDifferences(
      [
        { what: "slot-hours", a: "10", b: "12", relative: 2 / 12 },
        { what: "restart 1", a: "x", b: "yy", relative: 1 },
      ],
      "baseline",
      "this run",
    );
    expect(table.split("\n")).toEqual(["            baseline  this run  change", "slot-hours  10        12        16.7%", "restart 1   x         yy"]);
  });
});
