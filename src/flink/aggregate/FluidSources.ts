import type { KafkaTopic } from "../sources/KafkaTopic.ts";
import type { LoadProfile } from "../sources/LoadProfile.ts";
import { fetchesInSlice, type FetchStats } from "../sources/KafkaFetcher.ts";
import { waterLevel } from "./waterLevel.ts";

/** A source subtask's reader in the aggregate mode: records it could emit in a slice, and taking them. */
export interface FluidSource {
  /** Records the reader could hand out in [fromMs, toMs), before back-pressure or cost limit it. */
  supply(fromMs: number, toMs: number): number;
  /** The task emitted `records` of the supply. */
  take(records: number): void;
  /** Metric values the reader reports, as SourceReader#metrics. */
  metrics(): ReadonlyMap<string, number>;
  close(): void;
  /** A legacy SourceFunction (SourceStreamTask): busy time disabled, no numRecordsIn, hard back-pressure, sleeps counted as neither idle nor back-pressured. */
  readonly legacy?: boolean;
}

/**
 * A FLIP-27 DataGeneratorSource with its RateLimiterStrategy in aggregate: permits accrue
 * at the subtask's share of the profile's rate (midpoint rule over the slice) and, as
 * Guava's SmoothBursty stores them, up to one second's worth wait while the task is held
 * up. No backlog beyond that: a source held up longer emits less.
 */
export class FluidDatagenSource implements FluidSource {
  private permits = 0;
  private rate = 0;
  private offered = 0;

  constructor(
    private readonly load: LoadProfile,
    private readonly parallelism: number,
  ) {}

  supply(fromMs: number, toMs: number): number {
    this.rate = Math.max(0, this.load.rate((fromMs + toMs) / 2) / this.parallelism);
    this.offered = this.permits + (this.rate * (toMs - fromMs)) / 1000;
    return this.offered;
  }

  take(records: number): void {
    // What was not used stays stored, up to one second's worth (SmoothBursty's maxPermits).
    this.permits = Math.min(Math.max(0, this.offered - records), this.rate);
  }

  metrics(): ReadonlyMap<string, number> {
    return new Map();
  }

  close(): void {}
}

/**
 * A Kafka source subtask (KafkaSourceReader) in aggregate: its supply is the backlog of
 * its assigned partitions (at most maxRecordsPerSecond over the slice); what it reads is
 * spread over them as its round robin spreads records, equal shares by water-filling,
 * a partition with less waiting giving all it has. Offsets advance fractionally; the
 * reported currentOffset and pendingRecords are whole records.
 */
export class FluidKafkaSource implements FluidSource {
  readonly onAvailable = null;
  private readonly backlogs: Float64Array;
  private readonly sorted: Float64Array;

  /** The fetcher thread's work, when fetches cost time (see `fetching`). */
  readonly stats: FetchStats = { fetches: 0, records: 0, fetcherMs: 0 };
  private sliceMs = 0;

  constructor(
    private readonly topic: KafkaTopic,
    readonly partitions: readonly number[],
    private readonly maxRecordsPerSecond: number | undefined,
    /**
     * Fetches that cost time (FetchingKafkaReader in aggregate): the fetcher thread reads at
     * most max.poll.records per mean fetch time, and its time is counted in `stats` (not the
     * task's busy time; not set against the TaskManager's CPU in this mode). Null: free fetches.
     */
    private readonly fetching: { readonly meanFetchMs: number; readonly maxPollRecords: number } | null = null,
  ) {
    this.backlogs = new Float64Array(partitions.length);
    this.sorted = new Float64Array(partitions.length);
    topic.readers.add(this);
  }

  supply(fromMs: number, toMs: number): number {
    let sum = 0;
    for (const p of this.partitions) sum += Math.max(0, this.topic.backlog(p));
    if (this.maxRecordsPerSecond !== undefined) sum = Math.min(sum, (this.maxRecordsPerSecond * (toMs - fromMs)) / 1000);
    const f = this.fetching;
    if (f !== null) {
      this.sliceMs = toMs - fromMs;
      if (f.meanFetchMs > 0) sum = Math.min(sum, (f.maxPollRecords * this.sliceMs) / f.meanFetchMs);
    }
    return sum;
  }

  take(records: number): void {
    const f = this.fetching;
    if (f !== null && records > 0) {
      const fetches = fetchesInSlice(records, this.sliceMs, f.meanFetchMs, this.topic.tickMs, f.maxPollRecords);
      this.stats.fetches += fetches;
      this.stats.records += records;
      this.stats.fetcherMs += fetches * f.meanFetchMs;
    }
    const parts = this.partitions;
    const n = parts.length;
    if (n === 0 || records <= 0) return;
    const b = this.backlogs;
    for (let k = 0; k < n; k++) b[k] = Math.max(0, this.topic.backlog(parts[k]!));
    this.sorted.set(b);
    const level = waterLevel(this.sorted.sort(), records);
    for (let k = 0; k < n; k++) this.topic.consumed[parts[k]!]! += Math.min(b[k]!, level);
  }

  metrics(): ReadonlyMap<string, number> {
    return this.topic.readerMetrics(this.partitions);
  }

  close(): void {
    this.topic.readers.delete(this);
  }
}
