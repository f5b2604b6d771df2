import { nextInt, type Random } from "../engine/random.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "./keyGroups.ts";

/**
 * Ship strategies as the job plan names them (StreamPartitioner#toString). SHUFFLE is
 * what DataStream#shuffle() creates (a random channel per record), REBALANCE is
 * #rebalance() (round robin from a random start), BROADCAST is #broadcast(): every record
 * to every channel (BroadcastPartitioner selects no channel; the BroadcastRecordWriter
 * writes each record once into a buffer every subpartition shares, Flink 1.18.1).
 */
export const SHIP_STRATEGIES = ["FORWARD", "REBALANCE", "SHUFFLE", "HASH", "RESCALE", "BROADCAST"] as const;
export type ShipStrategy = (typeof SHIP_STRATEGIES)[number];

/** Keys of a HASH edge: `count` integer keys 0..count-1, drawn Zipf(skew) (skew 0 = uniform). */
export interface KeyDistribution {
  readonly count: number;
  readonly skew: number;
}

/** Chooses the output channel of each record of one producing subtask. */
export interface ChannelSelector {
  selectChannel(): number;
}

/**
 * What a channel selector returns for a BROADCAST output: the record goes to every
 * channel (the writer loops over them; BroadcastPartitioner#selectChannel throws).
 */
export const ALL_CHANNELS = -1;

class BroadcastSelector implements ChannelSelector {
  selectChannel(): number {
    return ALL_CHANNELS;
  }
}

class ForwardSelector implements ChannelSelector {
  selectChannel(): number {
    return 0;
  }
}

/** RebalancePartitioner: starts at a random channel, then round robin. */
class RebalanceSelector implements ChannelSelector {
  private next: number;
  constructor(private readonly channels: number, random: Random) {
    this.next = nextInt(random, channels);
  }
  selectChannel(): number {
    this.next = (this.next + 1) % this.channels;
    return this.next;
  }
}

/** ShufflePartitioner: a uniformly random channel per record. */
class ShuffleSelector implements ChannelSelector {
  constructor(private readonly channels: number, private readonly random: Random) {}
  selectChannel(): number {
    return nextInt(this.random, this.channels);
  }
}

/** RescalePartitioner: round robin over this subtask's channels, starting at the first. */
class RescaleSelector implements ChannelSelector {
  private next = -1;
  constructor(private readonly channels: number) {}
  selectChannel(): number {
    if (++this.next >= this.channels) this.next = 0;
    return this.next;
  }
}

/**
 * KeyGroupStreamPartitioner: key -> key group (murmur hash of Integer#hashCode, which is
 * the int itself) -> operator index. Keys are Zipf-distributed by inverse CDF.
 */
class HashSelector implements ChannelSelector {
  constructor(
    private readonly routing: KeyRouting,
    private readonly random: Random,
  ) {}
  selectChannel(): number {
    return this.routing.channelOfKey[this.routing.keys.indexOf(this.random())]!;
  }
}

/**
 * What a HASH edge's producers share: the key distribution and each key's channel. The
 * same for every producer of the edge, so built once per edge (at parallelism 100 a
 * table per producer made 16 MB that no cache held).
 */
export class KeyRouting {
  readonly keys: InverseCdf;
  readonly channelOfKey: Int32Array;
  readonly channels: number;

  constructor(keys: KeyDistribution, maxParallelism: number, channels: number) {
    this.channelOfKey = new Int32Array(keys.count);
    const weights = new Float64Array(keys.count);
    for (let k = 0; k < keys.count; k++) {
      weights[k] = 1 / Math.pow(k + 1, keys.skew);
      this.channelOfKey[k] = computeOperatorIndexForKeyGroup(maxParallelism, channels, assignToKeyGroup(k, maxParallelism));
    }
    this.keys = new InverseCdf(weights);
    this.channels = channels;
  }

  /**
   * Per channel, the chance that two of its records have the same key: the sum of its
   * keys' squared probabilities over its share squared (1 / its key count for uniform
   * keys; 0 for a channel without keys). What a join's matches follow from.
   */
  collisionProbabilities(): Float64Array {
    const shares = this.channelShares();
    const squares = new Float64Array(this.channels);
    const cdf = this.keys.cdf;
    for (let k = 0; k < cdf.length; k++) {
      const p = cdf[k]! - (k > 0 ? cdf[k - 1]! : 0);
      squares[this.channelOfKey[k]!]! += p * p;
    }
    for (let j = 0; j < this.channels; j++) squares[j] = shares[j]! > 0 ? squares[j]! / (shares[j]! * shares[j]!) : 0;
    return squares;
  }

  /** Each channel's expected share of the records: the probabilities of the keys it gets, added up. */
  channelShares(): Float64Array {
    const shares = new Float64Array(this.channels);
    const cdf = this.keys.cdf;
    for (let k = 0; k < cdf.length; k++) shares[this.channelOfKey[k]!]! += cdf[k]! - (k > 0 ? cdf[k - 1]! : 0);
    return shares;
  }
}

/**
 * Inverse-CDF sampling of a discrete distribution: `indexOf(u)` is the smallest index
 * whose cumulative probability exceeds u, which is what a binary search over the CDF
 * finds, found instead from a guide table (Chen and Asau's indexed search): one bucket
 * per index, each pointing at the first index whose cumulative probability exceeds the
 * bucket's start. A lookup is a bucket and a step or two of linear search, and reads
 * two cache lines where a binary search over 10,000 keys read fourteen. Same u, same
 * index: the draws do not change.
 */
export class InverseCdf {
  readonly cdf: Float64Array;
  private readonly guide: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("a distribution needs at least one outcome");
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += weights[k]!;
      this.cdf[k] = total;
    }
    for (let k = 0; k < n; k++) this.cdf[k]! /= total;
    this.guide = new Int32Array(n);
    for (let m = 0, k = 0; m < n; m++) {
      while (k < n - 1 && this.cdf[k]! <= m / n) k++;
      this.guide[m] = k;
    }
  }

  /** The smallest index whose cumulative probability exceeds `u` (the last index when none does), for u in [0, 1). */
  indexOf(u: number): number {
    const cdf = this.cdf;
    let k = this.guide[Math.min(cdf.length - 1, Math.floor(u * cdf.length))]!;
    // Rounding in u * n can land one bucket late; step back while the previous index already exceeds u.
    while (k > 0 && cdf[k - 1]! > u) k--;
    while (k < cdf.length - 1 && cdf[k]! <= u) k++;
    return k;
  }
}

/** Keys of a HASH edge that names none. */
export const DEFAULT_KEYS: KeyDistribution = { count: 1000, skew: 0 };

export interface SelectorOptions {
  readonly strategy: ShipStrategy;
  /** Channels this producing subtask writes to. */
  readonly channels: number;
  /** Max parallelism of the consuming vertex (key groups). */
  readonly maxParallelism: number;
  readonly keys: KeyDistribution | undefined;
  readonly random: Random;
  /** HASH: the edge's routing, shared by its producers; built from keys, maxParallelism and channels when absent. */
  readonly keyRouting?: KeyRouting;
}

export function createChannelSelector(o: SelectorOptions): ChannelSelector {
  switch (o.strategy) {
    case "FORWARD":
      return new ForwardSelector();
    case "REBALANCE":
      return new RebalanceSelector(o.channels, o.random);
    case "SHUFFLE":
      return new ShuffleSelector(o.channels, o.random);
    case "RESCALE":
      return new RescaleSelector(o.channels);
    case "BROADCAST":
      return new BroadcastSelector();
    case "HASH":
      return new HashSelector(o.keyRouting ?? new KeyRouting(o.keys ?? DEFAULT_KEYS, o.maxParallelism, o.channels), o.random);
  }
}

/**
 * Which consumer subtasks producer subtask `i` of `producers` is connected to:
 * all of them, except for FORWARD (the same index) and RESCALE (pointwise, as Flink's
 * POINTWISE distribution pattern connects them).
 */
export function connectedConsumers(strategy: ShipStrategy, i: number, producers: number, consumers: number): number[] {
  if (strategy === "FORWARD") return [i];
  if (strategy !== "RESCALE") return Array.from({ length: consumers }, (_, j) => j);
  // EdgeManagerBuildUtil.connectPointwise
  if (producers >= consumers) {
    for (let j = 0; j < consumers; j++) {
      const start = Math.floor((j * producers) / consumers);
      const end = Math.floor(((j + 1) * producers) / consumers);
      if (i >= start && i < end) return [j];
    }
    return [];
  }
  const start = Math.floor((i * consumers + producers - 1) / producers);
  const end = Math.floor(((i + 1) * consumers + producers - 1) / producers);
  return Array.from({ length: end - start }, (_, k) => start + k);
}
