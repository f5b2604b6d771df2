import type { NetworkConfig } from "./NetworkConfig.ts";

/** One network buffer (memory segment) of a result partition. */
export interface NetworkBuffer {
  readonly subpartition: Subpartition;
  /** Records written into it. */
  records: number;
  /** Records already handed to the consumer (copied to the network or sliced locally). */
  sent: number;
  /** Full: no more records go in; it becomes readable as a whole. */
  finished: boolean;
  /** Out of its subpartition's queue; it returns to the pool once `refs` is 0. */
  removed: boolean;
  /** Local slices of it still being read by the consumer. */
  refs: number;
}

/** What a subpartition tells when it has readable data (an input channel). */
export interface DataAvailabilityListener {
  notifyDataAvailable(): void;
}

/**
 * The sending side of one channel (PipelinedSubpartition): a queue of buffers, the last
 * of which may still be filling. Data becomes readable when its buffer is full or a
 * flush was requested; a read takes everything readable in the head buffer (a slice).
 */
export class Subpartition {
  readonly buffers: NetworkBuffer[] = [];
  private open: NetworkBuffer | null = null;
  private flushRequested = false;
  /** Buffers taken from the pool and not yet recycled (LocalBufferPool#subpartitionBuffersCount). */
  held = 0;
  /** Records written in total. */
  written = 0;
  consumer: DataAvailabilityListener | null = null;

  constructor(
    readonly partition: ResultPartition,
    readonly index: number,
  ) {}

  isDataAvailable(): boolean {
    const head = this.buffers[0];
    return head !== undefined && head.records > head.sent && (head.finished || this.flushRequested);
  }

  /** Writes one record; false when no buffer could be had (the writer is back-pressured). */
  write(): boolean {
    let buffer = this.open;
    if (buffer === null) {
      buffer = this.partition.requestBuffer(this);
      if (buffer === null) return false;
      this.open = buffer;
      this.buffers.push(buffer);
    }
    const wasAvailable = this.isDataAvailable();
    buffer.records++;
    this.written++;
    if (buffer.records === this.partition.recordsPerBuffer) {
      buffer.finished = true;
      this.open = null;
    } else {
      this.partition.onUnflushedWrite();
    }
    if (!wasAvailable && this.isDataAvailable()) this.consumer?.notifyDataAvailable();
    return true;
  }

  /** Makes everything written so far readable (the output flusher's flushAll). */
  flush(): void {
    if (this.flushRequested || this.buffers.length === 0) return;
    // As PipelinedSubpartition#flush: a flush with nothing unsent is not remembered.
    const head = this.buffers[0]!;
    if (this.buffers.length === 1 && head.records === head.sent) return;
    const wasAvailable = this.isDataAvailable();
    this.flushRequested = true;
    if (!wasAvailable) this.consumer?.notifyDataAvailable();
  }

  /** Takes the readable records of the head buffer; call only when data is available. */
  poll(): NetworkBuffer {
    const head = this.buffers[0]!;
    head.sent = head.records;
    // As PipelinedSubpartition#pollBuffer: draining the last buffer ends the flush request.
    if (this.buffers.length === 1) this.flushRequested = false;
    if (head.finished) {
      this.buffers.shift();
      head.removed = true;
    }
    return head;
  }

  /** Records written but not yet handed to the consumer. */
  unsent(): number {
    let n = 0;
    for (const b of this.buffers) n += b.records - b.sent;
    return n;
  }
}

/** What a result partition tells its writer (the producing subtask). */
export interface PartitionOwner {
  /** A buffer was recycled: the writer may continue. */
  onBufferRecycled(): void;
  /** A record went into a buffer that is not full: a flush is due at the buffer timeout. */
  onUnflushedWrite(): void;
}

/**
 * A result partition with its LocalBufferPool: numSubpartitions x buffers-per-channel +
 * floating-buffers-per-gate buffers (the pool's maximum size, granted in full since we
 * model no memory shortage). It is available while it has a free buffer and no
 * subpartition holds max-buffers-per-channel buffers.
 */
export class ResultPartition {
  readonly subpartitions: Subpartition[];
  readonly poolSize: number;
  readonly recordsPerBuffer: number;
  private readonly maxBuffersPerChannel: number;
  private free: number;
  private saturatedSubpartitions = 0;
  owner: PartitionOwner | null = null;

  constructor(numSubpartitions: number, config: NetworkConfig, recordsPerBuffer: number) {
    this.subpartitions = Array.from({ length: numSubpartitions }, (_, i) => new Subpartition(this, i));
    this.poolSize = numSubpartitions * config.buffersPerChannel + config.floatingBuffersPerGate;
    this.free = this.poolSize;
    this.maxBuffersPerChannel = config.maxBuffersPerChannel;
    this.recordsPerBuffer = recordsPerBuffer;
  }

  isAvailable(): boolean {
    return this.free > 0 && this.saturatedSubpartitions === 0;
  }

  freeBuffers(): number {
    return this.free;
  }

  requestBuffer(subpartition: Subpartition): NetworkBuffer | null {
    if (this.free === 0) return null;
    this.free--;
    if (++subpartition.held === this.maxBuffersPerChannel) this.saturatedSubpartitions++;
    return { subpartition, records: 0, sent: 0, finished: false, removed: false, refs: 0 };
  }

  /** Returns a buffer that is out of its queue and no longer read. */
  recycle(buffer: NetworkBuffer): void {
    const sub = buffer.subpartition;
    if (sub.held-- === this.maxBuffersPerChannel) this.saturatedSubpartitions--;
    this.free++;
    this.owner?.onBufferRecycled();
  }

  onUnflushedWrite(): void {
    this.owner?.onUnflushedWrite();
  }

  flushAll(): void {
    for (const s of this.subpartitions) s.flush();
  }
}
