import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import type { FileSource } from "../report/lineSource.ts";

/** The files of a folder that a report reads, by name (those present). */
export function readReportInputs(dir: string, names: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path, "utf8");
  }
  return files;
}

/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 16;

/** A file's text in chunks of CHUNK_BYTES, read with readSync (the report is synchronous), decoded as UTF-8 across chunk ends. */
function* fileChunks(path: string): Generator<string> {
  const fd = openSync(path, "r");
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const decoder = new TextDecoder("utf-8");
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const text = decoder.decode(buffer.subarray(0, n), { stream: true });
      if (text !== "") yield text;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}

/** The files of folder `dir` for a report, read from disk in chunks each time the report goes through them. */
export function folderSource(dir: string): FileSource {
  return {
    open(name) {
      const path = join(dir, name);
      if (!existsSync(path)) return undefined;
      return { [Symbol.iterator]: () => fileChunks(path) };
    },
  };
}

/** Whether `dir` holds a run (its summary.json). */
export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, "summary.json"));
}
