import { round, toCsv } from "./csv.ts";

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

/** Collects samples and renders timeseries.csv. */
export class TimeseriesRecorder {
  readonly rows: TimeseriesRow[] = [];

  record(row: TimeseriesRow): void {
    this.rows.push(row);
  }

  toCsv(): string {
    return toCsv(
      TIMESERIES_COLUMNS,
      this.rows.map((r) => [
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
      ]),
    );
  }
}
