import { quantile } from "d3-array";
import { parseDuration } from "../core/duration.ts";
import { parseLogLines, type OperatorLogLine } from "./logLine.ts";

/*
 * The operator's log read back for `calibrate`: per deployment (the `[ns/name]` of the
 * Helm chart's pattern, see logLine.ts), the reconcile cadence, each restart and its
 * kind, the stabilization and metric window as logged. The lines it reads, as operator
 * release-1.15.0 writes them:
 * - flink-autoscaler ScalingMetricCollector: `Job updated at T. Clearing metrics.` (T the
 *   job's RUNNING time, DateTimeUtils.readable: yyyy-MM-dd HH:mm:ss, truncated to the
 *   second), `Stabilizing until S`, `Metric window is not full until W. N samples
 *   collected so far`;
 * - ScalingTracking (DEBUG): `Recorded restart duration of N seconds (from X till Y)`, X
 *   the decision, Y the RUNNING time, both Instant#toString;
 * - ScalingExecutor (DEBUG): `Restart time used in scaling summary computation: PTnS`;
 * - events, logged by the operator's AuditUtils as `>>> Event[Job] | Info | REASON | msg`:
 *   SCALINGREPORT `Scaling execution enabled, begin scaling vertices:...` (a decision),
 *   SCALING `In-place scaling triggered` (NativeFlinkService: an in-place rescale),
 *   SPECCHANGED (AbstractFlinkResourceReconciler: the spec changed; a rescale that is
 *   not in place is a redeploy);
 * - per-reconcile lines: `All vertex processing rates are within target.`, `Resource
 *   fully reconciled, nothing to do...`, and the above.
 */

export type RestartKind = "in-place" | "redeploy" | "unknown";

/** One restart seen in the log. */
export interface ObservedRestart {
  /** Epoch ms of the decision (the scaling's timestamp). */
  readonly decisionMs: number;
  /** Epoch ms the job was RUNNING again; null when only a duration is known. */
  readonly runningMs: number | null;
  readonly seconds: number;
  readonly kind: RestartKind;
  /** Which lines it came from. */
  readonly source: "recorded-restart-duration" | "decision-to-job-updated" | "restart-time-used";
  readonly lineNo: number;
}

export interface Stats {
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** What the log of one deployment shows. */
export interface DeploymentCalibration {
  readonly deployment: string;
  readonly lines: number;
  readonly autoscalerLines: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /**
   * The reconcile period: each gap between reconciles that logged a per-reconcile line,
   * divided by the number of periods it spans (a gap of 91.2 s with a 15.2 s period is six
   * reconciles, five of which logged nothing the parser reads).
   */
  readonly reconcileIntervalS: (Stats & { readonly gaps: number; readonly periods: number }) | null;
  readonly restarts: readonly ObservedRestart[];
  readonly restartS: { readonly inPlace: Stats | null; readonly redeploy: Stats | null; readonly unknown: Stats | null; readonly all: Stats | null };
  /** `Restart time used in scaling summary computation` values, in order, seconds. */
  readonly restartTimeUsedS: readonly number[];
  readonly stabilizationS: Stats | null;
  readonly windowS: Stats | null;
  readonly decisions: number;
}

/** A log the calibrator cannot use: one line, what and where. */
export class OperatorLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OperatorLogError";
  }
}

const PER_RECONCILE = [
  "All vertex processing rates are within target.",
  "Resource fully reconciled, nothing to do",
  "Restart time used in scaling summary computation",
  "Restart time used in metrics evaluation",
  "Metric window is not full until",
  "Stabilizing until",
  "Scaling execution enabled, begin scaling vertices",
  "Scaling execution disabled by config",
  "All job vertices are currently running at their target parallelism.",
];

const DECISION = "Scaling execution enabled, begin scaling vertices";
const JOB_UPDATED = /^Job updated at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\. Clearing metrics\./;
const STABILIZING = /^Stabilizing until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s*$/;
const WINDOW = /^Metric window is not full until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\. (\d+) samples collected so far/;
const RECORDED = /^Recorded restart duration of (-?\d+) seconds \(from (\S+) till (\S+)\)/;
const RESTART_TIME_USED = /^Restart time used in scaling summary computation: (\S+)/;

/** An autoscaler line: a flink-autoscaler logger (org.apache.flink.autoscaler, o.a.f.a.*), or one of its events. */
export function isAutoscalerLine(line: OperatorLogLine): boolean {
  return /^(o\.a\.f\.a\.|org\.apache\.flink\.autoscaler\.)/.test(line.logger) || line.message.includes(DECISION) || /\| SCALINGREPORT\s+\|/.test(line.message);
}

/** readable(): yyyy-MM-dd HH:mm:ss in the operator's zone, read as UTC. */
function readableMs(text: string): number {
  return Date.parse(`${text.replace(" ", "T")}Z`);
}

function instantMs(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null) return NaN;
  return Date.parse(`${m[1]}.${(m[2] ?? "").padEnd(3, "0").slice(0, 3)}Z`);
}

export function stats(values: readonly number[]): Stats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5)!,
    p95: quantile(sorted, 0.95)!,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    n: sorted.length,
  };
}

/**
 * The reconcile period from the times of reconciles that logged a per-reconcile line:
 * the period P that explains the most gaps as whole multiples of P (within 10% of P),
 * the largest such P; each gap then gives gap / round(gap / P).
 */
export function reconcilePeriod(reconcileTimesMs: readonly number[]): DeploymentCalibration["reconcileIntervalS"] {
  const gaps: number[] = [];
  for (let i = 1; i < reconcileTimesMs.length; i++) {
    const g = (reconcileTimesMs[i]! - reconcileTimesMs[i - 1]!) / 1000;
    if (g >= 2) gaps.push(g);
  }
  if (gaps.length === 0) return null;
  const fits = (p: number, g: number) => {
    const k = Math.round(g / p);
    return k >= 1 && Math.abs(g - k * p) <= 0.1 * p;
  };
  const candidates = new Set<number>();
  const distinct = [...new Set(gaps.map((g) => Math.round(g * 1000) / 1000))].slice(0, 200);
  for (const g of distinct) for (let k = 1; k <= 12; k++) if (g / k >= 2) candidates.add(g / k);
  let best = 0;
  let bestScore = -1;
  for (const p of candidates) {
    let score = 0;
    for (const g of gaps) if (fits(p, g)) score++;
    if (score > bestScore || (score === bestScore && p > best)) {
      best = p;
      bestScore = score;
    }
  }
  const perGap: number[] = [];
  let periods = 0;
  for (const g of gaps) {
    if (!fits(best, g)) continue;
    const k = Math.round(g / best);
    perGap.push(g / k);
    periods += k;
  }
  const s = stats(perGap)!;
  return { ...s, gaps: perGap.length, periods };
}

/** The calibration of one deployment's lines. */
export function calibrateDeployment(deployment: string, lines: readonly OperatorLogLine[]): DeploymentCalibration {
  const reconciles: number[] = [];
  for (const l of lines) {
    if (!PER_RECONCILE.some((p) => l.message.includes(p))) continue;
    const last = reconciles[reconciles.length - 1];
    if (last === undefined || l.timeMs - last > 2000) reconciles.push(l.timeMs);
  }

  // Decisions (SCALINGREPORT), their kind from the events that follow, and the RUNNING time after.
  interface Decision {
    timeMs: number;
    lineNo: number;
    kind: RestartKind;
    runningMs: number | null;
  }
  const decisions: Decision[] = [];
  const recorded: ObservedRestart[] = [];
  const restartTimeUsedS: number[] = [];
  const stabilization: number[] = [];
  const windows: number[] = [];
  let lastJobUpdatedMs: number | null = null;
  const seenJobUpdated = new Set<number>();
  const seenStabilizing = new Set<number>();
  for (const l of lines) {
    const msg = l.message;
    const open = decisions[decisions.length - 1];
    if (msg.includes(DECISION)) {
      decisions.push({ timeMs: l.timeMs, lineNo: l.lineNo, kind: "unknown", runningMs: null });
      continue;
    }
    if (open !== undefined && open.runningMs === null) {
      if (msg.includes("In-place scaling triggered")) open.kind = "in-place";
      else if (/\| SPECCHANGED\s+\|/.test(msg) && open.kind === "unknown") open.kind = "redeploy";
    }
    let m = JOB_UPDATED.exec(msg);
    if (m !== null) {
      const t = readableMs(m[1]!);
      lastJobUpdatedMs = t;
      if (!seenJobUpdated.has(t)) {
        seenJobUpdated.add(t);
        if (open !== undefined && open.runningMs === null && t >= Math.floor(open.timeMs / 1000) * 1000) open.runningMs = t;
      }
      continue;
    }
    m = STABILIZING.exec(msg);
    if (m !== null) {
      const until = readableMs(m[1]!);
      if (lastJobUpdatedMs !== null && !seenStabilizing.has(lastJobUpdatedMs)) {
        seenStabilizing.add(lastJobUpdatedMs);
        stabilization.push((until - lastJobUpdatedMs) / 1000);
      }
      continue;
    }
    m = WINDOW.exec(msg);
    if (m !== null) {
      if (m[2] === "1") windows.push(Math.round((readableMs(m[1]!) - Math.floor(l.timeMs / 1000) * 1000) / 1000));
      continue;
    }
    m = RECORDED.exec(msg);
    if (m !== null) {
      const from = instantMs(m[2]!);
      const till = instantMs(m[3]!);
      if (!Number.isNaN(from) && !Number.isNaN(till)) {
        recorded.push({ decisionMs: from, runningMs: till, seconds: (till - from) / 1000, kind: "unknown", source: "recorded-restart-duration", lineNo: l.lineNo });
      }
      continue;
    }
    m = RESTART_TIME_USED.exec(msg);
    if (m !== null) {
      try {
        restartTimeUsedS.push(parseDuration(m[1]!) / 1000);
      } catch {
        // not a duration: ignored
      }
    }
  }

  // Recorded durations are exact; a decision line within 5 s of one gives it its kind.
  const restarts: ObservedRestart[] = [];
  const used = new Set<Decision>();
  for (const r of recorded) {
    const d = decisions.find((x) => !used.has(x) && Math.abs(x.timeMs - r.decisionMs) <= 5000);
    if (d !== undefined) used.add(d);
    restarts.push({ ...r, kind: d?.kind ?? "unknown" });
  }
  for (const d of decisions) {
    if (used.has(d) || d.runningMs === null) continue;
    restarts.push({
      decisionMs: d.timeMs,
      runningMs: d.runningMs,
      seconds: Math.max(0, (d.runningMs - d.timeMs) / 1000),
      kind: d.kind,
      source: "decision-to-job-updated",
      lineNo: d.lineNo,
    });
  }
  // With neither, the tracked restart time: each new value after the first (the configured
  // restart.time until a restart is recorded) is the longest restart recorded so far.
  if (restarts.length === 0 && restartTimeUsedS.length > 1) {
    let previous = restartTimeUsedS[0]!;
    const usedLines = lines.filter((l) => RESTART_TIME_USED.test(l.message));
    restartTimeUsedS.forEach((v, i) => {
      if (i > 0 && v !== previous) {
        restarts.push({ decisionMs: NaN, runningMs: null, seconds: v, kind: "unknown", source: "restart-time-used", lineNo: usedLines[i]?.lineNo ?? 0 });
      }
      previous = v;
    });
  }
  restarts.sort((a, b) => a.lineNo - b.lineNo);

  const of = (k: RestartKind) => stats(restarts.filter((r) => r.kind === k).map((r) => r.seconds));
  return {
    deployment,
    lines: lines.length,
    autoscalerLines: lines.filter(isAutoscalerLine).length,
    firstMs: lines[0]?.timeMs ?? NaN,
    lastMs: lines[lines.length - 1]?.timeMs ?? NaN,
    reconcileIntervalS: reconcilePeriod(reconciles),
    restarts,
    restartS: { inPlace: of("in-place"), redeploy: of("redeploy"), unknown: of("unknown"), all: stats(restarts.map((r) => r.seconds)) },
    restartTimeUsedS,
    stabilizationS: stats(stabilization),
    windowS: stats(windows),
    decisions: decisions.length,
  };
}

export interface CalibrateOptions {
  /** `ns/name` or `name`; by default every deployment with autoscaler lines. */
  readonly deployment?: string;
  /** Names the log in error messages. */
  readonly source?: string;
}

/**
 * Reads an operator log and calibrates each deployment in it (or the one asked for).
 * Throws OperatorLogError (one line) for a log without a single autoscaler line or
 * without the deployment asked for.
 */
export function calibrateOperatorLog(text: string, options: CalibrateOptions = {}): DeploymentCalibration[] {
  const source = options.source ?? "the log";
  const lines = parseLogLines(text);
  const byDeployment = new Map<string, OperatorLogLine[]>();
  for (const l of lines) {
    if (l.resource === "") continue;
    let list = byDeployment.get(l.resource);
    if (list === undefined) byDeployment.set(l.resource, (list = []));
    list.push(l);
  }
  const withAutoscaler = [...byDeployment].filter(([, ls]) => ls.some(isAutoscalerLine));
  if (withAutoscaler.length === 0) {
    const what = lines.length === 0 ? "no line in the operator's layout (yyyy-MM-dd HH:mm:ss,SSS logger [LEVEL][ns/name] message)" : `${lines.length} operator lines but not one from the autoscaler (o.a.f.a.* or a SCALINGREPORT event)`;
    throw new OperatorLogError(`${source}: ${what}: is this the Flink Kubernetes Operator's log, with job.autoscaler.enabled on a deployment?`);
  }
  let chosen = withAutoscaler;
  if (options.deployment !== undefined) {
    const want = options.deployment;
    chosen = withAutoscaler.filter(([k]) => k === want || k.endsWith(`/${want}`));
    if (chosen.length === 0) {
      throw new OperatorLogError(`${source}: no autoscaler lines for deployment '${want}' (found: ${withAutoscaler.map(([k]) => k).join(", ")})`);
    }
  }
  return chosen.map(([k, ls]) => calibrateDeployment(k, ls));
}
