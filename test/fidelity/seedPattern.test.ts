import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { formatDuration } from "../../src/core/duration.ts";
import { checkSeedPattern, restartTimeLines } from "../../src/record/seedPattern.ts";
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
  return { scenario, result, report };
}

describe("the seed's job behaves as the seed's log shows (scenarios/backpressure.yaml, 1 h, tracking on)", () => {
  const runs = Array.from({ length: 10 }, (_, i) => runSeed(i + 1));

  it("shows the pattern in at least 8 of seeds 1..10: PT2M, then the tracked restart; 15 s gaps, ~90 s across a rescale; repeated scaling", () => {
    const matching = runs.filter((r) => r.report.matches);
    const failures = runs.filter((r) => !r.report.matches).map((r) => ({ seed: r.scenario.seed, checks: r.report.checks }));
    expect(matching.length, JSON.stringify(failures)).toBeGreaterThanOrEqual(8);
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
