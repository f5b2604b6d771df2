/**
 * docs/playground.png, the README's picture of the playground: the page built into a
 * temporary folder, served on 127.0.0.1, the seed preset (one hour, both variants) run
 * from the share-link hash in headless Chromium (Debian's chromium), the tracking-off
 * run's report shown. Run with `npm run docs:playground-screenshot`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serveStatic } from "./serve.mjs";

const TARGET = "docs/playground.png";
const dir = mkdtempSync(join(tmpdir(), "sim-playground-shot-"));
try {
  const r = spawnSync(process.execPath, ["playground/build.mjs", "--outdir", join(dir, "site"), "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`the playground's build failed: ${r.stderr}`);
  const server = await serveStatic(join(dir, "site"));
  const executablePath = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p !== undefined && p !== "" && existsSync(p));
  if (executablePath === undefined) throw new Error("no Chromium: apt-get install -y chromium, or set CHROMIUM");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1250 } });
    await page.goto(`${server.url}#scenario=${gzipSync(readFileSync("scenarios/backpressure.yaml")).toString("base64url")}&run=1`);
    await page.waitForFunction(() => (document.getElementById("summary-json")?.textContent ?? "") !== "", null, { timeout: 600_000 });
    await page.click('#tabs button[data-report="tracking-off"]');
    await page.frameLocator("#report").locator("figure.chart[data-chart=parallelism] svg").waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: TARGET });
    process.stdout.write(`wrote ${TARGET}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
