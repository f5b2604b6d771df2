import type { Sampler } from "../../engine/distributions.ts";
import type { CpuRunner } from "../cpu/CpuScheduler.ts";
import type { RateLimiter } from "../runtime/RateLimiter.ts";
import type { KafkaTopic } from "./KafkaTopic.ts";
import type { SourceReader } from "./SourceReader.ts";

/** Kafka consumer defaults (ConsumerConfig): max.poll.records. */
export const DEFAULT_MAX_POLL_RECORDS = 500;
/** source.reader.element.queue.capacity (SourceReaderOptions, flink-connector-base release-1.18.1): batches. */
export const ELEMENT_QUEUE_CAPACITY = 2;

/** What a reader's fetcher thread did: fetches, the records they returned, and its time (ms). */
export interface FetchStats {
  fetches: number;
  records: number;
  fetcherMs: number;
}

/**
 * A KafkaSourceReader whose fetches cost time (record mode). In the FLIP-27 KafkaSource the
 * fetch runs on the split fetcher's own thread (SplitFetcherManager starts it as "Source Data
 * Fetcher for <task>", flink-connector-base release-1.18.1): FetchTask calls
 * KafkaPartitionSplitReader#fetch (one KafkaConsumer#poll, apache/flink-connector-kafka) and
 * puts the batch into the elementsQueue, blocking while the queue holds
 * source.reader.element.queue.capacity (2) batches. The task thread only takes records from
 * that queue (SourceReaderBase#pollNext) and is idle while it is empty. So a fetch's time is
 * the fetcher thread's: CPU of the TaskManager, not the task's busy time.
 *
 * A fetch returns up to max.poll.records of what waits in the subtask's partitions when it
 * starts (fetch.min.bytes = 1: the broker answers as soon as one record is there; an empty
 * answer after fetch.max.wait.ms costs nothing here), taken in turn from the partitions.
 * Records reach the topic in its producer ticks (KafkaTopic, 100 ms), so a fetcher faster than
 * the ticks makes one fetch per tick and a slower one takes what came during its last fetch:
 * records per fetch at a subtask's rate r (records/s) is clamp(r x max(fetch, tick) / 1000, 1,
 * max.poll.records), and max.poll.records from a backlog.
 */
export class FetchingKafkaReader implements SourceReader {
  onAvailable: (() => void) | null = null;
  readonly legacy = false;
  readonly stats: FetchStats = { fetches: 0, records: 0, fetcherMs: 0 };
  /** The elementsQueue: records left in each fetched batch, oldest first. */
  private readonly batches: number[] = [];
  /** A fetched batch the fetcher could not put yet (the queue was full), or 0. */
  private held = 0;
  private fetching = false;
  /** The fetcher starts with the task (splits are assigned once the reader runs). */
  private started = false;
  private closed = false;
  private next = 0;
  private reserved = false;
  /** Wakes the fetcher on the topic's ticks (the task's own wake-up is onAvailable). */
  private readonly listener: { onAvailable: () => void; partitions: readonly number[] };

  constructor(
    private readonly topic: KafkaTopic,
    readonly partitions: readonly number[],
    private readonly limiter: RateLimiter | null,
    private readonly fetchCost: Sampler,
    private readonly maxPollRecords: number,
    /** The TaskManager's CPU: the fetcher is one more thread on it. */
    private readonly cpu: CpuRunner,
  ) {
    this.listener = { onAvailable: () => this.maybeFetch(), partitions };
    topic.readers.add(this.listener);
  }

  poll(nowMs: number): number {
    if (!this.started) {
      this.started = true;
      this.maybeFetch();
    }
    if (this.batches.length === 0) return Infinity;
    if (!this.reserved && this.limiter !== null) {
      const wait = this.limiter.reserve(nowMs);
      if (wait > 0) {
        this.reserved = true;
        return wait;
      }
    }
    this.reserved = false;
    if (--this.batches[0]! === 0) {
      this.batches.shift();
      // The fetcher blocked in put() goes on once the queue has room.
      if (this.held > 0) {
        this.batches.push(this.held);
        this.held = 0;
      }
      this.maybeFetch();
    }
    return 0;
  }

  /** Starts a fetch if the fetcher thread is free and a whole record waits. */
  private maybeFetch(): void {
    if (!this.started || this.closed || this.fetching || this.held > 0) return;
    const n = this.partitions.length;
    let records = 0;
    // Whole records, in turn from the partitions, as KafkaReader takes them one by one.
    while (records < this.maxPollRecords) {
      let took = false;
      for (let k = 0; k < n && records < this.maxPollRecords; k++) {
        const p = this.partitions[(this.next + k) % n]!;
        if (this.topic.backlog(p) >= 1) {
          this.topic.consume(p);
          records++;
          took = true;
        }
      }
      if (!took) break;
    }
    if (records === 0) return;
    this.next = (this.next + 1) % Math.max(1, n);
    const cost = this.fetchCost();
    this.fetching = true;
    this.stats.fetches++;
    this.stats.records += records;
    this.stats.fetcherMs += cost;
    this.cpu.run(cost, 1, () => this.fetched(records));
  }

  private fetched(records: number): void {
    this.fetching = false;
    if (this.closed) return;
    if (this.batches.length >= ELEMENT_QUEUE_CAPACITY) {
      this.held = records;
      return;
    }
    this.batches.push(records);
    this.onAvailable?.();
    this.maybeFetch();
  }

  metrics(): ReadonlyMap<string, number> {
    return this.topic.readerMetrics(this.partitions);
  }

  close(): void {
    this.closed = true;
    this.topic.readers.delete(this.listener);
  }
}

/**
 * The aggregate mode's count of fetches for `records` read in a slice of `sliceMs`: at least
 * records / max.poll.records (full batches), else one per max(fetch, tick) ms of the slice but
 * never more than one per record (the record mode's clamp, see FetchingKafkaReader).
 */
export function fetchesInSlice(records: number, sliceMs: number, meanFetchMs: number, tickMs: number, maxPollRecords: number): number {
  if (records <= 0) return 0;
  return Math.max(records / maxPollRecords, Math.min(sliceMs / Math.max(meanFetchMs, tickMs), records));
}
