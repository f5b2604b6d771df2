import type { Environment } from "../../engine/Environment.ts";
import type { LoadProfile } from "./LoadProfile.ts";

/** Java's String#hashCode. */
function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** KafkaSourceEnumerator#getSplitOwner: the reader a partition is assigned to. */
export function splitOwner(topic: string, partition: number, numReaders: number): number {
  const startIndex = (Math.imul(javaStringHashCode(topic), 31) & 0x7fffffff) % numReaders;
  return (startIndex + partition) % numReaders;
}

/**
 * A topic outside the job: producers write at the load profile's rate, spread evenly over
 * the partitions, in ticks; the backlog of a partition is what was produced and not yet
 * read. It lives across restarts of the job (the backlog keeps growing meanwhile).
 */
export class KafkaTopic {
  /** Records produced per partition (fractional: a tick produces rate x tick / partitions); with lazy production read it through backlog or totalProduced. */
  readonly produced: number[];
  /** Offsets read per partition (whole records). */
  readonly consumed: number[];
  readonly readers = new Set<{ onAvailable: (() => void) | null; partitions: readonly number[] }>();

  constructor(
    private readonly env: Environment,
    readonly name: string,
    readonly partitions: number,
    private readonly load: LoadProfile,
    initialBacklog: number,
    readonly tickMs = 100,
    /** When the first tick comes after the start, as a share of a tick in (0, 1]. */
    private readonly phase = 1,
  ) {
    this.produced = Array.from({ length: partitions }, () => initialBacklog / partitions);
    this.consumed = new Array<number>(partitions).fill(0);
  }

  /** In lazy production: the time of the next tick not yet produced. */
  private nextTickMs = Infinity;

  /**
   * Starts the producers: a tick every `tickMs`, each waking the readers (record mode);
   * with `lazy`, no events at all: the ticks are worked out, the same ones in the same
   * order, whenever the backlog is read (the aggregate mode, whose readers look each
   * slice and need no waking; a day's 864,000 tick events were most of its events).
   */
  start(lazy = false): void {
    const first = this.phase * this.tickMs;
    if (lazy) {
      this.nextTickMs = this.env.now + first;
      return;
    }
    const tick = () => {
      this.produceTick(this.env.now);
      for (const r of this.readers) r.onAvailable?.();
      this.env.schedule(this.tickMs, tick);
    };
    this.env.schedule(first, tick);
  }

  private produceTick(t: number): void {
    // Midpoint rule over the tick: exact for constant and linear profiles. A first tick that
    // comes less than half a tick after the start (its phase) takes the profile's rate at 0:
    // the profile (and its noise) starts there.
    const records = (this.load.rate(Math.max(0, t - this.tickMs / 2)) * this.tickMs) / 1000;
    for (let p = 0; p < this.partitions; p++) this.produced[p]! += records / this.partitions;
  }

  /** Lazy production: produces every tick due by now. */
  private catchUp(): void {
    const now = this.env.now;
    while (this.nextTickMs <= now) {
      this.produceTick(this.nextTickMs);
      this.nextTickMs += this.tickMs;
    }
  }

  /** Records/s the producers write at virtual time `tMs` (the load profile). */
  produceRate(tMs: number): number {
    return this.load.rate(tMs);
  }

  backlog(partition: number): number {
    this.catchUp();
    return this.produced[partition]! - this.consumed[partition]!;
  }

  consume(partition: number): void {
    this.consumed[partition]!++;
  }

  totalProduced(): number {
    this.catchUp();
    return this.produced.reduce((a, b) => a + b, 0);
  }

  totalConsumed(): number {
    return this.consumed.reduce((a, b) => a + b, 0);
  }

  /**
   * What a KafkaSourceReader of `partitions` reports: pendingRecords (the whole records
   * waiting in them) and each partition's currentOffset (whole records read; the
   * aggregate mode reads fractionally).
   */
  readerMetrics(partitions: readonly number[]): Map<string, number> {
    let pending = 0;
    for (const p of partitions) pending += Math.floor(this.backlog(p));
    const m = new Map<string, number>([["pendingRecords", pending]]);
    for (const p of partitions) m.set(`KafkaSourceReader.topic.${this.name}.partition.${p}.currentOffset`, Math.floor(this.consumed[p]!));
    return m;
  }

  /** Whole records waiting, summed over partitions (what the readers' pendingRecords add up to). */
  totalBacklog(): number {
    let sum = 0;
    for (let p = 0; p < this.partitions; p++) sum += Math.floor(this.backlog(p));
    return sum;
  }
}
