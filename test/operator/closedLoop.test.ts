import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
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
    // An 11 min cancel: the job is RESTARTING, so the autoscaler does not run until the job is RUNNING again at
    // the new parallelism, and the restart it measures (decision to RUNNING: pods + cancel + resources) is over
    // the 10 min limit. (An 11 min pod start would not do: see the next test.)
    const result = run("2h", (d) => {
      climbing(d);
      (d.simulation as Record<string, unknown>).restart = { inPlace: { cancel: "11 min" } };
    });
    const lines = restartLines(result);
    expect(result.operator.restarts[0]!.runningTimeMs! - result.operator.restarts[0]!.decisionTimeMs).toBeGreaterThan(660_000);
    expect(lines[0]!.text).toBe("PT2M");
    expect(lines.slice(1).map((l) => l.text)).toContain("PT10M");
    expect(lines.every((l) => l.text === "PT2M" || l.text === "PT10M")).toBe(true);
  });

  it("measures a restart from the last executed decision: the job runs on while an 11 min pod starts, and the autoscaler decides again", () => {
    const result = run("1h", (d) => {
      climbing(d);
      (d.simulation as Record<string, unknown>).restart = { inPlace: { podStart: "11 min" } };
    });
    const first = result.operator.restarts[0]!;
    // New overrides during the wait supersede the pending rescale (its record gets no RUNNING time).
    const done = result.operator.restarts.find((r) => r.runningTimeMs !== null)!;
    expect(done.runningTimeMs! - first.decisionTimeMs).toBeGreaterThan(660_000);
    // Each executed decision starts a new ScalingRecord; the restart is recorded against the latest one
    // (ScalingTracking#recordRestartDurationIfTrackedAndParallelismMatches), once the job runs at its target.
    const executed = result.operator.decisions.filter((d) => d.executed && d.timeMs < done.runningTimeMs!);
    const lastDecisionMs = Math.max(...executed.map((d) => d.timeMs));
    expect(lastDecisionMs).toBeGreaterThan(first.decisionTimeMs); // it did decide again during the wait
    const expected = formatDuration(Math.floor((done.runningTimeMs! - lastDecisionMs) / 1000) * 1000);
    const after = restartLines(result).find((l) => l.timeMs > done.runningTimeMs!)!;
    expect(after.text).toBe(expected);
    expect(after.text).not.toBe("PT10M");
  });

  it("climbs, never above pipeline.max-parallelism (12); restarts.csv and decisions.csv agree with the log and the draws", () => {
    const result = run("2h", climbing);
    const map = result.timeseries.rows.filter((r) => r.vertex.startsWith("Map"));
    expect(Math.max(...map.map((r) => r.parallelism))).toBe(12);
    expect(result.operator.decisions.every((d) => d.newParallelism <= 12)).toBe(true);
    // An in-place rescale with one job restart: the job runs on while the first new pod starts (pods), is
    // cancelled (cancel), waits for the desired slots (resources), and is RUNNING at the target parallelism: the
    // three phases follow one another, so they add up to decision -> RUNNING (what the autoscaler measures).
    // Restart time used = what the log printed at that decision.
    const lines = restartLines(result);
    const single = result.operator.restarts.filter((r) => r.restarts === 1);
    expect(single.length).toBeGreaterThan(0);
    for (const r of single) {
      expect(r.kind).toBe("in-place");
      expect(r.plan.phases.map((p) => p.name)).toEqual(["pods", "cancel", "resources"]);
      const phases = r.plan.phases.reduce((a, p) => a + p.ms, 0);
      expect(r.runningTimeMs! - r.decisionTimeMs).toBe(phases);
    }
    for (const r of result.operator.restarts) {
      const line = lines.filter((l) => l.timeMs <= r.decisionTimeMs).at(-1)!;
      expect(formatDuration(r.restartTimeUsedMs)).toBe(line.text);
    }
    const csv = result.files["restarts.csv"]!.trim().split("\n");
    expect(csv[0]).toBe("decision_time_s,running_time_s,actual_s,restart_time_used_s,kind,phases,tasks_running_time_s,processing_resumed_s");
    expect(csv).toHaveLength(result.operator.restarts.length + 1);
    // restarts.csv's phases column, e.g. `pods=9.737 cancel=0.929 resources=0`, for the rescales with one job restart.
    csv.slice(1).forEach((row, i) => {
      const r = result.operator.restarts[i]!;
      if (r.restarts !== 1) return;
      const [, , actual, , , phases] = row.split(",");
      const parsed = phases!.split(" ").map((p) => p.split("="));
      expect(parsed.map(([name]) => name)).toEqual(["pods", "cancel", "resources"]);
      expect(parsed.reduce((a, [, sec]) => a + Math.round(Number(sec) * 1000), 0)).toBe(Math.round(Number(actual) * 1000));
    });
    // decisions.csv holds the evaluated metrics of each decision.
    const executed = result.operator.decisions.filter((d) => d.executed);
    expect(executed).toHaveLength(result.operator.restarts.length);
    expect(executed.every((d) => d.trueProcessingRate < d.scaleUpThreshold || d.trueProcessingRate > d.scaleDownThreshold)).toBe(true);
  });

  it("rescales in place on Flink 1.18 with the adaptive scheduler, and redeploys otherwise", () => {
    // Sampled every 500 ms, with a constant 1 s cancel: the open interval of each cancel holds a sample.
    const inPlace = run("30min", (d) => {
      climbing(d);
      d.simulation.sampleInterval = "500ms";
      (d.simulation as Record<string, unknown>).restart = { inPlace: { cancel: "1s" } };
    });
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
    // The new JobManager schedules the job, RUNNING at once (DefaultScheduler#startSchedulingInternal);
    // pods, deployment and restore follow, and only then do the tasks process again.
    for (const r of redeploy.operator.restarts) {
      const ms = (name: string) => r.plan.phases.find((p) => p.name === name)!.ms;
      expect(r.runningTimeMs! - r.decisionTimeMs).toBe(ms("shutdown") + ms("jobManagerStart"));
      expect(r.tasksRunningTimeMs! - r.runningTimeMs!).toBe(ms("podStart") + ms("deploy") + ms("restore"));
      // Between the two the job reads RUNNING with no task running (the effective status is CREATED).
      const between = redeploy.timeseries.rows.filter((x) => x.timeS * 1000 > r.runningTimeMs! && x.timeS * 1000 < r.tasksRunningTimeMs!);
      expect(between.every((x) => x.jobStatus === "RUNNING" && Number.isNaN(x.busyMsPerS))).toBe(true);
    }
    const rows = inPlace.timeseries.rows;
    const mapRows = rows.filter((r) => r.vertex.startsWith("Map"));
    let before = 1;
    let waited = 0;
    for (const r of inPlace.operator.restarts) {
      const s = r.decisionTimeMs / 1000;
      const pods = r.plan.phases[0]!;
      expect(pods.name).toBe("pods");
      // While the new pods start, the job runs on, RUNNING at the old parallelism ...
      const waiting = mapRows.filter((x) => x.timeS > s && x.timeS < s + pods.ms / 1000);
      expect(waiting.every((x) => x.jobStatus === "RUNNING" && x.parallelism === before)).toBe(true);
      waited += waiting.length;
      // ... then restarts: RESTARTING for the 1 s cancel.
      const cancelFrom = s + pods.ms / 1000;
      expect(mapRows.some((x) => x.timeS > cancelFrom && x.timeS < cancelFrom + 1 && x.jobStatus === "RESTARTING")).toBe(true);
      before = Math.max(...r.parallelism.values());
    }
    expect(waited).toBeGreaterThan(0);
    // While restarting there are no tasks: job_status shows it and no vertex processes anything.
    const restarting = rows.filter((r) => r.jobStatus !== "RUNNING");
    expect(restarting.length).toBeGreaterThan(0);
    expect(restarting.every((r) => r.recordsInPerS === 0 && r.recordsOutPerS === 0)).toBe(true);
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

describe("events.csv", () => {
  it("names the vertices a message mentions by ID", () => {
    const result = runScenario(seedScenarioWith((d) => (d.simulation.duration = "5min")));
    const [header, ...rows] = result.files["events.csv"]!.trim().split("\n");
    expect(header).toBe("time_s,type,reason,message,vertices");
    const map = result.cluster.graph.vertices.find((v) => !v.isSource)!;
    const reports = rows.filter((r) => r.includes(",ScalingReport,"));
    expect(reports.length).toBeGreaterThan(0);
    // the scaling report mentions the map's ID; the last column names it
    for (const r of reports) {
      expect(r).toContain(map.id);
      expect(r.endsWith(`,${map.name}`)).toBe(true);
    }
  });
});
