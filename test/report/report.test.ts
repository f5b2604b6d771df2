import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { compare, comparisonCsv, type VariantRuns } from "../../src/record/comparison.ts";
import { addReports, type FolderTree } from "../../src/node/folderReports.ts";
import { chartWarnings } from "../../src/report/renderSvg.ts";
import { parseRunFiles, ReportInputError } from "../../src/report/runFiles.ts";
import { runReportHtml } from "../../src/report/runReport.ts";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

/** The seed scenario's folder as a run writes it: both variants and comparison.csv, `duration` long. */
function scenarioFolder(duration: string): FolderTree {
  const tree: FolderTree = {};
  const runs: VariantRuns[] = [];
  for (const scenario of loadScenarioVariants(SEED_SCENARIO, { duration })) {
    const result = runScenario(scenario);
    tree[scenario.variant] = { ...result.files };
    runs.push({ variant: scenario.variant, seeds: [scenario.seed], summaries: [result.summary] });
  }
  tree["comparison.csv"] = comparisonCsv(compare(runs));
  return tree;
}

const run = (tree: FolderTree, variant: string) => tree[variant] as Record<string, string>;

/** Counts of a CSV's rows by the value of its last column. */
function executedCounts(decisionsCsv: string): { executed: number; not: number } {
  const rows = parse(decisionsCsv, { columns: true }) as { executed: string }[];
  return { executed: rows.filter((r) => r.executed === "true").length, not: rows.filter((r) => r.executed === "false").length };
}

describe("report.html of a run and of a comparison", () => {
  let tree: FolderTree;
  let added: string[];
  beforeAll(async () => {
    tree = scenarioFolder("1h");
    added = await addReports(tree);
  }, 60_000);

  it("adds a report to each run folder and to the comparison", () => {
    expect(added).toEqual(["tracking-on/report.html", "tracking-off/report.html", "report.html"]);
  });

  it("renders the same bytes from the same files (no timestamps, no random ids)", async () => {
    const again = scenarioFolder("1h");
    await addReports(again);
    for (const v of ["tracking-on", "tracking-off"]) expect(run(again, v)["report.html"]).toBe(run(tree, v)["report.html"]);
    expect(again["report.html"]).toBe(tree["report.html"]);
  });

  it("is self-contained: no script, no stylesheet or image to fetch, links only within the page or to the variants' reports", () => {
    for (const html of [run(tree, "tracking-on")["report.html"]!, tree["report.html"] as string]) {
      expect(html).not.toMatch(/<script|<img|<iframe|@import|url\(/i);
      const targets = [...html.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
      expect(targets.length).toBeGreaterThan(0);
      for (const t of targets) expect(t).toMatch(/^(#[\w-]+|data:,|tracking-(on|off)\/report\.html)$/);
    }
  });

  it("draws every chart without a warning from Vega", () => {
    expect(chartWarnings).toEqual([]);
  });

  it("shows the headline figures of summary.json", () => {
    const files = run(tree, "tracking-on");
    const summary = JSON.parse(files["summary.json"]!);
    const html = files["report.html"]!;
    expect(html).toContain(`<dt>scalings</dt><dd>${summary.autoscaling.scalings}</dd>`);
    expect(html).toContain(`<dt>evaluations</dt><dd>${summary.autoscaling.evaluations}</dd>`);
    expect(html).toContain(`<dt>restart time used, first / last</dt><dd>${summary.autoscaling.restart_time_used_first_s} / ${summary.autoscaling.restart_time_used_last_s} s</dd>`);
    for (const [key, value] of Object.entries(summary.effective_configuration as Record<string, string>)) expect(html).toContain(`<td>${key}</td><td>${value}</td>`);
  });

  it("lists every decision of a short run in the evaluation table, executed ones highlighted, and marks each on the chart", () => {
    const files = run(tree, "tracking-on");
    const counts = executedCounts(files["decisions.csv"]!);
    const html = files["report.html"]!;
    const table = html.slice(html.indexOf('<table class="evaluations">'), html.indexOf("</table>", html.indexOf('<table class="evaluations">')));
    expect((table.match(/<tr class="executed">/g) ?? []).length).toBe(counts.executed);
    expect((table.match(/<tr>/g) ?? []).length - 1).toBe(counts.not); // less the header row
    // The markers: one path per decision in the named layers, each with its hover text.
    const layer = (name: string) => {
      // An empty layer is a self-closing group.
      const m = new RegExp(`<g class="mark-symbol role-mark ${name}_marks"[^>]*?(/?)>(.*?)</g>`).exec(html);
      return m === null || m[1] === "/" ? 0 : (m[2]!.match(/<path [^>]*><title>/g) ?? []).length;
    };
    expect(layer("decision_executed")).toBe(counts.executed);
    expect(layer("decision_kept") + layer("decision_not_executed")).toBe(counts.not);
  });

  it("shows the comparison's figures side by side with the differences from the first variant", () => {
    const on = JSON.parse(run(tree, "tracking-on")["summary.json"]!).autoscaling;
    const off = JSON.parse(run(tree, "tracking-off")["summary.json"]!).autoscaling;
    const html = tree["report.html"] as string;
    expect(html).toContain(
      `<td>restart time used, last (s)</td><td class="num">${on.restart_time_used_last_s}</td><td class="num">${off.restart_time_used_last_s}</td><td class="num">${off.restart_time_used_last_s - on.restart_time_used_last_s}</td>`,
    );
    expect(html).toContain(`<td>scalings</td><td class="num">${on.scalings}</td><td class="num">${off.scalings}</td><td class="num">${off.scalings - on.scalings}</td>`);
  });
});

describe("report.html of a day's run", () => {
  it("stays under 2 MB, says what it downsampled, and groups the decisions that changed nothing", async () => {
    const [scenario] = loadScenarioVariants(SEED_SCENARIO, { duration: "24h", variant: "tracking-on" });
    const files = runScenario(scenario!).files;
    const started = performance.now();
    const html = await runReportHtml(files);
    const renderMs = performance.now() - started;
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(html).toMatch(/Long series are drawn downsampled: \d+ series of up to 8,640 samples/);
    expect(html).toMatch(/Too many to draw one by one/);
    // The evaluation table is cut to its limit and says so.
    const counts = executedCounts(files["decisions.csv"]!);
    expect(html).toMatch(new RegExp(`\\d+ of the ${counts.executed + counts.not} rows of decisions.csv: every executed decision`));
    expect(renderMs).toBeLessThan(30_000);
  }, 120_000);
});

describe("reading a run's files", () => {
  it("names what is missing or is not a run's", () => {
    expect(() => parseRunFiles({ "summary.json": "{}" })).toThrow(new ReportInputError("no timeseries.csv (is it a run folder, out/<scenario>/<variant>/?)"));
    const files = { "summary.json": "null", "timeseries.csv": "", "decisions.csv": "", "restarts.csv": "", "events.csv": "" };
    expect(() => parseRunFiles(files)).toThrow(/summary\.json is not a run's summary/);
  });
});
