import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dumpFileOf, type RestSource } from "../ingest/restDump.ts";
import { RestImportError } from "../ingest/RestImportError.ts";

/**
 * A RestSource over a dump folder (scripts/flink-rest-dump.sh's layout, or --rest-dump's):
 * each GET is read from its file (dumpFileOf: the URL path with `.json`, the query string
 * dropped). Problems are one line naming the file: missing, empty, truncated, not JSON.
 */
export function folderRestSource(dir: string): RestSource {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new RestImportError(dir, "no such folder (expected a dump saved by scripts/flink-rest-dump.sh, or a JobManager URL http://host:8081)", "missing");
  }
  if (!isDir) throw new RestImportError(dir, "is a file, not a dump folder (expected a folder holding overview.json and jobs/)", "invalid");
  const locate = (path: string) => join(dir, dumpFileOf(path));
  return {
    origin: dir,
    locate,
    get(path: string): Promise<unknown> {
      return Promise.resolve().then(() => readJsonFile(locate(path), path));
    },
  };
}

function readJsonFile(file: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new RestImportError(file, `no such file: the dump lacks GET ${path.split("?")[0]}`, "missing");
    throw new RestImportError(file, `cannot be read (${code ?? String(e)})`, "malformed");
  }
  return parseJson(file, text);
}

/** JSON.parse with a one-line message: empty, truncated (ends early) or not JSON, with the position. */
export function parseJson(where: string, text: string): unknown {
  if (text.trim() === "") throw new RestImportError(where, "is empty, not JSON", "malformed");
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/end of JSON input|Unterminated string/i.test(message)) {
      throw new RestImportError(where, `is truncated: the JSON ends early (${text.length} characters)`, "malformed");
    }
    const firstLine = text.trimStart().split("\n")[0]!.slice(0, 40);
    const hint = firstLine.startsWith("<") ? " (an HTML page: a proxy or login page instead of Flink's REST API?)" : "";
    throw new RestImportError(where, `is not JSON: ${message.split("\n")[0]}${hint}`, "malformed");
  }
}

/** Writes a dump (file -> JSON text, from restDumpFiles) into `dir`, creating folders. Returns the files written. */
export function writeRestDump(dir: string, files: Readonly<Record<string, string>>): string[] {
  const written: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  }
  return written;
}
