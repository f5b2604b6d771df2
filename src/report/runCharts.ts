/**
 * The charts of one run, as Vega-Lite specs: parallelism with the scaling decisions,
 * restart times, busy / back-pressured / idle per vertex, the rates the autoscaler
 * compared, and the pending records. Each takes the run's records and returns a spec;
 * rendering is renderSvg's job.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_WIDTH, colours, DownsampleLog, formatNumber, formatSeconds, yValue, type TimeAxis } from "./charts.ts";
import type { DecisionMarker } from "./decisionMarkers.ts";
import { formatRate } from "./decisionReasons.ts";
import { median } from "d3-array";
import { breakLongGaps, stepChanges, type BandPoint, type Point } from "./downsample.ts";
import type { DecisionRow, RestartRow, RunRecords, SampleRow } from "./runFiles.ts";

/** The shapes of the decision markers, one legend for every chart that draws them. */
export const MARKER_SHAPES = {
  domain: ["scaled up", "scaled down", "recommended, not executed", "kept"],
  range: ["triangle-up", "triangle-down", "diamond", "circle"],
} as const;

/** The layer names the page's markers carry (vega puts `<name>_marks` on their group; the browser test counts them). */
export const MARKER_LAYERS = { executed: "decision_executed", notExecuted: "decision_not_executed", kept: "decision_kept" } as const;

/** The x channel of a time chart. */
export function xEncoding(axis: TimeAxis, field = "x") {
  return { field, type: "quantitative" as const, title: axis.title, scale: { domain: [axis.domain[0], axis.domain[1]], nice: false, zero: false } };
}

/** The samples of one vertex, in time order. */
export function samplesOf(samples: readonly SampleRow[], vertex: string): SampleRow[] {
  return samples.filter((s) => s.vertex === vertex);
}

/** Vertex names in the summary's order, then any others the samples name. */
export function vertexNames(run: RunRecords): string[] {
  const names = run.summary.vertices.map((v) => v.name);
  for (const s of run.samples) if (!names.includes(s.vertex)) names.push(s.vertex);
  return names;
}

/** The parallelism of each vertex over time as steps, the restarts as shaded spans, every decision as a marker. */
export function parallelismChart(run: RunRecords, axis: TimeAxis, markers: readonly DecisionMarker[]): TopLevelSpec {
  const vertices = vertexNames(run);
  const colour = { domain: vertices, range: colours(vertices.length) };
  const lines = vertices.flatMap((vertex) =>
    stepChanges(samplesOf(run.samples, vertex).map((s): Point => [s.timeS, s.parallelism])).map(([t, p]) => ({ x: t * axis.perSecond, p, vertex })),
  );
  const spans = run.restarts.map((r, i) => ({
    x: r.decisionTimeS * axis.perSecond,
    x2: (r.runningTimeS ?? run.summary.duration_s) * axis.perSecond,
    text: `restart ${i + 1}: decided at ${formatSeconds(r.decisionTimeS)}, RUNNING ${r.runningTimeS === null ? "not before the end" : `at ${formatSeconds(r.runningTimeS)}`}; actual ${r.actualS ?? "-"} s, the autoscaler used ${r.restartTimeUsedS} s`,
  }));
  const markerData = (keep: (m: DecisionMarker) => boolean) =>
    markers.filter(keep).map((m) => ({ x: m.timeS * axis.perSecond, p: m.parallelism, vertex: m.vertex, outcome: m.outcome, text: m.text }));
  const markerLayer = (name: string, keep: (m: DecisionMarker) => boolean, mark: Record<string, unknown>) => ({
    name,
    data: { values: markerData(keep) },
    mark: { type: "point", aria: true, ...mark },
    encoding: {
      x: xEncoding(axis),
      y: { field: "p", type: "quantitative" },
      color: { field: "vertex", type: "nominal", scale: colour, title: "vertex" },
      shape: { field: "outcome", type: "nominal", scale: { domain: [...MARKER_SHAPES.domain], range: [...MARKER_SHAPES.range] }, title: "decision" },
      description: { field: "text" },
    },
  });
  // Up to the highest parallelism reached or recommended (the vertex table gives each max parallelism).
  const maxP = Math.max(1, ...lines.map((l) => l.p), ...markers.map((m) => m.parallelism));
  return {
    width: CHART_WIDTH,
    height: 240,
    title: { text: "Parallelism of every vertex", subtitle: "markers: every scaling decision (hover for its reason); shaded: restarts, from the decision to RUNNING again" },
    layer: [
      ...(spans.length === 0
        ? []
        : [
            {
              name: "restart_span",
              data: { values: spans },
              mark: { type: "rect", color: "#f2a93b", opacity: 0.22, aria: true },
              encoding: { x: xEncoding(axis), x2: { field: "x2" }, description: { field: "text" } },
            },
          ]),
      {
        data: { values: lines },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x: xEncoding(axis),
          y: { field: "p", type: "quantitative", title: "parallelism", scale: { domain: [0, maxP + 0.5], nice: false }, axis: { tickMinStep: 1, format: "d" } },
          color: { field: "vertex", type: "nominal", scale: colour, title: "vertex" },
        },
      },
      markerLayer(MARKER_LAYERS.kept, (m) => m.outcome === "kept", { filled: false, size: 26, strokeWidth: 1, opacity: 0.7 }),
      markerLayer(MARKER_LAYERS.notExecuted, (m) => !m.executed && m.outcome !== "kept", { filled: false, size: 80, strokeWidth: 1.5, opacity: 1 }),
      markerLayer(MARKER_LAYERS.executed, (m) => m.executed, { filled: true, size: 130, opacity: 1, stroke: "#222", strokeWidth: 1 }),
    ],
    resolve: { scale: { color: "shared", shape: "shared" } },
  } as TopLevelSpec;
}

/** The two measures of a restart, in the colours every restart chart uses. */
export const RESTART_MEASURES = { domain: ["actual restart", "restart time the autoscaler used"], range: ["#e45756", "#4c78a8"] } as const;

/** Per scaling, side by side: the actual restart (decision to RUNNING) and the restart time the autoscaler used for it. */
export function restartChart(restarts: readonly RestartRow[]): TopLevelSpec {
  const bars = restarts.flatMap((r, i) => [
    {
      scaling: i + 1,
      measure: RESTART_MEASURES.domain[0],
      s: r.actualS,
      text: `scaling ${i + 1}, decided at ${formatSeconds(r.decisionTimeS)}: actual restart ${r.actualS === null ? "not finished before the end" : `${r.actualS} s`} (${r.kind})`,
    },
    { scaling: i + 1, measure: RESTART_MEASURES.domain[1], s: r.restartTimeUsedS, text: `scaling ${i + 1}, decided at ${formatSeconds(r.decisionTimeS)}: the autoscaler used ${r.restartTimeUsedS} s` },
  ]);
  const layer = (name: string, measure: string) => ({
    name,
    data: { values: bars.filter((b) => b.measure === measure && b.s !== null) },
    mark: { type: "bar", aria: true },
    encoding: {
      x: { field: "scaling", type: "ordinal", title: "scaling, in order", axis: { labelAngle: 0 }, scale: { domain: restarts.map((_, i) => i + 1) } },
      xOffset: { field: "measure", type: "nominal", scale: { domain: [...RESTART_MEASURES.domain] } },
      y: { field: "s", type: "quantitative", title: "seconds" },
      color: { field: "measure", type: "nominal", scale: { domain: [...RESTART_MEASURES.domain], range: [...RESTART_MEASURES.range] }, title: null },
      description: { field: "text" },
    },
  });
  return {
    width: Math.min(CHART_WIDTH, Math.max(240, restarts.length * 60)),
    height: 180,
    title: { text: "Restart time per scaling: actual against what the autoscaler used", subtitle: "actual: from the decision to RUNNING at the new parallelism (restarts.csv)" },
    layer: [layer("restart_actual", RESTART_MEASURES.domain[0]), layer("restart_used", RESTART_MEASURES.domain[1])],
  } as TopLevelSpec;
}

const STATE_COLOURS = { domain: ["busy", "back-pressured", "idle"], range: ["#e45756", "#555555", "#4c78a8"] };

/** Busy, back-pressured and idle time of one vertex (averages over its subtasks, ms per second). */
export function busyChart(run: RunRecords, vertex: string, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const rows = samplesOf(run.samples, vertex);
  const range: [number, number] = [0, run.summary.duration_s];
  const series = (name: string, of: (s: SampleRow) => number) =>
    log.downsample(`busy ${vertex}`, name, rows.map((s): Point => [s.timeS, of(s)]), range).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v), state: name }));
  const values = [...series("busy", (s) => s.busyMsPerS), ...series("back-pressured", (s) => s.backpressuredMsPerS), ...series("idle", (s) => s.idleMsPerS)];
  const noBusy = rows.every((s) => Number.isNaN(s.busyMsPerS));
  return {
    width: CHART_WIDTH,
    height: 150,
    title: { text: vertex, subtitle: noBusy ? "Flink reports no busy time for this vertex (a legacy source): back-pressured and idle only" : "busy, back-pressured and idle ms per second, averaged over subtasks" },
    data: { values },
    mark: { type: "line", strokeWidth: 1.25, interpolate: "linear" },
    encoding: {
      x: xEncoding(axis),
      y: { field: "v", type: "quantitative", title: "ms per second", scale: { domain: [0, 1000] } },
      color: { field: "state", type: "nominal", scale: STATE_COLOURS, title: null },
    },
  } as TopLevelSpec;
}

/** The vertices the autoscaler evaluated with a finite true processing rate (it cannot scale the others). */
export function evaluatedVertices(decisions: readonly DecisionRow[]): string[] {
  const names: string[] = [];
  for (const d of decisions) if (Number.isFinite(d.trueProcessingRate) && !names.includes(d.vertex)) names.push(d.vertex);
  return names;
}

/** Source vertices: Flink names a source operator "Source: <name>", and the scenarios follow it. */
export function sourceVertices(run: RunRecords): string[] {
  return vertexNames(run).filter((v) => v.startsWith("Source:"));
}

const RATE_SERIES = ["source output rate", "target data rate", "true processing rate", "band between the thresholds"] as const;
const RATE_COLOURS = ["#9d9d9d", "#f58518", "#e45756", "#54a24b"];

/**
 * What the autoscaler compared for one vertex: its true processing rate against the band
 * between the scale-up and scale-down thresholds, with the target data rate and the
 * sources' output rate (timeseries.csv) for reference.
 */
export function ratesChart(run: RunRecords, vertex: string, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const range: [number, number] = [0, run.summary.duration_s];
  const rows = run.decisions.filter((d) => d.vertex === vertex);
  const bySample = new Map<number, number>();
  const sources = new Set(sourceVertices(run));
  for (const s of run.samples) if (sources.has(s.vertex)) bySample.set(s.timeS, (bySample.get(s.timeS) ?? 0) + s.recordsOutPerS);
  const series = (name: (typeof RATE_SERIES)[number], points: Point[]) =>
    log.downsample(`rates ${vertex}`, name, points, range).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v), series: name }));
  // Evaluations come a reconcile apart; much longer silences (a restart, the window filling again) break the lines.
  const gaps = rows.slice(1).map((d, i) => d.timeS - rows[i]!.timeS);
  const maxGap = 2.5 * (median(gaps) ?? Infinity);
  const of = (f: (d: DecisionRow) => number) => breakLongGaps(rows.map((d): Point => [d.timeS, f(d)]), maxGap);
  const lines = [
    ...series("source output rate", [...bySample].map(([t, v]): Point => [t, v])),
    ...series("target data rate", of((d) => d.targetDataRate)),
    ...series("true processing rate", of((d) => d.trueProcessingRate)),
  ];
  const band = log
    .band(`rates ${vertex}`, "thresholds", rows.map((d): BandPoint => [d.timeS, d.scaleUpThreshold, d.scaleDownThreshold]), range)
    .map(([t, lo, hi]) => ({ x: t * axis.perSecond, lo, hi, series: RATE_SERIES[3] }));
  const atScalings = rows
    .filter((d) => d.executed)
    .flatMap((d) =>
      (["target data rate", "true processing rate"] as const).map((name) => {
        const v = name === "target data rate" ? d.targetDataRate : d.trueProcessingRate;
        return { x: d.timeS * axis.perSecond, v: yValue(v), series: name, text: `t = ${formatSeconds(d.timeS)}, scaled ${d.currentParallelism} → ${d.newParallelism}: ${name} ${formatRate(v)}, thresholds [${formatRate(d.scaleUpThreshold)}, ${formatRate(d.scaleDownThreshold)}]` };
      }),
    );
  const colour = { field: "series", type: "nominal", scale: { domain: [...RATE_SERIES], range: RATE_COLOURS }, title: null, legend: { symbolOpacity: 1 } } as const;
  // A vertex that idles has a true processing rate orders of magnitude above its load (a source
  // that is mostly idle: 500,000 records/s against 100): the chart then stops a quarter above
  // everything else it draws, and says that the rate runs off the top.
  const finite = (xs: readonly (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
  const others = finite([...lines.filter((l) => l.series !== "true processing rate").map((l) => l.v), ...band.flatMap((b) => [b.lo, b.hi])]);
  const top = 1.25 * Math.max(1, ...others);
  const highest = Math.max(0, ...finite(lines.filter((l) => l.series === "true processing rate").map((l) => l.v)));
  const cut = highest > 2 * top;
  const y = (field: string, title?: string) => ({ field, type: "quantitative", ...(title === undefined ? {} : { title }), ...(cut ? { scale: { domain: [0, top], nice: false } } : {}) });
  return {
    width: CHART_WIDTH,
    height: 200,
    title: {
      text: `Rates the autoscaler compared: ${vertex}`,
      subtitle:
        "true processing rate against the band between the thresholds (decisions.csv); dots: the rates of each executed scaling" +
        (cut ? `; the true processing rate runs off the top (up to ${formatNumber(highest)} records/s)` : ""),
    },
    layer: [
      {
        data: { values: band },
        mark: { type: "area", opacity: 0.22, interpolate: "step-after", clip: cut },
        encoding: { x: xEncoding(axis), y: y("lo", "records per second"), y2: { field: "hi" }, color: colour },
      },
      {
        data: { values: lines },
        mark: { type: "line", strokeWidth: 1.4, clip: cut },
        encoding: { x: xEncoding(axis), y: y("v"), color: colour },
      },
      {
        // The rates each executed scaling was decided on (a lone evaluation after a gap draws no line).
        name: "rates_at_scaling",
        data: { values: atScalings },
        mark: { type: "point", filled: true, size: 45, opacity: 1, aria: true, clip: cut },
        encoding: { x: xEncoding(axis), y: y("v"), color: colour, description: { field: "text" } },
      },
    ],
  } as TopLevelSpec;
}

/** The pending records summed over sources at each sample, or undefined when no source reports them. */
export function lagSeries(samples: readonly SampleRow[]): Point[] | undefined {
  const bySample = new Map<number, number>();
  for (const s of samples) if (s.pendingRecords !== null) bySample.set(s.timeS, (bySample.get(s.timeS) ?? 0) + s.pendingRecords);
  return bySample.size === 0 ? undefined : [...bySample].map(([t, v]): Point => [t, v]);
}

export function lagChart(lag: readonly Point[], durationS: number, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const values = log.downsample("lag", "pending records", lag, [0, durationS]).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v) }));
  return {
    width: CHART_WIDTH,
    height: 160,
    title: { text: "Pending records (lag)", subtitle: "pendingRecords summed over the sources' subtasks" },
    data: { values },
    mark: { type: "area", line: { color: "#4c78a8", strokeWidth: 1.25 }, color: "#4c78a8", opacity: 0.25 },
    encoding: { x: xEncoding(axis), y: { field: "v", type: "quantitative", title: "records" } },
  } as TopLevelSpec;
}
