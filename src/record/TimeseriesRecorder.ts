import { round } from "./csv.ts";
import type { CsvWriter } from "./CsvWriter.ts";
import { TimeseriesStats } from "./TimeseriesStats.ts";

/** One vertex at one sample, in the units of timeseries.csv. */
export interface TimeseriesRow {
  readonly timeS: number;
  readonly vertex: string;
  readonly parallelism: number;
  readonly recordsInPerS: number;
  readonly recordsOutPerS: number;
  readonly busyMsPerS: number;
  readonly backpressuredMsPerS: number;
  readonly idleMsPerS: number;
  readonly pendingRecords: number | undefined;
  readonly jobStatus: string;
}

export const TIMESERIES_COLUMNS = [
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
] as const;

/**
 * Writes each sample to timeseries.csv as it is taken and adds it to the summary's
 * figures; the rows themselves are kept only when asked (tests read them).
 */
export class TimeseriesRecorder {
  /** Every row so far when `keepRows`, else empty. */
  readonly rows: TimeseriesRow[] = [];
  readonly stats: TimeseriesStats;

  constructor(
    private readonly writer: CsvWriter,
    private readonly keepRows: boolean,
    arrivalRate: ((timeMs: number) => number) | null = null,
  ) {
    this.stats = new TimeseriesStats(arrivalRate);
  }

  /** Every vertex's row at one instant. */
  recordSample(rows: readonly TimeseriesRow[]): void {
    for (const r of rows) {
      this.writer.row([
        round(r.timeS),
        r.vertex,
        r.parallelism,
        round(r.recordsInPerS),
        round(r.recordsOutPerS),
        round(r.busyMsPerS),
        round(r.backpressuredMsPerS),
        round(r.idleMsPerS),
        r.pendingRecords,
        r.jobStatus,
      ]);
      if (this.keepRows) this.rows.push(r);
    }
    this.stats.addSample(rows);
  }

  end(): void {
    this.writer.end();
  }
}
