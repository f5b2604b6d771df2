import { EventQueue, type QueuedEvent } from "./EventQueue.ts";

/** A handle to a scheduled event; pass it to {@link Environment.cancel}. */
export type EventHandle = QueuedEvent;

/**
 * The virtual clock and its event loop. Time is in milliseconds since the start of the
 * simulation and may be fractional (record costs below one millisecond are allowed).
 */
export class Environment {
  private readonly queue = new EventQueue();
  private clock = 0;
  private processed = 0;

  /** The current virtual time in ms. */
  get now(): number {
    return this.clock;
  }

  /** How many events have been executed so far (cancelled events are not counted). */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Runs `action` after `delayMs` (>= 0) of virtual time. */
  schedule(delayMs: number, action: () => void): EventHandle {
    if (!(delayMs >= 0)) throw new RangeError(`delay must be a non-negative number, got ${delayMs}`);
    return this.queue.push(this.clock + delayMs, action);
  }

  /** Runs `action` at virtual time `timeMs`, which must not lie in the past. */
  scheduleAt(timeMs: number, action: () => void): EventHandle {
    if (!(timeMs >= this.clock)) throw new RangeError(`cannot schedule at ${timeMs}, now is ${this.clock}`);
    return this.queue.push(timeMs, action);
  }

  /** Cancels a scheduled event; cancelling an executed or cancelled event does nothing. */
  cancel(handle: EventHandle): void {
    handle.cancelled = true;
  }

  /**
   * Executes events in time order until the queue is empty or the next event lies after
   * `untilMs`; the clock then stands at `untilMs` (or at the last event when unbounded).
   */
  run(untilMs = Infinity): void {
    const queue = this.queue;
    for (;;) {
      const next = queue.peek();
      if (next === undefined || next.time > untilMs) break;
      queue.pop();
      if (next.cancelled) continue;
      this.clock = next.time;
      this.processed++;
      next.action();
    }
    if (untilMs !== Infinity && untilMs > this.clock) this.clock = untilMs;
  }
}
