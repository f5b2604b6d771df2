/**
 * The playground in headless Chromium (Debian's chromium, driven by playwright-core): the
 * page is built into a temporary folder (playground/build.mjs) and served by
 * playground/serve.mjs on 127.0.0.1. The seed preset runs for its hour, both variants, and
 * its summary.json must equal the library's in Node byte for byte; its reports must draw
 * every chart; the page must log no error and ask nothing of any other origin. Then the
 * share link and the zip, Cancel, a bad scenario's inline error, and a small sweep against the Node sweep.
 * Screenshots go to the temporary folder (PLAYGROUND_SCREENSHOTS=dir keeps them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenario, parseScenario, runScenario, ScenarioError, sweep, type ScenarioOverrides } from "../../src/index.ts";
import { serveStatic } from "../../playground/serve.mjs";
import { SEED_SCENARIO } from "../helpers.ts";

/** Debian's chromium (what .ci/run installs), or the browser CHROMIUM names. */
function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => p !== undefined && p !== "");
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error("no Chromium: install Debian's chromium (apt-get install -y chromium), as .ci/run does, or set CHROMIUM to its path");
  return found;
}

const SEED_TEXT = readFileSync(SEED_SCENARIO, "utf8");
const SEED_FILE = "backpressure.yaml";

/** The automation contract's hash, made here with Node's zlib (not the page's code). */
function hashOf(text: string, params: Record<string, string> = {}): string {
  return `#${new URLSearchParams({ scenario: gzipSync(text).toString("base64url"), ...params }).toString()}`;
}

/** summary.json as the library writes it in Node. */
function nodeSummary(overrides: ScenarioOverrides): string {
  return runScenario(loadScenario(SEED_SCENARIO, overrides), { output: { kind: "memory" } }).files["summary.json"]!;
}

interface Opened {
  readonly page: Page;
  readonly problems: string[];
  readonly foreign: string[];
}

describe("the playground in a browser", () => {
  let dir: string;
  let shots: string;
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let origin: string;

  async function open(hash = ""): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith(origin) && !url.startsWith("blob:") && !url.startsWith("data:") && !url.startsWith("about:")) foreign.push(url);
    });
    await page.goto(`${server.url}${hash}`, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready=true]");
    return { page, problems, foreign };
  }

  /** Waits for the run to end: a summary or an error. */
  async function finished(page: Page, timeout = 240_000): Promise<{ summary: string; error: string }> {
    await page.waitForFunction(() => document.body.dataset.state === "idle" && ((document.getElementById("summary-json")?.textContent ?? "") !== "" || (document.getElementById("error")?.textContent ?? "") !== ""), null, { timeout });
    return { summary: await page.$eval("#summary-json", (e) => e.textContent ?? ""), error: await page.$eval("#error", (e) => e.textContent ?? "") };
  }

  /** Each chart of the report shown: its name, its drawn marks and its width. */
  function chartsShown(page: Page): Promise<{ name: string; marks: number; width: number }[]> {
    const frame = page.frameLocator("#report");
    return frame.locator("figure.chart").evaluateAll((figures) =>
      figures.map((f) => {
        const svg = f.querySelector("svg");
        const marks = [...f.querySelectorAll("g.role-mark > path, g.role-mark > rect, g.role-mark > line")].filter((e) => {
          const box = (e as SVGGraphicsElement).getBBox();
          return box.width > 0 || box.height > 0;
        });
        return { name: f.getAttribute("data-chart") ?? "", marks: marks.length, width: svg?.getBoundingClientRect().width ?? 0 };
      }),
    );
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sim-playground-"));
    const r = spawnSync(process.execPath, ["playground/build.mjs", "--outdir", join(dir, "site"), "--quiet"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`the playground's build failed: ${r.stderr}`);
    shots = process.env.PLAYGROUND_SCREENSHOTS ?? join(dir, "screenshots");
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(join(dir, "site"));
    origin = server.url.replace(/\/$/, "");
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the seed preset (1 h, both variants) from the hash: summary.json equals the library's in Node, every chart is drawn, no error, nothing from elsewhere", async () => {
    const { page, problems, foreign } = await open(hashOf(SEED_TEXT, { run: "1" }));
    const { summary, error } = await finished(page);
    expect(error).toBe("");
    const expected = { "tracking-on": nodeSummary({ variant: "tracking-on" }), "tracking-off": nodeSummary({ variant: "tracking-off" }) };
    // No variant in the hash: #summary-json is the first variant's; each variant's is beside it.
    expect(summary).toBe(expected["tracking-on"]);
    for (const [variant, text] of Object.entries(expected)) expect(await page.$eval(`pre.summary-json[data-variant="${variant}"]`, (e) => e.textContent)).toBe(text);

    // Tabs: the comparison, then each variant's run report, as report.html would have them.
    expect(await page.$$eval("#tabs button", (bs) => bs.map((b) => b.textContent))).toEqual(["comparison", "tracking-on", "tracking-off"]);
    const comparison = await chartsShown(page);
    expect(comparison.length).toBeGreaterThan(0);
    for (const c of comparison) expect(c.marks, `comparison chart ${c.name} has no marks`).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "playground.png") });
    for (const variant of ["tracking-on", "tracking-off"]) {
      await page.click(`#tabs button[data-report="${variant}"]`);
      await page.frameLocator("#report").locator("figure.chart[data-chart=parallelism] svg").waitFor();
      const charts = await chartsShown(page);
      const vertices = (JSON.parse(expected[variant as keyof typeof expected]) as { vertices: { name: string }[] }).vertices.map((v) => v.name);
      expect(charts.map((c) => c.name)).toEqual(["parallelism", "restarts", ...vertices.map((v) => `busy ${v}`), `rates ${vertices[1]}`]);
      for (const c of charts) {
        expect(c.marks, `${variant}: ${c.name} has no marks`).toBeGreaterThan(0);
        // Laid out (the report's 900 px charts shrink to the pane's width: at least 300 px here).
        expect(c.width, `${variant}: ${c.name} is not laid out`).toBeGreaterThan(300);
      }
    }
    await page.screenshot({ path: join(shots, "playground-run.png"), fullPage: true });
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 300_000);

  it("a share link carries the scenario, seed and variant; opened with run=1 it runs that variant with that seed, as the library does", async () => {
    const { page, problems } = await open();
    expect(await page.$eval("#file", (e) => (e as HTMLInputElement).value)).toBe(SEED_FILE);
    await page.fill("#seed", "42");
    await page.fill("#duration", "15min");
    await page.selectOption("#variant", "tracking-off");
    await page.click("#share");
    const link = await page.$eval("#share-link", (e) => (e as HTMLInputElement).value);
    expect(link.startsWith(`${server.url}#`)).toBe(true);
    const params = new URLSearchParams(link.slice(link.indexOf("#") + 1));
    // Read here with Node's zlib: the page's gzip is the standard one.
    expect(gunzipSync(Buffer.from(params.get("scenario")!, "base64url")).toString("utf8")).toBe(SEED_TEXT);
    expect([params.get("seed"), params.get("variant"), params.get("duration"), params.get("file")]).toEqual(["42", "tracking-off", "15min", SEED_FILE]);
    await page.close();

    const opened = await open(`${link.slice(link.indexOf("#"))}&run=1`);
    const { summary, error } = await finished(opened.page);
    expect(error).toBe("");
    expect(summary).toBe(nodeSummary({ variant: "tracking-off", seed: 42, duration: "15min" }));
    expect(await opened.page.$$eval("#tabs button", (bs) => bs.map((b) => b.textContent))).toEqual(["tracking-off"]);

    // Download zip: the run's folder as the command line writes it, every file the library's.
    const [download] = await Promise.all([opened.page.waitForEvent("download"), opened.page.click("#download")]);
    expect(download.suggestedFilename()).toBe("backpressure.zip");
    const zip = unzipSync(readFileSync((await download.path())!));
    const own = runScenario(loadScenario(SEED_SCENARIO, { variant: "tracking-off", seed: 42, duration: "15min" })).files;
    expect(Object.keys(zip).sort()).toEqual([...Object.keys(own).map((f) => `backpressure/tracking-off/${f}`), "backpressure/tracking-off/report.html"].sort());
    for (const [name, text] of Object.entries(own)) expect(strFromU8(zip[`backpressure/tracking-off/${name}`]!), name).toBe(text);
    expect(strFromU8(zip["backpressure/tracking-off/report.html"]!)).toMatch(/^<!doctype html>/i);
    expect([...problems, ...opened.problems]).toEqual([]);
    await opened.page.close();
  }, 180_000);

  it("Cancel stops a long run at once: the page stays responsive and shows no result and no error", async () => {
    const { page, problems } = await open(hashOf(SEED_TEXT, { duration: "7d", run: "1" }));
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLProgressElement>("#progress progress")].some((p) => p.value > 0), null, { timeout: 60_000 });
    expect(await page.$eval("body", (b) => b.dataset.state)).toBe("running");
    const started = Date.now();
    await page.click("#cancel");
    await page.waitForFunction(() => document.body.dataset.state === "idle", null, { timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.$eval("#status", (e) => e.textContent)).toBe("Cancelled.");
    expect(await page.$eval("#summary-json", (e) => e.textContent)).toBe("");
    expect(await page.$eval("#error", (e) => e.textContent)).toBe("");
    expect(await page.$eval("#run", (e) => (e as HTMLButtonElement).disabled)).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("a bad scenario: the error shows inline at its line while typing, and Run puts the command line's message in #error", async () => {
    const bad = SEED_TEXT.replace("  duration: 1h", "  duraton: 1h");
    let expected = "";
    try {
      parseScenario(SEED_FILE, bad);
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expected = (e as ScenarioError).message;
    }
    expect(expected).toBe("backpressure.yaml: simulation.duraton: unknown key 'duraton' (did you mean 'duration'?)");

    const { page, problems } = await open();
    await page.click(".cm-content");
    await page.keyboard.press("Control+a");
    await page.keyboard.insertText(bad);
    const marked = page.locator(".cm-lintRange-error");
    await marked.first().waitFor({ timeout: 10_000 });
    expect(await marked.count()).toBe(1);
    expect(await marked.first().textContent()).toBe("duraton: 1h");
    // Its line number in the gutter is the line of the typo in the text.
    const line = bad.split("\n").findIndex((l) => l.includes("duraton:")) + 1;
    await marked.first().hover();
    await expect.poll(() => page.locator(".cm-tooltip-lint").textContent()).toContain(expected);
    expect(await page.locator(".cm-gutter-lint .cm-gutterElement").evaluateAll((els) => els.filter((e) => e.querySelector(".cm-lint-marker-error") !== null).length)).toBe(1);
    expect(await page.locator(".cm-activeLineGutter, .cm-lineNumbers .cm-gutterElement").evaluateAll((els, n) => els.some((e) => e.textContent === String(n)), line)).toBe(true);

    await page.click("#run");
    await expect.poll(() => page.$eval("#error", (e) => e.textContent)).toBe(expected);
    expect(await page.$eval("#summary-json", (e) => e.textContent)).toBe("");
    expect(problems).toEqual([]);
    await page.close();

    // The same through the automation contract.
    const viaHash = await open(hashOf(bad, { file: SEED_FILE, run: "1" }));
    expect((await finished(viaHash.page, 30_000)).error).toBe(expected);
    await viaHash.page.close();
  }, 120_000);

  it("a small sweep runs on one worker per core and its cells.csv equals the Node sweep's", async () => {
    const { page, problems } = await open();
    await page.fill("#duration", "20min");
    await page.click("#sweep summary");
    await page.fill("#sweep-grid", "variant=tracking-on,tracking-off\njob.autoscaler.restart.time=1m,5m");
    await page.fill("#sweep-replications", "2");
    await page.click("#sweep-run");
    await page.waitForFunction(() => (document.getElementById("sweep-cells-csv")?.textContent ?? "") !== "" || (document.getElementById("error")?.textContent ?? "") !== "", null, { timeout: 180_000 });
    expect(await page.$eval("#error", (e) => e.textContent)).toBe("");
    const cells = await page.$eval("#sweep-cells-csv", (e) => e.textContent);
    const node = await sweep({ scenarioFile: SEED_SCENARIO, grid: ["variant=tracking-on,tracking-off", "job.autoscaler.restart.time=1m,5m"], replications: 2, duration: "20min", jobs: 1 });
    expect(cells).toBe(node.files["cells.csv"]);
    expect(await page.$eval("#sweep-status", (e) => e.textContent)).toMatch(/^Sweep done: 8 runs on \d+ workers/);
    // The sweep's report: the table of the 4 cells and the heat maps of two keys.
    const sweepReport = page.frameLocator("#sweep-report");
    expect(await sweepReport.locator("#cells tbody tr").count()).toBe(4);
    expect(await sweepReport.locator("figure.chart svg").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "playground-sweep.png"), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);
});
