/**
 * Which reports a folder gets, decided in one place for both ways a report is made: a run
 * adds report.html to the folder contents it is about to write (whole or not at all), and
 * `sim report <dir>` reads the same files back from disk, adds the same reports and
 * writes them. The same files give the same bytes either way.
 *
 * - a run folder (summary.json): its run report (with its replications' table when a
 *   comparison.csv lies beside it);
 * - a scenario folder: each run folder's report, and the comparison's when it holds
 *   comparison.csv.
 * - a sweep folder (sweep.json and cells.csv): the sweep's report.
 */
import { existsSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { comparisonReportHtml } from "../report/comparisonReport.ts";
import { contentsSource, readText, type FileSource } from "../report/lineSource.ts";
import { ReportInputError } from "../report/runFiles.ts";
import { folderSource } from "./runFolder.ts";
import "./chartLibraries.ts";
import { runReportHtml } from "../report/runReport.ts";
import { sweepReportHtml } from "../report/sweepReport.ts";

/** A folder's contents: files by name, folders as nested trees. */
export interface FolderTree {
  [name: string]: string | FolderTree;
}

export const REPORT_FILE = "report.html";

/**
 * A folder as the reports see it: its small files read whole (summary.json, comparison.csv,
 * a sweep's files), its run files as a source read in chunks, and its run folders.
 */
interface ReportFolder {
  /** A small file's text, or undefined. */
  text(name: string): string | undefined;
  readonly files: FileSource;
  /** The run folders in it (those holding summary.json), by name. */
  runs(): [string, ReportFolder][];
}

function treeFolder(tree: FolderTree): ReportFolder {
  const files: Record<string, string> = {};
  for (const [name, value] of Object.entries(tree)) if (typeof value === "string") files[name] = value;
  return {
    text: (name) => files[name],
    files: contentsSource(files),
    runs: () => Object.entries(tree).filter((e): e is [string, FolderTree] => typeof e[1] === "object" && typeof e[1]["summary.json"] === "string").map(([name, sub]) => [name, treeFolder(sub)]),
  };
}

function diskFolder(dir: string): ReportFolder {
  const source = folderSource(dir);
  return {
    text: (name) => {
      const chunks = source.open(name);
      return chunks === undefined ? undefined : readText(chunks);
    },
    files: source,
    runs: () =>
      readdirSync(dir)
        .sort()
        // Hidden folders are other runs' temporaries being written.
        .filter((entry) => !entry.startsWith(".") && statSync(join(dir, entry)).isDirectory() && existsSync(join(dir, entry, "summary.json")))
        .map((entry) => [entry, diskFolder(join(dir, entry))]),
  };
}

/**
 * The reports of a folder, one at a time, as [path relative to the folder (`/`-separated),
 * html]: a sweep's, a run's, or each run folder's and the comparison's; throws
 * ReportInputError when the folder is none of these. Each report reads its files as it
 * draws, so one report at a time is in memory.
 */
async function* reportsOf(folder: ReportFolder): AsyncGenerator<[string, string]> {
  const sweep = folder.text("sweep.json");
  const cells = sweep === undefined ? undefined : folder.text("cells.csv");
  if (sweep !== undefined && cells !== undefined) {
    yield [REPORT_FILE, await sweepReportHtml(sweep, cells)];
    return;
  }
  if (folder.files.open("summary.json") !== undefined) {
    yield [REPORT_FILE, await runReportHtml(folder.files)];
    return;
  }
  // A sweep folder without its cells.csv holds no runs to report on.
  const runs = sweep === undefined ? folder.runs() : [];
  for (const [name, run] of runs) yield [`${name}/${REPORT_FILE}`, await runReportHtml(run.files)];
  const comparison = folder.text("comparison.csv");
  if (comparison !== undefined) {
    const variants: Record<string, FileSource> = {};
    for (const [name, run] of runs) variants[name] = run.files;
    yield [REPORT_FILE, await comparisonReportHtml({ comparisonCsv: comparison, variants })];
  } else if (runs.length === 0) {
    throw new ReportInputError("not a run folder (no summary.json), a scenario folder (no comparison.csv, no run folders) nor a sweep folder (no sweep.json)");
  }
}

/**
 * Adds report.html to `tree` and its run folders, in place. Returns the paths (relative
 * to the tree, `/`-separated) of the reports added; throws ReportInputError when the tree is neither a
 * run folder nor a scenario folder.
 */
export async function addReports(tree: FolderTree): Promise<string[]> {
  const added: [string, string][] = [];
  for await (const report of reportsOf(treeFolder(tree))) added.push(report);
  for (const [path, html] of added) {
    const parts = path.split("/");
    let node: FolderTree = tree;
    for (const p of parts.slice(0, -1)) node = node[p] as FolderTree;
    node[parts.at(-1)!] = html;
  }
  return added.map(([path]) => path);
}

/** Writes `content` to `path` through a temporary file beside it: a reader sees the old report or the new one. */
function writeAtomically(path: string, content: string): void {
  const tmp = join(path, "..", `.tmp-${process.pid}-${basename(path)}`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * `sim report <dir>`: renders the reports of a run or scenario folder again from its files,
 * read in chunks as each report is drawn; returns the paths written. The reports are drawn
 * first and written after, so that a folder a report cannot be drawn for is left as it was.
 */
export async function rerenderReports(dir: string): Promise<string[]> {
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: not a folder`);
  const drawn: [string, string][] = [];
  try {
    for await (const report of reportsOf(diskFolder(dir))) drawn.push(report);
  } catch (e) {
    if (e instanceof ReportInputError) throw new ReportInputError(`${dir}: ${e.message}`);
    throw e;
  }
  for (const [path, html] of drawn) writeAtomically(join(dir, ...path.split("/")), html);
  return drawn.map(([path]) => join(dir, ...path.split("/")));
}
