import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DistributionSpec } from "../../src/engine/distributions.ts";
import { calibrationJson, simulationSnippet } from "../../src/ingest/calibrationReport.ts";
import { parseLogLine } from "../../src/ingest/logLine.ts";
import { calibrateOperatorLog, OperatorLogError } from "../../src/ingest/operatorLog.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/operator-logs/${name}`, import.meta.url), "utf8");

describe("log lines in the Helm chart's layout", () => {
  it("reads padded and unpadded loggers, real and lost ANSI codes, lines outside a resource", () => {
    const esc = "\x1b";
    const coloured = `${esc}[m${esc}[33m2024-01-01 10:00:00,250${esc}[m ${esc}[36mo.a.f.k.o.l.AuditUtils        ${esc}[m ${esc}[32m[INFO ][ns/a] >>> Event[Job]       | Info    | SCALING         | In-place scaling triggered`;
    expect(parseLogLine(coloured, 7)).toEqual({
      timeMs: Date.parse("2024-01-01T10:00:00.250Z"),
      logger: "o.a.f.k.o.l.AuditUtils",
      level: "INFO",
      resource: "ns/a",
      message: ">>> Event[Job]       | Info    | SCALING         | In-place scaling triggered",
      lineNo: 7,
    });
    const lost = fixture("aws-emr-eks-guide-autotuner-ansi.log").split("\n")[0]!;
    expect(parseLogLine(lost, 1)?.logger).toBe("c.a.c.f.k.o.a.EmrEksMetricsAutotuner");
    expect(parseLogLine(lost, 1)?.resource).toBe("flink/autoscaling-example");
    expect(parseLogLine("2024-01-01 10:00:00,000 o.a.f.k.o.FlinkOperator [INFO ] Starting", 1)?.resource).toBe("");
    expect(parseLogLine("\tat java.base/java.lang.Thread.run(Thread.java:840)", 1)).toBeUndefined();
  });
});

describe("calibrate: the seed's own log lines", () => {
  // Gaps 91.197, 15.189, 91.307, 91.408 s are 6, 1, 6, 6 periods: 15.1995, 15.189,
  // 15.2178, 15.2347 s; median (15.1995 + 15.2178) / 2 = 15.2087 s.
  for (const name of ["seed-rescale-time-estimation.log", "aws-emr-eks-guide-rescale-time.log"]) {
    it(`${name}: a 15.2 s cadence and 14 s restarts`, () => {
      const [c] = calibrateOperatorLog(fixture(name));
      expect(c!.deployment).toBe("default/autoscaler-example");
      expect(c!.reconcileIntervalS!.median).toBeCloseTo(15.2087, 3);
      expect(c!.reconcileIntervalS!.gaps).toBe(4);
      expect(c!.reconcileIntervalS!.periods).toBe(19);
      expect(c!.restartTimeUsedS).toEqual([120, 14, 14, 14, 14]);
      expect(c!.restarts.map((r) => [r.seconds, r.source])).toEqual([[14, "restart-time-used"]]);
      const json = calibrationJson(c!) as { reconcile_interval_s: { median: number; n: number }; restart_s: Record<string, unknown> };
      expect(json.reconcile_interval_s.median).toBe(15.209);
      expect(json.reconcile_interval_s.n).toBe(4);
      expect(json.restart_s).toEqual({ in_place: null, redeploy: null, unknown_kind: { median: 14, p95: 14, n: 1 } });
      // 15.2087 s: the chart's 15 s interval plus a 209 ms reconcile (p95 of the four
      // per-period figures, R-7: 15.2178 + 0.85 x (15.2347 - 15.2178) = 15.2321 s).
      const snippet = simulationSnippet(c!);
      expect(snippet).toContain("kubernetes.operator.reconcile.interval: 15000ms");
      expect(snippet).toMatch(/reconcileDuration:\n\s+distribution: lognormal\n\s+median: 209ms\n\s+p95: 232ms/);
      const block = snippet.slice(snippet.indexOf("simulation:\n") + "simulation:\n".length);
      const seed = readFileSync("scenarios/backpressure.yaml", "utf8").replace('job.autoscaler.enabled: "true"', 'job.autoscaler.enabled: "true"\n    kubernetes.operator.reconcile.interval: 15000ms');
      const scenario = parseScenario("calibrated.yaml", seed.replace(/^simulation:\n/m, `simulation:\n${block}`));
      expect(scenario.reconcileIntervalMs).toBe(15_000);
    });
  }
});

describe("calibrate: interleaved deployments, INFO events, DEBUG records, ANSI colours", () => {
  const esc = "\x1b";
  const t0 = Date.parse("2024-01-01T10:00:00.000Z");
  const stamp = (s: number) => {
    const iso = new Date(t0 + Math.round(s * 1000)).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
  };
  const line = (s: number, logger: string, level: string, res: string, msg: string) =>
    `${esc}[33m${stamp(s)}${esc}[m ${esc}[36m${logger.padEnd(30)}${esc}[m ${esc}[32m[${level.padEnd(5)}][${res}] ${msg}\n${esc}[m`;
  const event = (s: number, res: string, reason: string, msg: string) =>
    line(s, "o.a.f.k.o.l.AuditUtils", "INFO", res, `>>> ${"Event[Job]".padEnd(16)} | ${"Info".padEnd(7)} | ${reason.padEnd(15)} | ${msg}`);
  const entries: [number, string][] = [[0, `${stamp(0)} o.a.f.k.o.FlinkOperator [INFO ] Starting the operator\n`]];
  // ns1/a: reconciles every 15.25 s; decides at 30.5 s, rescales in place, RUNNING at 42.8 s
  // (logged truncated, 10:00:42), stabilization 60 s, window 60 s.
  for (let k = 0; k < 10; k++) {
    const s = k * 15.25;
    if (k === 2) {
      entries.push([s, event(s, "ns1/a", "SCALINGREPORT", "Scaling execution enabled, begin scaling vertices:{ Vertex ID 0a448493b4782967b150582570326227 | Parallelism 1 -> 2 | Processing capacity 1.00 -> 2.00 | Target data rate 1.50}")]);
      entries.push([s + 0.01, event(s + 0.01, "ns1/a", "SPECCHANGED", "SCALE change(s) detected (...), starting reconciliation.")]);
      entries.push([s + 0.02, event(s + 0.02, "ns1/a", "SCALING", "In-place scaling triggered")]);
    } else if (k === 3) {
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns1/a", "Job updated at 2024-01-01 10:00:42. Clearing metrics.")]);
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns1/a", "Stabilizing until 2024-01-01 10:01:42")]);
    } else if (k === 7) {
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns1/a", "Metric window is not full until 2024-01-01 10:02:46. 1 samples collected so far")]);
    } else {
      entries.push([s, line(s, "o.a.f.a.ScalingExecutor", "INFO", "ns1/a", "All vertex processing rates are within target.")]);
    }
  }
  // ns2/b: every 15 s from 5.1 s; decides at 5.1 s and redeploys (SPECCHANGED, no in-place
  // event); RUNNING at 46.6 s; nothing logged while it restarts; stabilization 30 s.
  for (let k = 0; k < 10; k++) {
    const s = 5.1 + k * 15;
    if (k === 0) {
      entries.push([s, event(s, "ns2/b", "SCALINGREPORT", "Scaling execution enabled, begin scaling vertices:{ Vertex ID ea632d67b7d595e5b851708ae9ad79d6 | Parallelism 2 -> 4 | Processing capacity 1.00 -> 2.00 | Target data rate 1.90}")]);
      entries.push([s + 0.05, event(s + 0.05, "ns2/b", "SPECCHANGED", "SCALE change(s) detected (...), starting reconciliation.")]);
    } else if (k === 1 || k === 2) {
      continue;
    } else if (k === 3) {
      entries.push([s, line(s, "o.a.f.a.ScalingTracking", "DEBUG", "ns2/b", "Recorded restart duration of 41 seconds (from 2024-01-01T10:00:05.100Z till 2024-01-01T10:00:46.600Z)")]);
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns2/b", "Job updated at 2024-01-01 10:00:46. Clearing metrics.")]);
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns2/b", "Stabilizing until 2024-01-01 10:01:16")]);
    } else if (k === 4) {
      entries.push([s, line(s, "o.a.f.a.ScalingMetricCollector", "INFO", "ns2/b", "Stabilizing until 2024-01-01 10:01:16")]);
    } else {
      entries.push([s, line(s, "o.a.f.a.ScalingExecutor", "INFO", "ns2/b", "All vertex processing rates are within target.")]);
    }
  }
  entries.push([200, "java.lang.RuntimeException: boom\n\tat x.y.Z(Z.java:1)\n"]);
  const text = entries
    .sort((a, b) => a[0] - b[0])
    .map(([, l]) => l)
    .join("");

  it("keeps the deployments apart", () => {
    expect(calibrateOperatorLog(text).map((c) => c.deployment)).toEqual(["ns1/a", "ns2/b"]);
  });

  it("ns1/a: 15.25 s period, an in-place restart of 42 - 30.5 = 11.5 s, stabilization 60 s, window 60 s", () => {
    const [a] = calibrateOperatorLog(text, { deployment: "a" });
    expect(a!.reconcileIntervalS!.median).toBeCloseTo(15.25, 6);
    expect(a!.restarts.map((r) => [r.kind, r.seconds, r.source])).toEqual([["in-place", 11.5, "decision-to-job-updated"]]);
    expect(a!.stabilizationS!.median).toBe(60);
    expect(a!.windowS!.median).toBe(60);
  });

  it("ns2/b: 15 s period across the silent restart, a redeploy of 41.5 s from the DEBUG record", () => {
    const [b] = calibrateOperatorLog(text, { deployment: "ns2/b" });
    expect(b!.reconcileIntervalS!.median).toBeCloseTo(15, 6);
    expect(b!.restarts.map((r) => [r.kind, r.seconds, r.source])).toEqual([["redeploy", 41.5, "recorded-restart-duration"]]);
    expect(b!.stabilizationS).toEqual({ median: 30, p95: 30, min: 30, max: 30, n: 1 });
    const json = calibrationJson(b!) as { restart_s: Record<string, unknown> };
    expect(json.restart_s["redeploy"]).toEqual({ median: 41.5, p95: 41.5, n: 1 });
    expect(json.restart_s["in_place"]).toBeNull();
  });

  it("writes a snippet the scenario parser accepts, with the observed interval", () => {
    const [b] = calibrateOperatorLog(text, { deployment: "ns2/b" });
    const snippet = simulationSnippet(b!);
    expect(snippet).toContain("kubernetes.operator.reconcile.interval: 15000ms");
    expect(snippet).toContain("redeploy:");
    const seed = readFileSync("scenarios/backpressure.yaml", "utf8");
    const restartBlock = snippet.slice(snippet.indexOf("simulation:\n") + "simulation:\n".length);
    const scenario = parseScenario("calibrated.yaml", seed.replace(/^simulation:\n/m, `simulation:\n${restartBlock}`));
    // shutdown + jobManagerStart medians, scaled to the observed 41.5 s.
    const r = scenario.restart.redeploy;
    const median = (d: DistributionSpec) => (d.kind === "lognormal" ? d.median : NaN);
    expect(median(r.shutdown) + median(r.jobManagerStart)).toBeCloseTo(41_500, -1);
  });

  it("one-line errors: a log without an autoscaler line, a deployment not in the log", () => {
    expect(() => calibrateOperatorLog(fixture("aws-emr-eks-guide-autotuner-ansi.log"), { source: "emr.log" })).toThrow(
      /^emr\.log: 2 operator lines but not one from the autoscaler/,
    );
    expect(() => calibrateOperatorLog("hello\nworld\n", { source: "x.log" })).toThrow(OperatorLogError);
    expect(() => calibrateOperatorLog(text, { deployment: "c", source: "x.log" })).toThrow(/^x\.log: no autoscaler lines for deployment 'c' \(found: ns1\/a, ns2\/b\)$/);
  });
});

describe("calibrate: the simulator's own autoscaler.log (round trip)", () => {
  it("recovers the run's restart median within 10% and its 15 s cadence", () => {
    const scenario = loadScenario("scenarios/backpressure.yaml", { variant: "tracking-on", duration: "24h" });
    const run = runScenario(scenario, { output: { kind: "memory" } });
    const log = run.files["autoscaler.log"]!;
    const [c] = calibrateOperatorLog(log);
    const actual = run.operator.restarts.filter((r) => r.runningTimeMs !== null).map((r) => (r.runningTimeMs! - r.decisionTimeMs) / 1000);
    actual.sort((x, y) => x - y);
    const mid = actual.length / 2;
    const expectedMedian = actual.length % 2 === 1 ? actual[Math.floor(mid)]! : (actual[mid - 1]! + actual[mid]!) / 2;
    expect(c!.restarts.length).toBe(actual.length);
    expect(Math.abs(c!.restartS.all!.median - expectedMedian) / expectedMedian).toBeLessThan(0.1);
    expect(c!.reconcileIntervalS!.median).toBeCloseTo(scenario.reconcileIntervalMs / 1000, 6);
  }, 60_000);
});
