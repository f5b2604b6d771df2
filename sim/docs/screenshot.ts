/**
 * docs/report-backpressure.png, the README's picture: the seed scenario (one hour, both
 * variants, seed 1) run as `npm run sim -- scenarios/backpressure.yaml` runs it, its
 * comparison report opened in headless Chromium (Debian's chromium package) and
 * photographed whole. Run with `npm run docs:screenshot`.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { compare, comparisonCsv, type VariantRuns } from "../../src/record/comparison.ts";
import { replaceFolder } from "../../src/node/writeRunFiles.ts";
import { addReports, type FolderTree } from "../../src/node/folderReports.ts";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const SCENARIO = "scenarios/backpressure.yaml";
const TARGET = "docs/report-backpressure.png";

const tree: FolderTree = {};
const runs: VariantRuns[] = [];
for (const scenario of loadScenarioVariants(SCENARIO)) {
  const result = runScenario(scenario);
  tree[scenario.variant] = { ...result.files };
  runs.push({ variant: scenario.variant, seeds: [scenario.seed], summaries: [result.summary] });
}
tree["comparison.csv"] = comparisonCsv(compare(runs));
await addReports(tree);

const scratch = mkdtempSync(join(tmpdir(), "sim-screenshot-"));
const dir = join(scratch, "backpressure");
replaceFolder(dir, tree as Record<string, string | Record<string, string>>);
const executablePath = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p): p is string => p !== undefined && existsSync(p));
if (executablePath === undefined) throw new Error("no Chromium: apt-get install -y chromium (or set CHROMIUM to its path)");
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(pathToFileURL(join(dir, "report.html")).href, { waitUntil: "load" });
  await page.screenshot({ path: TARGET, fullPage: true });
} finally {
  await browser.close();
  rmSync(scratch, { recursive: true, force: true });
}
process.stdout.write(`wrote ${TARGET}\n`);
