/**
 * Long runs made readable: for a run longer than a day, one panel per day that saw a
 * scaling, at a scale where scalings minutes apart stand apart (a 30-day overview puts a
 * day in 30 pixels). Each panel draws every vertex's parallelism over its day, the
 * restarts shaded and each executed scaling as a marker; days without a scaling are named
 * in one sentence. The panels share a byte budget (PANEL_BUDGET_BYTES) that keeps the
 * page under its 2 MB limit; when it runs out the page says which days were not drawn.
 */
import type { TopLevelSpec } from "vega-lite";
import { CHART_WIDTH, colours, formatSeconds } from "./charts.ts";
import { paragraph, type Section } from "./page.ts";
import { renderChartFigure } from "./renderSvg.ts";
import { MARKER_SHAPES, vertexNames } from "./runCharts.ts";
import type { RunData } from "./runData.ts";

export const DAY_S = 86_400;
/** The size a run's report.html stays under (docs/report.md; test/report/report.test.ts checks it). */
export const REPORT_SIZE_LIMIT_BYTES = 2 * 1024 * 1024;
/** What the panels of a page may add up to, in bytes of HTML, at most. */
export const PANEL_BUDGET_BYTES = 700_000;
/** Left free under the limit: the section's text and a panel that starts within the budget and ends past it. */
export const PAGE_MARGIN_BYTES = 64 * 1024;

/** Bytes of `text` in UTF-8 (the page's encoding). */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** One period of the run: [fromS, toS), with the scalings decided in it. */
export interface Period {
  readonly index: number;
  readonly fromS: number;
  readonly toS: number;
  readonly scalings: number;
}

/** The run's days (the last one may be shorter), each with the scalings decided in it; none for runs of a day or less. */
export function dayPeriods(durationS: number, decisionTimesS: readonly number[]): Period[] {
  if (durationS <= DAY_S) return [];
  const days = Math.ceil(durationS / DAY_S);
  const counts = new Array<number>(days).fill(0);
  for (const t of decisionTimesS) counts[Math.min(days - 1, Math.floor(t / DAY_S))]!++;
  return counts.map((scalings, index) => ({ index, fromS: index * DAY_S, toS: Math.min(durationS, (index + 1) * DAY_S), scalings }));
}

/** Day numbers as ranges: [1, 2, 3, 5] -> "1-3, 5". */
export function dayList(days: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < days.length; i++) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    out.push(i === j ? String(days[i]) : `${days[i]}-${days[j]}`);
    i = j;
  }
  return out.join(", ");
}

/** One day's panel: x in hours since the start of the run, limited to the day. */
export function periodChart(run: RunData, period: Period): TopLevelSpec {
  const vertices = [...vertexNames(run)];
  const colour = { domain: vertices, range: colours(vertices.length) };
  const from = period.fromS;
  const to = period.toS;
  const h = (s: number) => s / 3600;
  // Each vertex's steps inside the day, starting from the parallelism it entered the day with.
  const lines = vertices.flatMap((vertex) => {
    const steps = run.samples.parallelism.get(vertex) ?? [];
    let before: number | undefined;
    const inside: { x: number; p: number; vertex: string }[] = [];
    for (const [t, p] of steps) {
      if (t < from) before = p;
      else if (t < to) inside.push({ x: h(t), p, vertex });
    }
    const head = before === undefined || (inside.length > 0 && inside[0]!.x === h(from)) ? [] : [{ x: h(from), p: before, vertex }];
    const all = [...head, ...inside];
    const last = all.at(-1);
    return last === undefined ? [] : [...all, { x: h(to), p: last.p, vertex }];
  });
  const spans = run.restarts
    .filter((r) => r.decisionTimeS < to && (r.runningTimeS ?? run.summary.duration_s) > from)
    .map((r) => ({ x: h(Math.max(from, r.decisionTimeS)), x2: h(Math.min(to, r.runningTimeS ?? run.summary.duration_s)) }));
  const scalings = [...run.decisions.executed.values()]
    .flat()
    .filter((d) => d.timeS >= from && d.timeS < to)
    .map((d) => ({
      x: h(d.timeS),
      p: d.newParallelism,
      vertex: d.vertex,
      outcome: d.newParallelism > d.currentParallelism ? MARKER_SHAPES.domain[0] : MARKER_SHAPES.domain[1],
      text: `${formatSeconds(d.timeS)}: ${d.vertex} scaled ${d.currentParallelism} → ${d.newParallelism}`,
    }));
  const maxP = Math.max(1, ...lines.map((l) => l.p), ...scalings.map((s) => s.p));
  const x = { field: "x", type: "quantitative" as const, title: "hours since the start", scale: { domain: [h(from), h(to)], nice: false, zero: false }, axis: { tickMinStep: 1 } };
  return {
    width: CHART_WIDTH,
    height: 110,
    title: { text: `Day ${period.index + 1} (hours ${h(from)} to ${h(to)}): ${period.scalings} scaling${period.scalings === 1 ? "" : "s"}` },
    layer: [
      ...(spans.length === 0 ? [] : [{ data: { values: spans }, mark: { type: "rect", color: "#f2a93b", opacity: 0.22 }, encoding: { x, x2: { field: "x2" } } }]),
      {
        data: { values: lines },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
        encoding: {
          x,
          y: { field: "p", type: "quantitative", title: "parallelism", scale: { domain: [0, maxP + 0.5], nice: false }, axis: { tickMinStep: 1, format: "d" } },
          color: { field: "vertex", type: "nominal", scale: colour, title: "vertex", legend: null },
        },
      },
      {
        name: "period_scaling",
        data: { values: scalings },
        mark: { type: "point", filled: true, size: 90, opacity: 1, stroke: "#222", strokeWidth: 1, aria: true },
        encoding: {
          x,
          y: { field: "p", type: "quantitative" },
          color: { field: "vertex", type: "nominal", scale: colour, legend: null },
          shape: { field: "outcome", type: "nominal", scale: { domain: [...MARKER_SHAPES.domain], range: [...MARKER_SHAPES.range] }, legend: null },
          description: { field: "text" },
        },
      },
    ],
  } as TopLevelSpec;
}

/** The section of day panels, or undefined for a run of a day or less. */
export async function periodSection(run: RunData, budgetBytes = PANEL_BUDGET_BYTES): Promise<Section | undefined> {
  const periods = dayPeriods(
    run.summary.duration_s,
    run.restarts.map((r) => r.decisionTimeS),
  );
  if (periods.length === 0) return undefined;
  const withScalings = periods.filter((p) => p.scalings > 0);
  const quiet = periods.filter((p) => p.scalings === 0).map((p) => p.index + 1);
  const blocks: string[] = [
    paragraph(
      `The run lasts ${periods.length} days: each day with a scaling gets its own panel (the vertices' colours and the markers as in the overview above; shaded: restarts).` +
        (quiet.length === 0 ? "" : ` No scaling on day${quiet.length === 1 ? "" : "s"} ${dayList(quiet)}.`),
    ),
  ];
  let used = 0;
  const left: number[] = [];
  for (const p of withScalings) {
    const figure = left.length > 0 ? "" : await renderChartFigure(`day ${p.index + 1}`, periodChart(run, p));
    const bytes = utf8Length(figure);
    if (left.length > 0 || used + bytes > budgetBytes) {
      left.push(p.index + 1);
      continue;
    }
    used += bytes;
    blocks.push(figure);
  }
  if (left.length > 0) blocks.push(paragraph(`Not drawn, to keep the page under its size limit: day${left.length === 1 ? "" : "s"} ${dayList(left)} (restarts.csv and decisions.csv list their scalings).`, "note"));
  return { id: "days", heading: "Day by day", blocks };
}
