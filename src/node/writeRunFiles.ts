import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A folder's files, or a folder of folders: what one run writes. */
export interface FolderContent {
  readonly [name: string]: string | FolderContent;
}

let sequence = 0;

/** A name beside `path` that no other process or call uses: `.tmp-<pid>-<n>-<name>`. */
function siblingName(path: string, kind: "tmp" | "old"): string {
  return join(dirname(path), `.${kind}-${process.pid}-${++sequence}-${basename(path)}`);
}

function writeTree(dir: string, content: FolderContent): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(content)) {
    if (typeof value === "string") writeFileSync(join(dir, name), value);
    else writeTree(join(dir, name), value);
  }
}

/** Whether process `pid` runs (signal 0 tests for it without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what interrupted runs left in `parent`: `.tmp-<pid>-...` and `.old-<pid>-...`
 * folders whose process no longer runs (a run killed while it wrote). Those of live
 * processes are theirs and stay.
 */
export function removeStaleTemporaries(parent: string): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const m = /^\.(?:tmp|old)-(\d+)-\d+-/.exec(name);
    if (m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * A temporary folder beside `dir` to write a run into before it replaces `dir`
 * (commitFolder); what interrupted runs left beside it is removed first.
 */
export function stageFolder(dir: string): string {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  removeStaleTemporaries(parent);
  const tmp = siblingName(dir, "tmp");
  mkdirSync(tmp);
  return tmp;
}

/**
 * Replaces folder `dir` by the staged folder `tmp` at once: the old folder (if any) is
 * renamed aside, the new one renamed into place and the old one removed. Readers see the
 * old folder or the new one, never a mix; an interrupted run leaves the old folder as it
 * was. When another process puts a folder at `dir` between the two renames, that one is
 * moved aside too: the last writer wins and no run fails for it.
 */
export function commitFolder(tmp: string, dir: string): void {
  const old: string[] = [];
  try {
    for (let attempt = 0; ; attempt++) {
      if (existsSync(dir)) {
        const aside = siblingName(dir, "old");
        try {
          renameSync(dir, aside);
          old.push(aside);
        } catch (e) {
          // Another process moved it first: look again.
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        }
      }
      try {
        renameSync(tmp, dir);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== "ENOTEMPTY" && code !== "EEXIST") || attempt >= 20) throw e;
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    for (const o of old) rmSync(o, { recursive: true, force: true });
  }
}

/** Replaces folder `dir` by `content` at once (stageFolder, then commitFolder). */
export function replaceFolder(dir: string, content: FolderContent): void {
  const tmp = stageFolder(dir);
  try {
    writeTree(tmp, content);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  commitFolder(tmp, dir);
}
