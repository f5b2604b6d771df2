import { parseDuration } from "../core/duration.ts";

/**
 * The seed's log pattern, read from a run's files: the lines
 * `Restart time used in scaling summary computation: ...` of autoscaler.log and the
 * rescales of restarts.csv. The seed's real operator logged PT2M at the first evaluation
 * with a full metric window, then the tracked restart time (PT14S) at every later one,
 * 15 s apart (a reconcile) when nothing scaled and about 90 s apart across a rescale
 * (restart + stabilization.interval + metrics.window, rounded up to a reconcile).
 */

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) .*Restart time used in scaling summary computation: (PT\S+)$/;

export interface RestartTimeLine {
  /** Epoch ms of the line's timestamp (UTC). */
  readonly epochMs: number;
  /** The duration as logged: PT2M, PT14S. */
  readonly text: string;
}

/** The `Restart time used in scaling summary computation` lines of a log, in order. */
export function restartTimeLines(logText: string): RestartTimeLine[] {
  const out: RestartTimeLine[] = [];
  for (const line of logText.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    out.push({ epochMs: Date.parse(`${m[1]!.replace(" ", "T")}.${m[2]}Z`), text: m[3]! });
  }
  return out;
}

/** A rescale as restarts.csv gives it (virtual seconds). */
export interface RescaleRow {
  readonly decisionS: number;
  readonly runningS: number | null;
}

/** restarts.csv's decision and running times. */
export function rescaleRows(restartsCsv: string): RescaleRow[] {
  const [header, ...rows] = restartsCsv.trim().split("\n");
  const cols = header!.split(",");
  const d = cols.indexOf("decision_time_s");
  const r = cols.indexOf("running_time_s");
  return rows.map((row) => {
    const f = row.split(",");
    return { decisionS: Number(f[d]), runningS: f[r] === "" ? null : Number(f[r]) };
  });
}

export interface SeedPatternReport {
  readonly lines: number;
  readonly scalings: number;
  readonly firstText: string | undefined;
  /** Seconds between consecutive lines with no rescale between them. */
  readonly quietGapsS: number[];
  /** Seconds between consecutive lines across a rescale. */
  readonly rescaleGapsS: number[];
  /** Tracked restart times logged after the first line (seconds). */
  readonly trackedS: number[];
  /** Each part of the pattern, true when it holds. */
  readonly checks: {
    readonly firstIsConfigured: boolean;
    readonly laterAreTracked: boolean;
    readonly scalesRepeatedly: boolean;
    readonly quietGapsAreOneReconcile: boolean;
    readonly rescaleGapsAreAboutNinety: boolean;
    readonly restartsTenToTwenty: boolean;
  };
  readonly matches: boolean;
}

/** A logged Duration#toString (PT14S) in seconds, by the project's one duration parser. */
const seconds = (text: string): number => parseDuration(text) / 1000;

/**
 * Checks a run against the seed's pattern. `startEpochMs` is virtual time 0;
 * `configuredText` the restart.time as logged (PT2M); `reconcileS` the reconcile interval.
 * Rescale gaps count as about ninety seconds within [75, 110] s: a 10-20 s restart, 5 s
 * of stabilization and a 60 s window, plus up to one reconcile of waiting.
 */
export function checkSeedPattern(
  logText: string,
  restartsCsv: string,
  startEpochMs: number,
  options: { readonly configuredText: string; readonly reconcileS: number; readonly minScalings: number },
): SeedPatternReport {
  const lines = restartTimeLines(logText);
  const rescales = rescaleRows(restartsCsv);
  const quiet: number[] = [];
  const across: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = (lines[i - 1]!.epochMs - startEpochMs) / 1000;
    const b = (lines[i]!.epochMs - startEpochMs) / 1000;
    const rescaled = rescales.some((r) => r.runningS !== null && r.runningS > a && r.runningS <= b);
    (rescaled ? across : quiet).push(b - a);
  }
  const tracked = lines.slice(1).map((l) => seconds(l.text));
  const checks = {
    firstIsConfigured: lines[0]?.text === options.configuredText,
    laterAreTracked: lines.length > 1 && lines.slice(1).every((l) => l.text !== options.configuredText && /^PT\d+S$/.test(l.text)),
    scalesRepeatedly: rescales.length >= options.minScalings,
    quietGapsAreOneReconcile: quiet.every((g) => g === options.reconcileS),
    rescaleGapsAreAboutNinety: across.length >= 1 && across.every((g) => g >= 75 && g <= 110),
    restartsTenToTwenty: tracked.length > 0 && tracked.every((s) => s >= 10 && s <= 20),
  };
  return {
    lines: lines.length,
    scalings: rescales.length,
    firstText: lines[0]?.text,
    quietGapsS: quiet,
    rescaleGapsS: across,
    trackedS: tracked,
    checks,
    matches: Object.values(checks).every(Boolean),
  };
}
