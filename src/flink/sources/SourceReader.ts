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
  /** A legacy SourceFunction run by a SourceStreamTask (busy time disabled, no numRecordsIn). */
  readonly legacy: boolean;
}

/**
 * The Table/SQL `datagen` connector of Flink 1.18: DataGenTableSource returns a
 * SourceFunctionProvider with the legacy DataGeneratorSource
 * (flink-streaming-java .../functions/source/datagen/DataGeneratorSource.java,
 * release-1.18.1). Each subtask emits ceil(rows-per-second / parallelism) rows back to
 * back, then sleeps until `nextReadTime += 1000`; a subtask held up by back-pressure is
 * late and emits its next bursts back to back until it has caught up.
 */
export class LegacyDatagenReader implements SourceReader {
  onAvailable: (() => void) | null = null;
  readonly legacy = true;
  /** taskRowsPerSecond, fixed when run() starts (the connector's rate is a constant). */
  private readonly burstSize: number;
  private nextReadTime: number;
  private remaining: number;
  private sleeping = false;

  constructor(load: LoadProfile, parallelism: number, startMs: number) {
    // for (int i = 0; i < taskRowsPerSecond; i++) with a double bound: ceil(rows / p) rows.
    this.burstSize = Math.ceil(load.rate(startMs) / parallelism);
    // nextReadTime = System.currentTimeMillis() when run() starts; the first burst goes at once.
    this.nextReadTime = Math.floor(startMs);
    this.remaining = this.burstSize;
  }

  poll(nowMs: number): number {
    for (;;) {
      if (this.remaining > 0) {
        this.remaining--;
        return 0;
      }
      if (!this.sleeping) {
        this.nextReadTime += 1000;
        this.sleeping = true;
      }
      const wait = this.nextReadTime - Math.floor(nowMs);
      if (wait > 0) return wait;
      this.sleeping = false;
      this.remaining = this.burstSize;
    }
  }

  metrics(): ReadonlyMap<string, number> {
    return new Map();
  }
}

/**
 * The DataStream API's FLIP-27 DataGeneratorSource with a RateLimiterStrategy
 * (connector `datastream-datagen`): a source subtask rate-limited to its share of the profile's rate (Guava's
 * SmoothBursty, re-rated when the profile's rate changes); it keeps no backlog.
 */
export class DatagenReader implements SourceReader {
  onAvailable: (() => void) | null = null;
  readonly legacy = false;
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
  readonly legacy = false;
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

  metrics(): ReadonlyMap<string, number> {
    return this.topic.readerMetrics(this.partitions);
  }

  close(): void {
    this.topic.readers.delete(this);
  }
}
