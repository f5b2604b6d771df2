import type { NetworkConfig } from "./NetworkConfig.ts";

/** What a subpartition tells when it has readable data (an input channel). */
export interface DataAvailabilityListener {
  notifyDataAvailable(): void;
}

/**
 * The sending side of one channel (PipelinedSubpartition): a queue of buffers, the last
 * of which may still be filling. Data becomes readable when its buffer is full or a
 * flush was requested; a read takes everything readable in the head buffer (a slice).
 *
 * The queue is kept as counts, not as buffer objects: a buffer is finished only when it
 * is full, and only the head is ever read, so every buffer between the head and the
 * last is full and unsent. The head's and the last buffer's fill are all there is to
 * remember (at the parallelism of a large job there are tens of thousands of these, and
 * scalar fields keep each record's work to one object).
 */
export class Subpartition {
  /** Buffers in the queue. */
  private queued = 0;
  /** The head buffer: records written into it, records handed out, full. */
  private headRecords = 0;
  private headSent = 0;
  private headFinished = false;
  /** The last buffer when it is not the head (queued >= 2). */
  private lastRecords = 0;
  private lastFinished = false;
  /** The last buffer still takes records. */
  private open = false;
  private flushRequested = false;
  /** The last poll took the head buffer out of the queue (it returns to the pool once nothing reads it). */
  polledRemoved = false;
  /** Buffers taken from the pool and not yet recycled (LocalBufferPool#subpartitionBuffersCount). */
  held = 0;
  /** Records written in total. */
  written = 0;
  /** A broadcast partition's shared buffers: how many this subpartition has opened and recycled. */
  opened = 0;
  recycled = 0;
  /** Written to since the partition's last flushAll; only such subpartitions can have anything to flush. */
  dirty = false;
  consumer: DataAvailabilityListener | null = null;

  constructor(
    readonly partition: ResultPartition,
    readonly index: number,
  ) {}

  isDataAvailable(): boolean {
    return this.queued > 0 && this.headRecords > this.headSent && (this.headFinished || this.flushRequested);
  }

  /** Writes one record; false when no buffer could be had (the writer is back-pressured). */
  write(): boolean {
    const partition = this.partition;
    if (!this.open) {
      if (!partition.requestBuffer(this)) return false;
      this.open = true;
      if (++this.queued === 1) {
        this.headRecords = 0;
        this.headSent = 0;
        this.headFinished = false;
      } else {
        this.lastRecords = 0;
        this.lastFinished = false;
      }
    }
    const wasAvailable = this.isDataAvailable();
    this.written++;
    if (!this.dirty) partition.markDirty(this);
    const full = this.queued === 1 ? ++this.headRecords === partition.recordsPerBuffer : ++this.lastRecords === partition.recordsPerBuffer;
    if (full) {
      if (this.queued === 1) this.headFinished = true;
      else this.lastFinished = true;
      this.open = false;
    }
    if (!wasAvailable && this.isDataAvailable()) this.consumer?.notifyDataAvailable();
    return true;
  }

  /** The last buffer still takes records: what went into it is readable only after a flush. */
  hasOpenBuffer(): boolean {
    return this.open;
  }

  /** Makes everything written so far readable (the output flusher's flushAll). */
  flush(): void {
    if (this.flushRequested || this.queued === 0) return;
    // As PipelinedSubpartition#flush: a flush with nothing unsent is not remembered.
    if (this.queued === 1 && this.headRecords === this.headSent) return;
    const wasAvailable = this.isDataAvailable();
    this.flushRequested = true;
    if (!wasAvailable) this.consumer?.notifyDataAvailable();
  }

  /**
   * Takes the readable records of the head buffer and returns how many they are; call
   * only when data is available. `polledRemoved` tells whether the buffer left the queue.
   */
  poll(): number {
    const count = this.headRecords - this.headSent;
    this.headSent = this.headRecords;
    // As PipelinedSubpartition#pollBuffer: draining the last buffer ends the flush request.
    if (this.queued === 1) this.flushRequested = false;
    this.polledRemoved = this.headFinished;
    if (this.headFinished) {
      // The next buffer becomes the head: the last one, or a full one from between.
      if (--this.queued === 1) {
        this.headRecords = this.lastRecords;
        this.headFinished = this.lastFinished;
      } else if (this.queued > 1) {
        this.headRecords = this.partition.recordsPerBuffer;
        this.headFinished = true;
      }
      this.headSent = 0;
    }
    return count;
  }

  /** Records written but not yet handed to the consumer. */
  unsent(): number {
    if (this.queued === 0) return 0;
    const head = this.headRecords - this.headSent;
    if (this.queued === 1) return head;
    return head + (this.queued - 2) * this.partition.recordsPerBuffer + this.lastRecords;
  }
}

/** What a result partition tells its writer (the producing subtask). */
export interface PartitionOwner {
  /** A buffer was recycled: the writer may continue. */
  onBufferRecycled(): void;
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
  /** Indexes of the subpartitions written to since the last flushAll (each at most once), the first `dirtyCount`. */
  private readonly dirty: Int32Array;
  private dirtyCount = 0;
  owner: PartitionOwner | null = null;
  /**
   * BROADCAST (BufferWritingResultPartition#broadcastRecord, Flink 1.18.1): one buffer
   * holds each record for every subpartition. It is taken from the pool once, counted
   * against subpartition 0 (requestNewBroadcastBufferBuilder asks the pool for channel 0),
   * and returns to the pool when the last subpartition has recycled it. The writer fills
   * every subpartition alike, so their n-th buffers are the same shared one.
   */
  private readonly broadcast: boolean;
  /** Shared buffers taken from the pool so far; per shared buffer still out, the subpartitions done with it. */
  private sharedOpened = 0;
  private readonly sharedRecycled: Int32Array;

  constructor(numSubpartitions: number, config: NetworkConfig, recordsPerBuffer: number, broadcast = false) {
    this.subpartitions = Array.from({ length: numSubpartitions }, (_, i) => new Subpartition(this, i));
    this.dirty = new Int32Array(numSubpartitions);
    this.poolSize = numSubpartitions * config.buffersPerChannel + config.floatingBuffersPerGate;
    this.free = this.poolSize;
    this.maxBuffersPerChannel = config.maxBuffersPerChannel;
    this.recordsPerBuffer = recordsPerBuffer;
    this.broadcast = broadcast;
    this.sharedRecycled = new Int32Array(broadcast ? this.poolSize : 0);
  }

  isAvailable(): boolean {
    return this.free > 0 && this.saturatedSubpartitions === 0;
  }

  freeBuffers(): number {
    return this.free;
  }

  /** Takes a buffer from the pool for `subpartition`; false when none is free. */
  requestBuffer(subpartition: Subpartition): boolean {
    if (this.broadcast) return this.requestSharedBuffer(subpartition);
    if (this.free === 0) return false;
    this.free--;
    if (++subpartition.held === this.maxBuffersPerChannel) this.saturatedSubpartitions++;
    return true;
  }

  /** A broadcast subpartition opens its next buffer: the shared one, taken from the pool by the first to open it. */
  private requestSharedBuffer(subpartition: Subpartition): boolean {
    if (subpartition.opened === this.sharedOpened) {
      if (this.free === 0) return false;
      this.free--;
      this.sharedOpened++;
      if (++this.subpartitions[0]!.held === this.maxBuffersPerChannel) this.saturatedSubpartitions++;
    }
    subpartition.opened++;
    return true;
  }

  /** A broadcast subpartition is done with its oldest buffer: the pool gets it back once every subpartition is. */
  private recycleShared(sub: Subpartition): void {
    const slot = sub.recycled++ % this.sharedRecycled.length;
    if (++this.sharedRecycled[slot]! < this.subpartitions.length) return;
    this.sharedRecycled[slot] = 0;
    const first = this.subpartitions[0]!;
    if (first.held-- === this.maxBuffersPerChannel) this.saturatedSubpartitions--;
    this.free++;
    this.owner?.onBufferRecycled();
  }

  /** Returns one of `sub`'s buffers that is out of its queue and no longer read. */
  recycle(sub: Subpartition): void {
    if (this.broadcast) {
      this.recycleShared(sub);
      return;
    }
    if (sub.held-- === this.maxBuffersPerChannel) this.saturatedSubpartitions--;
    this.free++;
    this.owner?.onBufferRecycled();
  }

  markDirty(subpartition: Subpartition): void {
    subpartition.dirty = true;
    this.dirty[this.dirtyCount++] = subpartition.index;
  }

  /**
   * Flushes every subpartition, in index order as Flink does. Only those written to since
   * the last flushAll are visited: for any other, flush() would find nothing unsent or a
   * flush already requested, and do nothing.
   */
  flushAll(): void {
    const n = this.dirtyCount;
    if (n === 0) return;
    const dirty = this.dirty;
    if (n > 1) dirty.subarray(0, n).sort(); // a typed array sorts numerically
    this.dirtyCount = 0;
    const subpartitions = this.subpartitions;
    for (let i = 0; i < n; i++) {
      const s = subpartitions[dirty[i]!]!;
      s.dirty = false;
      s.flush();
    }
  }
}
