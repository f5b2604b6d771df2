import type { Environment } from "../../engine/Environment.ts";
import type { Sampler } from "../../engine/distributions.ts";

/** An async I/O operator as a subtask runs it (see AsyncIoSpec). */
export interface AsyncIo {
  readonly capacity: number;
  readonly ordered: boolean;
  /** Draws a request's latency, ms. */
  readonly latency: Sampler;
  /** ms; Infinity: no timeout. A timed-out request completes with no result (onTimeout: drop). */
  readonly timeoutMs: number;
  /** Results per request (the operator's selectivity, as a running quotient). */
  readonly selectivity: number;
}

interface Entry {
  readonly results: number;
  done: boolean;
}

/**
 * The StreamElementQueue of an AsyncWaitOperator (Flink 1.18.1,
 * flink-streaming-java .../operators/async/queue/): a request holds a place from tryPut until
 * its result is emitted; the queue is full at `capacity` places. Ordered
 * (OrderedStreamElementQueue): only the head may be emitted, once completed. Unordered
 * (UnorderedStreamElementQueue, one segment: watermarks are not modelled): any completed
 * entry, in completion order. Completion is a mail to the task thread (`onCompleted`).
 */
export class AsyncWaitQueue {
  private size = 0;
  private carry = 0;
  /** Ordered: every entry in put order. */
  private readonly entries: Entry[] = [];
  /** Unordered: the results of completed entries, in completion order. */
  private readonly completed: number[] = [];
  /** Requests that timed out (and were dropped). */
  timedOut = 0;

  constructor(
    private readonly env: Environment,
    readonly config: AsyncIo,
    private readonly onCompleted: () => void,
  ) {}

  isFull(): boolean {
    return this.size >= this.config.capacity;
  }

  /** Places taken: requests in flight and results not yet emitted. */
  occupied(): number {
    return this.size;
  }

  /** tryPut and asyncInvoke of one element: its request completes after its latency (or its timeout). */
  put(): void {
    const c = this.config;
    this.size++;
    const exact = this.carry + c.selectivity;
    const out = Math.floor(exact + 1e-9);
    this.carry = exact - out;
    const latency = c.latency();
    const late = latency > c.timeoutMs;
    const entry: Entry = { results: late ? 0 : out, done: false };
    if (c.ordered) this.entries.push(entry);
    this.env.schedule(late ? c.timeoutMs : latency, () => {
      if (late) this.timedOut++;
      entry.done = true;
      if (!c.ordered) this.completed.push(entry.results);
      this.onCompleted();
    });
  }

  /** Removes the next entry that may be emitted and returns its results; -1 when none may. */
  pollCompleted(): number {
    if (this.config.ordered) {
      const head = this.entries[0];
      if (head === undefined || !head.done) return -1;
      this.entries.shift();
      this.size--;
      return head.results;
    }
    const results = this.completed.shift();
    if (results === undefined) return -1;
    this.size--;
    return results;
  }
}
