import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { baselineDir, differenceTable, differencesFromBaseline, GOLDEN_DIR, runBaselines, scenarioFiles } from "./baselines.ts";

// Regression baselines: every scenario's decisions and summary as committed. A change in the
// algorithm or the model shows here; `npm run baseline:update` accepts it on purpose.
describe.each(scenarioFiles())("baselines of %s", (file) => {
  const runs = runBaselines(file);
  it.each([...runs.keys()])("variant %s matches test/golden", (variant) => {
    const dir = baselineDir(file, variant);
    const differences = differencesFromBaseline(runs.get(variant)!, dir);
    const message = () => `${file} ${variant} differs from ${dir} (npm run baseline:update accepts it on purpose):\n${differenceTable(runs.get(variant)!, dir)}\n\nline by line:\n${differences.join("\n")}`;
    expect(differences, differences.length === 0 ? "" : message()).toEqual([]);
  });
});

describe("a tampered baseline", () => {
  it("fails with a readable message naming the file, the line, and both versions", () => {
    const file = scenarioFiles()[0]!;
    const runs = runBaselines(file);
    const [variant, files] = [...runs][0]!;
    const root = mkdtempSync(join(tmpdir(), "golden-"));
    const dir = join(root, "tampered");
    cpSync(baselineDir(file, variant, GOLDEN_DIR), dir, { recursive: true });
    const decisions = join(dir, "decisions.csv");
    const lines = readFileSync(decisions, "utf8").split("\n");
    // Flip the executed column (before the reason).
    lines[2] = lines[2]!.replace(/,(true|false),([^,]*)$/, (_m, b: string, reason: string) => `,${b === "true" ? "false" : "true"},${reason}`);
    expect(lines[2]).not.toBe(readFileSync(decisions, "utf8").split("\n")[2]);
    writeFileSync(decisions, lines.join("\n"));
    const differences = differencesFromBaseline(files, dir);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toBe(`${decisions}:3\n  baseline: ${lines[2]}\n  this run: ${files["decisions.csv"]!.split("\n")[2]}`);
  });
});
