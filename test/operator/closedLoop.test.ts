import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/runScenario.ts";
import { formatDuration } from "../../src/core/duration.ts";
import { operator, seedScenarioWith, type SeedDoc } from "../helpers.ts";

const RESTART_LINE = /Restart time used in scaling summary computation: (\S+)$/;

/** The seed scenario, with `edit` applied, run for `duration`. */
function run(duration: string, edit: (d: SeedDoc) => void = () => {}) {
  return runScenario(seedScenarioWith((d) => {
    d.simulation.duration = duration;
    edit(d);
  }));
}

/** (virtual ms, printed duration) of every restart-time line of the scaling executor. */
function restartLines(result: ReturnType<typeof run>): { timeMs: number; text: string }[] {
  return result.operator.log.lines
    .filter((l) => RESTART_LINE.test(l.text) && l.text.includes("o.a.f.a.ScalingExecutor [DEBUG]"))
    .map((l) => ({ timeMs: l.timeMs - result.cluster.options.startEpochMs, text: RESTART_LINE.exec(l.text)![1]! }));
}

/** A configuration under which the seed's map keeps climbing: utilization target 0.5, max 0.6. */
const climbing = (d: SeedDoc) => {
  d.spec.flinkConfiguration["job.autoscaler.utilization.target"] = "0.5";
  d.spec.flinkConfiguration["job.autoscaler.utilization.max"] = "0.6";
};

describe("the closed loop on the seed scenario", () => {
  it("logs PT2M first, then the largest kept restart in whole seconds, as the seed's log shows", () => {
    const result = run("1h", climbing);
    const lines = restartLines(result);
    const restarts = result.operator.restarts;
    expect(restarts.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]!.text).toBe("PT2M");
    for (const line of lines.slice(1)) {
      // Restarts finished before this line, at most history.max.count (3) of them, the latest always kept.
      const done = restarts.filter((r) => r.runningTimeMs !== null && r.runningTimeMs <= line.timeMs).slice(-3);
      const maxSeconds = Math.max(...done.map((r) => Math.floor((r.runningTimeMs! - r.decisionTimeMs) / 1000)));
      expect(line.text).toBe(done.length === 0 ? "PT2M" : formatDuration(maxSeconds * 1000));
    }
    expect(lines.slice(1).some((l) => /^PT\d+S$/.test(l.text))).toBe(true);
    // The log is laid out like the operator's.
    expect(result.operator.log.lines[0]!.text).toMatch(/^2024-05-16 17:\d\d:\d\d,\d{3} o\.a\.f\.a\.\w+ \[(DEBUG|INFO |WARN )\]\[default\/autoscaling-example\] /);
  });

  it("uses restart.time at every decision when tracking is disabled", () => {
    const result = run("1h", (d) => {
      climbing(d);
      d.spec.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"] = "false";
    });
    const lines = restartLines(result);
    expect(result.operator.restarts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(lines.map((l) => l.text))).toEqual(new Set(["PT2M"]));
  });

  it("caps the tracked restart time at restart.time-tracking.limit", () => {
    const result = run("2h", (d) => {
      climbing(d);
      (d.simulation as Record<string, unknown>).restart = { inPlace: { stabilization: "11 min" } };
    });
    const lines = restartLines(result);
    expect(result.operator.restarts[0]!.runningTimeMs! - result.operator.restarts[0]!.decisionTimeMs).toBeGreaterThan(600_000);
    expect(lines[0]!.text).toBe("PT2M");
    expect(lines.slice(1).map((l) => l.text)).toContain("PT10M");
    expect(lines.every((l) => l.text === "PT2M" || l.text === "PT10M")).toBe(true);
  });

  it("climbs, never above pipeline.max-parallelism (12); restarts.csv and decisions.csv agree with the log and the draws", () => {
    const result = run("2h", climbing);
    const map = result.timeseries.rows.filter((r) => r.vertex.startsWith("Map"));
    expect(Math.max(...map.map((r) => r.parallelism))).toBe(12);
    expect(result.operator.decisions.every((d) => d.newParallelism <= 12)).toBe(true);
    // actual = the sum of the drawn phases; restart time used = what the log printed at that decision.
    const lines = restartLines(result);
    for (const r of result.operator.restarts) {
      const phases = r.plan.phases.reduce((a, p) => a + p.ms, 0);
      expect(r.runningTimeMs! - r.decisionTimeMs).toBe(phases);
      const line = lines.filter((l) => l.timeMs <= r.decisionTimeMs).at(-1)!;
      expect(formatDuration(r.restartTimeUsedMs)).toBe(line.text);
    }
    const csv = result.files["restarts.csv"]!.trim().split("\n");
    expect(csv[0]).toBe("decision_time_s,running_time_s,actual_s,restart_time_used_s,kind,phases");
    expect(csv).toHaveLength(result.operator.restarts.length + 1);
    // decisions.csv holds the evaluated metrics of each decision.
    const executed = result.operator.decisions.filter((d) => d.executed);
    expect(executed).toHaveLength(result.operator.restarts.length);
    expect(executed.every((d) => d.trueProcessingRate < d.scaleUpThreshold || d.trueProcessingRate > d.scaleDownThreshold)).toBe(true);
  });

  it("rescales in place on Flink 1.18 with the adaptive scheduler, and redeploys otherwise", () => {
    const inPlace = run("30min", climbing);
    expect(inPlace.operator.restarts.map((r) => r.kind)).toContain("in-place");
    expect(inPlace.operator.restarts.every((r) => r.kind === "in-place")).toBe(true);
    const redeploy = run("30min", (d) => {
      climbing(d);
      delete d.spec.flinkConfiguration["jobmanager.scheduler"];
    });
    expect(redeploy.operator.restarts.length).toBeGreaterThan(0);
    expect(redeploy.operator.restarts.every((r) => r.kind === "redeploy")).toBe(true);
    // A redeploy takes the cluster down and up: slower than an in-place rescale at the same draws' scale.
    const mean = (rs: typeof inPlace.operator.restarts) => rs.reduce((a, r) => a + r.runningTimeMs! - r.decisionTimeMs, 0) / rs.length;
    expect(mean(redeploy.operator.restarts)).toBeGreaterThan(mean(inPlace.operator.restarts));
    // While restarting nothing is processed: job_status shows it and the sink gets nothing.
    const restarting = inPlace.timeseries.rows.filter((r) => r.jobStatus !== "RUNNING");
    expect(restarting.length).toBeGreaterThan(0);
    expect(restarting.every((r) => r.recordsInPerS === 0 || r.vertex.startsWith("Source"))).toBe(true);
  });

  it("with scaling.enabled false only recommends: decisions not executed, no restart", () => {
    const result = run("30min", (d) => {
      climbing(d);
      d.spec.flinkConfiguration["job.autoscaler.scaling.enabled"] = "false";
    });
    expect(result.operator.restarts).toHaveLength(0);
    const recommended = result.operator.decisions.filter((d) => d.newParallelism !== d.currentParallelism);
    expect(recommended.length).toBeGreaterThan(0);
    expect(result.operator.decisions.every((d) => !d.executed)).toBe(true);
    expect(result.timeseries.rows.every((r) => r.parallelism === 1)).toBe(true);
    expect(result.operator.events.events.some((e) => e.message.startsWith("Scaling execution disabled by config job.autoscaler.scaling.enabled:false"))).toBe(true);
  });
});

it("keeps operator untouched when the autoscaler is disabled", () => {
  const result = runScenario(seedScenarioWith((d) => {
    d.simulation.duration = "20min";
    d.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
    operator(d, "map").cost = "2s";
  }));
  expect(result.operator.decisions).toHaveLength(0);
  expect(result.operator.restarts).toHaveLength(0);
});
