import { nextInt, type Random } from "../engine/random.ts";
import { assignToKeyGroup, computeOperatorIndexForKeyGroup } from "./keyGroups.ts";

/**
 * Ship strategies as the job plan names them (StreamPartitioner#toString). SHUFFLE is
 * what DataStream#shuffle() creates (a random channel per record), REBALANCE is
 * #rebalance() (round robin from a random start).
 */
export const SHIP_STRATEGIES = ["FORWARD", "REBALANCE", "SHUFFLE", "HASH", "RESCALE"] as const;
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
  private readonly channelOfKey: Int32Array;
  private readonly cdf: Float64Array;
  constructor(keys: KeyDistribution, maxParallelism: number, channels: number, private readonly random: Random) {
    this.channelOfKey = new Int32Array(keys.count);
    this.cdf = new Float64Array(keys.count);
    let total = 0;
    for (let k = 0; k < keys.count; k++) {
      total += 1 / Math.pow(k + 1, keys.skew);
      this.cdf[k] = total;
      this.channelOfKey[k] = computeOperatorIndexForKeyGroup(maxParallelism, channels, assignToKeyGroup(k, maxParallelism));
    }
    for (let k = 0; k < keys.count; k++) this.cdf[k]! /= total;
  }
  selectChannel(): number {
    const u = this.random();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return this.channelOfKey[lo]!;
  }
}

export interface SelectorOptions {
  readonly strategy: ShipStrategy;
  /** Channels this producing subtask writes to. */
  readonly channels: number;
  /** Max parallelism of the consuming vertex (key groups). */
  readonly maxParallelism: number;
  readonly keys: KeyDistribution | undefined;
  readonly random: Random;
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
    case "HASH":
      return new HashSelector(o.keys ?? { count: 1000, skew: 0 }, o.maxParallelism, o.channels, o.random);
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
