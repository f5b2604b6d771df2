/**
 * The charts of a comparison: the variants of one scenario overlaid on the same axes
 * (parallelism with the executed scalings, restarts, pending records), as Vega-Lite specs.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_WIDTH, colours, DownsampleLog, formatSeconds, yValue, type TimeAxis } from "./charts.ts";
import type { RunData } from "./runData.ts";
import { MARKER_LAYERS, xEncoding } from "./runCharts.ts";

/** A variant's run, named as comparison.csv names it. */
export interface VariantRun {
  readonly variant: string;
  /** Read with the comparison's time range (readRunData's rangeEndS: the longest variant's duration). */
  readonly run: RunData;
}

function variantScale(runs: readonly VariantRun[]) {
  return { domain: runs.map((r) => r.variant), range: colours(runs.length) };
}

/** Dash patterns per variant, so that lines lying on each other stay distinguishable. */
function dashScale(runs: readonly VariantRun[]) {
  const dashes = [[1, 0], [6, 4], [2, 3], [8, 3, 2, 3]];
  return { domain: runs.map((r) => r.variant), range: runs.map((_, i) => dashes[i % dashes.length]!) };
}

/** The vertices whose parallelism changes in at least one variant (the others would draw flat lines). */
export function changingVertices(runs: readonly VariantRun[]): string[] {
  const names: string[] = [];
  for (const { run } of runs) {
    for (const v of run.summary.vertices) {
      const ps = new Set((run.samples.parallelism.get(v.name) ?? []).map(([, p]) => p));
      if (ps.size > 1 && !names.includes(v.name)) names.push(v.name);
    }
  }
  return names;
}

/** One vertex's parallelism in every variant, with each variant's executed scalings marked. */
export function parallelismComparisonChart(runs: readonly VariantRun[], vertex: string, axis: TimeAxis): TopLevelSpec {
  const lines = runs.flatMap(({ variant, run }) =>
    (run.samples.parallelism.get(vertex) ?? []).map(([t, p]) => ({ x: t * axis.perSecond, p, variant })),
  );
  const executed = runs.flatMap(({ variant, run }) =>
    (run.decisions.executed.get(vertex) ?? []).map((d) => ({
        x: d.timeS * axis.perSecond,
        p: d.newParallelism,
        variant,
        direction: d.newParallelism > d.currentParallelism ? "scaled up" : "scaled down",
        text: `${variant}, t = ${formatSeconds(d.timeS)}: ${d.currentParallelism} → ${d.newParallelism} (restart time used ${d.restartTimeUsedS} s)`,
      })),
  );
  const maxP = Math.max(1, ...lines.map((l) => l.p), ...executed.map((e) => e.p));
  return {
    width: CHART_WIDTH,
    height: 220,
    title: { text: `Parallelism: ${vertex}`, subtitle: "every variant on the same axes; triangles: executed scalings (hover for details)" },
    layer: [
      {
        data: { values: lines },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x: xEncoding(axis),
          y: { field: "p", type: "quantitative", title: "parallelism", scale: { domain: [0, maxP + 0.5], nice: false }, axis: { tickMinStep: 1, format: "d" } },
          color: { field: "variant", type: "nominal", scale: variantScale(runs), title: "variant", legend: { symbolType: "stroke" } },
          strokeDash: { field: "variant", type: "nominal", scale: dashScale(runs), title: "variant" },
        },
      },
      {
        name: MARKER_LAYERS.executed,
        data: { values: executed },
        mark: { type: "point", filled: true, size: 120, opacity: 1, stroke: "#222", strokeWidth: 1, aria: true },
        encoding: {
          x: xEncoding(axis),
          y: { field: "p", type: "quantitative" },
          color: { field: "variant", type: "nominal", scale: variantScale(runs), title: "variant", legend: { symbolType: "stroke" } },
          shape: { field: "direction", type: "nominal", scale: { domain: ["scaled up", "scaled down"], range: ["triangle-up", "triangle-down"] }, title: "scaling" },
          description: { field: "text" },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Per scaling, each variant's actual restart as a bar and the restart time its autoscaler used as a tick. */
export function restartComparisonChart(runs: readonly VariantRun[]): TopLevelSpec {
  const most = Math.max(0, ...runs.map(({ run }) => run.restarts.length));
  const rows = runs.flatMap(({ variant, run }) =>
    run.restarts.map((r, i) => ({
      scaling: i + 1,
      variant,
      actual: r.actualS,
      used: r.restartTimeUsedS,
      text: `${variant}, scaling ${i + 1} at ${formatSeconds(r.decisionTimeS)}: actual ${r.actualS ?? "not finished"}${r.actualS === null ? "" : " s"}, the autoscaler used ${r.restartTimeUsedS} s`,
    })),
  );
  // Room above the tallest bar or tick, so a tick at the top is not cut by the frame.
  const top = Math.max(1, ...rows.flatMap((r) => [r.actual ?? 0, r.used])) * 1.08;
  const x = { field: "scaling", type: "ordinal", title: "scaling, in order", axis: { labelAngle: 0 }, scale: { domain: Array.from({ length: most }, (_, i) => i + 1) } };
  const xOffset = { field: "variant", type: "nominal", scale: { domain: runs.map((r) => r.variant) } };
  return {
    width: Math.min(CHART_WIDTH, Math.max(300, most * 30 * runs.length)),
    height: 200,
    title: { text: "Restart time per scaling", subtitle: "bars: actual restart (decision to RUNNING); black ticks: the restart time the autoscaler used for that scaling" },
    layer: [
      {
        name: "restart_actual",
        data: { values: rows.filter((r) => r.actual !== null) },
        mark: { type: "bar", aria: true },
        encoding: { x, xOffset, y: { field: "actual", type: "quantitative", title: "seconds", scale: { domain: [0, top], nice: false } }, color: { field: "variant", type: "nominal", scale: variantScale(runs), title: "variant" }, description: { field: "text" } },
      },
      {
        name: "restart_used",
        data: { values: rows },
        mark: { type: "tick", color: "#111", thickness: 3, aria: true },
        encoding: { x, xOffset, y: { field: "used", type: "quantitative" }, description: { field: "text" } },
      },
    ],
  } as TopLevelSpec;
}

/** Pending records of every variant that has them, or undefined when none has. */
export function lagComparisonChart(runs: readonly VariantRun[], axis: TimeAxis, log: DownsampleLog): TopLevelSpec | undefined {
  const values = runs.flatMap(({ variant, run }) => {
    const lag = run.samples.lag;
    return lag === undefined ? [] : log.add("lag", variant, lag).map(([t, v]) => ({ x: t * axis.perSecond, v: yValue(v), variant }));
  });
  if (values.length === 0) return undefined;
  return {
    width: CHART_WIDTH,
    height: 180,
    title: { text: "Pending records (lag)", subtitle: "pendingRecords summed over the sources' subtasks" },
    data: { values },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: xEncoding(axis),
      y: { field: "v", type: "quantitative", title: "records" },
      color: { field: "variant", type: "nominal", scale: variantScale(runs), title: "variant" },
      strokeDash: { field: "variant", type: "nominal", scale: dashScale(runs), title: "variant" },
    },
  } as TopLevelSpec;
}
