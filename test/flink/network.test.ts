import { describe, expect, it } from "vitest";
import { InputGate, LocalInputChannel, RemoteInputChannel } from "../../src/flink/network/InputGate.ts";
import { DEFAULT_NETWORK_CONFIG, recordsPerBuffer } from "../../src/flink/network/NetworkConfig.ts";
import { ResultPartition } from "../../src/flink/network/ResultPartition.ts";

const config = { ...DEFAULT_NETWORK_CONFIG, segmentSizeBytes: 400, recordSizeBytes: 100 }; // 4 records per buffer

describe("network buffers", () => {
  it("fits floor(segment size / record size) records in a buffer", () => {
    expect(recordsPerBuffer(config)).toBe(4);
    expect(recordsPerBuffer(DEFAULT_NETWORK_CONFIG)).toBe(512); // 32 KiB / 64 B
  });

  it("makes data readable when a buffer fills or on flush, and a read takes all readable data of the head buffer", () => {
    const p = new ResultPartition(1, config, 4);
    const gate = new InputGate(config);
    const ch = new LocalInputChannel(p.subpartitions[0]!, gate);
    gate.channels.push(ch);
    p.subpartitions[0]!.write();
    p.subpartitions[0]!.write();
    expect(gate.pollNext()).toBeNull(); // not flushed yet
    p.flushAll();
    expect(gate.pollNext()!.count).toBe(2);
    ch.releaseSlice();
    p.subpartitions[0]!.write(); // third record into the same buffer: not readable until flushed
    expect(gate.pollNext()).toBeNull();
    p.subpartitions[0]!.write(); // the buffer is full now: readable without a flush
    expect(gate.pollNext()!.count).toBe(2);
  });

  it("makes the partition unavailable when a subpartition holds max-buffers-per-channel buffers; a local slice holds its buffer until read", () => {
    const c = { ...config, maxBuffersPerChannel: 3 };
    const p = new ResultPartition(2, c, 4); // pool: 2 x 2 + 8 = 12
    expect(p.poolSize).toBe(12);
    const gate = new InputGate(c);
    const ch = new LocalInputChannel(p.subpartitions[0]!, gate);
    gate.channels.push(ch);
    for (let i = 0; i < 12; i++) expect(p.subpartitions[0]!.write()).toBe(true); // 3 full buffers
    expect(p.isAvailable()).toBe(false);
    expect(gate.pollNext()!.count).toBe(4); // the head buffer leaves the queue...
    expect(p.isAvailable()).toBe(false); // ...but is still referenced by the slice
    ch.releaseSlice();
    expect(p.isAvailable()).toBe(true);
    expect(p.subpartitions[0]!.held).toBe(2);
  });

  it("lets a remote sender send only against credit: exclusive buffers, then the gate's floating ones", () => {
    const c = { ...config, buffersPerChannel: 2, floatingBuffersPerGate: 1 };
    const p = new ResultPartition(1, c, 1); // one record per buffer: every write is a readable buffer
    const gate = new InputGate(c);
    const ch = new RemoteInputChannel(p.subpartitions[0]!, gate, c);
    gate.channels.push(ch);
    for (let i = 0; i < 5; i++) p.subpartitions[0]!.write();
    // 3 credits (2 exclusive + 1 floating): 3 buffers crossed, 2 wait at the sender
    expect(ch.receivedUnread()).toBe(3);
    expect(p.subpartitions[0]!.unsent()).toBe(2);
    expect(p.subpartitions[0]!.held).toBe(2); // sent buffers were recycled at once (copied)
    expect(gate.pollNext()!.count).toBe(1);
    ch.releaseSlice(); // an exclusive buffer returns: one more crosses
    expect(ch.receivedUnread()).toBe(3);
    expect(p.subpartitions[0]!.unsent()).toBe(1);
  });
});
