import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/random.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "../../src/flink/keyGroups.ts";
import { connectedConsumers, createChannelSelector, InverseCdf } from "../../src/flink/partitioners.ts";

const random = () => new RandomStreams(5).stream("p");

describe("channel selection", () => {
  it("REBALANCE goes round robin from a random start", () => {
    const s = createChannelSelector({ strategy: "REBALANCE", channels: 4, maxParallelism: 128, keys: undefined, random: random() });
    const seq = Array.from({ length: 8 }, () => s.selectChannel());
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBe((seq[i - 1]! + 1) % 4);
  });

  it("SHUFFLE draws every channel about equally often", () => {
    const s = createChannelSelector({ strategy: "SHUFFLE", channels: 5, maxParallelism: 128, keys: undefined, random: random() });
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 50_000; i++) counts[s.selectChannel()]!++;
    for (const c of counts) expect(c / 10_000).toBeCloseTo(1, 1);
  });

  it("RESCALE cycles its own channels starting at the first", () => {
    const s = createChannelSelector({ strategy: "RESCALE", channels: 3, maxParallelism: 128, keys: undefined, random: random() });
    expect(Array.from({ length: 5 }, () => s.selectChannel())).toEqual([0, 1, 2, 0, 1]);
  });

  it("HASH sends each key to the subtask owning its key group", () => {
    const keys = { count: 50, skew: 0 };
    const s = createChannelSelector({ strategy: "HASH", channels: 5, maxParallelism: 12, keys, random: random() });
    const reachable = new Set(Array.from({ length: 50 }, (_, k) => computeOperatorIndexForKeyGroup(12, 5, assignToKeyGroup(k, 12))));
    for (let i = 0; i < 5000; i++) expect(reachable.has(s.selectChannel())).toBe(true);
  });

  it("HASH with Zipf skew puts most records on the subtask of the hottest key", () => {
    const keys = { count: 100, skew: 2 };
    const s = createChannelSelector({ strategy: "HASH", channels: 4, maxParallelism: 128, keys, random: random() });
    const hot = computeOperatorIndexForKeyGroup(128, 4, assignToKeyGroup(0, 128));
    let onHot = 0;
    for (let i = 0; i < 20_000; i++) if (s.selectChannel() === hot) onHot++;
    // key 0 alone has probability 1 / H(100, 2) = 1 / 1.6350 = 0.612
    expect(onHot / 20_000).toBeGreaterThan(0.6);
  });
});

describe("connectedConsumers", () => {
  it("connects all-to-all except FORWARD and RESCALE", () => {
    expect(connectedConsumers("HASH", 1, 2, 3)).toEqual([0, 1, 2]);
    expect(connectedConsumers("FORWARD", 2, 3, 3)).toEqual([2]);
  });
  it("connects RESCALE pointwise as Flink's EdgeManagerBuildUtil does", () => {
    // 2 producers -> 6 consumers: producer 0 feeds 0..2, producer 1 feeds 3..5
    expect(connectedConsumers("RESCALE", 0, 2, 6)).toEqual([0, 1, 2]);
    expect(connectedConsumers("RESCALE", 1, 2, 6)).toEqual([3, 4, 5]);
    // 2 producers -> 3 consumers: ceil ranges [0, 2) and [2, 3)
    expect(connectedConsumers("RESCALE", 0, 2, 3)).toEqual([0, 1]);
    expect(connectedConsumers("RESCALE", 1, 2, 3)).toEqual([2]);
    // 5 producers -> 2 consumers: consumer 0 reads producers [0, 2), consumer 1 [2, 5)
    expect([0, 1, 2, 3, 4].map((i) => connectedConsumers("RESCALE", i, 5, 2))).toEqual([[0], [0], [1], [1], [1]]);
  });
});

describe("InverseCdf", () => {
  /** The reference: a binary search for the smallest index whose cumulative probability exceeds u. */
  function binarySearch(cdf: Float64Array, u: number): number {
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  it("finds what a binary search over the CDF finds, for every kind of u", () => {
    const r = new RandomStreams(5).stream("inverse-cdf");
    for (const count of [1, 2, 3, 7, 100, 1000, 10_000]) {
      for (const skew of [0, 0.5, 1, 2, 5]) {
        const weights = Array.from({ length: count }, (_, k) => 1 / Math.pow(k + 1, skew));
        const inverse = new InverseCdf(weights);
        const us = [0, 1 - 2 ** -53, 0.5, 1 / 3];
        // The CDF's own values and their neighbours: where an off-by-one would show.
        for (let k = 0; k < count; k += Math.max(1, Math.floor(count / 200))) {
          const c = inverse.cdf[k]!;
          us.push(c, c - Number.EPSILON, c + Number.EPSILON, k / count, (k + 1) / count - 2 ** -53);
        }
        for (let i = 0; i < 2000; i++) us.push(r());
        for (const u of us) {
          if (!(u >= 0 && u < 1)) continue;
          const expected = binarySearch(inverse.cdf, u);
          const actual = inverse.indexOf(u);
          if (actual !== expected) expect({ count, skew, u, actual }).toEqual({ count, skew, u, actual: expected });
        }
      }
    }
  });

  it("gives each index its probability (uniform u over a few thousand buckets)", () => {
    const inverse = new InverseCdf([1, 2, 3, 4]);
    const hits = [0, 0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) hits[inverse.indexOf((i + 0.5) / n)]!++;
    expect(hits).toEqual([10_000, 20_000, 30_000, 40_000]);
  });
});
