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

/** One evaluated decision of a vertex, as decisions.csv gives it. */
export interface DecisionRow {
  readonly timeS: number;
  readonly current: number;
  readonly next: number;
  readonly trueProcessingRate: number;
  readonly scaleUpThreshold: number;
  readonly executed: boolean;
}

/** decisions.csv's rows of one vertex (by name), in order. */
export function decisionRows(decisionsCsv: string, vertex: string): DecisionRow[] {
  const [header, ...rows] = decisionsCsv.trim().split("\n");
  const cols = header!.split(",");
  const at = (f: string[], name: string) => f[cols.indexOf(name)]!;
  return rows
    .map((r) => r.split(","))
    .filter((f) => at(f, "vertex") === vertex)
    .map((f) => ({
      timeS: Number(at(f, "time_s")),
      current: Number(at(f, "current_parallelism")),
      next: Number(at(f, "new_parallelism")),
      trueProcessingRate: Number(at(f, "true_processing_rate")),
      scaleUpThreshold: Number(at(f, "scale_up_threshold")),
      executed: at(f, "executed") === "true",
    }));
}

/** The seed's opening, read from a run: when the scalings came, stalls, the first decision's margin. */
export interface OpeningReport {
  /** The first evaluation with a full window (the first `Restart time used` line), virtual s. */
  readonly firstEvaluationS: number | null;
  /** Decision times of the rescales (restarts.csv), virtual s. */
  readonly scalingsS: number[];
  /** From the first scaling to the second (s); null with fewer than two. */
  readonly firstToSecondS: number | null;
  /**
   * The seed's opening: the first scaling at the first full-window evaluation, the second
   * and the third each within [75, 110] s of the one before, i.e. at the first (or, as the
   * seed's +15 s line allows, the second) full-window evaluation after its restart.
   */
  readonly opening: boolean;
  /** The longest stretch without a scaling while the vertex was below `maxParallelism`, to the run's end (s). */
  readonly longestQuietS: number;
  /** A stretch of `stallS` (600 s) or more without a scaling while below `maxParallelism`. */
  readonly stalled: boolean;
  /**
   * The first evaluated decision: (scale-up threshold - true processing rate) / threshold.
   * Positive: the vertex scales up; its size says how far from the edge.
   */
  readonly firstMargin: number | null;
  readonly firstScaledUp: boolean | null;
  /** The first evaluated decision of the vertex. */
  readonly firstDecision: DecisionRow | null;
}

const NEXT_EVALUATION = [75, 110] as const;

/**
 * The statistics of the seed's opening for one run (tracking on): the vertex's decisions
 * (decisions.csv, `vertex` by name) and rescales (restarts.csv), the log's first full-window
 * evaluation. `durationS` is the run's length; the vertex is behind while its parallelism
 * is below `maxParallelism` (the seed's map needs 20 subtasks at 2 s a record and 10 rows/s).
 */
export function seedOpening(
  logText: string,
  restartsCsv: string,
  decisionsCsv: string,
  startEpochMs: number,
  options: { readonly vertex: string; readonly durationS: number; readonly maxParallelism: number; readonly stallS?: number },
): OpeningReport {
  const first = restartTimeLines(logText)[0];
  const firstEvaluationS = first === undefined ? null : (first.epochMs - startEpochMs) / 1000;
  const scalingsS = rescaleRows(restartsCsv).map((r) => r.decisionS);
  const within = (d: number | undefined) => d !== undefined && d >= NEXT_EVALUATION[0] && d <= NEXT_EVALUATION[1];
  const gap = (i: number) => (scalingsS.length > i ? scalingsS[i]! - scalingsS[i - 1]! : undefined);
  const opening = firstEvaluationS !== null && scalingsS[0] === firstEvaluationS && within(gap(1)) && within(gap(2));
  const decisions = decisionRows(decisionsCsv, options.vertex);
  // Parallelism after each scaling: the executed decision made at that time.
  let parallelism = decisions[0]?.current ?? 1;
  let since = 0;
  let longest = 0;
  for (const t of scalingsS) {
    if (parallelism < options.maxParallelism) longest = Math.max(longest, t - since);
    const d = decisions.find((x) => x.executed && x.timeS === t);
    if (d !== undefined) parallelism = d.next;
    since = t;
  }
  if (parallelism < options.maxParallelism) longest = Math.max(longest, options.durationS - since);
  const d0 = decisions[0];
  return {
    firstEvaluationS,
    scalingsS,
    firstToSecondS: gap(1) ?? null,
    opening,
    longestQuietS: longest,
    stalled: longest >= (options.stallS ?? 600),
    firstMargin: d0 === undefined ? null : (d0.scaleUpThreshold - d0.trueProcessingRate) / d0.scaleUpThreshold,
    firstScaledUp: d0 === undefined ? null : d0.next > d0.current,
    firstDecision: d0 ?? null,
  };
}
