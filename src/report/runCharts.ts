/**
 * The charts of one run, as Vega-Lite specs: parallelism with the scaling decisions,
 * restart times, busy / back-pressured / idle per vertex, the rates the autoscaler
 * compared, and the pending records. Each takes what the report read of the run (RunData:
 * its series reduced as the files were read, runData.ts) and returns a spec;
 * rendering is renderSvg's job.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_WIDTH, colours, DownsampleLog, formatNumber, formatSeconds, yValue, type TimeAxis } from "./charts.ts";
import type { DecisionMarker } from "./decisionMarkers.ts";
import { formatRate } from "./decisionReasons.ts";
import type { DownsampleResult } from "./downsample.ts";
import type { RestartRow } from "./runFiles.ts";
import type { RunData } from "./runData.ts";

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

/** Vertex names in the summary's order, then any others the samples name. */
export function vertexNames(run: RunData): readonly string[] {
  return run.samples.vertices;
}

/** The parallelism of each vertex over time as steps, the restarts as shaded spans, every decision as a marker. */
export function parallelismChart(run: RunData, axis: TimeAxis, markers: readonly DecisionMarker[]): TopLevelSpec {
  const vertices = [...vertexNames(run)];
  const colour = { domain: vertices, range: colours(vertices.length) };
  const lines = vertices.flatMap((vertex) => (run.samples.parallelism.get(vertex) ?? []).map(([t, p]) => ({ x: t * axis.perSecond, p, vertex })));
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
    title: { text: "Parallelism of every vertex", subtitle: "markers: every scaling decision (hover for its reason); shaded: restarts, from the decision to RUNNING again; dashed rules: each scaling" },
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
      // Each scaling where it happened, full height: on a long run's axis its restart span is too thin to see.
      ...(spans.length === 0
        ? []
        : [
            {
              name: "scaling_rule",
              data: { values: run.restarts.map((r, i) => ({ x: r.decisionTimeS * axis.perSecond, text: `scaling ${i + 1} at ${formatSeconds(r.decisionTimeS)}` })) },
              mark: { type: "rule", color: "#777", strokeWidth: 1, strokeDash: [3, 3], aria: true },
              encoding: { x: xEncoding(axis), description: { field: "text" } },
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
export function busyChart(run: RunData, vertex: string, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const of = run.samples.busy.get(vertex);
  const none: DownsampleResult = { points: [], inputCount: 0, reduced: false };
  const series = (name: string, r: DownsampleResult) => log.add(`busy ${vertex}`, name, r).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v), state: name }));
  const values = [...series("busy", of?.busy ?? none), ...series("back-pressured", of?.backpressured ?? none), ...series("idle", of?.idle ?? none)];
  const noBusy = of?.noBusy ?? true;
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
export function evaluatedVertices(run: RunData): readonly string[] {
  return run.decisions.evaluated;
}

const RATE_SERIES = ["source output rate", "target data rate", "true processing rate", "band between the thresholds"] as const;
const RATE_COLOURS = ["#9d9d9d", "#f58518", "#e45756", "#54a24b"];

/**
 * What the autoscaler compared for one vertex: its true processing rate against the band
 * between the scale-up and scale-down thresholds, with the target data rate and the
 * sources' output rate (timeseries.csv) for reference.
 */
export function ratesChart(run: RunData, vertex: string, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const rates = run.decisions.rates.get(vertex);
  const none: DownsampleResult = { points: [], inputCount: 0, reduced: false };
  const series = (name: (typeof RATE_SERIES)[number], r: DownsampleResult) => log.add(`rates ${vertex}`, name, r).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v), series: name }));
  // The source output rate: records_out_per_s summed over the source vertices (Flink names a source operator "Source: <name>").
  const lines = [
    ...series("source output rate", run.samples.sourceOutput),
    ...series("target data rate", rates?.targetDataRate ?? none),
    ...series("true processing rate", rates?.trueProcessingRate ?? none),
  ];
  const band = log
    .addBand(`rates ${vertex}`, "thresholds", rates?.thresholds ?? { points: [], reduced: false, from: 0 })
    .map(([t, lo, hi]) => ({ x: t * axis.perSecond, lo, hi, series: RATE_SERIES[3] }));
  const atScalings = (run.decisions.executed.get(vertex) ?? [])
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

/** The pending records summed over sources at each sample (downsampled), or undefined when no source reports them. */
export function lagSeries(run: RunData): DownsampleResult | undefined {
  return run.samples.lag;
}

export function lagChart(lag: DownsampleResult, axis: TimeAxis, log: DownsampleLog): TopLevelSpec {
  const values = log.add("lag", "pending records", lag).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v) }));
  return {
    width: CHART_WIDTH,
    height: 160,
    title: { text: "Pending records (lag)", subtitle: "pendingRecords summed over the sources' subtasks" },
    data: { values },
    mark: { type: "area", line: { color: "#4c78a8", strokeWidth: 1.25 }, color: "#4c78a8", opacity: 0.25 },
    encoding: { x: xEncoding(axis), y: { field: "v", type: "quantitative", title: "records" } },
  } as TopLevelSpec;
}
