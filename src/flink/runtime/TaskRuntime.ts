import type { TaskMetrics } from "../metrics/TaskMetrics.ts";

export type TaskState = "idle" | "busy" | "backpressured";

/**
 * What the cluster, the REST API and the recorder need of a running task, whichever
 * execution mode runs it: record by record (Subtask) or in aggregate (FluidTask).
 */
export interface TaskRuntime {
  readonly vertexId: string;
  readonly index: number;
  readonly metrics: TaskMetrics;
  /** Starts processing (a source starts producing). */
  start(): void;
  /** Cancels the task (a restart): it processes nothing more. */
  stop(): void;
  /** Exact ms spent in each state so far (for conservation checks; Flink's gauges round). */
  timeInStates(): { idle: number; busy: number; backpressured: number };
  getState(): TaskState;
}
