/**
 * Keyed state and its restore after a restart.
 *
 * An operator's keyed state has a size in bytes: a fixed part (bytes per key x keys, plus
 * an initial size) and a part growing with the records its job vertex has read, capped.
 * Checkpoints (CheckpointCoordinator) snapshot it; a restart restores the latest completed
 * one. Key groups are Flink's (KeyGroupRangeAssignment#computeKeyGroupRangeForOperatorIndex),
 * and the state is spread evenly over the key groups.
 *
 * What a restored subtask downloads (flink-statebackend-rocksdb, release-1.18.1,
 * RocksDBIncrementalRestoreOperation#restoreWithRescaling and the heap backend's
 * HeapRestoreOperation, simplified and stated):
 * - `incremental` (RocksDB with incremental checkpoints): each new subtask downloads every
 *   old state handle whose key-group range intersects its own, whole (the SST files of the
 *   handle), and clips them locally. Same parallelism: its own handle only. After a
 *   rescale, about two handles each.
 * - `full` (full snapshots: the heap backend, or RocksDB without incremental checkpoints):
 *   each new subtask reads only the key groups of its range (the handles carry key-group
 *   offsets), so bytes = state x its key groups / max parallelism.
 * A TaskManager downloads for all the subtasks in its slots, at its bandwidth; the restore
 * phase lasts as long as the slowest TaskManager's download. No local recovery, no
 * per-file overheads, no CPU for the restore.
 */

/** simulation.job.operators[].state, resolved. */
export interface KeyedStateSpec {
  readonly bytesPerKey: number;
  readonly keys: number;
  readonly bytesPerRecord: number;
  readonly initialBytes: number;
  /** The cap (Infinity: none). */
  readonly maxBytes: number;
}

/** The size of an operator's state after its vertex read `recordsIn` records. */
export function stateBytes(spec: KeyedStateSpec, recordsIn: number): number {
  return Math.min(spec.maxBytes, spec.initialBytes + spec.bytesPerKey * spec.keys + spec.bytesPerRecord * recordsIn);
}

/** KeyGroupRangeAssignment#computeKeyGroupRangeForOperatorIndex: [start, end], inclusive. */
export function keyGroupRange(maxParallelism: number, parallelism: number, index: number): { readonly start: number; readonly end: number } {
  return {
    start: Math.floor((index * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((index + 1) * maxParallelism - 1) / parallelism),
  };
}

export type RestoreMode = "incremental" | "full";

/** One stateful job vertex's state in a completed checkpoint. */
export interface VertexStateSnapshot {
  readonly vertexId: string;
  readonly bytes: number;
  /** The parallelism it was written with: one state handle per subtask. */
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/**
 * Bytes each TaskManager downloads to restore `snapshots` at `parallelism` (per vertex id),
 * subtask i of every vertex in slot i, slot i in TaskManager floor(i / slotsPerTaskManager).
 */
export function restoreBytesPerTaskManager(
  snapshots: readonly VertexStateSnapshot[],
  parallelism: ReadonlyMap<string, number>,
  slotsPerTaskManager: number,
  mode: RestoreMode,
): number[] {
  const perTm: number[] = [];
  for (const s of snapshots) {
    const p = parallelism.get(s.vertexId) ?? s.parallelism;
    const maxP = s.maxParallelism;
    const old = Array.from({ length: s.parallelism }, (_, j) => keyGroupRange(maxP, s.parallelism, j));
    const handleBytes = old.map((r) => (s.bytes * (r.end - r.start + 1)) / maxP);
    for (let i = 0; i < p; i++) {
      const r = keyGroupRange(maxP, p, i);
      let bytes = 0;
      if (mode === "full") {
        bytes = (s.bytes * (r.end - r.start + 1)) / maxP;
      } else {
        old.forEach((o, j) => {
          if (o.start <= r.end && r.start <= o.end) bytes += handleBytes[j]!;
        });
      }
      const tm = Math.floor(i / slotsPerTaskManager);
      perTm[tm] = (perTm[tm] ?? 0) + bytes;
    }
  }
  return Array.from(perTm, (b) => b ?? 0);
}

/** The restore phase: the slowest TaskManager's download at `bytesPerSecond`, whole ms. */
export function restoreTimeMs(bytesPerTaskManager: readonly number[], bytesPerSecond: number): number {
  const most = bytesPerTaskManager.reduce((a, b) => Math.max(a, b), 0);
  return Math.round((most / bytesPerSecond) * 1000);
}
