/**
 * A Vega-Lite chart rendered to an SVG string (vega's headless SVG renderer, no
 * DOM, no canvas), so that the page carries pictures and no script. Why Vega-Lite: see
 * docs/report.md.
 */
import type { LoggerInterface } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { chartFigure, type ChartCaption } from "./page.ts";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/** vega and vega-lite, as the platform loads them. */
export interface ChartLibraries {
  readonly vega: Vega;
  readonly vegaLite: VegaLite;
}

let provider: (() => ChartLibraries) | undefined;
let libraries: ChartLibraries | undefined;

/**
 * Says how to load vega and vega-lite, once per process: Node evaluates their single-file
 * bundles (src/node/chartLibraries.ts), a browser bundle imports their modules. Loaded at
 * the first chart, so that a command that fails on its arguments does not wait for them.
 */
export function useChartLibraries(load: () => ChartLibraries): void {
  provider = load;
  libraries = undefined;
}

function loadLibraries(): ChartLibraries {
  if (libraries !== undefined) return libraries;
  if (provider === undefined) throw new Error("no chart libraries: call useChartLibraries() first (src/node/chartLibraries.ts does in Node)");
  libraries = provider();
  return libraries;
}

/** Shared look: the page's font, quiet axes, no ARIA labels except on marks that carry a hover text. */
const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  background: "white",
  padding: 4,
  // Marks that carry a text set `aria: true` and a `description`; everything else stays unlabelled
  // (vega labels every line with its first point otherwise, which hover would show).
  aria: false,
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", titleColor: "#444", labelColor: "#444", gridColor: "#e8e8e8", domainColor: "#888", tickColor: "#888" },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", orient: "bottom", direction: "horizontal", columns: 4, symbolStrokeWidth: 2, labelLimit: 320 },
  title: { fontSize: 13, fontWeight: 600, anchor: "start", color: "#222", subtitleColor: "#555", subtitleFontSize: 11 },
  view: { stroke: "#ddd" },
  // A missing value breaks a line instead of being bridged (a restart, an Infinity rate).
  mark: { invalid: "break-paths-filter-domains" },
} as const;

/**
 * Warnings of Vega-Lite's compiler and Vega's runtime about the charts rendered so far (a
 * conflicting legend, a field without values): kept here rather than printed among the
 * run's output; the tests require none.
 */
export const chartWarnings: string[] = [];

/** A Vega logger that keeps warnings and errors in chartWarnings and prints nothing. */
class CollectingLogger implements LoggerInterface {
  private current = 2;
  level(level?: number): number | LoggerInterface {
    if (level === undefined) return this.current;
    this.current = level;
    return this;
  }
  error(...args: unknown[]): this {
    chartWarnings.push(args.map(String).join(" "));
    return this;
  }
  warn(...args: unknown[]): this {
    chartWarnings.push(args.map(String).join(" "));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

/**
 * The SVG of one chart. Marks given a `description` get it as an SVG `<title>` child
 * (a hover text in every browser, no script), moved out of vega's `aria-label`.
 * Deterministic: vega's counters for clip and gradient ids are reset before each chart.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded at the first chart: a command that fails on its arguments does not wait for it.
  const { vega, vegaLite } = loadLibraries();
  const { parse, resetSVGDefIds, View } = vega;
  const { compile } = vegaLite;
  const logger = new CollectingLogger();
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger }).spec;
  resetSVGDefIds();
  const view = new View(parse(compiled), { renderer: "none", logger });
  const svg = await view.toSVG();
  view.finalize();
  return titlesFromAriaLabels(svg);
}

/**
 * `<path aria-label="T" role="graphics-symbol" aria-roledescription="R" ...attrs/>` becomes
 * `<path ...attrs><title>T</title></path>` (the label is already escaped for XML).
 */
export function titlesFromAriaLabels(svg: string): string {
  return svg.replace(/<(path|rect|line) aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="[^"]*"([^>]*?)\/>/g, "<$1$3><title>$2</title></$1>");
}

/** A chart spec's title and subtitle, as text. */
function captionOf(spec: TopLevelSpec): ChartCaption | undefined {
  const t = spec.title;
  const text = (x: unknown) => (Array.isArray(x) ? x.join(" ") : String(x));
  if (t === undefined) return undefined;
  if (typeof t === "string" || Array.isArray(t)) return { title: text(t) };
  return t.subtitle === undefined ? { title: text(t.text) } : { title: text(t.text), subtitle: text(t.subtitle) };
}

/**
 * A chart as a figure of the page: the spec's title and subtitle become an HTML caption
 * (vega, measuring text without a canvas, reckons 0.8 em a character and would widen the
 * SVG for a long subtitle), the rest is rendered to SVG.
 */
export async function renderChartFigure(name: string, spec: TopLevelSpec): Promise<string> {
  // Vega renders on promises alone, which never let the event loop turn: without this, a
  // Ctrl-C while the command line draws a report would not be seen until it is done (and
  // then not at all). Each chart first lets the loop turn once (setTimeout, in Node and in a browser).
  await new Promise((resolve) => setTimeout(resolve, 0));
  const caption = captionOf(spec);
  const { title: _title, ...untitled } = spec as TopLevelSpec & { title?: unknown };
  return chartFigure(name, scopeIds(await renderSvg(untitled as TopLevelSpec), name), caption);
}

/**
 * Vega numbers its clip paths and gradients from 1 in every chart (clip1, gradient_0); in one
 * page those ids would collide and a chart would clip with another's rectangle. Each chart's
 * ids get a prefix made from its name (unique in a page).
 */
export function scopeIds(svg: string, name: string): string {
  const prefix = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return svg.replace(/\b(id="|url\(#)((?:clip|gradient_|p_)[\w-]*)/g, `$1${prefix}-$2`);
}
