import type { LoadProfile } from "../sources/LoadProfile.ts";
import type { FluidSource } from "./FluidSources.ts";

/**
 * The Table/SQL `datagen` connector's legacy DataGeneratorSource (a SourceFunction in a
 * SourceStreamTask; flink-streaming-java .../source/datagen/DataGeneratorSource.java,
 * release-1.18.1) in the aggregate mode, the flow form of LegacyDatagenReader: a burst of
 * ceil(rows-per-second / p) rows is due at the task's start and every 1000 ms after
 * (`nextReadTime += 1000`), and what back-pressure held up stays owed: the loop emits the
 * missed bursts back to back once it can write again, so the source keeps a backlog with
 * no bound. A slice's supply is what is owed plus the bursts due in it.
 */
export class FluidLegacyDatagenSource implements FluidSource {
  /** A SourceStreamTask: busy time disabled, no numRecordsIn, blocked on buffers (hard back-pressure), its sleeps neither idle nor back-pressured. */
  readonly legacy = true;
  /** taskRowsPerSecond, fixed when run() starts (the connector's rate is a constant). */
  private readonly burstSize: number;
  /** When the first burst is due (run() starts: nextReadTime = now, whole ms). */
  private readonly firstMs: number;
  /** Bursts counted into the supply so far, and the count due by the end of the slice supplied last. */
  private bursts = 0;
  private burstsDue = 0;
  /** Rows due and not yet emitted before the current slice. */
  private owed = 0;
  private offered = 0;

  constructor(load: LoadProfile, parallelism: number, startMs: number) {
    this.burstSize = Math.ceil(load.rate(startMs) / parallelism);
    this.firstMs = Math.floor(startMs);
  }

  /** Owed rows plus the bursts due in the slice: those at firstMs + k x 1000 < toMs not yet counted. */
  supply(_fromMs: number, toMs: number): number {
    this.burstsDue = toMs > this.firstMs ? Math.ceil((toMs - this.firstMs) / 1000) : 0;
    this.offered = this.owed + (this.burstsDue - this.bursts) * this.burstSize;
    return this.offered;
  }

  take(records: number): void {
    this.owed = Math.max(0, this.offered - records);
    this.bursts = this.burstsDue;
  }

  /** Rows due and not yet emitted (for inspection). */
  backlog(): number {
    return this.owed;
  }

  metrics(): ReadonlyMap<string, number> {
    return new Map();
  }

  close(): void {}
}
