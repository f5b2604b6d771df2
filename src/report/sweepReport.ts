/**
 * report.html of a sweep (out/<scenario>/sweep/): each grid key against each headline
 * figure, from cells.csv (a cell's mean and the half-width of its 95% confidence
 * interval over its seeds). One key: the mean as a line over the key's values with the
 * interval as a band. Two keys: a heat map of the mean, the interval in each square's
 * hover text. More keys: the table only (a chart of one key would average over the others).
 * The figures are the sweep's --figures (sweep.json's cells_figures) or a default few,
 * each in its unit (src/sweep/figureFormats.ts); the table's cells are in --rank's order,
 * their numbers rounded as the console's (src/sweep/intervalRounding.ts).
 */
import { parse } from "csv-parse/sync";
import type { TopLevelSpec } from "vega-lite";
import { figureHeading, inUnit } from "../sweep/figureFormats.ts";
import { formatWithInterval, roundToInterval } from "../sweep/intervalRounding.ts";
import { SweepError } from "../sweep/SweepError.ts";
import { parseRank, rankCells, rankText, type Rank } from "../sweep/tableChoice.ts";
import { CHART_WIDTH } from "./charts.ts";
import { paragraph, renderPage, table, type Section } from "./page.ts";
import { renderChartFigure } from "./renderSvg.ts";
import { ReportInputError } from "./runFiles.ts";
import { sweepVerdictBlocks } from "./sweepVerdicts.ts";

/** The figures drawn and tabled, in this order, when the sweep has them and no --figures chose others. */
export const SWEEP_CHART_FIGURES = [
  "scalings",
  "restart_time_used_last_s",
  "slot_hours",
  "source_backpressured_share",
  "lag_max",
  "time_lag_above_60s_s",
  "records_processed",
] as const;

interface SweepDefinition {
  readonly scenario: string;
  readonly variant: string;
  readonly grid: readonly { readonly key: string; readonly values: readonly string[] }[];
  readonly replications: number;
  readonly seed: number;
  readonly duration_s: number;
  readonly baseline: number;
  readonly figures: readonly string[];
  /** --figures, when given: the figures cells.csv holds. */
  readonly cells_figures?: readonly string[];
  /** --rank, when given: `FIGURE:asc` or `FIGURE:desc`. */
  readonly rank?: string;
}

/** One cell's figure in its unit (a share in %): its grid values, mean and interval half-width (NaN when missing). */
export interface CellFigure {
  readonly cell: number;
  readonly values: Readonly<Record<string, string>>;
  readonly mean: number;
  readonly ci95: number;
}

function definitionOf(text: string): SweepDefinition {
  let d: unknown;
  try {
    d = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`sweep.json cannot be read (${(e as Error).message})`);
  }
  const s = d as Partial<SweepDefinition> | null;
  if (s === null || typeof s !== "object" || !Array.isArray(s.grid) || !Array.isArray(s.figures)) throw new ReportInputError("sweep.json is not a sweep's definition (no grid or figures)");
  return s as SweepDefinition;
}

const number = (x: string | undefined) => (x === undefined || x === "" ? NaN : Number(x));

/** The cells of cells.csv for one figure. */
export function cellFigures(cellsCsv: string, keys: readonly string[], figure: string): CellFigure[] {
  const rows = parse(cellsCsv, { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    cell: Number(r.cell),
    values: Object.fromEntries(keys.map((k) => [k, r[k] ?? ""])),
    mean: inUnit(figure, number(r[`${figure}_mean`]))!,
    ci95: inUnit(figure, number(r[`${figure}_ci95`]))!,
  }));
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);
/** `mean ± ci` rounded to what the interval supports. */
const withInterval = (c: CellFigure) => formatWithInterval(orNull(c.mean), orNull(c.ci95));

/** One key: the mean over the key's values (in the grid's order), the 95% interval as a band. */
export function lineChart(key: string, order: readonly string[], figure: string, cells: readonly CellFigure[]): TopLevelSpec {
  const data = cells
    .filter((c) => !Number.isNaN(c.mean))
    .map((c) => {
      const ci = Number.isNaN(c.ci95) ? 0 : c.ci95;
      return { x: c.values[key], mean: c.mean, low: c.mean - ci, high: c.mean + ci, text: `${key} = ${c.values[key]}: ${withInterval(c)}` };
    });
  const x = { field: "x", type: "ordinal" as const, sort: [...order], title: key, axis: { labelAngle: 0 } };
  return {
    title: { text: figureHeading(figure), subtitle: "mean over the cell's seeds; band: 95% confidence interval" },
    width: Math.min(CHART_WIDTH, Math.max(300, order.length * 80)),
    height: 180,
    data: { values: data },
    layer: [
      { mark: { type: "area", opacity: 0.25, color: "#4c78a8" }, encoding: { x, y: { field: "low", type: "quantitative", title: figureHeading(figure) }, y2: { field: "high" } } },
      { mark: { type: "line", color: "#4c78a8", point: true }, encoding: { x, y: { field: "mean", type: "quantitative" }, description: { field: "text" } } },
    ],
  } as TopLevelSpec;
}

/** Two keys: a heat map of the mean, the value written in each square. */
export function heatMap(keys: readonly [string, string], orders: readonly [readonly string[], readonly string[]], figure: string, cells: readonly CellFigure[]): TopLevelSpec {
  const data = cells.map((c) => ({
    x: c.values[keys[0]],
    y: c.values[keys[1]],
    mean: Number.isNaN(c.mean) ? null : c.mean,
    label: roundToInterval(orNull(c.mean), orNull(c.ci95)).mean,
    text: `${keys[0]} = ${c.values[keys[0]]}, ${keys[1]} = ${c.values[keys[1]]}: ${withInterval(c)}`,
  }));
  const x = { field: "x", type: "ordinal" as const, sort: [...orders[0]], title: keys[0], axis: { labelAngle: 0 } };
  const y = { field: "y", type: "ordinal" as const, sort: [...orders[1]], title: keys[1] };
  // Light text on the darker half of the scale, so every value stays readable.
  const means = data.map((d) => d.mean).filter((m): m is number => m !== null);
  const middle = means.length === 0 ? 0 : (Math.min(...means) + Math.max(...means)) / 2;
  return {
    title: { text: figureHeading(figure), subtitle: "mean over the cell's seeds (hover: ± 95% confidence interval)" },
    width: Math.min(CHART_WIDTH, Math.max(240, orders[0].length * 70)),
    height: Math.max(120, orders[1].length * 40),
    data: { values: data },
    layer: [
      { mark: { type: "rect" }, encoding: { x, y, color: { field: "mean", type: "quantitative", title: figureHeading(figure), scale: { scheme: "blues" } }, description: { field: "text" } } },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: { x, y, text: { field: "label" }, color: { condition: { test: `datum.mean !== null && datum.mean > ${middle}`, value: "white" }, value: "black" } },
      },
    ],
  } as TopLevelSpec;
}

/** sweep.json's --rank, checked (a hand-edited one is the report's input error, not a crash). */
function rankOf(def: SweepDefinition): Rank | undefined {
  if (def.rank === undefined) return undefined;
  try {
    return parseRank(def.rank);
  } catch (e) {
    if (e instanceof SweepError) throw new ReportInputError(`sweep.json: ${e.message}`);
    throw e;
  }
}

/** The sweep's report from its sweep.json and cells.csv. */
export async function sweepReportHtml(sweepJson: string, cellsCsv: string): Promise<string> {
  const def = definitionOf(sweepJson);
  const keys = def.grid.map((g) => g.key);
  const orders = def.grid.map((g) => g.values);
  const charted = def.cells_figures ?? SWEEP_CHART_FIGURES.filter((f) => def.figures.includes(f));
  const rank = rankOf(def);
  const charts: string[] = [];
  if (keys.length === 1 || keys.length === 2) {
    for (const figure of charted) {
      const cells = cellFigures(cellsCsv, keys, figure);
      if (cells.every((c) => Number.isNaN(c.mean))) {
        charts.push(paragraph(`${figureHeading(figure)}: no cell reports it${figure.startsWith("lag") || figure.startsWith("time_lag") ? " (only Kafka sources report lag)" : ""}.`));
        continue;
      }
      const spec = keys.length === 1 ? lineChart(keys[0]!, orders[0]!, figure, cells) : heatMap([keys[0]!, keys[1]!], [orders[0]!, orders[1]!], figure, cells);
      charts.push(await renderChartFigure(`sweep ${figure}`, spec));
    }
  } else {
    charts.push(paragraph(`The grid has ${keys.length} keys: a chart of one key would average over the others, so the cells are in the table only.`));
  }
  const perFigure = new Map(charted.map((f) => [f, cellFigures(cellsCsv, keys, f)]));
  const cellCount = perFigure.get(charted[0]!)?.length ?? 0;
  // A cell's figures by name, so that the cells can be ranked as the console ranks them.
  const cells = Array.from({ length: cellCount }, (_, i) => {
    const first = perFigure.get(charted[0]!)![i]!;
    const figures = Object.fromEntries(charted.map((f) => [f, perFigure.get(f)![i]!]));
    return { cell: first.cell, values: first.values, figures: Object.fromEntries(charted.map((f) => [f, { mean: orNull(figures[f]!.mean) }])), shown: figures };
  });
  const rows = rankCells(cells, rank).map((c) => [c.cell, ...keys.map((k) => c.values[k]), ...charted.map((f) => withInterval(c.shown[f]!))]);
  const order = rank === undefined ? "" : ` Ranked by ${rankText(rank).replace(":asc", ", smallest first").replace(":desc", ", largest first")}.`;
  const sections: Section[] = [
    { id: "verdicts", heading: "Verdicts", blocks: sweepVerdictBlocks(cellsCsv, keys, def.duration_s) },
    { id: "charts", heading: "Each grid key against each headline figure", blocks: charts },
    {
      id: "cells",
      heading: "Cells",
      blocks: [
        paragraph(
          `Mean ± 95% confidence interval over ${def.replications} seed(s) per cell, the interval to 2 significant digits and the mean to the same decimal place (cells.csv has 4 decimals, and the paired differences against cell ${def.baseline}).${order}`,
        ),
        table(["cell", ...keys, ...charted.map(figureHeading)], rows, { numeric: [0, ...charted.map((_, i) => keys.length + 1 + i)] }),
      ],
    },
  ];
  return renderPage({
    title: `${def.scenario}: sweep of ${keys.join(" × ")}`,
    subtitle: `variant ${def.variant} · ${cellCount} cells × ${def.replications} seeds from ${def.seed} · ${def.duration_s} s of virtual time each`,
    notes: ["Every cell ran on the same seeds (common random numbers), so differences between cells come from the configuration, not from noise."],
    sections,
  });
}
