import { round, type CsvCell } from "./csv.ts";

/** A row of decisions.csv (times and durations in ms; written in seconds). */
export interface DecisionRow {
  readonly timeMs: number;
  readonly vertex: string;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  readonly trueProcessingRate: number;
  readonly targetDataRate: number;
  readonly catchUpDataRate: number;
  readonly scaleUpThreshold: number;
  readonly scaleDownThreshold: number;
  readonly restartTimeUsedMs: number;
  readonly executed: boolean;
  readonly reason: string;
}

export interface RestartRow {
  readonly decisionTimeMs: number;
  readonly runningTimeMs: number | null;
  /** When every task ran again (processing resumed). */
  readonly tasksRunningTimeMs: number | null;
  readonly restartTimeUsedMs: number;
  readonly kind: string;
  /** The drawn phases, in order: name and ms. */
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
}

export interface EventRow {
  readonly timeMs: number;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  /** Names of the job vertices the message mentions by ID, in the message's order. */
  readonly vertices: readonly string[];
}

const s = (ms: number) => round(ms / 1000, 3);
/** A rate for CSV: Infinity and NaN spelled as Java prints them. */
const rate = (x: number) => (Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : round(x, 3));

export const DECISION_COLUMNS = [
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
] as const;

/**
 * A row of decisions.csv, as its cells; the vertex's name comes apart from the figures, so
 * that the writer need not copy each decision into a new object with it (an object spread
 * per row cost some 50 ms of the seed's day).
 */
export function decisionCells(r: Omit<DecisionRow, "vertex">, vertex: string): CsvCell[] {
  return [
    s(r.timeMs),
    vertex,
    r.currentParallelism,
    r.newParallelism,
    rate(r.trueProcessingRate),
    rate(r.targetDataRate),
    rate(r.catchUpDataRate),
    rate(r.scaleUpThreshold),
    rate(r.scaleDownThreshold),
    s(r.restartTimeUsedMs),
    r.executed,
    r.reason,
  ];
}

export const RESTART_COLUMNS = ["decision_time_s", "running_time_s", "actual_s", "restart_time_used_s", "kind", "phases", "tasks_running_time_s", "processing_resumed_s"] as const;

/** A row of restarts.csv, as its cells. */
export function restartCells(r: RestartRow): CsvCell[] {
  return [
    s(r.decisionTimeMs),
    r.runningTimeMs === null ? undefined : s(r.runningTimeMs),
    r.runningTimeMs === null ? undefined : s(r.runningTimeMs - r.decisionTimeMs),
    s(r.restartTimeUsedMs),
    r.kind,
    r.phases.map((p) => `${p.name}=${s(p.ms)}`).join(" "),
    r.tasksRunningTimeMs === null ? undefined : s(r.tasksRunningTimeMs),
    r.tasksRunningTimeMs === null ? undefined : s(r.tasksRunningTimeMs - r.decisionTimeMs),
  ];
}

export const EVENT_COLUMNS = ["time_s", "type", "reason", "message", "vertices"] as const;

/** A row of events.csv, as its cells. */
export function eventCells(r: EventRow): CsvCell[] {
  return [s(r.timeMs), r.type, r.reason, r.message, r.vertices.join("; ")];
}

/** The names of the vertices whose IDs (32 hex digits) `message` mentions, in order of mention. */
export function verticesMentioned(message: string, names: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const m of message.matchAll(/[0-9a-f]{32}/g)) {
    const name = names.get(m[0]);
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out;
}
