/**
 * Per-subtask heat maps of busy time (subtasks.csv, written when simulation.subtasks is on):
 * one per vertex, x time, y subtask index, colour busy ms per second, so that a hot key or a
 * skewed partition shows as one bright row. subtasks.csv is read as it comes, into a grid of
 * at most HEATMAP_CELLS cells over all vertices: the run's time cut into equal spans, each
 * cell the mean busy time of that subtask over the samples in its span (a vertex's highest
 * parallelism sets its rows). A run of 30 days at 24 subtasks is 6 million rows; its map is
 * a few thousand rectangles.
 */
import type { TopLevelSpec } from "vega-lite";
import type { Summary } from "../record/summary.ts";
import { CHART_WIDTH, formatNumber, formatSeconds, type TimeAxis } from "./charts.ts";
import { csvRecords, CsvSyntaxError } from "./lineSource.ts";
import { ReportInputError } from "./runFiles.ts";
import { xEncoding } from "./runCharts.ts";

/** Cells of all the heat maps of a page together (about 70 bytes of SVG each, measured). */
export const HEATMAP_CELLS = 4000;
/** Time spans of one map at most: a little under one per 6 pixels of the plot. */
export const HEATMAP_MAX_SPANS = 150;

/** One vertex's grid: mean busy ms/s per (span, subtask); NaN where no sample fell. */
export interface SubtaskGrid {
  readonly vertex: string;
  readonly spans: number;
  readonly spanS: number;
  readonly subtasks: number;
  readonly busy: Float64Array;
  /** Samples (rows of subtasks.csv) of the vertex, and how many had a busy time (a legacy source has none). */
  readonly rows: number;
  readonly rowsWithBusy: number;
  /** The subtask with the highest mean busy time over the run, and that mean; the vertex mean over its subtasks. */
  readonly hottest: { readonly subtask: number; readonly meanBusy: number } | null;
  readonly meanBusy: number;
  /** The highest input_share of a subtask (partitions or key groups under the key distribution). */
  readonly maxShare: number;
}

export interface SubtaskGrids {
  readonly grids: readonly SubtaskGrid[];
  /** Samples per span when the grid is coarser than the samples (1 when every sample has its column). */
  readonly samplesPerSpan: number;
}

/** The spans each vertex's map gets: the cell budget shared by the vertices, no more spans than samples. */
export function spansFor(rows: readonly number[], samples: number): number {
  const total = rows.reduce((a, b) => a + b, 0);
  if (total === 0) return 1;
  return Math.max(1, Math.min(HEATMAP_MAX_SPANS, samples, Math.floor(HEATMAP_CELLS / total)));
}

/** subtasks.csv reduced to grids as its rows come; throws ReportInputError when it cannot be read. */
export function readSubtaskGrids(chunks: Iterable<string>, summary: Summary): SubtaskGrids {
  const samples = Math.max(1, Math.round(summary.duration_s / summary.sample_interval_s));
  const vertices = summary.vertices.map((v) => ({ name: v.name, rows: Math.max(1, v.parallelism_max_reached) }));
  const spans = spansFor(
    vertices.map((v) => v.rows),
    samples,
  );
  const spanS = summary.duration_s / spans;
  const acc = new Map(
    vertices.map((v) => [v.name, { rows: v.rows, sum: new Float64Array(spans * v.rows), count: new Uint32Array(spans * v.rows), total: new Float64Array(v.rows), totalCount: new Uint32Array(v.rows), share: new Float64Array(v.rows), n: 0, withBusy: 0 }]),
  );
  const records = csvRecords(chunks);
  try {
    const first = records.next();
    const header = first.done === true ? [] : first.value;
    const col = (name: string) => {
      const i = header.indexOf(name);
      if (i < 0) throw new ReportInputError(`subtasks.csv has no column ${name}`);
      return i;
    };
    const [cT, cV, cS, cB, cShare] = [col("time_s"), col("vertex"), col("subtask"), col("busy_ms_per_s"), col("input_share")];
    for (const cells of records) {
      const a = acc.get(cells[cV] ?? "");
      if (a === undefined) continue;
      const s = Number(cells[cS]);
      if (!(s >= 0 && s < a.rows)) continue;
      a.n++;
      a.share[s] = Math.max(a.share[s]!, Number(cells[cShare]) || 0);
      const busy = cells[cB] === "" || cells[cB] === undefined ? NaN : Number(cells[cB]);
      if (Number.isNaN(busy)) continue;
      a.withBusy++;
      // A sample at the very end belongs to the last span.
      const span = Math.min(spans - 1, Math.max(0, Math.floor((Number(cells[cT]) - 1e-9) / spanS)));
      a.sum[span * a.rows + s]! += busy;
      a.count[span * a.rows + s]!++;
      a.total[s]! += busy;
      a.totalCount[s]!++;
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new ReportInputError(`subtasks.csv cannot be read (${e.message})`);
    throw e;
  }
  const grids: SubtaskGrid[] = [];
  for (const v of vertices) {
    const a = acc.get(v.name)!;
    if (a.n === 0) continue;
    const busy = new Float64Array(spans * a.rows);
    for (let i = 0; i < busy.length; i++) busy[i] = a.count[i]! === 0 ? NaN : a.sum[i]! / a.count[i]!;
    let hottest: SubtaskGrid["hottest"] = null;
    let sum = 0;
    let n = 0;
    for (let s = 0; s < a.rows; s++) {
      if (a.totalCount[s]! === 0) continue;
      const mean = a.total[s]! / a.totalCount[s]!;
      sum += mean;
      n++;
      if (hottest === null || mean > hottest.meanBusy) hottest = { subtask: s, meanBusy: mean };
    }
    grids.push({ vertex: v.name, spans, spanS, subtasks: a.rows, busy, rows: a.n, rowsWithBusy: a.withBusy, hottest, meanBusy: n === 0 ? NaN : sum / n, maxShare: Math.max(...a.share) });
  }
  return { grids, samplesPerSpan: Math.max(1, Math.round(spanS / summary.sample_interval_s)) };
}

/** A vertex's heat map: a rectangle per (span, subtask) with samples, coloured by mean busy ms/s on a fixed 0..1000 scale. */
export function subtaskHeatmapChart(grid: SubtaskGrid, axis: TimeAxis): TopLevelSpec {
  const values: { x: number; x2: number; s: number; busy: number }[] = [];
  for (let span = 0; span < grid.spans; span++) {
    for (let s = 0; s < grid.subtasks; s++) {
      const b = grid.busy[span * grid.subtasks + s]!;
      if (Number.isNaN(b)) continue;
      values.push({ x: span * grid.spanS * axis.perSecond, x2: (span + 1) * grid.spanS * axis.perSecond, s, busy: Math.round(b) });
    }
  }
  const hot = grid.hottest;
  return {
    width: CHART_WIDTH,
    height: Math.min(300, Math.max(60, grid.subtasks * 12)),
    title: {
      text: `Busy time per subtask: ${grid.vertex}`,
      subtitle:
        `mean busy ms per second of each subtask in each ${formatSeconds(grid.spanS)} span (subtasks.csv)` +
        (hot === null ? "" : `; busiest: subtask ${hot.subtask}, ${formatNumber(hot.meanBusy, 0)} ms/s on average while it ran (the subtasks' average: ${formatNumber(grid.meanBusy, 0)})`),
    },
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: xEncoding(axis),
      x2: { field: "x2" },
      y: { field: "s", type: "ordinal", title: "subtask", scale: { domain: Array.from({ length: grid.subtasks }, (_, i) => i) }, axis: { labelOverlap: true } },
      color: { field: "busy", type: "quantitative", title: "busy ms/s", scale: { domain: [0, 1000], scheme: "orangered" }, legend: { orient: "right", direction: "vertical", gradientLength: 80 } },
    },
  } as TopLevelSpec;
}
