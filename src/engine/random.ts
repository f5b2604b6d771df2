import seedrandom from "seedrandom";

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Named, independently seeded random streams. Each component draws from its own stream,
 * so changing how often one component draws leaves every other component's draws as
 * they were (common random numbers across variants).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Random>();

  constructor(readonly seed: number) {}

  /** The stream called `name`; the same name always gives the same stream. */
  stream(name: string): Random {
    let random = this.streams.get(name);
    if (random === undefined) {
      // ARC4 with a full 52-bit mantissa per draw (seedrandom's prng() is its double()).
      random = seedrandom(`${this.seed}/${name}`) as Random;
      this.streams.set(name, random);
    }
    return random;
  }
}

/** A uniform integer in [0, bound), as java.util.Random#nextInt(bound) promises. */
export function nextInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
