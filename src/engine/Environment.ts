import { EventQueue, type EventHandle } from "./EventQueue.ts";

export type { EventHandle };

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

  /** Runs `action` after `delayMs` (finite, >= 0) of virtual time. */
  schedule(delayMs: number, action: () => void): EventHandle {
    if (!(delayMs >= 0 && delayMs < Infinity)) throw new RangeError(`delay must be a finite non-negative number, got ${delayMs}`);
    return this.queue.push(this.clock + delayMs, action);
  }

  /** Runs `action` at virtual time `timeMs`, which must be finite and not lie in the past. */
  scheduleAt(timeMs: number, action: () => void): EventHandle {
    if (!(timeMs >= this.clock && timeMs < Infinity)) throw new RangeError(`cannot schedule at ${timeMs}, now is ${this.clock}`);
    return this.queue.push(timeMs, action);
  }

  /** Cancels a scheduled event; cancelling an executed or cancelled event does nothing. */
  cancel(handle: EventHandle): void {
    this.queue.cancel(handle);
  }

  /**
   * Executes events in time order until the queue is empty or the next event lies after
   * `untilMs`; the clock then stands at `untilMs` (or at the last event when unbounded).
   */
  run(untilMs = Infinity): void {
    const queue = this.queue;
    for (;;) {
      const time = queue.peekTime();
      if (time === Infinity || time > untilMs) break;
      const action = queue.pop();
      if (action === null) continue;
      this.clock = time;
      this.processed++;
      action();
    }
    if (untilMs !== Infinity && untilMs > this.clock) this.clock = untilMs;
  }
}
