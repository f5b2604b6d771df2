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
      const generator = Arc4Double.seeded(`${this.seed}/${name}`);
      random = () => generator.next();
      this.streams.set(name, random);
    }
    return random;
  }
}

const BYTES_PER_DOUBLE = 6; // seedrandom's `chunks`
const START_DENOMINATOR = 2 ** 48; // 256 ** 6
const SIGNIFICANCE = 2 ** 52;
const OVERFLOW = 2 ** 53;

/**
 * seedrandom's ARC4 generator and its double(), draw for draw: seedrandom seeds it (key
 * mixing and the discarded first 256 bytes); the draws are made here. seedrandom's own
 * draw costs about three times as much inside the simulation as alone (its S-box is a
 * plain array and its result a boxed number behind two closures); records shuffled at
 * parallelism 12 spent a fifth of the run in it. test/engine/random.test.ts checks the
 * draws against seedrandom's.
 */
export class Arc4Double {
  private constructor(
    private readonly s: Uint8Array,
    private i: number,
    private j: number,
  ) {}

  static seeded(seed: string): Arc4Double {
    // ARC4's two indexes and S-box, as seedrandom left them after seeding.
    const state = seedrandom(seed, { state: true }).state();
    return new Arc4Double(Uint8Array.from(state.S), state.i, state.j);
  }

  /**
   * A double in [0, 1) with 52 random bits: six bytes, then one more at a time until
   * 52 bits are filled, then shifted right so that adding the last byte cannot round up
   * (seedrandom's prng(), the same operations in the same order, so the same doubles).
   * The keystream step is written out in both loops, on local indexes: a nextByte()
   * method on the fields cost 3 ns more per draw, 2-3% of the static p=12 event loop.
   */
  next(): number {
    const s = this.s;
    let i = this.i;
    let j = this.j;
    let n = 0;
    for (let c = 0; c < BYTES_PER_DOUBLE; c++) {
      i = (i + 1) & 255;
      const t = s[i]!;
      j = (j + t) & 255;
      const u = s[j]!;
      s[i] = u;
      s[j] = t;
      n = n * 256 + s[(u + t) & 255]!;
    }
    let d = START_DENOMINATOR;
    let x = 0;
    while (n < SIGNIFICANCE) {
      n = (n + x) * 256;
      d *= 256;
      i = (i + 1) & 255;
      const t = s[i]!;
      j = (j + t) & 255;
      const u = s[j]!;
      s[i] = u;
      s[j] = t;
      x = s[(u + t) & 255]!;
    }
    this.i = i;
    this.j = j;
    while (n >= OVERFLOW) {
      n /= 2;
      d /= 2;
      x >>>= 1;
    }
    return (n + x) / d;
  }
}

/** A uniform integer in [0, bound), as java.util.Random#nextInt(bound) promises. */
export function nextInt(random: Random, bound: number): number {
  return Math.floor(random() * bound);
}
