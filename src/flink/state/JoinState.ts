import { KeyRouting, type KeyDistribution } from "../partitioners.ts";

/**
 * A join's buffered contents as keyed state (Flink 1.18.1): a window join is a
 * WindowOperator over a CoGroup (streaming/api/datastream/CoGroupedStreams), whose window
 * contents are keyed appending state (WindowOperator#windowState, one list of the
 * TaggedUnion of both inputs per key and window); an interval join is an
 * IntervalJoinOperator, whose leftBuffer and rightBuffer are keyed MapStates of the
 * records still able to match (cleaned up by event-time timers at ts + upper for the left
 * side and ts - lower for the right, when those bounds are positive). Both are checkpointed
 * with the operator's other keyed state and redistributed by key group on a rescale.
 *
 * The simulator's records carry no keys (see TwoInputHead), so a subtask's contents are
 * counts, not records: on a rescale, new subtask b receives from old subtask a the share
 * of a's contents that b's keys carry (`keyTransfer`), which is exactly what moving the
 * key groups gives in expectation.
 */

/** Bytes of `records` buffered records of `recordSizeBytes` each (the BufferEntry flag, the TaggedUnion tag and the map keys not counted). */
export function joinStateBytes(records: number, recordSizeBytes: number): number {
  return records * recordSizeBytes;
}

/**
 * transfer[a][b]: the fraction of old subtask a's records (of a keyed input with `keys`)
 * whose keys new subtask b owns after a change of parallelism from `oldParallelism` to
 * `newParallelism` (key groups as KeyGroupRangeAssignment assigns them). Each row sums to
 * 1 for a subtask with keys.
 */
export function keyTransfer(keys: KeyDistribution, maxParallelism: number, oldParallelism: number, newParallelism: number): Float64Array[] {
  const before = new KeyRouting(keys, maxParallelism, oldParallelism);
  const after = oldParallelism === newParallelism ? before : new KeyRouting(keys, maxParallelism, newParallelism);
  const transfer = Array.from({ length: oldParallelism }, () => new Float64Array(newParallelism));
  const cdf = before.keys.cdf;
  for (let k = 0; k < cdf.length; k++) {
    const p = cdf[k]! - (k > 0 ? cdf[k - 1]! : 0);
    transfer[before.channelOfKey[k]!]![after.channelOfKey[k]!]! += p;
  }
  for (const row of transfer) {
    const share = row.reduce((a, b) => a + b, 0);
    if (share > 0) for (let b = 0; b < newParallelism; b++) row[b] = row[b]! / share;
  }
  return transfer;
}
