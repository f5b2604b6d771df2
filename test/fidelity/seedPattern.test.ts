import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { formatDuration } from "../../src/core/duration.ts";
import { checkSeedPattern, restartTimeLines, seedOpening } from "../../src/record/seedPattern.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";

const SEED_SCENARIO = "scenarios/backpressure.yaml";

/** The seed scenario's tracking-on variant for one hour with `seed`, and the pattern read from its files. */
function runSeed(seed: number) {
  const scenario = loadScenario(SEED_SCENARIO, { seed, variant: "tracking-on", duration: "1h" });
  const result = runScenario(scenario);
  const report = checkSeedPattern(result.files["autoscaler.log"]!, result.files["restarts.csv"]!, scenario.startEpochMs, {
    configuredText: formatDuration(120_000),
    reconcileS: scenario.reconcileIntervalMs / 1000,
    minScalings: 3,
  });
  const opening = seedOpening(result.files["autoscaler.log"]!, result.files["restarts.csv"]!, result.files["decisions.csv"]!, scenario.startEpochMs, {
    vertex: "Map -> Sink: Print to Std. Out",
    durationS: 3600,
    maxParallelism: 12,
  });
  return { scenario, result, report, opening };
}

/** The seed's five lines (seeds/000_c44d06c1fe8db5d0.txt), as the operator logged them. */
const SEED_LOG = [
  ["17:17:32,590", "PT2M"],
  ["17:19:03,787", "PT14S"],
  ["17:19:18,976", "PT14S"],
  ["17:20:50,283", "PT14S"],
  ["17:22:21,691", "PT14S"],
]
  .map(([t, d]) => `2024-05-16 ${t} o.a.f.a.ScalingExecutor [DEBUG][default/autoscaler-example] Restart time used in scaling summary computation: ${d}`)
  .join("\n");

describe("the seed's opening, read from files (seedOpening)", () => {
  // Virtual time 0 is 75 s before the seed's first line (its first full-window evaluation).
  const start = Date.parse("2024-05-16T17:17:32.590Z") - 75_000;
  const decisions = (rows: string[]) =>
    ["time_s,vertex,current_parallelism,new_parallelism,true_processing_rate,target_data_rate,catch_up_data_rate,scale_up_threshold,scale_down_threshold,restart_time_used_s,executed", ...rows].join("\n");
  const restarts = (times: number[]) => ["decision_time_s,running_time_s", ...times.map((t) => `${t},${t + 14}`)].join("\n");

  it("finds the seed's own order: scalings at its first, third and fourth lines are consecutive evaluations", () => {
    // Lines at 75, 166.197, 181.386, 272.693, 364.101 s. Scalings at 75 (PT2M), 181.386 (the
    // +15 s line) and 272.693: 106.386 s and 91.307 s apart, both in [75, 110].
    const o = seedOpening(SEED_LOG, restarts([75, 181.386, 272.693]), decisions([
      "75,Map,1,2,3.968,3.667,0,4,9,120,true",
      "181.386,Map,2,3,1.9,2.4,0,3,6,14,true",
      "272.693,Map,3,4,2.8,3.4,0,4,8,14,true",
    ]), start, { vertex: "Map", durationS: 900, maxParallelism: 12 });
    expect(o.firstEvaluationS).toBe(75);
    expect(o.firstToSecondS).toBeCloseTo(106.386, 9);
    expect(o.opening).toBe(true);
    // (4 - 3.968) / 4
    expect(o.firstMargin).toBeCloseTo(0.008, 12);
    expect(o.firstScaledUp).toBe(true);
    // At p=4 from 272.693 s to the end (900 s): 627.307 s without a scaling, below 12.
    expect(o.longestQuietS).toBeCloseTo(627.307, 9);
    expect(o.stalled).toBe(true);
  });

  it("does not count a second scaling 157 s after the first as the opening, nor a quiet stretch at max parallelism as a stall", () => {
    const o = seedOpening(SEED_LOG, restarts([75, 232, 322]), decisions([
      "75,Map,1,2,3.968,3.667,0,4,9,120,true",
      "232,Map,2,6,1,2,0,3,6,14,true",
      "322,Map,6,12,2,6,0,7,15,14,true",
    ]), start, { vertex: "Map", durationS: 3600, maxParallelism: 12 });
    expect(o.firstToSecondS).toBe(157);
    expect(o.opening).toBe(false);
    // Below 12: 0..75, 75..232 (157 s), 232..322; at 12 from 322 s on.
    expect(o.longestQuietS).toBe(157);
    expect(o.stalled).toBe(false);
  });
});

describe("the seed's job behaves as the seed's log shows (scenarios/backpressure.yaml, 1 h, tracking on)", () => {
  const runs = Array.from({ length: 10 }, (_, i) => runSeed(i + 1));

  it("shows the pattern in at least 8 of seeds 1..10: PT2M, then the tracked restart; 15 s gaps, ~90 s across a rescale; repeated scaling", () => {
    const matching = runs.filter((r) => r.report.matches);
    const failures = runs.filter((r) => !r.report.matches).map((r) => ({ seed: r.scenario.seed, checks: r.report.checks }));
    expect(matching.length, JSON.stringify(failures)).toBeGreaterThanOrEqual(8);
  });

  // The order of the gaps, as a statistic: the seed scaled at consecutive full-window
  // evaluations (its first, second-or-third and fourth lines). Held out: nothing in the
  // model was chosen to make this match, and it does not: the figure is reported in
  // docs/fidelity.md (30 seeds) and pinned here for seeds 1..10, so that a change of the
  // model that moves it shows.
  it("shows the seed's opening (scalings at consecutive full-window evaluations) in none of seeds 1..10 (0 of 30 in docs/fidelity.md): the seed's order is not reproduced", () => {
    const opening = runs.filter((r) => r.opening.opening).map((r) => r.scenario.seed);
    const delays = runs.map((r) => r.opening.firstToSecondS);
    // The seed: 91-106 s from the first scaling to the second.
    expect({ opening, delays }).toEqual({ opening: [], delays: [1290, 165, 150, 135, 150, 165, 225, 165, 165, 150] });
  });

  it.fails("would show the seed's opening in at least 8 of seeds 1..10 if the model matched the seed's order (known not to: see docs/fidelity.md)", () => {
    expect(runs.filter((r) => r.opening.opening).length).toBeGreaterThanOrEqual(8);
  });

  it("logs the largest restart of the kept scaling records in whole seconds (history.max.count 3)", () => {
    for (const { result, scenario } of runs) {
      const lines = restartTimeLines(result.files["autoscaler.log"]!);
      // Scaling records: one per executed decision (an evaluation while pods still start
      // makes a new record of the same scaling). A record's restart is closed by the first
      // RUNNING timestamp at the target parallelism after it, before the next record.
      const records = [...new Set(result.operator.decisions.filter((d) => d.executed).map((d) => d.timeMs))];
      const running = result.operator.restarts.map((r) => r.runningTimeMs).filter((t): t is number => t !== null);
      for (const line of lines.slice(1)) {
        const t = line.epochMs - scenario.startEpochMs;
        const kept = records.filter((r) => r < t).slice(-3);
        const seconds = kept.flatMap((r) => {
          const next = records.find((x) => x > r) ?? Infinity;
          const closedBy = running.find((x) => x >= r && x < next && x <= t);
          return closedBy === undefined ? [] : [Math.floor((closedBy - r) / 1000)];
        });
        expect(line.text).toBe(seconds.length === 0 ? "PT2M" : formatDuration(Math.max(...seconds) * 1000));
      }
    }
  });

  it("rescales in place, the job running on at the old parallelism until new slots arrive", () => {
    const { result } = runs[0]!;
    const rescale = result.operator.restarts[0]!;
    expect(rescale.kind).toBe("in-place");
    // pods + cancel + waiting for resources are consecutive on the way to RUNNING
    const onPath = rescale.plan.phases.reduce((a, p) => a + p.ms, 0);
    expect(rescale.runningTimeMs! - rescale.decisionTimeMs).toBe(onPath);
    expect(rescale.plan.phases[0]!.name).toBe("pods");
  });
});
