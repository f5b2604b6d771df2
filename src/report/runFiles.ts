/**
 * A run's files, read back into typed rows: the report is drawn from what a run wrote
 * (the same strings in memory at the end of a run, or the files on disk when a report is
 * rendered again), never from the running model.
 */
import { parse } from "csv-parse/sync";
import type { ComparisonRow } from "../record/comparison.ts";
import type { Summary } from "../record/summary.ts";

/** A folder's files by name, as a run holds them before they are written. */
export type FileContents = Readonly<Record<string, string>>;

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

type CsvRecord = Record<string, string>;

/**
 * Rows of a CSV file as records by column name. A file without any quote (the timeseries
 * and decisions of runs whose vertex names have no comma) is split by hand, a third of the
 * time csv-parse takes over a day's 17,000 rows; any other goes through csv-parse.
 */
function csvRecords(file: string, text: string, columns: readonly string[]): CsvRecord[] {
  let records: CsvRecord[];
  if (!text.includes('"')) {
    const [header = "", ...lines] = text.split("\n").filter((l) => l !== "");
    const names = header.split(",");
    records = lines.map((line) => {
      const cells = line.split(",");
      const record: CsvRecord = {};
      for (let i = 0; i < names.length; i++) record[names[i]!] = cells[i] ?? "";
      return record;
    });
  } else {
    try {
      records = parse(text, { columns: true, skip_empty_lines: true }) as CsvRecord[];
    } catch (e) {
      throw new ReportInputError(`${file} cannot be read (${(e as Error).message})`);
    }
  }
  const header = text.slice(0, text.indexOf("\n")).split(",");
  const missing = columns.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new ReportInputError(`${file} has no column ${missing.join(", ")}`);
  return records;
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
  return csvRecords("comparison.csv", text, ["variant", "figure", "n", "mean", "ci95", "diff_vs_first_mean", "diff_vs_first_ci95"]).map((r) => ({
    variant: r.variant!,
    figure: r.figure!,
    n: num(r.n),
    mean: num(r.mean),
    ci95: num(r.ci95),
    diffMean: num(r.diff_vs_first_mean),
    diffCi95: num(r.diff_vs_first_ci95),
  }));
}

/** A run's records from its files' contents; throws ReportInputError naming what is missing or wrong. */
export function parseRunFiles(files: FileContents): RunRecords {
  for (const name of RUN_REPORT_INPUTS) if (files[name] === undefined) throw new ReportInputError(`no ${name} (is it a run folder, out/<scenario>/<variant>/?)`);
  const summary = parseSummary(files["summary.json"]!);
  const samples = csvRecords("timeseries.csv", files["timeseries.csv"]!, ["time_s", "vertex", "parallelism", "busy_ms_per_s", "pending_records"]).map(
    (r): SampleRow => ({
      timeS: num(r.time_s),
      vertex: r.vertex!,
      parallelism: num(r.parallelism),
      recordsInPerS: num(r.records_in_per_s),
      recordsOutPerS: num(r.records_out_per_s),
      busyMsPerS: num(r.busy_ms_per_s),
      backpressuredMsPerS: num(r.backpressured_ms_per_s),
      idleMsPerS: num(r.idle_ms_per_s),
      pendingRecords: numberOrNull(r.pending_records),
      jobStatus: r.job_status ?? "",
    }),
  );
  const decisions = csvRecords("decisions.csv", files["decisions.csv"]!, ["time_s", "vertex", "current_parallelism", "new_parallelism", "executed"]).map(
    (r): DecisionRow => ({
      timeS: num(r.time_s),
      vertex: r.vertex!,
      currentParallelism: num(r.current_parallelism),
      newParallelism: num(r.new_parallelism),
      trueProcessingRate: num(r.true_processing_rate),
      targetDataRate: num(r.target_data_rate),
      catchUpDataRate: num(r.catch_up_data_rate),
      scaleUpThreshold: num(r.scale_up_threshold),
      scaleDownThreshold: num(r.scale_down_threshold),
      restartTimeUsedS: num(r.restart_time_used_s),
      executed: r.executed === "true",
      reason: r.reason ?? "",
    }),
  );
  const restarts = csvRecords("restarts.csv", files["restarts.csv"]!, ["decision_time_s", "running_time_s", "actual_s", "restart_time_used_s"]).map(
    (r): RestartRow => ({
      decisionTimeS: num(r.decision_time_s),
      runningTimeS: numberOrNull(r.running_time_s),
      actualS: numberOrNull(r.actual_s),
      restartTimeUsedS: num(r.restart_time_used_s),
      kind: r.kind ?? "",
      phases: r.phases ?? "",
    }),
  );
  const events = csvRecords("events.csv", files["events.csv"]!, ["time_s", "type", "reason", "message"]).map(
    (r): EventRow => ({
      timeS: num(r.time_s),
      type: r.type!,
      reason: r.reason!,
      message: r.message!,
      vertices: r.vertices === undefined || r.vertices === "" ? [] : r.vertices.split("; "),
    }),
  );
  const comparisonText = files["comparison.csv"];
  return { summary, samples, decisions, restarts, events, comparison: comparisonText === undefined ? undefined : parseComparisonCsv(comparisonText) };
}
