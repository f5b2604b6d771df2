import { describe, expect, it } from "vitest";
import { comparisonCsv, meanWithInterval, type ComparisonRow } from "../../src/record/comparison.ts";
import { beyondNoise, comparisonVerdicts, differenceWords, verdictLine, type FigureDifference } from "../../src/record/verdict.ts";

const HOUR = { durationS: 3600, currency: null };

/** Differences of one figure as a verdict reads them, from per-seed differences and the baseline's mean. */
function difference(diffs: number[], baseMean: number): FigureDifference {
  const ci = meanWithInterval(diffs);
  return { n: ci.n, baseMean, diffMean: ci.mean, diffCi95: ci.halfWidth };
}

describe("the paired 95% interval", () => {
  it("differences [1, 2, 3]: mean 2, sd 1, t(0.975, 2) = 4.303, half-width 4.303 / sqrt 3 = 2.484: holds 0, not beyond noise", () => {
    const ci = meanWithInterval([1, 2, 3]);
    expect(ci.mean).toBe(2);
    expect(ci.halfWidth).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect(ci.halfWidth).toBeCloseTo(2.484, 3);
    expect(beyondNoise({ n: 3, diffMean: ci.mean, diffCi95: ci.halfWidth })).toBe(false);
  });

  it("differences [4, 5, 6]: 5 ± 2.484 excludes 0, beyond noise; one seed: no interval, no verdict", () => {
    const ci = meanWithInterval([4, 5, 6]);
    expect(beyondNoise({ n: 3, diffMean: ci.mean, diffCi95: ci.halfWidth })).toBe(true);
    expect(beyondNoise({ n: 1, diffMean: 5, diffCi95: NaN })).toBeNull();
  });

  it("the same value on every seed: 0 ± 0 is no difference, 1 ± 0 is one", () => {
    expect(beyondNoise({ n: 5, diffMean: 0, diffCi95: 0 })).toBe(false);
    expect(beyondNoise({ n: 5, diffMean: 1, diffCi95: 0 })).toBe(true);
  });
});

describe("verdict words", () => {
  it("says core-hours in percent of the baseline, lag in seconds, scalings per hour for runs under a day and per day from a day", () => {
    // Core-hours: baseline 100, differences [-10, -9, -8]: -9 ± 2.484, i.e. -9.0% ± 2.5%.
    expect(differenceWords("core_hours", difference([-10, -9, -8], 100), HOUR)).toBe("-9.0% core-hours (±2.5%)");
    // Max lag: [6, 7, 7.4] s: mean 6.8, sd 0.7211, half-width 4.303 x 0.7211 / sqrt 3 = 1.79.
    expect(differenceWords("lag_s_max", difference([6, 7, 7.4], 20), HOUR)).toBe("+6.8 s max lag (±1.8 s)");
    // 4 more scalings in a 2-day run: 2 a day (one seed: no interval).
    expect(differenceWords("scalings", { n: 1, baseMean: 10, diffMean: 4, diffCi95: NaN }, { durationS: 2 * 86_400, currency: null })).toBe("+2.0 scalings a day");
    expect(differenceWords("scalings", { n: 1, baseMean: 10, diffMean: 1, diffCi95: NaN }, { durationS: 1800, currency: null })).toBe("+2.0 scalings an hour");
    expect(differenceWords("cost", { n: 1, baseMean: 1, diffMean: -0.25, diffCi95: NaN }, { durationS: 3600, currency: "EUR" })).toBe("-0.25 EUR cost");
  });

  it("puts what is beyond noise first, the rest after 'within noise'", () => {
    const diffs: Record<string, FigureDifference> = {
      core_hours: difference([-10, -9, -8], 100),
      lag_s_max: difference([1, 2, 3], 20),
    };
    expect(verdictLine("utilization.target 0.8", 3, (k) => diffs[k], HOUR)).toBe(
      "utilization.target 0.8 (3 seeds): -9.0% core-hours (±2.5%); within noise: +2.0 s max lag (±2.5 s)",
    );
    expect(verdictLine("x 1", 3, (k) => (k === "lag_s_max" ? diffs[k] : undefined), HOUR)).toBe("x 1 (3 seeds): no difference beyond noise (within noise: +2.0 s max lag (±2.5 s))");
  });

  it("with one seed says that noise is unknown and suggests --replications", () => {
    const line = verdictLine("b vs a", 1, (k) => (k === "core_hours" ? { n: 1, baseMean: 10, diffMean: 1, diffCi95: NaN } : undefined), HOUR);
    expect(line).toBe("b vs a (1 seed): +10% core-hours; one seed cannot tell these from noise: rerun with --replications 5 (or more)");
  });
});

describe("comparison.csv and a comparison's verdicts", () => {
  const rows: ComparisonRow[] = [
    { variant: "a", figure: "core_hours", n: 3, mean: 100, ci95: 1, diffMean: NaN, diffCi95: NaN },
    { variant: "b", figure: "core_hours", n: 3, mean: 91, ci95: 1, diffMean: -9, diffCi95: meanWithInterval([-10, -9, -8]).halfWidth },
    { variant: "a", figure: "scalings", n: 3, mean: 4, ci95: 1, diffMean: NaN, diffCi95: NaN },
    { variant: "b", figure: "scalings", n: 3, mean: 6, ci95: 1, diffMean: 2, diffCi95: meanWithInterval([1, 2, 3]).halfWidth },
  ];

  it("marks each difference yes (the interval excludes 0) or no, empty for the first variant", () => {
    const lines = comparisonCsv(rows).trim().split("\n");
    expect(lines[0]).toBe("variant,figure,n,mean,ci95,diff_vs_first_mean,diff_vs_first_ci95,diff_beyond_noise");
    expect(lines.map((l) => l.split(",").at(-1))).toEqual(["diff_beyond_noise", "", "yes", "", "no"]);
  });

  it("gives one line per later variant", () => {
    expect(comparisonVerdicts(rows, HOUR)).toEqual(["b vs a (3 seeds): -9.0% core-hours (±2.5%); within noise: +2.0 scalings an hour (±2.5)"]);
  });
});

describe("figures equal on every seed", () => {
  it("are named as unchanged, not as noise", () => {
    const same = { n: 3, baseMean: 5, diffMean: 0, diffCi95: 0 };
    expect(verdictLine("b vs a", 3, (k) => (k === "core_hours" || k === "scalings" ? same : undefined), HOUR)).toBe("b vs a (3 seeds): no difference in core-hours, scalings (the same on every seed)");
    const lag = difference([1, 2, 3], 20);
    expect(verdictLine("b vs a", 3, (k) => (k === "lag_s_max" ? lag : k === "scalings" ? same : undefined), HOUR)).toBe(
      "b vs a (3 seeds): no difference beyond noise (within noise: +2.0 s max lag (±2.5 s); unchanged: scalings)",
    );
  });
});
