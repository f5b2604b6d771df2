import { parse } from "csv-parse/sync";
/**
 * The reports as a person sees them: the seed scenario is run from the command line, and
 * each kind of report (a run's, the comparison's) is opened in headless Chromium (Debian's
 * chromium package, driven by playwright-core). The page must load with no console error
 * and no request beyond itself, every chart must have drawn marks, the decision markers
 * must match decisions.csv, and a full-page screenshot is saved in the run's temporary
 * folder (or in SIM_SCREENSHOTS, to keep and look at them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");

/** Debian's chromium (what .ci/run installs), or the browser CHROMIUM names. */
function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => p !== undefined && p !== "");
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error("no Chromium: install Debian's chromium (apt-get install -y chromium), as .ci/run does, or set CHROMIUM to its path");
  return found;
}

/** Rows of decisions.csv by outcome, counted from its executed column. */
function decisionCounts(dir: string): { executed: number; notExecuted: number; firstExecuted: string[] } {
  const rows = parse(readFileSync(join(dir, "decisions.csv"), "utf8")) as string[][];
  const column = rows[0]!.indexOf("executed");
  const executed = rows.slice(1).filter((r) => r[column] === "true");
  return { executed: executed.length, notExecuted: rows.slice(1).filter((r) => r[column] === "false").length, firstExecuted: executed[0]! };
}

/** Rescales that reached RUNNING (restarts.csv rows with an actual time). */
function finishedRestarts(dir: string): number {
  return readFileSync(join(dir, "restarts.csv"), "utf8").trim().split("\n").slice(1).filter((r) => r.split(",")[2] !== "").length;
}

interface Opened {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

/** What a person's browser did with the page: console errors and warnings, page errors, requests. */
async function open(browser: Browser, file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, problems, requests };
}

/** Each chart's drawn marks: elements of vega's mark groups with a non-empty shape and a box on the page. */
function chartMarks(page: Page): Promise<{ name: string; marks: number; width: number }[]> {
  return page.$$eval("figure.chart", (figures) =>
    figures.map((f) => {
      const svg = f.querySelector("svg");
      const marks = [...f.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > line")].filter((e) => {
        if (e.tagName === "path" && (e.getAttribute("d") ?? "") === "") return false;
        const box = (e as SVGGraphicsElement).getBBox();
        return box.width > 0 || box.height > 0;
      });
      return { name: f.getAttribute("data-chart") ?? "", marks: marks.length, width: svg?.getBoundingClientRect().width ?? 0 };
    }),
  );
}

const count = (page: Page, selector: string) => page.$$eval(selector, (els) => els.length);

describe("reports in a browser", () => {
  let out: string;
  let screenshots: string;
  let browser: Browser;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "sim-browser-"));
    const r = spawnSync(TSX, ["sim/main.ts", SEED_SCENARIO, "--out", out, "--duration", "1h", "--quiet"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`the run failed: ${r.stderr}`);
    screenshots = process.env.SIM_SCREENSHOTS ?? join(out, "screenshots");
    mkdirSync(screenshots, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each(["tracking-on", "tracking-off"])("a run's report (%s): loads cleanly, draws every chart, and marks every decision of decisions.csv", async (variant) => {
    const dir = join(out, "backpressure", variant);
    const file = join(dir, "report.html");
    const { page, problems, requests } = await open(browser, file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    const charts = await chartMarks(page);
    // Parallelism, restarts, busy time of each vertex, rates of the map (the source has no busy time); no lag (datagen).
    expect(charts.map((c) => c.name)).toEqual(["parallelism", "restarts", ...summary.vertices.map((v: { name: string }) => `busy ${v.name}`), `rates ${summary.vertices[1].name}`]);
    for (const c of charts) {
      expect(c.marks, `${c.name} has no marks`).toBeGreaterThan(0);
      expect(c.width, `${c.name} is not laid out`).toBeGreaterThan(500);
    }

    const decisions = decisionCounts(dir);
    expect(await count(page, "g.decision_executed_marks > path")).toBe(decisions.executed);
    expect((await count(page, "g.decision_kept_marks > path")) + (await count(page, "g.decision_not_executed_marks > path"))).toBe(decisions.notExecuted);
    // Each marker carries its hover text; the first executed one names its time and change.
    expect(await count(page, "g[class*=decision_] > path > title")).toBe(decisions.executed + decisions.notExecuted);
    const [time, , current, next] = decisions.firstExecuted;
    const hover = await page.$eval("g.decision_executed_marks > path > title", (t) => t.textContent ?? "");
    expect(hover).toContain(`t = ${time} s`);
    expect(hover).toContain(`${current} → ${next}: scaled up`);
    expect(await count(page, "g.restart_actual_marks > path")).toBe(finishedRestarts(dir));
    // The evaluation table lists every decision of this short run.
    expect(await count(page, "table.evaluations tbody tr")).toBe(decisions.executed + decisions.notExecuted);

    await page.screenshot({ path: join(screenshots, `run-${variant}.png`), fullPage: true });
    await page.close();
  }, 60_000);

  it("the comparison's report: loads cleanly, overlays the variants, and marks every executed scaling of both", async () => {
    const dir = join(out, "backpressure");
    const file = join(dir, "report.html");
    const { page, problems, requests } = await open(browser, file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    const charts = await chartMarks(page);
    expect(charts.map((c) => c.name)).toEqual(["parallelism Map -> Sink: Print to Std. Out", "restarts"]);
    for (const c of charts) expect(c.marks, `${c.name} has no marks`).toBeGreaterThan(0);

    const variants = ["tracking-on", "tracking-off"].map((v) => join(dir, v));
    const executed = variants.reduce((n, d) => n + decisionCounts(d).executed, 0);
    expect(await count(page, "g.decision_executed_marks > path")).toBe(executed);
    expect(await count(page, "g.restart_actual_marks > path")).toBe(variants.reduce((n, d) => n + finishedRestarts(d), 0));
    // One line per variant in the parallelism chart.
    expect(await count(page, 'figure[data-chart^="parallelism"] g.mark-line.role-mark > path')).toBe(2);
    // The side-by-side table: a row per figure of comparison.csv, a column per variant and one of differences.
    const figures = new Set(readFileSync(join(dir, "comparison.csv"), "utf8").trim().split("\n").slice(1).map((r) => r.split(",")[1]));
    expect(await count(page, "table.comparison tbody tr")).toBe(figures.size);
    expect(await page.$$eval("table.comparison thead th", (ths) => ths.map((t) => t.textContent))).toEqual(["figure", "tracking-on", "tracking-off", "tracking-off − tracking-on"]);

    await page.screenshot({ path: join(screenshots, "comparison.png"), fullPage: true });
    await page.close();
  }, 60_000);
});
