import type { Environment, EventHandle } from "../../engine/Environment.ts";
import type { Random } from "../../engine/random.ts";
import type { VertexStateSnapshot } from "./KeyedState.ts";

/** execution.checkpointing.* as the simulator uses them. */
export interface CheckpointSettings {
  /** execution.checkpointing.interval */
  readonly intervalMs: number;
  /** execution.checkpointing.min-pause (0) */
  readonly minPauseMs: number;
}

/** A completed checkpoint: when, and the state it holds. */
export interface CompletedCheckpoint {
  readonly id: number;
  readonly completedAtMs: number;
  readonly state: readonly VertexStateSnapshot[];
}

/**
 * Periodic checkpoints (flink-runtime checkpoint/CheckpointCoordinator, release-1.18.1):
 * the periodic trigger starts when the job switches to RUNNING
 * (CheckpointCoordinatorDeActivator), first after a random delay in [min-pause, interval]
 * (getRandomInitDelay), then at a fixed rate; it stops when the job leaves RUNNING. A
 * trigger while a task is not yet running is declined (NOT_ALL_REQUIRED_TASKS_RUNNING)
 * and, as one checkpoint at a time is allowed (max-concurrent-checkpoints 1), a trigger
 * while one is in progress is skipped. A checkpoint completes after its drawn duration
 * (the simulator does not derive it from the state: an assumption), with the state sizes
 * as they were when it was triggered.
 */
export class CheckpointCoordinator {
  private timer: EventHandle | null = null;
  private pending: EventHandle | null = null;
  private nextId = 1;
  private lastCompletionMs = -Infinity;
  latest: CompletedCheckpoint | null = null;
  readonly completed: number[] = [];
  private readonly listeners: ((c: CompletedCheckpoint) => void)[] = [];

  constructor(
    private readonly env: Environment,
    readonly settings: CheckpointSettings,
    private readonly random: Random,
    private readonly duration: () => number,
    private readonly tasksRunning: () => boolean,
    private readonly snapshot: () => VertexStateSnapshot[],
  ) {}

  onCompleted(listener: (c: CompletedCheckpoint) => void): void {
    this.listeners.push(listener);
  }

  /** The job switched to RUNNING: start the periodic trigger. */
  startScheduler(): void {
    this.stopScheduler();
    const { intervalMs, minPauseMs } = this.settings;
    // ThreadLocalRandom.nextLong(minPause, interval + 1)
    const initialDelay = minPauseMs + Math.floor(this.random() * (intervalMs + 1 - minPauseMs));
    const tick = () => {
      this.timer = this.env.schedule(intervalMs, tick);
      this.trigger();
    };
    this.timer = this.env.schedule(Math.max(0, initialDelay), tick);
  }

  /** The job left RUNNING (cancel, restart): no more triggers; one in progress is aborted. */
  stopScheduler(): void {
    if (this.timer !== null) this.env.cancel(this.timer);
    this.timer = null;
    if (this.pending !== null) this.env.cancel(this.pending);
    this.pending = null;
  }

  private trigger(): void {
    if (this.pending !== null || !this.tasksRunning()) return;
    if (this.env.now - this.lastCompletionMs < this.settings.minPauseMs) return;
    const id = this.nextId++;
    const state = this.snapshot();
    this.pending = this.env.schedule(Math.max(0, this.duration()), () => {
      this.pending = null;
      this.lastCompletionMs = this.env.now;
      const c: CompletedCheckpoint = { id, completedAtMs: this.env.now, state };
      this.latest = c;
      this.completed.push(this.env.now);
      for (const l of this.listeners) l(c);
    });
  }
}
