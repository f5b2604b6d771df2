/**
 * A BROADCAST result partition's buffers, as BufferWritingResultPartition#broadcastRecord
 * (Flink 1.18.1) keeps them: one buffer shared by every subpartition, taken from the pool
 * once, counted against subpartition 0's max-buffers-per-channel, back in the pool when
 * the last subpartition has recycled it.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_NETWORK_CONFIG } from "../../src/flink/network/NetworkConfig.ts";
import { ResultPartition } from "../../src/flink/network/ResultPartition.ts";

const PER_BUFFER = 2; // records per buffer, small so that buffers fill quickly

/** Writes one broadcast record (into every subpartition); false when a subpartition got no buffer. */
function broadcast(p: ResultPartition): boolean {
  return p.subpartitions.every((s) => s.write());
}

/** Subpartition `i`'s consumer reads its head buffer and, if full, returns it. */
function consumeHead(p: ResultPartition, i: number): void {
  const s = p.subpartitions[i]!;
  expect(s.isDataAvailable()).toBe(true);
  s.poll();
  if (s.polledRemoved) p.recycle(s);
}

describe("a BROADCAST result partition", () => {
  it("takes one pool buffer per shared buffer, whatever the number of subpartitions", () => {
    const p = new ResultPartition(3, DEFAULT_NETWORK_CONFIG, PER_BUFFER, true);
    expect(p.poolSize).toBe(3 * 2 + 8); // buffers-per-channel 2, floating 8
    expect(broadcast(p)).toBe(true);
    expect(p.freeBuffers()).toBe(13);
    expect(broadcast(p)).toBe(true); // fills the shared buffer
    expect(p.freeBuffers()).toBe(13);
    expect(broadcast(p)).toBe(true); // a second shared buffer
    expect(p.freeBuffers()).toBe(12);
  });

  it("is unavailable once subpartition 0 holds max-buffers-per-channel (10) shared buffers, available again when all consumers return one", () => {
    const p = new ResultPartition(3, DEFAULT_NETWORK_CONFIG, PER_BUFFER, true);
    for (let r = 0; r < 10 * PER_BUFFER; r++) expect(broadcast(p)).toBe(true);
    expect(p.freeBuffers()).toBe(14 - 10);
    expect(p.isAvailable()).toBe(false);
    consumeHead(p, 0);
    consumeHead(p, 1);
    // Two of three consumers are done with the oldest buffer: it is still shared with the third.
    expect(p.freeBuffers()).toBe(4);
    expect(p.isAvailable()).toBe(false);
    consumeHead(p, 2);
    expect(p.freeBuffers()).toBe(5);
    expect(p.isAvailable()).toBe(true);
  });

  it("against a partition of unicast buffers: the same records in every subpartition would exhaust its pool of 14 at the 15th buffer", () => {
    const p = new ResultPartition(3, DEFAULT_NETWORK_CONFIG, PER_BUFFER);
    let written = 0;
    for (let r = 0; r < 10 * PER_BUFFER && broadcast(p); r++) written++;
    // Each broadcast record that opens buffers opens three: 14 buffers hold 4 full records' worth
    // per subpartition and part of the fifth; the fifth buffer-opening record finds the pool empty.
    expect(p.freeBuffers()).toBe(0);
    expect(written).toBe(4 * PER_BUFFER);
  });
});
