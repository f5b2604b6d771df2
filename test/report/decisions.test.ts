import { describe, expect, it } from "vitest";
import { decisionMarkers, KEPT_GROUP_SPANS, MAX_KEPT_MARKERS } from "../../src/report/decisionMarkers.ts";
import { decisionReason, eventsFor } from "../../src/report/decisionReasons.ts";
import type { DecisionRow, EventRow } from "../../src/report/runFiles.ts";
import { evaluationRows } from "../../src/report/runReport.ts";

const MAP = "Map -> Sink";

function row(over: Partial<DecisionRow>): DecisionRow {
  return {
    timeS: 75,
    vertex: MAP,
    currentParallelism: 1,
    newParallelism: 1,
    trueProcessingRate: 5,
    targetDataRate: 3,
    catchUpDataRate: 0,
    scaleUpThreshold: 4,
    scaleDownThreshold: 9,
    restartTimeUsedS: 120,
    executed: false,
    // Runs written before decisions.csv had a reason column: the report works the reason out.
    reason: "",
    ...over,
  };
}

describe("decisionReason", () => {
  it("an executed scale-up: the true processing rate below the scale-up threshold", () => {
    const r = decisionReason(row({ newParallelism: 2, trueProcessingRate: 3.968, executed: true }), []);
    expect(r.kind).toBe("scaled up");
    expect(r.text).toBe("scaled up 1 → 2: true processing rate 3.968 below the scale-up threshold 4");
  });

  it("an executed scale-down: above the scale-down threshold", () => {
    const r = decisionReason(row({ currentParallelism: 4, newParallelism: 2, trueProcessingRate: 12, executed: true }), []);
    expect(r.kind).toBe("scaled down");
    expect(r.text).toMatch(/above the scale-down threshold 9$/);
  });

  it("a rate within the band keeps the parallelism", () => {
    expect(decisionReason(row({ trueProcessingRate: 5 }), []).kind).toBe("within thresholds");
  });

  it("Infinity (no busy time) is its own reason", () => {
    const r = decisionReason(row({ trueProcessingRate: Infinity }), []);
    expect(r.kind).toBe("no busy time");
    expect(r.text).toMatch(/true processing rate Infinity/);
  });

  it("below the threshold at max parallelism", () => {
    expect(decisionReason(row({ currentParallelism: 12, newParallelism: 12, trueProcessingRate: 1 }), [], 12).kind).toBe("at max parallelism");
    expect(decisionReason(row({ currentParallelism: 11, newParallelism: 11, trueProcessingRate: 1 }), [], 12).kind).toBe("kept outside thresholds");
  });

  it("a recommendation that was not executed, with the events of the same instant for that vertex", () => {
    const events: EventRow[] = [
      { timeS: 75, type: "Normal", reason: "ScalingReport", message: "Scaling execution disabled", vertices: [MAP] },
      { timeS: 75, type: "Normal", reason: "Other", message: "another vertex", vertices: ["Source"] },
      { timeS: 90, type: "Normal", reason: "Later", message: "later", vertices: [MAP] },
    ];
    const d = row({ newParallelism: 2, trueProcessingRate: 3 });
    expect(eventsFor(d, events).map((e) => e.reason)).toEqual(["ScalingReport"]);
    const r = decisionReason(d, eventsFor(d, events));
    expect(r.kind).toBe("not executed");
    expect(r.text).toMatch(/recommended 1 → 2, not executed .*; events: ScalingReport$/);
  });
});

describe("decisionMarkers", () => {
  it("draws one marker per row of decisions.csv while there are few", () => {
    const rows = [row({ timeS: 75, newParallelism: 2, trueProcessingRate: 3, executed: true }), row({ timeS: 90, currentParallelism: 2, newParallelism: 2 }), row({ timeS: 105, vertex: "Source", trueProcessingRate: Infinity })];
    const { markers, grouped } = decisionMarkers(rows, [], new Map(), 3600);
    expect(grouped).toBe(false);
    expect(markers).toHaveLength(3);
    const executed = markers.filter((m) => m.executed);
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatchObject({ timeS: 75, parallelism: 2, outcome: "scaled up", count: 1 });
    expect(markers.every((m) => m.count === 1)).toBe(true);
  });

  it("groups like decisions that kept the parallelism when there are too many, and every row is still counted once", () => {
    const durationS = 86_400;
    const rows: DecisionRow[] = [];
    // A day of 15 s evaluations of one vertex at parallelism 2, within its thresholds, and two executed scalings.
    for (let t = 75; t < durationS; t += 15) rows.push(row({ timeS: t, currentParallelism: 2, newParallelism: 2 }));
    rows.splice(100, 0, row({ timeS: 1590, currentParallelism: 2, newParallelism: 3, trueProcessingRate: 1, executed: true }));
    rows.push(row({ timeS: durationS - 5, currentParallelism: 3, newParallelism: 1, trueProcessingRate: 20, executed: true }));
    expect(rows.length - 2).toBeGreaterThan(MAX_KEPT_MARKERS);
    const { markers, grouped } = decisionMarkers(rows, [], new Map(), durationS);
    expect(grouped).toBe(true);
    expect(markers.reduce((n, m) => n + m.count, 0)).toBe(rows.length);
    expect(markers.filter((m) => m.executed).map((m) => m.timeS)).toEqual([1590, durationS - 5]);
    // One group per span of the run (all rows alike), each saying how many it stands for.
    const kept = markers.filter((m) => !m.executed);
    expect(kept).toHaveLength(KEPT_GROUP_SPANS);
    expect(kept[1]!.text).toMatch(/^\d+ evaluations from t = [\d,.]+ s to t = [\d,.]+ s · Map -> Sink: kept at 2 \(within thresholds\)$/);
  });
});

describe("evaluationRows", () => {
  it("shows every row up to the limit, beyond it every change and an even spread of the others", () => {
    const rows = Array.from({ length: 100 }, (_, i) => row({ timeS: i * 15 }));
    rows[37] = row({ timeS: 37 * 15, newParallelism: 2, executed: true });
    rows[38] = row({ timeS: 38 * 15, newParallelism: 3 }); // recommended, not executed
    expect(evaluationRows(rows, 100).rows).toHaveLength(100);
    const { rows: shown, step } = evaluationRows(rows, 12);
    expect(step).toBe(10); // 98 others over 10 free rows
    expect(shown).toContain(rows[37]);
    expect(shown).toContain(rows[38]);
    expect(shown.length).toBeLessThanOrEqual(12);
    expect(shown.map((r) => r.timeS)).toEqual([...shown.map((r) => r.timeS)].sort((a, b) => a - b));
  });
});

describe("decisionReason with the run's reason column", () => {
  it("says the autoscaler's reason, with the figures, and keeps the kind the figures give", () => {
    const r = decisionReason(row({ trueProcessingRate: 20, reason: "scale-down delayed by scale-down.interval until 3675 s" }), []);
    expect(r.text).toBe("1 → 1: scale-down delayed by scale-down.interval until 3675 s (true processing rate 20, thresholds [4, 9])");
    expect(r.kind).toBe("kept outside thresholds");
  });
});
