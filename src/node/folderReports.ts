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
import { ReportInputError, RUN_REPORT_INPUTS, type FileContents } from "../report/runFiles.ts";
import { readReportInputs } from "./runFolder.ts";
import "./chartLibraries.ts";
import { runReportHtml } from "../report/runReport.ts";
import { sweepReportHtml } from "../report/sweepReport.ts";

/** A folder's contents: files by name, folders as nested trees. */
export interface FolderTree {
  [name: string]: string | FolderTree;
}

export const REPORT_FILE = "report.html";

const isRun = (tree: FolderTree) => typeof tree["summary.json"] === "string";

function filesOf(tree: FolderTree): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, value] of Object.entries(tree)) if (typeof value === "string") files[name] = value;
  return files;
}

/**
 * Adds report.html to `tree` and its run folders, in place. Returns the paths (relative
 * to the tree, `/`-separated) of the reports added; throws ReportInputError when the tree is neither a
 * run folder nor a scenario folder.
 */
export async function addReports(tree: FolderTree): Promise<string[]> {
  if (typeof tree["sweep.json"] === "string" && typeof tree["cells.csv"] === "string") {
    tree[REPORT_FILE] = await sweepReportHtml(tree["sweep.json"], tree["cells.csv"]);
    return [REPORT_FILE];
  }
  if (isRun(tree)) {
    tree[REPORT_FILE] = await runReportHtml(filesOf(tree));
    return [REPORT_FILE];
  }
  const added: string[] = [];
  const runs = Object.entries(tree).filter((e): e is [string, FolderTree] => typeof e[1] === "object" && isRun(e[1]));
  for (const [name, run] of runs) {
    run[REPORT_FILE] = await runReportHtml(filesOf(run));
    added.push(`${name}/${REPORT_FILE}`);
  }
  const comparison = tree["comparison.csv"];
  if (typeof comparison === "string") {
    const variants: Record<string, FileContents> = {};
    for (const [name, run] of runs) variants[name] = filesOf(run);
    tree[REPORT_FILE] = await comparisonReportHtml({ comparisonCsv: comparison, variants });
    added.push(REPORT_FILE);
  }
  if (added.length === 0) throw new ReportInputError("not a run folder (no summary.json), a scenario folder (no comparison.csv, no run folders) nor a sweep folder (no sweep.json)");
  return added;
}

/** The files of `dir` a report reads, and those of its run folders. */
function readTree(dir: string): FolderTree {
  const names = [...RUN_REPORT_INPUTS, "comparison.csv", "sweep.json", "cells.csv"];
  const tree: FolderTree = readReportInputs(dir, names);
  if (isRun(tree) || typeof tree["sweep.json"] === "string") return tree;
  for (const entry of readdirSync(dir).sort()) {
    const sub = join(dir, entry);
    // Hidden folders are other runs' temporaries being written.
    if (!entry.startsWith(".") && statSync(sub).isDirectory() && existsSync(join(sub, "summary.json"))) tree[entry] = readReportInputs(sub, names);
  }
  return tree;
}

/** Writes `content` to `path` through a temporary file beside it: a reader sees the old report or the new one. */
function writeAtomically(path: string, content: string): void {
  const tmp = join(path, "..", `.tmp-${process.pid}-${basename(path)}`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** `sim report <dir>`: renders the reports of a run or scenario folder again from its files; returns the paths written. */
export async function rerenderReports(dir: string): Promise<string[]> {
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new ReportInputError(`${dir}: not a folder`);
  const tree = readTree(dir);
  let added: string[];
  try {
    added = await addReports(tree);
  } catch (e) {
    if (e instanceof ReportInputError) throw new ReportInputError(`${dir}: ${e.message}`);
    throw e;
  }
  for (const path of added) {
    const parts = path.split("/");
    let node: FolderTree = tree;
    for (const p of parts.slice(0, -1)) node = node[p] as FolderTree;
    writeAtomically(join(dir, ...parts), node[parts.at(-1)!] as string);
  }
  return added.map((p) => join(dir, ...p.split("/")));
}
