import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { explainRestartTimes, type TrackingSnapshot } from "../../src/record/restartTimeExplanations.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenarioVariants } from "../../src/scenario/parseScenario.ts";

const snapshot = (over: Partial<TrackingSnapshot>): TrackingSnapshot => ({ atMs: 0, usedMs: 120_000, trackingEnabled: true, restartTimeMs: 120_000, limitMs: 600_000, records: [], ...over });
const none = { opened: [], recorded: new Map<number, number>() };

describe("why the restart time used differs from the actual restart (hand-made tracking states)", () => {
  it("explains nothing within 2x either way", () => {
    const r = [{ decisionTimeMs: 0, runningTimeMs: 100_000, actualMs: 100_000, basis: snapshot({ usedMs: 60_000 }) }];
    expect(explainRestartTimes(r, null, none)).toEqual([]);
  });

  it("names each of upstream's rules: tracking off, no record yet, the limit, whole seconds, the longest record", () => {
    const restarts = [
      { decisionTimeMs: 0, runningTimeMs: 10_000, actualMs: 10_000, basis: snapshot({ trackingEnabled: false }) },
      { decisionTimeMs: 1_000_000, runningTimeMs: 1_010_000, actualMs: 10_000, basis: snapshot({ atMs: 1_000_000 }) },
      // 700 s recorded, the limit 600 s: 600 used against a 200 s restart... and a 1.5 s restart against 0 s used.
      { decisionTimeMs: 2_000_000, runningTimeMs: 2_200_000, actualMs: 200_000, basis: snapshot({ atMs: 2_000_000, usedMs: 600_000, records: [{ startMs: 5, durationMs: 700_000 }] }) },
      { decisionTimeMs: 3_000_000, runningTimeMs: 3_001_500, actualMs: 1_500, basis: snapshot({ atMs: 3_000_000, usedMs: 0, records: [{ startMs: 6, durationMs: 900 }] }) },
      { decisionTimeMs: 4_000_000, runningTimeMs: 4_001_000, actualMs: 1_000, basis: snapshot({ atMs: 4_000_000, usedMs: 55_000, records: [{ startMs: 7, durationMs: 55_900 }, { startMs: 8, durationMs: 1_200 }] }) },
      { decisionTimeMs: 5_000_000, runningTimeMs: 5_090_000, actualMs: 90_000, basis: snapshot({ atMs: 5_000_000, usedMs: 7_000, records: [{ startMs: 9, durationMs: 7_400 }] }) },
    ];
    const causes = explainRestartTimes(restarts, null, none).map((e) => [e.scaling, e.cause, e.used_s, e.actual_s]);
    expect(causes).toEqual([
      [1, "tracking-disabled", 120, 10],
      [2, "no-record-yet", 120, 10],
      [3, "over-limit", 600, 200],
      [4, "whole-seconds", 0, 1.5],
      [5, "longest-recorded", 55, 1],
      [6, "longer-than-recorded", 7, 90],
    ]);
  });

  it("tells a restart never recorded (a newer record opened while it ran) from one recorded and then dropped", () => {
    const restarts = [
      // Decided at 100 s, RUNNING at 271 s; the autoscaler scaled again at 115 s and 270 s: only the latest record (270 s) was filled, with 1 s.
      { decisionTimeMs: 100_000, runningTimeMs: 271_000, actualMs: 171_000, basis: snapshot({ atMs: 100_000, usedMs: 1_000, records: [{ startMs: 50_000, durationMs: 1_000 }] }) },
      { decisionTimeMs: 1_000_000, runningTimeMs: 1_100_000, actualMs: 100_000, basis: snapshot({ atMs: 1_000_000, usedMs: 1_000, records: [{ startMs: 270_000, durationMs: 1_000 }] }) },
    ];
    const history = { opened: [50_000, 100_000, 115_000, 270_000], recorded: new Map([[50_000, 1_000], [270_000, 1_000]]) };
    const last = snapshot({ atMs: 1_200_000, usedMs: 1_000, records: [{ startMs: 270_000, durationMs: 1_000 }] });
    const out = explainRestartTimes(restarts, last, history);
    expect(out.map((e) => [e.scaling, e.cause])).toEqual([
      [1, "longer-than-recorded"],
      [2, "never-recorded"],
      // The last evaluation used 1 s against the 100 s restart: the 171 s one is still missing.
      [null, "never-recorded"],
    ]);
    expect(out[1]!.text).toMatch(/171 s restart of scaling 1 .* never recorded: the autoscaler executed another scaling at t = 115 s/);
    expect(out[1]!.text).toContain("recordRestartDurationIfTrackedAndParallelismMatches fills only the latest record");
    // Recorded, then dropped by removeOldRecords.
    const dropped = explainRestartTimes(restarts.slice(0, 2), null, { opened: [100_000], recorded: new Map([[100_000, 171_000]]) });
    expect(dropped.find((e) => e.scaling === 2)!.cause).toBe("trimmed");
  });
});

describe("restart-time explanations on the catalogue's scenarios", () => {
  it("restart-over-limit: tracking on caps the 442.8 s restart at the 4 min limit; tracking off always uses restart.time (2 min)", () => {
    const [on, off] = loadScenarioVariants("scenarios/restart-over-limit.yaml");
    const a = runScenario(on!, { output: { kind: "none" } });
    const actual = a.operator.restarts.map((r) => (r.runningTimeMs! - r.decisionTimeMs) / 1000);
    expect(actual[0]!).toBeGreaterThan(240);
    const ex = a.summary.autoscaling.restart_time_explanations;
    const capped = ex.find((e) => e.cause === "over-limit")!;
    expect(capped.used_s).toBe(240);
    expect(capped.text).toContain("job.autoscaler.restart.time-tracking.limit");
    expect(capped.text).toContain(`${actual[0]} s`);
    const b = runScenario(off!, { output: { kind: "none" } });
    const offEx = b.summary.autoscaling.restart_time_explanations;
    // Every restart over 240 s differs from the 120 s used by more than 2x: each is explained, by tracking being off.
    const expected = b.operator.restarts.filter((r) => r.runningTimeMs !== null && r.runningTimeMs - r.decisionTimeMs > 240_000).length;
    expect(offEx.filter((e) => e.scaling !== null)).toHaveLength(expected);
    expect(new Set(offEx.map((e) => e.cause))).toEqual(new Set(["tracking-disabled"]));
  }, 120_000);

  it("restart-heavy-tail: a sub-second restart counts 0 s, one slow pod's restart is used for the scalings that follow", () => {
    const [on] = loadScenarioVariants("scenarios/restart-heavy-tail.yaml", { variant: "tracking-on" });
    const run = runScenario(on!, { output: { kind: "none" } });
    const restarts = run.operator.restarts.map((r) => ({ used: r.restartTimeUsedMs / 1000, actual: (r.runningTimeMs! - r.decisionTimeMs) / 1000 }));
    const ex = run.summary.autoscaling.restart_time_explanations;
    const byScaling = new Map(ex.filter((e) => e.scaling !== null).map((e) => [e.scaling!, e]));
    // The first restart took under a second: whole seconds make it 0, and the second scaling used 0 s.
    expect(restarts[0]!.actual).toBeLessThan(1);
    expect(restarts[1]!.used).toBe(0);
    expect(byScaling.get(2)!.cause).toBe("whole-seconds");
    // The longest restart, in whole seconds, is what later scalings used while its record was held.
    const longest = restarts.reduce((i, r, j) => (r.actual > restarts[i]!.actual ? j : i), 0);
    const next = byScaling.get(longest + 2)!;
    expect(next.used_s).toBe(Math.floor(restarts[longest]!.actual));
    expect(next.cause).toBe("longest-recorded");
  }, 120_000);

  it("pods slower than a reconcile: a restart is never recorded, and the run says why", () => {
    // restart-heavy-tail with every pod taking 171 s to start: the job keeps RUNNING at the old parallelism meanwhile and the autoscaler scales again at each reconcile.
    const text = readFileSync("scenarios/restart-heavy-tail.yaml", "utf8").replace("podStart: { distribution: lognormal, median: 11s, p95: 90s }", "podStart: { distribution: constant, value: 171s }");
    expect(text).toContain("value: 171s");
    const [on] = parseScenarioVariants("slow-pods.yaml", text, { variant: "tracking-on", duration: "3h" });
    const run = runScenario(on!);
    const log = run.files["autoscaler.log"]!;
    // Independently: which decisions got a "Recorded restart duration" line (upstream's log text).
    const recordedFrom = [...log.matchAll(/Recorded restart duration of \d+ seconds \(from (\S+) till/g)].map((m) => Date.parse(m[1]!) - on!.startEpochMs);
    // A rescale that reached RUNNING but whose restart no log line recorded: a newer scaling opened its record meanwhile
    // (new overrides are applied to the pending rescale at once, so it finishes sooner than the pods' 171 s).
    const slow = run.operator.restarts.find((r) => r.runningTimeMs !== null && r.runningTimeMs - r.decisionTimeMs > 60_000 && !recordedFrom.includes(r.decisionTimeMs))!;
    expect(slow).toBeDefined();
    const ex = run.summary.autoscaling.restart_time_explanations.filter((e) => e.cause === "never-recorded");
    expect(ex.length).toBeGreaterThan(0);
    expect(ex.some((e) => e.text.includes(`decided at t = ${slow.decisionTimeMs / 1000} s`))).toBe(true);
  }, 120_000);
});
