/**
 * A binary min-heap of timed events. Events at the same time pop in the order they were
 * pushed (a sequence number breaks ties), which makes runs deterministic.
 *
 * The heap is kept as parallel arrays (times and sequence numbers in Float64Arrays, the
 * actions beside them) rather than one object per event: comparisons then read two
 * adjacent numbers instead of chasing pointers, and pushing allocates nothing. An
 * event's handle is its sequence number.
 */
export type EventHandle = number;

const NOTHING = (): void => {};

export class EventQueue {
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private readonly actions: (() => void)[] = [];
  private length = 0;
  private nextSeq = 0;
  /** Handles of cancelled events still in the heap; they are dropped when popped. */
  private readonly cancelled = new Set<EventHandle>();

  /** Events in the heap, cancelled ones included. */
  get size(): number {
    return this.length;
  }

  push(time: number, action: () => void): EventHandle {
    const seq = this.nextSeq++;
    if (this.length === this.times.length) this.grow();
    const { times, seqs, actions } = this;
    let i = this.length++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent]!;
      if (parentTime < time || (parentTime === time && seqs[parent]! < seq)) break;
      times[i] = parentTime;
      seqs[i] = seqs[parent]!;
      actions[i] = actions[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    actions[i] = action;
    return seq;
  }

  /** The time of the next event (cancelled or not); Infinity when the queue is empty. */
  peekTime(): number {
    return this.length === 0 ? Infinity : this.times[0]!;
  }

  /** Removes the next event and returns its action, or null when it was cancelled (or the queue is empty). */
  pop(): (() => void) | null {
    if (this.length === 0) return null;
    const { times, seqs, actions } = this;
    const headSeq = seqs[0]!;
    const headAction = actions[0]!;
    const n = --this.length;
    const lastTime = times[n]!;
    const lastSeq = seqs[n]!;
    const lastAction = actions[n]!;
    actions[n] = NOTHING; // let the popped action be collected; the array stays packed
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        let child = l;
        const r = l + 1;
        if (r < n) {
          const rt = times[r]!;
          const lt = times[l]!;
          if (rt < lt || (rt === lt && seqs[r]! < seqs[l]!)) child = r;
        }
        const childTime = times[child]!;
        if (childTime > lastTime || (childTime === lastTime && seqs[child]! > lastSeq)) break;
        times[i] = childTime;
        seqs[i] = seqs[child]!;
        actions[i] = actions[child]!;
        i = child;
      }
      times[i] = lastTime;
      seqs[i] = lastSeq;
      actions[i] = lastAction;
    }
    if (this.cancelled.size > 0 && this.cancelled.delete(headSeq)) return null;
    return headAction;
  }

  /** Marks a pending event cancelled; a handle already popped is ignored. */
  cancel(handle: EventHandle): void {
    if (handle >= this.nextSeq || !this.isPending(handle)) return;
    this.cancelled.add(handle);
  }

  private isPending(handle: EventHandle): boolean {
    const seqs = this.seqs;
    for (let i = 0; i < this.length; i++) if (seqs[i] === handle) return true;
    return false;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}
