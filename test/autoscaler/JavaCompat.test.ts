import { describe, expect, it } from "vitest";
import { precisionRound, setScale } from "../../src/autoscaler/utils/JavaCompat.ts";

/**
 * new BigDecimal(Double.toString(x)).setScale(scale, mode).doubleValue(), worked out here on
 * the decimal text JavaScript prints (the same shortest digits as Double.toString), with
 * BigInt: the digits scaled to `scale` decimals, the dropped ones deciding the rounding.
 */
function reference(x: number, scale: number, mode: "HALF_UP" | "CEILING"): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const [mantissa, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  // |x| = digits * 10^(exp - (digits.length - 1)); bring it to units of 10^-scale.
  const power = Number(exp) - (digits.length - 1) + scale;
  if (power >= 0) return x;
  const divisor = 10n ** BigInt(-power);
  const n = BigInt(digits);
  const kept = n / divisor;
  const dropped = n % divisor;
  const up = mode === "HALF_UP" ? dropped * 2n >= divisor : x > 0 && dropped > 0n;
  const magnitude = Number(kept + (up ? 1n : 0n)) / 10 ** scale;
  return x < 0 ? -magnitude : magnitude;
}

describe("setScale (BigDecimal#setScale on Double.toString's digits)", () => {
  it("rounds HALF_UP on the decimal digits, not on the binary value", () => {
    // 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary: toFixed gives 2.67.
    expect(setScale(2.675, 2, "HALF_UP")).toBe(2.68);
    expect(setScale(1.0005, 3, "HALF_UP")).toBe(1.001);
    expect(setScale(-0.125, 2, "HALF_UP")).toBe(-0.13); // away from zero
    expect(setScale(3.6666666666666665, 3, "HALF_UP")).toBe(3.667);
    expect(precisionRound(0.0004, 3)).toBe(0);
    expect(precisionRound(0.0005, 3)).toBe(0.001);
  });

  it("rounds CEILING toward positive infinity", () => {
    expect(setScale(0.121, 2, "CEILING")).toBe(0.13);
    expect(setScale(-0.129, 2, "CEILING")).toBe(-0.12);
    expect(setScale(0.0001, 2, "CEILING")).toBe(0.01);
  });

  it("returns values with no more decimals than the scale as they are", () => {
    for (const x of [3.968, 0.25, -7.5, 1e-3, 123456.789, 0.1, 0.7, 1.1, 4.35, 9007199254740.5]) expect(setScale(x, 3, "HALF_UP")).toBe(x);
    expect(setScale(NaN, 3, "HALF_UP")).toBeNaN();
    expect(setScale(Infinity, 3, "HALF_UP")).toBe(Infinity);
  });

  it("agrees with the BigInt reference on many values of every magnitude", () => {
    // A fixed linear congruential sequence: mantissas and exponents spread over the doubles the autoscaler sees.
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(next() * 24 - 8);
      const raw = (next() - 0.3) * magnitude;
      // Half of them already short (as roundMetric's output is), half with all their digits.
      const x = i % 2 === 0 ? raw : Number(raw.toPrecision(1 + Math.floor(next() * 6)));
      for (const scale of [0, 2, 3, 5]) {
        for (const mode of ["HALF_UP", "CEILING"] as const) {
          const expected = reference(x, scale, mode);
          const actual = setScale(x, scale, mode);
          if (!Object.is(actual, expected)) throw new Error(`setScale(${x}, ${scale}, ${mode}) = ${actual}, expected ${expected}`);
        }
      }
    }
  });

  it("agrees with the BigInt reference on halves and their neighbours, where binary and decimal disagree", () => {
    let seed = 777;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 20_000; i++) {
      const scale = [0, 2, 3][i % 3]!;
      const digits = Math.floor(next() * 10 ** (1 + Math.floor(next() * 8)));
      // A decimal that ends in 5 right after the scale (2.675 at scale 2), and the doubles next to it.
      const tie = Number(`${digits}5e-${scale + 1}`) * (next() < 0.2 ? -1 : 1);
      const up = tie + Math.abs(tie) * Number.EPSILON;
      const down = tie - Math.abs(tie) * Number.EPSILON;
      // And one ending in 0..9 then many zeros and a 1 (a value just past a kept digit).
      const near = Number(`${digits}.${"0".repeat(scale + 6)}1`);
      for (const x of [tie, up, down, near, -near]) {
        for (const mode of ["HALF_UP", "CEILING"] as const) {
          const expected = reference(x, scale, mode);
          const actual = setScale(x, scale, mode);
          if (!Object.is(actual, expected)) throw new Error(`setScale(${x}, ${scale}, ${mode}) = ${actual}, expected ${expected}`);
        }
      }
    }
  });
});
