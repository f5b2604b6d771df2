/**
 * A binary min-heap of timed events. Events at the same time pop in the order they
 * were pushed (a sequence number breaks ties), which makes runs deterministic.
 */
export interface QueuedEvent {
  readonly time: number;
  readonly seq: number;
  readonly action: () => void;
  /** Set by cancel; a cancelled event stays in the heap and is skipped when popped. */
  cancelled: boolean;
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class EventQueue {
  private readonly heap: QueuedEvent[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, action: () => void): QueuedEvent {
    const event: QueuedEvent = { time, seq: this.nextSeq++, action, cancelled: false };
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
    return event;
  }

  peek(): QueuedEvent | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
