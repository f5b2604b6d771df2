import type { Random } from "./random.ts";

/** A distribution as a scenario states it; all values are in the caller's unit (ms for durations). */
export type DistributionSpec =
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  | { readonly kind: "exponential"; readonly mean: number }
  | { readonly kind: "normal"; readonly mean: number; readonly stddev: number }
  | { readonly kind: "lognormal"; readonly median: number; readonly p95: number };

/** Draws one value; never negative for the non-negative parameterisations above. */
export type Sampler = () => number;

/** z such that P(Z <= z) = 0.95 for a standard normal Z. */
const Z95 = 1.6448536269514722;

/** Standard normal by Box-Muller; one draw consumes two uniforms, so streams stay aligned. */
export function standardNormal(random: Random): number {
  const u1 = 1 - random(); // (0, 1]: log(0) cannot happen
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * A sampler for `spec` drawing from `random`. A normal draw below zero is clamped to 0,
 * since every quantity we draw (durations, costs) is non-negative.
 */
export function sampler(spec: DistributionSpec, random: Random): Sampler {
  switch (spec.kind) {
    case "constant": {
      const value = spec.value;
      return () => value;
    }
    case "uniform": {
      const { min, max } = spec;
      return () => min + (max - min) * random();
    }
    case "exponential": {
      const mean = spec.mean;
      return () => -mean * Math.log(1 - random());
    }
    case "normal": {
      const { mean, stddev } = spec;
      return () => Math.max(0, mean + stddev * standardNormal(random));
    }
    case "lognormal": {
      // median = e^mu, p95 = e^(mu + z95 sigma)
      const mu = Math.log(spec.median);
      const sigma = Math.log(spec.p95 / spec.median) / Z95;
      return () => Math.exp(mu + sigma * standardNormal(random));
    }
  }
}

/** The mean of a distribution, in closed form. */
export function mean(spec: DistributionSpec): number {
  switch (spec.kind) {
    case "constant":
      return spec.value;
    case "uniform":
      return (spec.min + spec.max) / 2;
    case "exponential":
      return spec.mean;
    case "normal":
      return spec.mean; // ignoring the clamp at 0, negligible when mean >> stddev
    case "lognormal": {
      const sigma = Math.log(spec.p95 / spec.median) / Z95;
      return spec.median * Math.exp((sigma * sigma) / 2);
    }
  }
}

/** The variance of a distribution, in closed form (a normal's ignores the clamp at 0, as `mean` does). */
export function variance(spec: DistributionSpec): number {
  switch (spec.kind) {
    case "constant":
      return 0;
    case "uniform":
      return (spec.max - spec.min) ** 2 / 12;
    case "exponential":
      return spec.mean * spec.mean;
    case "normal":
      return spec.stddev * spec.stddev;
    case "lognormal": {
      const mu = Math.log(spec.median);
      const sigma = Math.log(spec.p95 / spec.median) / Z95;
      return (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
    }
  }
}

/** Below this many draws a sum is drawn term by term; from it on, in one draw. */
export const SUM_IN_ONE_DRAW_FROM = 30;

/** The sum of `n` independent draws (n a whole number >= 0). */
export type SumSampler = (n: number) => number;

/**
 * Sums of draws of `spec` from `random`, for the aggregate execution mode. Constant:
 * n x value, exact. Below SUM_IN_ONE_DRAW_FROM draws: the draws themselves, added. From
 * it on, one normal draw with the sum's mean and variance (n mean, n variance): exact for
 * a normal (its clamp at 0 aside); for the others the central limit theorem's
 * moment match, whose skewness is the term's over sqrt(n) (an exponential's 2 becomes
 * 0.37 at n = 30 and 0.02 at 10^4 records), clamped at 0.
 */
export function sumSampler(spec: DistributionSpec, random: Random): SumSampler {
  if (spec.kind === "constant") {
    const value = spec.value;
    return (n) => n * value;
  }
  const one = sampler(spec, random);
  const m = mean(spec);
  const sd = Math.sqrt(variance(spec));
  return (n) => {
    if (n < SUM_IN_ONE_DRAW_FROM) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += one();
      return sum;
    }
    return Math.max(0, n * m + Math.sqrt(n) * sd * standardNormal(random));
  };
}

/** The standard normal CDF, by Abramowitz and Stegun 7.1.26 (absolute error under 1.5e-7). */
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function standardNormalPdf(z: number): number {
  return Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
}

function lognormalParameters(spec: { readonly median: number; readonly p95: number }): { mu: number; sigma: number } {
  return { mu: Math.log(spec.median), sigma: Math.log(spec.p95 / spec.median) / Z95 };
}

/** P(X <= x), in closed form (a normal's ignores the clamp at 0, as `mean` does). */
export function cdf(spec: DistributionSpec, x: number): number {
  switch (spec.kind) {
    case "constant":
      return x >= spec.value ? 1 : 0;
    case "uniform":
      if (spec.max === spec.min) return x >= spec.min ? 1 : 0;
      return Math.min(1, Math.max(0, (x - spec.min) / (spec.max - spec.min)));
    case "exponential":
      return x <= 0 ? 0 : 1 - Math.exp(-x / spec.mean);
    case "normal":
      return spec.stddev === 0 ? (x >= spec.mean ? 1 : 0) : standardNormalCdf((x - spec.mean) / spec.stddev);
    case "lognormal": {
      if (x <= 0) return 0;
      const { mu, sigma } = lognormalParameters(spec);
      return standardNormalCdf((Math.log(x) - mu) / sigma);
    }
  }
}

/** E[min(X, t)], in closed form: the mean of a draw capped at t (Infinity: the mean). */
export function meanCappedAt(spec: DistributionSpec, t: number): number {
  if (t === Infinity) return mean(spec);
  switch (spec.kind) {
    case "constant":
      return Math.min(spec.value, t);
    case "uniform": {
      const { min: a, max: b } = spec;
      if (t <= a) return t;
      if (t >= b) return (a + b) / 2;
      return (t * t - a * a) / (2 * (b - a)) + (t * (b - t)) / (b - a);
    }
    case "exponential":
      return spec.mean * (1 - Math.exp(-t / spec.mean));
    case "normal": {
      if (spec.stddev === 0) return Math.min(spec.mean, t);
      const z = (t - spec.mean) / spec.stddev;
      // t - E[(t - X)+]
      return t - ((t - spec.mean) * standardNormalCdf(z) + spec.stddev * standardNormalPdf(z));
    }
    case "lognormal": {
      if (t <= 0) return 0;
      const { mu, sigma } = lognormalParameters(spec);
      const below = Math.exp(mu + (sigma * sigma) / 2) * standardNormalCdf((Math.log(t) - mu - sigma * sigma) / sigma);
      return below + t * (1 - standardNormalCdf((Math.log(t) - mu) / sigma));
    }
  }
}
