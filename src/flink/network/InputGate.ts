import Denque from "denque";
import type { NetworkConfig } from "./NetworkConfig.ts";
import type { DataAvailabilityListener, Subpartition } from "./ResultPartition.ts";

/** The consuming subtask of an input gate. */
export interface GateOwner {
  onInputAvailable(): void;
}

/** The receiving side of one channel. */
export interface InputChannel extends DataAvailabilityListener {
  readonly subpartition: Subpartition;
  /** In the gate's queue of channels with data. */
  queued: boolean;
  /** Records handed to the consuming subtask in total. */
  delivered: number;
  /** Which input of a two-input operator the channel feeds (0 or 1; 0 for a one-input operator). */
  input: number;
  hasData(): boolean;
  /** Takes one slice (a buffer's worth of records) and returns how many records it holds. */
  takeSlice(): number;
  /** The consumer has read every record of the slice it took last. */
  releaseSlice(): void;
  /** Records received but not yet handed to the consumer, outside the sender's buffers. */
  receivedUnread(): number;
}

/**
 * A channel to a producer in the same TaskManager (LocalInputChannel): no receiver
 * buffers and no credit; a slice references the sender's buffer, which is recycled only
 * once the consumer has read the slice.
 */
export class LocalInputChannel implements InputChannel {
  queued = false;
  delivered = 0;
  input = 0;
  /** The slice being read came from a buffer that has left the queue: recycle it once read. */
  private sliceRemoved = false;

  constructor(
    readonly subpartition: Subpartition,
    private readonly gate: InputGate,
  ) {
    subpartition.consumer = this;
  }

  notifyDataAvailable(): void {
    this.gate.notifyChannelNonEmpty(this);
  }

  hasData(): boolean {
    return this.subpartition.isDataAvailable();
  }

  takeSlice(): number {
    const count = this.subpartition.poll();
    this.sliceRemoved = this.subpartition.polledRemoved;
    return count;
  }

  /**
   * The consumer reads one slice at a time and nothing else polls this subpartition, so
   * the slice's buffer has no other reader: it is recycled now if it left the queue.
   */
  releaseSlice(): void {
    if (this.sliceRemoved) {
      this.sliceRemoved = false;
      this.subpartition.partition.recycle(this.subpartition);
    }
  }

  receivedUnread(): number {
    return 0;
  }
}

/**
 * A channel to a producer in another TaskManager (RemoteInputChannel) with credit-based
 * flow control: the sender may send one buffer per credit, a credit being a free
 * exclusive buffer of this channel or a floating buffer of the gate. Data crosses the
 * network instantly; the sender's buffer is recycled once copied.
 */
export class RemoteInputChannel implements InputChannel {
  queued = false;
  delivered = 0;
  input = 0;
  /**
   * Received buffers in arrival order, each as its record count, negated when it is a
   * floating buffer (a slice holds at least one record). Numbers, not an object per
   * slice: at 10^5 records/s the queue of slice objects was a sixth of the run.
   */
  private readonly received = new Denque<number>();
  private exclusiveFree: number;
  private sliceFloating = false;
  waitingForFloating = false;

  constructor(
    readonly subpartition: Subpartition,
    private readonly gate: InputGate,
    private readonly config: NetworkConfig,
  ) {
    this.exclusiveFree = config.buffersPerChannel;
    subpartition.consumer = this;
  }

  notifyDataAvailable(): void {
    this.receive();
  }

  /** Moves readable sender data into receiver buffers while there is credit. */
  receive(): void {
    const sub = this.subpartition;
    while (sub.isDataAvailable()) {
      let floating: boolean;
      if (this.exclusiveFree > 0) {
        this.exclusiveFree--;
        floating = false;
      } else if (this.gate.takeFloatingBuffer()) {
        floating = true;
      } else {
        this.gate.waitForFloatingBuffer(this);
        return;
      }
      const count = sub.poll();
      if (sub.polledRemoved) sub.partition.recycle(sub);
      if (this.received.push(floating ? -count : count) === 1) this.gate.notifyChannelNonEmpty(this);
    }
  }

  hasData(): boolean {
    return !this.received.isEmpty();
  }

  takeSlice(): number {
    const slice = this.received.shift()!;
    this.sliceFloating = slice < 0;
    return Math.abs(slice);
  }

  releaseSlice(): void {
    if (this.sliceFloating) {
      this.gate.recycleFloatingBuffer();
    } else {
      this.exclusiveFree++;
      this.receive();
    }
  }

  receivedUnread(): number {
    let n = 0;
    for (const slice of this.received.toArray()) n += Math.abs(slice);
    return n;
  }

  /** Exclusive buffers holding received or in-read data. */
  exclusiveBuffersInUse(): number {
    return this.config.buffersPerChannel - this.exclusiveFree;
  }
}

/**
 * The input gate of a consuming subtask (SingleInputGate): channels with data wait in
 * a queue, in the order their data arrived, and are served one slice at a time.
 */
export class InputGate {
  readonly channels: InputChannel[] = [];
  /** A deque, not an array: an array's shift moves every element, and a gate has up to hundreds of channels. */
  private readonly withData = new Denque<InputChannel>();
  private floatingFree: number;
  private readonly floatingWaiters = new Denque<RemoteInputChannel>();
  owner: GateOwner | null = null;

  constructor(readonly config: NetworkConfig) {
    this.floatingFree = config.floatingBuffersPerGate;
  }

  notifyChannelNonEmpty(channel: InputChannel): void {
    if (channel.queued) return;
    channel.queued = true;
    if (this.withData.push(channel) === 1) this.owner?.onInputAvailable();
  }

  /** The channel of the next slice, with its record count; null when no channel has data. */
  pollNext(): { readonly channel: InputChannel; readonly count: number } | null {
    while (!this.withData.isEmpty()) {
      const channel = this.withData.shift()!;
      channel.queued = false;
      if (!channel.hasData()) continue;
      const count = channel.takeSlice();
      if (channel.hasData()) {
        channel.queued = true;
        this.withData.push(channel);
      }
      return { channel, count };
    }
    return null;
  }

  hasInput(): boolean {
    return !this.withData.isEmpty();
  }

  takeFloatingBuffer(): boolean {
    if (this.floatingFree === 0) return false;
    this.floatingFree--;
    return true;
  }

  waitForFloatingBuffer(channel: RemoteInputChannel): void {
    if (channel.waitingForFloating) return;
    channel.waitingForFloating = true;
    this.floatingWaiters.push(channel);
  }

  recycleFloatingBuffer(): void {
    this.floatingFree++;
    while (this.floatingFree > 0 && !this.floatingWaiters.isEmpty()) {
      const waiter = this.floatingWaiters.shift()!;
      waiter.waitingForFloating = false;
      waiter.receive();
    }
  }

  floatingBuffersInUse(): number {
    return this.config.floatingBuffersPerGate - this.floatingFree;
  }
}
