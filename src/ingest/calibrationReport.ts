import { stringify } from "yaml";
import { DEFAULT_RESTART_SPEC } from "../flink/restart/RestartModel.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import type { DeploymentCalibration, ObservedRestart, Stats } from "./operatorLog.ts";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function shortStats(s: Stats | null): { median: number; p95: number; n: number } | null {
  return s === null ? null : { median: round3(s.median), p95: round3(s.p95), n: s.n };
}

const iso = (ms: number | null) => (ms === null || Number.isNaN(ms) ? null : new Date(ms).toISOString());

/**
 * `calibrate --json`: `{"reconcile_interval_s": {"median", "n"}, "restart_s": {"in_place":
 * {"median", "p95", "n"}, "redeploy": {...}}, ...}` for one deployment; a kind the log does
 * not show is null.
 */
export function calibrationJson(c: DeploymentCalibration): Record<string, unknown> {
  const r = c.reconcileIntervalS;
  return {
    deployment: c.deployment,
    lines: c.lines,
    autoscaler_lines: c.autoscalerLines,
    from: iso(c.firstMs),
    to: iso(c.lastMs),
    reconcile_interval_s:
      r === null ? null : { median: round3(r.median), n: r.gaps, periods: r.periods, min: round3(r.min), max: round3(r.max), p95: round3(r.p95) },
    restart_s: {
      in_place: shortStats(c.restartS.inPlace),
      redeploy: shortStats(c.restartS.redeploy),
      unknown_kind: shortStats(c.restartS.unknown),
    },
    restarts: c.restarts.map((x: ObservedRestart) => ({
      decision: iso(x.decisionMs),
      running: iso(x.runningMs),
      seconds: round3(x.seconds),
      kind: x.kind,
      source: x.source,
      line: x.lineNo,
    })),
    decisions: c.decisions,
    restart_time_used_s: runs(c.restartTimeUsedS),
    stabilization_s: shortStats(c.stabilizationS),
    window_s: shortStats(c.windowS),
  };
}

/** Consecutive equal values collapsed: [{s: 120, n: 1}, {s: 14, n: 4}]. */
function runs(values: readonly number[]): { s: number; n: number }[] {
  const out: { s: number; n: number }[] = [];
  for (const v of values) {
    const last = out[out.length - 1];
    if (last !== undefined && last.s === v) last.n++;
    else out.push({ s: v, n: 1 });
  }
  return out;
}

/** A duration the scenario parser reads (whole ms: Flink's syntax has no fractions). */
const ms = (x: number) => `${Math.max(1, Math.round(x))}ms`;

function lognormal(medianMs: number, p95Ms: number): Record<string, string> {
  const p95 = p95Ms > medianMs ? p95Ms : medianMs * 1.05;
  return { distribution: "lognormal", median: ms(medianMs), p95: ms(p95) };
}

function medianP95(d: DistributionSpec): { median: number; p95: number } {
  if (d.kind === "lognormal") return { median: d.median, p95: d.p95 };
  throw new Error(`default restart phase is not lognormal: ${d.kind}`);
}

/**
 * Restart phases scaled so that the simulator's restarts (decision to RUNNING, what the
 * autoscaler tracks) have the observed median and p95: the phases that come before
 * RUNNING keep their share of the defaults (DEFAULT_RESTART_SPEC) and are scaled by
 * observed / default, the median and the p95 each by its own factor. In place, RUNNING
 * follows the new TaskManager pods and the cancel; on a redeploy, the shutdown and the
 * new JobManager (the tasks deploy after RUNNING).
 */
function scaledPhases(phases: readonly [string, DistributionSpec][], observed: Stats): Record<string, Record<string, string>> {
  const parts = phases.map(([name, d]) => [name, medianP95(d)] as const);
  const sumMedian = parts.reduce((a, [, d]) => a + d.median, 0);
  const sumP95 = parts.reduce((a, [, d]) => a + d.p95, 0);
  const fm = (observed.median * 1000) / sumMedian;
  const fp = (observed.p95 * 1000) / sumP95;
  return Object.fromEntries(parts.map(([name, d]) => [name, lognormal(d.median * fm, d.p95 * fp)]));
}

export interface SnippetOptions {
  /** The kind of restarts whose kind the log does not show (no event lines): in-place by default. */
  readonly assumeKind?: "in-place" | "redeploy";
  /** The log's name, for the comment. */
  readonly source?: string;
}

/**
 * The YAML to paste into a scenario so that the simulator's restarts and reconciles match
 * the log: `kubernetes.operator.reconcile.interval` and `simulation.operator.reconcileDuration`
 * (together the observed period) and `simulation.restart` phases.
 */
export function simulationSnippet(c: DeploymentCalibration, options: SnippetOptions = {}): string {
  const assume = options.assumeKind ?? "in-place";
  const inPlace = c.restartS.inPlace ?? (assume === "in-place" ? c.restartS.unknown : null);
  const redeploy = c.restartS.redeploy ?? (assume === "redeploy" ? c.restartS.unknown : null);
  const d = DEFAULT_RESTART_SPEC;
  const restart: Record<string, unknown> = {};
  if (inPlace !== null) {
    restart["inPlace"] = scaledPhases(
      [
        ["podStart", d.inPlace.podStart],
        ["cancel", d.inPlace.cancel],
      ],
      inPlace,
    );
  }
  if (redeploy !== null) {
    restart["redeploy"] = scaledPhases(
      [
        ["shutdown", d.redeploy.shutdown],
        ["jobManagerStart", d.redeploy.jobManagerStart],
      ],
      redeploy,
    );
  }
  const doc: Record<string, unknown> = {};
  const simulation: Record<string, unknown> = {};
  if (c.reconcileIntervalS !== null) {
    // The period is the interval plus the reconcile's own duration (josdk reschedules after
    // a reconcile ends): the interval taken as the whole seconds of the period (the Helm
    // chart's 15 s), the rest as simulation.operator.reconcileDuration.
    const periodMs = c.reconcileIntervalS.median * 1000;
    const intervalMs = periodMs >= 1000 ? Math.floor(periodMs / 1000) * 1000 : Math.round(periodMs);
    doc["spec"] = { flinkConfiguration: { "kubernetes.operator.reconcile.interval": ms(intervalMs) } };
    const durationMs = periodMs - intervalMs;
    if (durationMs >= 5) {
      const p95Ms = c.reconcileIntervalS.p95 * 1000 - intervalMs;
      simulation["operator"] = { reconcileDuration: p95Ms > durationMs ? lognormal(durationMs, p95Ms) : ms(durationMs) };
    }
  }
  if (Object.keys(restart).length > 0) simulation["restart"] = restart;
  if (Object.keys(simulation).length > 0) doc["simulation"] = simulation;
  const r = c.reconcileIntervalS;
  const header = [
    `# calibrate: ${options.source ?? "operator log"}, deployment ${c.deployment}`,
    r === null
      ? "# reconcile period: no per-reconcile lines seen"
      : `# reconcile period: median ${round3(r.median)} s over ${r.gaps} gaps (${r.periods} periods), ${round3(r.min)}-${round3(r.max)} s`,
    inPlace === null ? "# in-place restarts: none seen" : `# in-place restarts (decision to RUNNING): median ${round3(inPlace.median)} s, p95 ${round3(inPlace.p95)} s, n=${inPlace.n}${c.restartS.inPlace === null ? " (kind not in the log: assumed)" : ""}`,
    redeploy === null ? "# redeploys: none seen" : `# redeploys (decision to RUNNING): median ${round3(redeploy.median)} s, p95 ${round3(redeploy.p95)} s, n=${redeploy.n}${c.restartS.redeploy === null ? " (kind not in the log: assumed)" : ""}`,
    "# the phases before RUNNING are the defaults scaled to these figures; the others keep their defaults",
  ];
  return `${header.join("\n")}\n${Object.keys(doc).length > 0 ? stringify(doc) : "{}\n"}`;
}

/** A few lines for a person: what the log shows. */
export function calibrationText(c: DeploymentCalibration): string {
  const r = c.reconcileIntervalS;
  const st = (s: Stats | null, unit = "s") => (s === null ? "none seen" : `median ${round3(s.median)} ${unit}, p95 ${round3(s.p95)} ${unit}, n=${s.n}`);
  return [
    `deployment ${c.deployment}: ${c.lines} lines (${c.autoscalerLines} from the autoscaler), ${iso(c.firstMs)} to ${iso(c.lastMs)}`,
    `  reconcile period: ${r === null ? "none seen" : `median ${round3(r.median)} s (${round3(r.min)}-${round3(r.max)} s) over ${r.gaps} gaps`}`,
    `  decisions: ${c.decisions}; restarts: in place ${st(c.restartS.inPlace)}; redeploy ${st(c.restartS.redeploy)}; kind not shown ${st(c.restartS.unknown)}`,
    `  restart time used: ${c.restartTimeUsedS.length === 0 ? "not logged (DEBUG)" : [...new Set(c.restartTimeUsedS)].map((s) => `${s} s`).join(", ")}`,
    `  stabilization: ${st(c.stabilizationS)}; metric window: ${st(c.windowS)}`,
  ].join("\n");
}
