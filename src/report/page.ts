/**
 * The HTML page around the charts: one self-contained file (inline style, inline SVG, no
 * script, nothing fetched), the same bytes for the same input. Every kind of report (a
 * run, a comparison, later a sweep) is a title and a list of sections built from these
 * helpers.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A part of the page with its own heading (and an anchor in the contents). */
export interface Section {
  readonly id: string;
  readonly heading: string;
  /** HTML blocks, in order (charts, tables, paragraphs). */
  readonly blocks: readonly string[];
}

export interface Page {
  readonly title: string;
  /** A line under the title (plain text). */
  readonly subtitle: string;
  /** Paragraphs (plain text) shown before the sections: how to read the page, what was downsampled. */
  readonly notes: readonly string[];
  readonly sections: readonly Section[];
}

/** A paragraph of plain text. */
export function paragraph(text: string, className?: string): string {
  return `<p${className === undefined ? "" : ` class="${className}"`}>${escapeHtml(text)}</p>`;
}

/** A chart's heading, in HTML above the picture (it wraps, and it is text a reader can select). */
export interface ChartCaption {
  readonly title: string;
  readonly subtitle?: string;
}

/** A chart: its caption and its SVG (rendered by renderSvg) in a figure the browser test finds by `figure.chart`. */
export function chartFigure(name: string, svg: string, caption?: ChartCaption): string {
  const head =
    caption === undefined
      ? ""
      : `<figcaption><strong>${escapeHtml(caption.title)}</strong>${caption.subtitle === undefined ? "" : `<br><span>${escapeHtml(caption.subtitle)}</span>`}</figcaption>`;
  return `<figure class="chart" data-chart="${escapeHtml(name)}">${head}${svg}</figure>`;
}

export type Cell = string | number | null | undefined;

export interface TableOptions {
  /** Columns whose cells are numbers (right-aligned). */
  readonly numeric?: readonly number[];
  readonly className?: string;
  /** Each row's class, e.g. to mark executed decisions. */
  readonly rowClass?: (row: readonly Cell[], index: number) => string | undefined;
}

function cellText(c: Cell): string {
  if (c === null || c === undefined) return "-";
  if (typeof c === "number") return Number.isNaN(c) ? "NaN" : String(c);
  return c;
}

/** A table of plain-text cells (null and undefined print as "-"). */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const numeric = new Set(options.numeric ?? []);
  const head = `<thead><tr>${headers.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("")}</tr></thead>`;
  const body = rows
    .map((row, r) => {
      const cls = options.rowClass?.(row, r);
      return `<tr${cls === undefined ? "" : ` class="${cls}"`}>${row.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ""}>${escapeHtml(cellText(c))}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<div class="table-wrap"><table${options.className === undefined ? "" : ` class="${options.className}"`}>${head}<tbody>\n${body}\n</tbody></table></div>`;
}

/** Content shown when the reader opens it (no script: the browser's own disclosure widget); closed, a long table costs no layout. */
export function details(summary: string, html: string): string {
  return `<details><summary>${escapeHtml(summary)}</summary>\n${html}\n</details>`;
}

/** Headline figures as label / value tiles. */
export function figures(items: readonly { readonly label: string; readonly value: string }[]): string {
  return `<dl class="figures">${items.map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`).join("")}</dl>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #222; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 36px 0 10px; padding-top: 8px; border-top: 1px solid #ddd; }
.subtitle { color: #555; margin: 0 0 12px; }
.note { color: #555; font-size: 13px; }
nav { font-size: 13px; margin: 10px 0 0; }
nav a { margin-right: 12px; color: #2a5d9f; }
figure.chart { margin: 14px 0; background: white; border: 1px solid #e3e3e3; border-radius: 4px; padding: 6px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 13px; margin: 2px 4px 6px; }
figure.chart figcaption span { color: #555; font-size: 12px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; margin: 12px 0; }
.figures div { background: white; border: 1px solid #e3e3e3; border-radius: 4px; padding: 8px 10px; }
.figures dt { font-size: 12px; color: #666; }
.figures dd { margin: 2px 0 0; font-size: 18px; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; margin: 10px 0; }
table { border-collapse: collapse; font-size: 12.5px; background: white; }
th, td { border: 1px solid #e3e3e3; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f1f1f1; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.executed td { background: #fff3d6; }
table.changes td:last-child, table.evaluations td:last-child, table.explanations td:last-child { min-width: 280px; }
table.changes td:nth-child(2), table.evaluations td:nth-child(2) { min-width: 120px; }
details { margin: 10px 0; }
summary { cursor: pointer; color: #2a5d9f; font-size: 14px; }
table.config td:first-child { font-family: ui-monospace, monospace; }
`;

/** The whole document. */
export function renderPage(page: Page): string {
  const nav = page.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.heading)}</a>`).join("");
  const sections = page.sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.blocks.join("\n")}\n</section>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p class="subtitle">${escapeHtml(page.subtitle)}</p>
${page.notes.map((n) => paragraph(n, "note")).join("\n")}
<nav>${nav}</nav>
${sections}
</main>
</body>
</html>
`;
}
