/**
 * The playground's benchmark, in a process of its own (spawned by run.ts; `npm run bench
 * -- playground`). Two figures the issue asks for:
 *
 * - size: every file the page loads (index.html, playground.css, main.js, worker.js), each
 *   gzipped (level 9, as a static server or GitHub Pages would send it), summed;
 * - time: the seed preset's hour, both variants, in headless Chromium (Debian's chromium),
 *   from navigating to `#scenario=...&run=1` until `#summary-json` is filled (page load,
 *   both runs in their workers, the three reports drawn), against the command line on the
 *   same machine (`node dist/cli.mjs scenarios/backpressure.yaml`: start, both runs, files
 *   and report.html written); each the median of `runs`. The simulation alone is reported
 *   too: the page's workers (Run to the last result) and the CLI with --no-report.
 *
 * Prints one JSON line. Usage: playgroundCase.ts <runs>
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { median } from "d3-array";
import { chromium } from "playwright-core";
import { serveStatic } from "../../playground/serve.mjs";

const runs = Math.max(1, Number(process.argv[2] ?? 3));
const PAGE_FILES = ["index.html", "playground.css", "main.js", "worker.js"];
const SCENARIO = "scenarios/backpressure.yaml";

const dir = mkdtempSync(join(tmpdir(), "sim-bench-playground-"));
try {
  for (const [script, args] of [["sim/build.mjs", []], ["playground/build.mjs", ["--outdir", join(dir, "site"), "--quiet"]]] as const) {
    const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  }
  const files = PAGE_FILES.map((name) => {
    const bytes = readFileSync(join(dir, "site", name));
    return { name, bytes: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
  });

  const cli = (report: boolean) =>
    Array.from({ length: runs }, (_, i) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ["dist/cli.mjs", SCENARIO, "--out", join(dir, `cli-${report}-${i}`), "--quiet", ...(report ? [] : ["--no-report"])], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`the command line failed: ${r.stderr}`);
      return performance.now() - t0;
    });
  const cliMs = cli(true);
  const cliNoReportMs = cli(false);

  const chromiumPath = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p !== undefined && p !== "" && existsSync(p));
  if (chromiumPath === undefined) throw new Error("no Chromium: apt-get install -y chromium, or set CHROMIUM");
  const server = await serveStatic(join(dir, "site"));
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const hash = `#scenario=${gzipSync(readFileSync(SCENARIO)).toString("base64url")}&run=1`;
  const pageMs: number[] = [];
  const workersMs: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(`${server.url}${hash}`);
      await page.waitForFunction(() => (document.getElementById("summary-json")?.textContent ?? "") !== "" || (document.getElementById("error")?.textContent ?? "") !== "", null, { timeout: 600_000 });
      pageMs.push(performance.now() - t0);
      const error = await page.$eval("#error", (e) => e.textContent ?? "");
      if (error !== "") throw new Error(`the page's run failed: ${error}`);
      workersMs.push(Number(await page.$eval("body", (b) => b.dataset.runMs)));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const m = (xs: number[]) => Math.round(median(xs)!);
  process.stdout.write(
    `${JSON.stringify({
      files,
      gzippedBytes: files.reduce((s, f) => s + f.gzipped, 0),
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      runs,
      pageMs: m(pageMs),
      cliMs: m(cliMs),
      ratio: Math.round((median(pageMs)! / median(cliMs)!) * 100) / 100,
      pageWorkersMs: m(workersMs),
      cliNoReportMs: m(cliNoReportMs),
      all: { pageMs: pageMs.map(Math.round), cliMs: cliMs.map(Math.round), pageWorkersMs: workersMs, cliNoReportMs: cliNoReportMs.map(Math.round) },
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
