import type { RateLimiter } from "../runtime/RateLimiter.ts";
import type { KafkaTopic } from "./KafkaTopic.ts";
import type { LoadProfile } from "./LoadProfile.ts";

/** What a source subtask reads from. */
export interface SourceReader {
  /**
   * Takes the next record if one may be emitted now and returns 0; otherwise returns how
   * long to wait (ms), or Infinity to wait until `onAvailable` is called.
   */
  poll(nowMs: number): number;
  /** Called once the reader has data again after poll returned Infinity. */
  onAvailable: (() => void) | null;
  /** Metric values this reader reports, by the name under its operator's metric scope. */
  metrics(): ReadonlyMap<string, number>;
}

/**
 * A datagen source subtask: rate-limited to its share of the profile's rate (Guava's
 * SmoothBursty, re-rated when the profile's rate changes); it keeps no backlog.
 */
export class DatagenReader implements SourceReader {
  onAvailable: (() => void) | null = null;
  private currentRate = NaN;
  /** A permit was reserved by the last poll: the next poll emits without reserving again. */
  private reserved = false;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly load: LoadProfile,
    private readonly parallelism: number,
  ) {}

  poll(nowMs: number): number {
    if (this.reserved) {
      this.reserved = false;
      return 0;
    }
    const rate = this.load.rate(nowMs) / this.parallelism;
    if (rate !== this.currentRate) {
      if (rate <= 0) return 1000; // nothing to emit: look again in a second
      this.limiter.setRate(rate, nowMs);
      this.currentRate = rate;
    }
    const wait = this.limiter.reserve(nowMs);
    if (wait > 0) this.reserved = true;
    return wait;
  }

  metrics(): ReadonlyMap<string, number> {
    return new Map();
  }
}

/**
 * A Kafka source subtask (KafkaSourceReader): reads the backlog of its assigned
 * partitions in turn, at most `maxRecordsPerSecond`, and reports pendingRecords and
 * each partition's currentOffset.
 */
export class KafkaReader implements SourceReader {
  onAvailable: (() => void) | null = null;
  private next = 0;
  private reserved = false;

  constructor(
    private readonly topic: KafkaTopic,
    readonly partitions: readonly number[],
    private readonly limiter: RateLimiter | null,
  ) {
    topic.readers.add(this);
  }

  poll(nowMs: number): number {
    const n = this.partitions.length;
    for (let k = 0; k < n; k++) {
      const p = this.partitions[(this.next + k) % n]!;
      if (this.topic.backlog(p) >= 1) {
        if (!this.reserved && this.limiter !== null) {
          const wait = this.limiter.reserve(nowMs);
          if (wait > 0) {
            this.reserved = true;
            return wait;
          }
        }
        this.reserved = false;
        this.topic.consume(p);
        this.next = (this.next + k + 1) % n;
        return 0;
      }
    }
    return Infinity;
  }

  /** The summed backlog of this reader's partitions (whole records). */
  pendingRecords(): number {
    let sum = 0;
    for (const p of this.partitions) sum += Math.floor(this.topic.backlog(p));
    return sum;
  }

  metrics(): ReadonlyMap<string, number> {
    const m = new Map<string, number>([["pendingRecords", this.pendingRecords()]]);
    for (const p of this.partitions) m.set(`KafkaSourceReader.topic.${this.topic.name}.partition.${p}.currentOffset`, this.topic.consumed[p]!);
    return m;
  }

  close(): void {
    this.topic.readers.delete(this);
  }
}
