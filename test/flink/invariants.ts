import { expect } from "vitest";
import type { FlinkCluster } from "../../src/flink/FlinkCluster.ts";
import { RemoteInputChannel } from "../../src/flink/network/InputGate.ts";

/** Checks every invariant at one instant; returns how many checks ran. */
export function checkInvariants(cluster: FlinkCluster, nowMs: number): number {
  const net = cluster.options.network;
  let checks = 0;
  // Per channel: written = delivered + in flight, where in flight is what sits in sender buffers,
  // receiver buffers, or the consumer's current slice.
  for (const { channel, consumer, producer } of cluster.channels) {
    const sub = channel.subpartition;
    const slice = consumer.currentSlice();
    const inFlight = sub.unsent() + channel.receivedUnread() + (slice.channel === channel ? slice.remaining : 0);
    expect(sub.written).toBe(channel.delivered + inFlight);
    // max-buffers-per-channel makes a partition unavailable (LocalBufferPool#requestMemorySegment,
    // release-1.18.1) but does not refuse a buffer: a legacy source, which writes without asking,
    // is bounded by its pool alone (subpartitions x buffers-per-channel + floating buffers).
    const poolSize = channel.subpartition.partition.poolSize;
    expect(sub.held).toBeLessThanOrEqual(producer.isLegacySource() ? poolSize : net.maxBuffersPerChannel);
    if (channel instanceof RemoteInputChannel) {
      expect(channel.exclusiveBuffersInUse()).toBeLessThanOrEqual(net.buffersPerChannel);
    }
    checks += 2;
  }
  for (const [vertexId, tasks] of cluster.subtasks) {
    const vertex = cluster.vertex(vertexId);
    for (const t of tasks) {
      // Records produced = records consumed + in flight, summed per producing subtask.
      // A BROADCAST edge writes each record into every one of the producer's channels on it.
      const written = cluster.channels.filter((c) => c.producer === t).reduce((a, c) => a + c.channel.subpartition.written, 0);
      const copies = cluster.graph.edges.reduce((n, e, k) => {
        if (e.source !== vertex) return n;
        return n + (e.shipStrategy === "BROADCAST" ? cluster.channels.filter((c) => c.edge === k && c.producer === t).length : 1);
      }, 0);
      expect(written).toBe(t.metrics.numRecordsOut.count * copies);
      const delivered = cluster.channels.filter((c) => c.consumer === t).reduce((a, c) => a + c.channel.delivered, 0);
      if (!vertex.isSource) expect(delivered).toBe(t.metrics.numRecordsIn.count);
      // The exact time in each state adds up to the time since deployment.
      const s = t.timeInStates();
      expect(s.idle + s.busy + s.backpressured).toBeCloseTo(nowMs - t.metrics.startMs, 6);
      const v = t.metrics.values(nowMs);
      const idle = v.get("idleTimeMsPerSecond")!;
      const backPressured = v.get("backPressuredTimeMsPerSecond")!;
      // Without the double count the three TimerGauges measure disjoint time over the same 5 s slots, so idle and
      // back-pressured never exceed the second between them, and busy (derived, as in Flink) is the rest.
      expect(idle + backPressured).toBeLessThanOrEqual(1000);
      if (t.metrics.busyTimeEnabled) {
        expect(v.get("busyTimeMsPerSecond")! + backPressured + idle).toBe(1000);
      } else {
        // A legacy source (SourceStreamTask): busy time disabled, its sleep between bursts measured by no gauge,
        // never waiting for output availability (only blocked on a buffer: hard back-pressure), no operator input.
        expect(v.get("busyTimeMsPerSecond")).toBeNaN();
        expect(v.get("accumulatedBusyTime")).toBeNaN();
        expect(idle).toBe(0);
        expect(t.metrics.accumulatedIdleTime()).toBe(0);
        expect(t.metrics.softBackPressuredTime.getAccumulatedCount()).toBe(0);
        expect(t.metrics.operators[0]!.numRecordsIn.count).toBe(0);
      }
      // A Python operator holds the elements of its open bundle: what it took in and has not returned yet,
      // at most python.fn-execution.bundle.size of them.
      vertex.operators.forEach((op, i) => {
        if (op.python === undefined) return;
        const m = t.metrics.operators[i]!;
        const inBundle = m.numRecordsIn.count - m.numRecordsOut.count / op.selectivity;
        expect(inBundle).toBeGreaterThanOrEqual(0);
        expect(inBundle).toBeLessThanOrEqual(cluster.options.pythonBundle?.size ?? 1000);
      });
      checks += 5;
    }
  }
  return checks;
}

