/**
 * What a run's report draws, read from its files as they come, in memory bounded by what is
 * drawn rather than by the run's length: a 100-day run's timeseries.csv (1.7 million rows)
 * and decisions.csv (1.1 million) are never held whole. summary.json is read first (the
 * run's duration sets the spans the series are downsampled over); every series is reduced
 * as its rows arrive, to exactly what the same charts drew from the whole files
 * (minMaxDownsample, stepChanges, bandEnvelope, decisionMarkers, evaluationRows: the
 * reducers in downsample.ts and decisionMarkers.ts equal them, test/report/runData.test.ts
 * checks it on a day's run). decisions.csv is read twice: the first pass counts rows and
 * measures the gaps between evaluations, which the second needs (a file of at most
 * KEPT_DECISION_ROWS rows is parsed once, its rows kept for the second pass).
 */
import { SERIES_BUCKETS } from "./charts.ts";
import { MarkerCollector, type MarkerSet } from "./decisionMarkers.ts";
import { BandReducer, MinMaxReducer, StepReducer, type BandPoint, type DownsampleResult, type Point } from "./downsample.ts";
import { readText, type FileSource } from "./lineSource.ts";
import { decisionRows, eventRows, parseComparisonCsv, readSummary, ReportInputError, requireFile, restartRows, sampleRows, type DecisionRow, type EventRow, type RestartRow } from "./runFiles.ts";
import type { ComparisonRow } from "../record/comparison.ts";
import { readSubtaskGrids, type SubtaskGrids } from "./subtaskHeatmap.ts";
import type { Summary } from "../record/summary.ts";

/** Rows of the evaluation table at most; decisions.csv keeps them all. */
export const MAX_EVALUATION_ROWS = 1000;

/** A series reduced for drawing, and how many rows it was reduced from (DownsampleLog's note). */
export interface ReducedBand {
  readonly points: BandPoint[];
  readonly reduced: boolean;
  /** Rows given, finite or not. */
  readonly from: number;
}

/** One vertex's busy, back-pressured and idle time, downsampled. */
export interface BusySeries {
  readonly busy: DownsampleResult;
  readonly backpressured: DownsampleResult;
  readonly idle: DownsampleResult;
  /** Whether every sample's busy time is NaN (a legacy source). */
  readonly noBusy: boolean;
}

/** What the rates chart of one vertex draws. */
export interface RateSeries {
  readonly targetDataRate: DownsampleResult;
  readonly trueProcessingRate: DownsampleResult;
  readonly thresholds: ReducedBand;
}

/** The sources' output rate (summed per sample) and their pending records, downsampled. */
export interface SampleSeries {
  /** Vertex names in the summary's order, then any others the samples name. */
  readonly vertices: readonly string[];
  /** Each vertex's parallelism as steps (stepChanges). */
  readonly parallelism: ReadonlyMap<string, Point[]>;
  readonly busy: ReadonlyMap<string, BusySeries>;
  /** records_out_per_s summed over the source vertices ("Source: ...") at each sample. */
  readonly sourceOutput: DownsampleResult;
  /** pending_records summed over the vertices that report it, at each sample; undefined when none does. */
  readonly lag: DownsampleResult | undefined;
}

export interface DecisionDigest {
  /** Rows of decisions.csv. */
  readonly count: number;
  readonly executedCount: number;
  /** The vertices evaluated with a finite true processing rate, in order of their first such row. */
  readonly evaluated: readonly string[];
  /** The rows that executed or recommended a change. */
  readonly changes: readonly DecisionRow[];
  /** The rows of the evaluation table (evaluationRows). */
  readonly evaluationRows: readonly DecisionRow[];
  /** One in `step` of the rows that changed nothing is in the evaluation table. */
  readonly evaluationStep: number;
  readonly markers: MarkerSet;
  /** The rates charts' series of the evaluated vertices. */
  readonly rates: ReadonlyMap<string, RateSeries>;
  /** The executed decisions of each vertex that has any. */
  readonly executed: ReadonlyMap<string, readonly DecisionRow[]>;
}

/** Everything a run's report and a comparison's charts draw of one run. */
export interface RunData {
  readonly summary: Summary;
  readonly samples: SampleSeries;
  readonly decisions: DecisionDigest;
  readonly restarts: readonly RestartRow[];
  readonly events: readonly EventRow[];
  /** Replications of this one variant compared in its own folder (`--variant` with `--replications`). */
  readonly comparison: readonly ComparisonRow[] | undefined;
  /** subtasks.csv reduced to heat-map grids, when the run wrote it (simulation.subtasks). */
  readonly subtasks?: SubtaskGrids;
}

export interface ReadOptions {
  /** The end of the time range the series are downsampled over (default: the run's duration; a comparison uses its longest variant's). */
  readonly rangeEndS?: number;
  /** Read subtasks.csv when the run wrote it (the run report's heat maps; a comparison draws none). */
  readonly subtasks?: boolean;
  /** Rows of decisions.csv kept between its two passes, at most (default KEPT_DECISION_ROWS; 0: read it twice). */
  readonly keptDecisionRows?: number;
}

/** d3-array's median of the values counted in `histogram` (value -> count), or undefined when there are none. */
export function histogramMedian(histogram: ReadonlyMap<number, number>): number | undefined {
  const values = [...histogram].filter(([v]) => !Number.isNaN(v)).sort((a, b) => a[0] - b[0]);
  const n = values.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return undefined;
  const at = (k: number) => {
    for (const [v, count] of values) {
      if (k < count) return v;
      k -= count;
    }
    return values.at(-1)![0];
  };
  if (n < 2) return at(0);
  // quantile(values, 0.5) as d3-array computes it.
  const i = (n - 1) * 0.5;
  const i0 = Math.floor(i);
  const value0 = at(i0);
  const value1 = at(i0 + 1);
  return value0 + (value1 - value0) * (i - i0);
}

/** A series summed over some vertices at each sample (rows of one sample are consecutive). */
class SummedSeries {
  private time: number | undefined;
  private sum = 0;
  readonly reducer: MinMaxReducer;
  /** Whether any row was added. */
  any = false;
  constructor(range: readonly [number, number]) {
    this.reducer = new MinMaxReducer(SERIES_BUCKETS, range);
  }
  add(t: number, v: number): void {
    if (this.time !== t) {
      this.end();
      this.time = t;
      this.sum = 0;
    }
    this.sum += v;
    this.any = true;
  }
  end(): void {
    if (this.time !== undefined) this.reducer.push([this.time, this.sum]);
    this.time = undefined;
  }
}

function readSamples(chunks: Iterable<string>, summary: Summary, range: readonly [number, number]): SampleSeries {
  const vertices = summary.vertices.map((v) => v.name);
  const known = new Set(vertices);
  const perVertex = new Map<string, { steps: StepReducer; busy: MinMaxReducer; backpressured: MinMaxReducer; idle: MinMaxReducer; noBusy: boolean }>();
  const source = new SummedSeries(range);
  const lag = new SummedSeries(range);
  let lastTime = -Infinity;
  let row = 1;
  for (const s of sampleRows(chunks)) {
    row++;
    // Sums per sample need a sample's rows together: a run writes them in time order.
    if (s.timeS < lastTime) throw new ReportInputError(`timeseries.csv is not in time order (row ${row}: ${s.timeS} s after ${lastTime} s)`);
    lastTime = s.timeS;
    if (!known.has(s.vertex)) {
      known.add(s.vertex);
      vertices.push(s.vertex);
    }
    let v = perVertex.get(s.vertex);
    if (v === undefined) {
      v = { steps: new StepReducer(), busy: new MinMaxReducer(SERIES_BUCKETS, range), backpressured: new MinMaxReducer(SERIES_BUCKETS, range), idle: new MinMaxReducer(SERIES_BUCKETS, range), noBusy: true };
      perVertex.set(s.vertex, v);
    }
    v.steps.push([s.timeS, s.parallelism]);
    v.busy.push([s.timeS, s.busyMsPerS]);
    v.backpressured.push([s.timeS, s.backpressuredMsPerS]);
    v.idle.push([s.timeS, s.idleMsPerS]);
    if (!Number.isNaN(s.busyMsPerS)) v.noBusy = false;
    if (s.vertex.startsWith("Source:")) source.add(s.timeS, s.recordsOutPerS);
    if (s.pendingRecords !== null) lag.add(s.timeS, s.pendingRecords);
  }
  source.end();
  lag.end();
  const parallelism = new Map<string, Point[]>();
  const busy = new Map<string, BusySeries>();
  for (const name of vertices) {
    const v = perVertex.get(name);
    parallelism.set(name, v === undefined ? [] : v.steps.result());
    const empty = (): DownsampleResult => ({ points: [], inputCount: 0, reduced: false });
    busy.set(name, v === undefined ? { busy: empty(), backpressured: empty(), idle: empty(), noBusy: true } : { busy: v.busy.result(), backpressured: v.backpressured.result(), idle: v.idle.result(), noBusy: v.noBusy });
  }
  return { vertices, parallelism, busy, sourceOutput: source.reducer.result(), lag: lag.any ? lag.reducer.result() : undefined };
}

const isChange = (d: DecisionRow) => d.executed || d.newParallelism !== d.currentParallelism;

/**
 * The rows of the evaluation table given one by one: all of them when there are at most
 * `max`, else every change and one in `step` of the others (counted beforehand).
 */
export class EvaluationRowPicker {
  readonly rows: DecisionRow[] = [];
  readonly step: number;
  private readonly all: boolean;
  private others = 0;
  constructor(count: number, changes: number, max = MAX_EVALUATION_ROWS) {
    this.all = count <= max;
    this.step = this.all ? 1 : Math.max(1, Math.ceil((count - changes) / Math.max(1, max - changes)));
  }
  push(d: DecisionRow): void {
    if (this.all || isChange(d)) this.rows.push(d);
    else if (this.others++ % this.step === 0) this.rows.push(d);
  }
}

/**
 * Rows of decisions.csv the first pass keeps for the second, at most (a day of the seed has
 * some 11,500, about 3 MB): a longer file is read again instead, in memory bounded as before.
 * Whether to keep them is decided from summary.json (evaluations x vertices, about the rows
 * decisions.csv has), so that a long run's first pass does not fill the array only to drop
 * it: 50,000 kept rows raised a 30-day report's peak RSS by 15 MiB.
 */
export const KEPT_DECISION_ROWS = 20_000;

/**
 * The first pass over decisions.csv: counts, the gaps between a vertex's evaluations (as a
 * histogram), and the rows themselves when there are at most `keep` (the second pass then
 * goes over them instead of parsing the file again).
 */
function countDecisions(chunks: Iterable<string>, keep: number) {
  let count = 0;
  let changes = 0;
  const gaps = new Map<string, { last: number; histogram: Map<number, number> }>();
  let rows: DecisionRow[] | undefined = [];
  for (const d of decisionRows(chunks)) {
    count++;
    if (rows !== undefined) {
      if (rows.length < keep) rows.push(d);
      else rows = undefined;
    }
    if (isChange(d)) changes++;
    const g = gaps.get(d.vertex);
    if (g === undefined) gaps.set(d.vertex, { last: d.timeS, histogram: new Map() });
    else {
      const gap = d.timeS - g.last;
      g.histogram.set(gap, (g.histogram.get(gap) ?? 0) + 1);
      g.last = d.timeS;
    }
  }
  return { count, changes, gaps, rows };
}

function readDecisions(file: Iterable<string>, summary: Summary, events: readonly EventRow[], range: readonly [number, number], keep: number): DecisionDigest {
  const { count, changes: changeCount, gaps, rows } = countDecisions(file, keep);
  const maxParallelism = new Map(summary.vertices.map((v) => [v.name, v.max_parallelism]));
  const markers = new MarkerCollector(events, maxParallelism, summary.duration_s);
  const picker = new EvaluationRowPicker(count, changeCount);
  const evaluated: string[] = [];
  const changes: DecisionRow[] = [];
  let executedCount = 0;
  const executed = new Map<string, DecisionRow[]>();
  const perVertex = new Map<string, { maxGap: number; last: number | undefined; target: MinMaxReducer; tpr: MinMaxReducer; band: BandReducer }>();
  for (const d of rows ?? decisionRows(file)) {
    markers.push(d);
    picker.push(d);
    if (isChange(d)) changes.push(d);
    if (d.executed) {
      executedCount++;
      const of = executed.get(d.vertex);
      if (of === undefined) executed.set(d.vertex, [d]);
      else of.push(d);
    }
    if (Number.isFinite(d.trueProcessingRate) && !evaluated.includes(d.vertex)) evaluated.push(d.vertex);
    let v = perVertex.get(d.vertex);
    if (v === undefined) {
      // Evaluations come a reconcile apart; much longer silences (a restart, the window filling again) break the lines.
      const median = histogramMedian(gaps.get(d.vertex)?.histogram ?? new Map());
      v = { maxGap: 2.5 * (median ?? Infinity), last: undefined, target: new MinMaxReducer(SERIES_BUCKETS, range), tpr: new MinMaxReducer(SERIES_BUCKETS, range), band: new BandReducer(SERIES_BUCKETS, range) };
      perVertex.set(d.vertex, v);
    }
    // breakLongGaps, as the rows come.
    if (v.last !== undefined && d.timeS - v.last > v.maxGap) {
      const gap: Point = [(v.last + d.timeS) / 2, NaN];
      v.target.push(gap);
      v.tpr.push(gap);
    }
    v.last = d.timeS;
    v.target.push([d.timeS, d.targetDataRate]);
    v.tpr.push([d.timeS, d.trueProcessingRate]);
    v.band.push([d.timeS, d.scaleUpThreshold, d.scaleDownThreshold]);
  }
  const rates = new Map<string, RateSeries>();
  for (const name of evaluated) {
    const v = perVertex.get(name)!;
    rates.set(name, { targetDataRate: v.target.result(), trueProcessingRate: v.tpr.result(), thresholds: { ...v.band.result(), from: v.band.count } });
  }
  return { count, executedCount, evaluated, changes, evaluationRows: picker.rows, evaluationStep: picker.step, markers: markers.result(), rates, executed };
}

/** About the rows of a run's decisions.csv: a row per vertex at each evaluation (summary.json's counts). */
function expectedDecisionRows(summary: Summary): number {
  return summary.autoscaling.evaluations * summary.vertices.length;
}

/**
 * What the report draws of the run whose files `files` holds; throws ReportInputError
 * naming what is missing or wrong.
 */
export function readRunData(files: FileSource, options: ReadOptions = {}): RunData {
  const summary = readSummary(files);
  const range: [number, number] = [0, options.rangeEndS ?? summary.duration_s];
  const restarts = restartRows(requireFile(files, "restarts.csv"));
  const events = eventRows(requireFile(files, "events.csv"));
  const samples = readSamples(requireFile(files, "timeseries.csv"), summary, range);
  const decisions = readDecisions(requireFile(files, "decisions.csv"), summary, events, range, options.keptDecisionRows ?? (expectedDecisionRows(summary) <= KEPT_DECISION_ROWS ? KEPT_DECISION_ROWS : 0));
  const comparisonText = files.open("comparison.csv");
  const subtaskFile = options.subtasks === true ? files.open("subtasks.csv") : undefined;
  return {
    summary,
    samples,
    decisions,
    restarts,
    events,
    comparison: comparisonText === undefined ? undefined : parseComparisonCsv(readText(comparisonText)),
    ...(subtaskFile === undefined ? {} : { subtasks: readSubtaskGrids(subtaskFile, summary) }),
  };
}
