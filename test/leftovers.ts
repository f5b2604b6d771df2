import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * vitest global setup: the suite may write only under temporary folders. Every file of the
 * work tree is listed (with its modification time) before the run and again after it; a
 * file that appeared or changed fails the run, naming the files. Left out: .git,
 * node_modules, and dist/ (the build the package and CLI tests make with sim/build.mjs, as
 * `npm ci` does through `prepare`).
 */
const SKIPPED = new Set([".git", "node_modules", "dist"]);

function listFiles(root: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (dir === root && SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.set(relative(root, path), statSync(path).mtimeMs);
    }
  };
  walk(root);
  return files;
}

export function writtenSince(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string[] {
  return [...after].filter(([path, mtime]) => before.get(path) !== mtime).map(([path]) => path).sort();
}

let before: Map<string, number> | undefined;

export function setup(): void {
  before = listFiles(process.cwd());
}

export function teardown(): void {
  if (before === undefined) return;
  const written = writtenSince(before, listFiles(process.cwd()));
  if (written.length > 0) {
    const shown = written.slice(0, 20).join("\n  ");
    const more = written.length > 20 ? `\n  ... and ${written.length - 20} more` : "";
    // A throw here is only printed (vitest 4 exits 0 after an error during close): set the code.
    process.stderr.write(`\nthe tests wrote ${written.length} file(s) in the work tree (tests must write only under temporary folders):\n  ${shown}${more}\n`);
    process.exitCode = 1;
  }
}
