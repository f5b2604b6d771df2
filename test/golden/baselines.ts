import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runScenario } from "../../src/run/runScenario.ts";
import { diffRuns, formatDifferences } from "../../src/record/diffRuns.ts";
import type { Summary } from "../../src/record/summary.ts";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";

export const GOLDEN_DIR = "test/golden";
/** The files of a run that are kept as its baseline. */
export const BASELINE_FILES = ["summary.json", "decisions.csv", "restarts.csv"] as const;

/** Every scenario file in scenarios/. */
export function scenarioFiles(): string[] {
  return readdirSync("scenarios")
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .map((f) => join("scenarios", f));
}

/** Runs every variant of a scenario file and returns its baseline files by variant. */
export function runBaselines(file: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const scenario of loadScenarioVariants(file)) {
    const { files } = runScenario(scenario);
    out.set(scenario.variant, Object.fromEntries(BASELINE_FILES.map((f) => [f, files[f]!])));
  }
  return out;
}

export function baselineDir(file: string, variant: string, root = GOLDEN_DIR): string {
  return join(root, basename(file).replace(/\.ya?ml$/, ""), variant);
}

/**
 * How a run differs from its stored baseline, as readable lines (empty when equal):
 * each changed line of each file, with its line number, baseline first.
 */
export function differencesFromBaseline(files: Record<string, string>, dir: string): string[] {
  const out: string[] = [];
  for (const name of BASELINE_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      out.push(`${path}: no baseline (run npm run baseline:update)`);
      continue;
    }
    const expected = readFileSync(path, "utf8").split("\n");
    const actual = files[name]!.split("\n");
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (expected[i] !== actual[i]) out.push(`${path}:${i + 1}\n  baseline: ${expected[i] ?? "(no line)"}\n  this run: ${actual[i] ?? "(no line)"}`);
    }
  }
  return out;
}

/**
 * The differences as `sim diff` shows them (headline figures, executed decisions, restarts:
 * baseline against this run), for a failure a reader takes in at a glance.
 */
export function differenceTable(files: Record<string, string>, dir: string): string {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined);
  const summary = read("summary.json");
  const decisions = read("decisions.csv");
  if (summary === undefined || decisions === undefined) return "(no baseline to compare with)";
  const diffs = diffRuns(
    { summary: JSON.parse(summary) as Summary, decisions, restarts: read("restarts.csv") },
    { summary: JSON.parse(files["summary.json"]!) as Summary, decisions: files["decisions.csv"]!, restarts: files["restarts.csv"] },
    0,
  );
  return diffs.length === 0 ? "(headline figures, executed decisions and restarts agree; other lines differ)" : formatDifferences(diffs, "baseline", "this run");
}

export function writeBaselines(file: string, runs: Map<string, Record<string, string>>, root = GOLDEN_DIR): void {
  for (const [variant, files] of runs) {
    const dir = baselineDir(file, variant, root);
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  }
}
