import { round } from "./csv.ts";
import type { CsvWriter } from "./CsvWriter.ts";

/** One subtask at one sample, in the units of subtasks.csv. */
export interface SubtaskRow {
  readonly timeS: number;
  readonly vertex: string;
  readonly subtask: number;
  readonly recordsInPerS: number;
  readonly recordsOutPerS: number;
  readonly busyMsPerS: number;
  readonly backpressuredMsPerS: number;
  readonly idleMsPerS: number;
  /** A Kafka source subtask's pendingRecords (the lag of its partitions); undefined otherwise. */
  readonly pendingRecords: number | undefined;
  /** Kafka partitions or key groups the subtask owns; undefined when its input is not partitioned. */
  readonly assignedUnits: number | undefined;
  readonly inputShare: number;
}

export const SUBTASK_COLUMNS = [
  "time_s",
  "vertex",
  "subtask",
  "records_in_per_s",
  "records_out_per_s",
  "busy_ms_per_s",
  "backpressured_ms_per_s",
  "idle_ms_per_s",
  "pending_records",
  "partitions_or_key_groups",
  "input_share",
] as const;

/** Writes subtasks.csv as the samples are taken (simulation.subtasks): nothing is kept. */
export class SubtaskRecorder {
  rows = 0;

  constructor(private readonly writer: CsvWriter) {}

  record(r: SubtaskRow): void {
    this.writer.row([
      round(r.timeS),
      r.vertex,
      r.subtask,
      round(r.recordsInPerS),
      round(r.recordsOutPerS),
      round(r.busyMsPerS),
      round(r.backpressuredMsPerS),
      round(r.idleMsPerS),
      r.pendingRecords,
      r.assignedUnits,
      round(r.inputShare, 6),
    ]);
    this.rows++;
  }

  end(): void {
    this.writer.end();
  }
}
