/**
 * A run's files, read back into typed rows: the report is drawn from what a run wrote
 * (the same strings in memory at the end of a run, or the files on disk when a report is
 * rendered again), never from the running model.
 */
import type { ComparisonRow } from "../record/comparison.ts";
import type { Summary } from "../record/summary.ts";

import { contentsSource, CsvSyntaxError, csvRecords, detached, readText, StringPool, type FileContents, type FileSource } from "./lineSource.ts";

export type { FileContents } from "./lineSource.ts";

/** Input the report cannot be drawn from: the command line prints the message and exits 2. */
export class ReportInputError extends Error {}

/** One vertex at one sample (timeseries.csv). */
export interface SampleRow {
  readonly timeS: number;
  readonly vertex: string;
  readonly parallelism: number;
  readonly recordsInPerS: number;
  readonly recordsOutPerS: number;
  /** NaN where Flink reports none (a legacy source) and while the vertex has no running task. */
  readonly busyMsPerS: number;
  readonly backpressuredMsPerS: number;
  readonly idleMsPerS: number;
  /** null where no source reports pendingRecords. */
  readonly pendingRecords: number | null;
  readonly jobStatus: string;
}

/** One vertex at one run of the scaling executor (decisions.csv). */
export interface DecisionRow {
  readonly timeS: number;
  readonly vertex: string;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  /** Infinity for a vertex without busy time (a legacy source). */
  readonly trueProcessingRate: number;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  readonly restartTimeUsedS: number;
  readonly executed: boolean;
  /** The reason column: why the autoscaler changed the parallelism or not ("" in runs written before it existed). */
  readonly reason: string;
}

/** One rescale (restarts.csv). */
export interface RestartRow {
  readonly decisionTimeS: number;
  /** null when the job was not RUNNING at the target parallelism before the end. */
  readonly runningTimeS: number | null;
  readonly actualS: number | null;
  readonly restartTimeUsedS: number;
  readonly kind: string;
  readonly phases: string;
}

/** One autoscaler event (events.csv). */
export interface EventRow {
  readonly timeS: number;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly vertices: readonly string[];
}

/** Everything a run's report shows. */
export interface RunRecords {
  readonly summary: Summary;
  readonly samples: readonly SampleRow[];
  readonly decisions: readonly DecisionRow[];
  readonly restarts: readonly RestartRow[];
  readonly events: readonly EventRow[];
  /** Replications of this one variant compared in its own folder (`--variant` with `--replications`). */
  readonly comparison: readonly ComparisonRow[] | undefined;
}

/** The files a run folder must hold for a report. */
export const RUN_REPORT_INPUTS = ["summary.json", "timeseries.csv", "decisions.csv", "restarts.csv", "events.csv"] as const;

/**
 * The rows of a CSV file as records by column name, read as they come. Throws
 * ReportInputError when the header lacks one of `columns` or a record cannot be read.
 * For the small files; the long ones (timeseries.csv, decisions.csv) use csvTable.
 */
function* csvRows(file: string, chunks: Iterable<string>, columns: readonly string[]): Generator<(name: string) => string | undefined> {
  const table = csvTable(file, chunks, columns);
  for (const cells of table.records) yield (name) => cellAt(cells, table.column(name));
}

/** A CSV file's header and its records to come, as arrays of cells. */
interface CsvTable {
  /** The position of column `name`, -1 when the header has none. */
  column(name: string): number;
  readonly records: Iterable<string[]>;
}

/**
 * `chunks` as a CSV table: its header read (ReportInputError when it lacks one of
 * `columns`), its records read as they are iterated (ReportInputError when one cannot be
 * read). Cells are taken by position rather than by name: the report reads a long run's
 * files row by row, and a name looked up in every cell of every row was much of it.
 */
function csvTable(file: string, chunks: Iterable<string>, columns: readonly string[]): CsvTable {
  const readError = (e: unknown) => (e instanceof CsvSyntaxError ? new ReportInputError(`${file} cannot be read (${e.message})`) : e);
  const records = csvRecords(chunks);
  let header: string[];
  try {
    const first = records.next();
    header = first.done === true ? [] : first.value;
  } catch (e) {
    throw readError(e);
  }
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ReportInputError(`${file} has no column ${missing.join(", ")}`);
  const rest = function* (): Generator<string[]> {
    try {
      yield* records;
    } catch (e) {
      throw readError(e);
    }
  };
  return { column: (name) => header.indexOf(name), records: rest() };
}

/** The cell at `i` of a record: undefined for a column the header lacks, "" for one the record stops short of. */
function cellAt(cells: readonly string[], i: number): string | undefined {
  return i < 0 ? undefined : (cells[i] ?? "");
}

/** A number as the run files spell it: NaN and Infinity as Java prints them, an empty cell as null. */
function numberOrNull(cell: string | undefined): number | null {
  return cell === undefined || cell === "" ? null : Number(cell);
}

const num = (cell: string | undefined): number => numberOrNull(cell) ?? NaN;

function parseSummary(text: string): Summary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`summary.json cannot be read (${(e as Error).message})`);
  }
  // The parts the report reads; a file without them is not a run's summary.
  const s = value as Partial<Summary> | null;
  if (s === null || typeof s !== "object" || typeof s.autoscaling !== "object" || s.autoscaling === null || !Array.isArray(s.vertices)) {
    throw new ReportInputError("summary.json is not a run's summary (no autoscaling figures or vertices)");
  }
  return s as Summary;
}

/** comparison.csv's rows; blank cells (no interval, the first variant's differences) are NaN. */
export function parseComparisonCsv(text: string): ComparisonRow[] {
  return [...csvRows("comparison.csv", [text], ["variant", "figure", "n", "mean", "ci95", "diff_vs_first_mean", "diff_vs_first_ci95"])].map((r) => ({
    variant: detached(r("variant")!),
    figure: detached(r("figure")!),
    n: num(r("n")),
    mean: num(r("mean")),
    ci95: num(r("ci95")),
    diffMean: num(r("diff_vs_first_mean")),
    diffCi95: num(r("diff_vs_first_ci95")),
  }));
}

/** timeseries.csv's rows, one at a time. */
export function* sampleRows(chunks: Iterable<string>): Generator<SampleRow> {
  // Rows may be kept: their text cells must not keep the chunk they were cut from (StringPool).
  const strings = new StringPool();
  const table = csvTable("timeseries.csv", chunks, ["time_s", "vertex", "parallelism", "busy_ms_per_s", "pending_records"]);
  const [time, vertex, parallelism, recordsIn, recordsOut, busy, backpressured, idle, pending, jobStatus] = [
    "time_s",
    "vertex",
    "parallelism",
    "records_in_per_s",
    "records_out_per_s",
    "busy_ms_per_s",
    "backpressured_ms_per_s",
    "idle_ms_per_s",
    "pending_records",
    "job_status",
  ].map(table.column) as [number, number, number, number, number, number, number, number, number, number];
  for (const c of table.records) {
    yield {
      timeS: num(cellAt(c, time)),
      vertex: strings.get(cellAt(c, vertex)!),
      parallelism: num(cellAt(c, parallelism)),
      recordsInPerS: num(cellAt(c, recordsIn)),
      recordsOutPerS: num(cellAt(c, recordsOut)),
      busyMsPerS: num(cellAt(c, busy)),
      backpressuredMsPerS: num(cellAt(c, backpressured)),
      idleMsPerS: num(cellAt(c, idle)),
      pendingRecords: numberOrNull(cellAt(c, pending)),
      jobStatus: strings.get(cellAt(c, jobStatus) ?? ""),
    };
  }
}

/** decisions.csv's rows, one at a time. */
export function* decisionRows(chunks: Iterable<string>): Generator<DecisionRow> {
  const strings = new StringPool();
  const table = csvTable("decisions.csv", chunks, ["time_s", "vertex", "current_parallelism", "new_parallelism", "executed"]);
  const [time, vertex, current, next, tpr, target, catchUp, up, down, restart, executed, reason] = [
    "time_s",
    "vertex",
    "current_parallelism",
    "new_parallelism",
    "true_processing_rate",
    "target_data_rate",
    "catch_up_data_rate",
    "scale_up_threshold",
    "scale_down_threshold",
    "restart_time_used_s",
    "executed",
    "reason",
  ].map(table.column) as [number, number, number, number, number, number, number, number, number, number, number, number];
  for (const c of table.records) {
    yield {
      timeS: num(cellAt(c, time)),
      vertex: strings.get(cellAt(c, vertex)!),
      currentParallelism: num(cellAt(c, current)),
      newParallelism: num(cellAt(c, next)),
      trueProcessingRate: num(cellAt(c, tpr)),
      targetDataRate: num(cellAt(c, target)),
      catchUpDataRate: num(cellAt(c, catchUp)),
      scaleUpThreshold: num(cellAt(c, up)),
      scaleDownThreshold: num(cellAt(c, down)),
      restartTimeUsedS: num(cellAt(c, restart)),
      executed: cellAt(c, executed) === "true",
      reason: strings.get(cellAt(c, reason) ?? ""),
    };
  }
}

/** restarts.csv's rows (one per rescale: few). */
export function restartRows(chunks: Iterable<string>): RestartRow[] {
  return [...csvRows("restarts.csv", chunks, ["decision_time_s", "running_time_s", "actual_s", "restart_time_used_s"])].map(
    (r): RestartRow => ({
      decisionTimeS: num(r("decision_time_s")),
      runningTimeS: numberOrNull(r("running_time_s")),
      actualS: numberOrNull(r("actual_s")),
      restartTimeUsedS: num(r("restart_time_used_s")),
      kind: detached(r("kind") ?? ""),
      phases: detached(r("phases") ?? ""),
    }),
  );
}

/** events.csv's rows (the autoscaler's events: few, the operator spaces them out). */
export function eventRows(chunks: Iterable<string>): EventRow[] {
  return [...csvRows("events.csv", chunks, ["time_s", "type", "reason", "message"])].map((r): EventRow => {
    const vertices = r("vertices");
    return {
      timeS: num(r("time_s")),
      type: detached(r("type")!),
      reason: detached(r("reason")!),
      message: detached(r("message")!),
      vertices: vertices === undefined || vertices === "" ? [] : vertices.split("; ").map(detached),
    };
  });
}

/** The file `name` of `files`, or ReportInputError naming it. */
export function requireFile(files: FileSource, name: string): Iterable<string> {
  const chunks = files.open(name);
  if (chunks === undefined) throw new ReportInputError(`no ${name} (is it a run folder, out/<scenario>/<variant>/?)`);
  return chunks;
}

/** summary.json of a run folder. */
export function readSummary(files: FileSource): Summary {
  for (const name of RUN_REPORT_INPUTS) requireFile(files, name);
  return parseSummary(readText(requireFile(files, "summary.json")));
}

/**
 * A run's records, every row in memory, from its files' contents; throws ReportInputError
 * naming what is missing or wrong. For short runs and tools; the report reads a run's files
 * as they come (readRunData, runData.ts).
 */
export function parseRunFiles(files: FileContents): RunRecords {
  const source = contentsSource(files);
  const summary = readSummary(source);
  const comparisonText = files["comparison.csv"];
  return {
    summary,
    samples: [...sampleRows(requireFile(source, "timeseries.csv"))],
    decisions: [...decisionRows(requireFile(source, "decisions.csv"))],
    restarts: restartRows(requireFile(source, "restarts.csv")),
    events: eventRows(requireFile(source, "events.csv")),
    comparison: comparisonText === undefined ? undefined : parseComparisonCsv(comparisonText),
  };
}
