import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The files of a folder that a report reads, by name (those present). */
export function readReportInputs(dir: string, names: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path, "utf8");
  }
  return files;
}

/** Whether `dir` holds a run (its summary.json). */
export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, "summary.json"));
}
