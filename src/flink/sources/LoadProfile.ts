import type { Random } from "../../engine/random.ts";

/** How a source's input rate (records per second, in total) changes over virtual time (ms). */
export type LoadProfileSpec =
  | { readonly profile: "constant"; readonly rate: number }
  | { readonly profile: "steps"; readonly steps: readonly { readonly atMs: number; readonly rate: number }[] }
  | { readonly profile: "ramp"; readonly from: number; readonly to: number; readonly startMs: number; readonly overMs: number }
  /** min + (max - min) * (1 - cos(2 pi t / period)) / 2: starts at min, peaks at half the period. */
  | { readonly profile: "sine"; readonly min: number; readonly max: number; readonly periodMs: number }
  | { readonly profile: "trace"; readonly points: readonly { readonly atMs: number; readonly rate: number }[]; readonly interpolation: "linear" | "step" };

/** Multiplicative noise: a factor drawn from N(1, stddev), clamped at 0, held for `intervalMs`. */
export interface NoiseSpec {
  readonly stddev: number;
  readonly intervalMs: number;
}

/** The rate of `spec` at `tMs`, without noise. */
export function profileRate(spec: LoadProfileSpec, tMs: number): number {
  switch (spec.profile) {
    case "constant":
      return spec.rate;
    case "steps": {
      let rate = 0;
      for (const s of spec.steps) if (s.atMs <= tMs) rate = s.rate;
      return rate;
    }
    case "ramp": {
      if (tMs <= spec.startMs) return spec.from;
      if (tMs >= spec.startMs + spec.overMs) return spec.to;
      return spec.from + ((spec.to - spec.from) * (tMs - spec.startMs)) / spec.overMs;
    }
    case "sine":
      return spec.min + ((spec.max - spec.min) * (1 - Math.cos((2 * Math.PI * tMs) / spec.periodMs))) / 2;
    case "trace": {
      const p = spec.points;
      if (tMs <= p[0]!.atMs) return p[0]!.rate;
      for (let i = 1; i < p.length; i++) {
        if (tMs < p[i]!.atMs) {
          const a = p[i - 1]!;
          const b = p[i]!;
          return spec.interpolation === "step" ? a.rate : a.rate + ((b.rate - a.rate) * (tMs - a.atMs)) / (b.atMs - a.atMs);
        }
      }
      return p[p.length - 1]!.rate;
    }
  }
}

/** A load profile with its noise: the rate at any time, noise factors drawn lazily from one stream in time order. */
export class LoadProfile {
  private readonly factors: number[] = [];

  constructor(
    readonly spec: LoadProfileSpec,
    private readonly noise: NoiseSpec | undefined,
    private readonly random: Random,
  ) {}

  rate(tMs: number): number {
    const base = profileRate(this.spec, tMs);
    if (this.noise === undefined || this.noise.stddev === 0) return base;
    const i = Math.floor(tMs / this.noise.intervalMs);
    while (this.factors.length <= i) {
      const u1 = 1 - this.random();
      const u2 = this.random();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      this.factors.push(Math.max(0, 1 + this.noise.stddev * z));
    }
    return base * this.factors[i]!;
  }
}
