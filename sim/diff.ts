import { DIFF_HELP } from "./help.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { diffRuns, formatDifferences, type ComparableRun } from "../src/record/diffRuns.ts";
import { userPath } from "./paths.ts";
import type { Summary } from "../src/record/summary.ts";


function readRun(dir: string): ComparableRun | string {
  for (const f of ["summary.json", "decisions.csv"]) if (!existsSync(join(dir, f))) return `${dir}: no ${f} (is it a run folder, out/<scenario>/<variant>/?)`;
  let summary: unknown;
  try {
    summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  } catch (e) {
    return `${dir}: summary.json cannot be read (${(e as Error).message})`;
  }
  // The figures diff reads; a file without them is not a run's summary.
  const s = summary as Partial<Summary> | null;
  if (s === null || typeof s !== "object" || typeof s.autoscaling !== "object" || s.autoscaling === null || !Array.isArray(s.vertices)) {
    return `${dir}: summary.json is not a run's summary (no autoscaling figures or vertices)`;
  }
  const restarts = join(dir, "restarts.csv");
  return { summary: s as Summary, decisions: readFileSync(join(dir, "decisions.csv"), "utf8"), ...(existsSync(restarts) ? { restarts: readFileSync(restarts, "utf8") } : {}) };
}

/** npm run sim -- diff A B: exit 0 same, 1 different, 2 bad arguments. */
export function runDiff(argv: string[]): number {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { tolerance: { type: "string" } } });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message} (npm run sim -- --help for usage)\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 2) {
    process.stderr.write(`error: diff needs two run folders, got ${positionals.length} (npm run sim -- --help for usage)\n`);
    return 2;
  }
  const tolerance = values.tolerance === undefined ? 0 : Number(values.tolerance);
  if (!(tolerance >= 0)) {
    process.stderr.write(`error: --tolerance expects a non-negative number, got '${values.tolerance}'\n`);
    return 2;
  }
  const a = readRun(userPath(positionals[0]!));
  const b = readRun(userPath(positionals[1]!));
  for (const r of [a, b]) {
    if (typeof r === "string") {
      process.stderr.write(`error: ${r}\n`);
      return 2;
    }
  }
  const diffs = diffRuns(a as Exclude<typeof a, string>, b as Exclude<typeof b, string>, tolerance);
  if (diffs.length === 0) {
    process.stdout.write(`no differences beyond a relative tolerance of ${tolerance}\n`);
    return 0;
  }
  process.stdout.write(`${formatDifferences(diffs, positionals[0], positionals[1])}\n`);
  process.stdout.write(`${diffs.length} difference(s) beyond a relative tolerance of ${tolerance}\n`);
  return 1;
}
