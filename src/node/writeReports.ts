import { renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

/** Writes `content` to `path` through a temporary file beside it: a reader sees the old report or the new one. */
function writeAtomically(path: string, content: string): void {
  const tmp = join(path, "..", `.tmp-${process.pid}-${basename(path)}`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Writes the reports folderReports' drawReports drew into `dir`; returns the paths written. */
export function writeReports(dir: string, drawn: readonly (readonly [string, string])[]): string[] {
  for (const [path, html] of drawn) writeAtomically(join(dir, ...path.split("/")), html);
  return drawn.map(([path]) => join(dir, ...path.split("/")));
}
