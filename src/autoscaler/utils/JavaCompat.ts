/**
 * Java arithmetic and formatting the port must reproduce exactly: Math.round, integer
 * casts, BigDecimal scale rounding (as Commons Math Precision.round uses it),
 * String.format("%.2f"), Instant#toString.
 */

export const INTEGER_MAX_VALUE = 2147483647;
export const LONG_MAX_VALUE = 9223372036854775807;

/** java.lang.Math.round(double): floor(x + 0.5); NaN -> 0; saturates at Long's range. */
export function javaMathRound(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= LONG_MAX_VALUE) return LONG_MAX_VALUE;
  if (x <= -LONG_MAX_VALUE) return -LONG_MAX_VALUE;
  return Math.floor(x + 0.5);
}

/** A Java (int) cast of a double: truncation toward zero, NaN -> 0, saturating. */
export function toInt(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= INTEGER_MAX_VALUE) return INTEGER_MAX_VALUE;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

/** Java int division (truncating). */
export function intDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * new BigDecimal(Double.toString(x)).setScale(scale, mode).doubleValue(): rounding on the
 * decimal digits, so 1.0005 rounds HALF_UP to 1.001 (binary arithmetic would give 1.0).
 */
export function setScale(x: number, scale: number, mode: "HALF_UP" | "CEILING"): number {
  // A whole number has no digits to drop at a non-negative scale (counts, parallelisms: most metrics).
  if (!Number.isFinite(x) || x === 0 || (scale >= 0 && Number.isInteger(x))) return x;
  if (hasAtMostDecimals(x, scale)) return x;
  const quick = roundedAwayFromTies(x, scale, mode);
  if (quick !== undefined) return quick;
  // |x| = D * 10^(e - len(D) + 1), with D the shortest round-trip digits (as Double.toString).
  const [mantissa, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const shift = Number(exp) - digits.length + 1 + scale; // |x| * 10^scale = D * 10^shift
  if (shift >= 0) return x;
  const cut = digits.length + shift; // digits kept in the integer quotient
  const remainder = cut > 0 ? digits.slice(cut) : "0".repeat(-cut) + digits;
  const negative = x < 0;
  const up = mode === "HALF_UP" ? Number(remainder[0]) >= 5 : !negative && /[1-9]/.test(remainder);
  // Up to 15 digits the quotient (+1) is a safe integer, exact as a Number; BigInt beyond.
  const rounded = cut <= 0 ? (up ? 1 : 0) : cut <= 15 ? Number(digits.slice(0, cut)) + (up ? 1 : 0) : Number(BigInt(digits.slice(0, cut)) + (up ? 1n : 0n));
  const magnitude = rounded / 10 ** scale;
  return negative ? -magnitude : magnitude;
}

/**
 * setScale worked out in binary where that is safe, undefined where it is not. y = |x| *
 * 10^scale is within 1.5 ulp(y) of D * 10^scale, D being the shortest decimal digits of x
 * (D lies within half an ulp of x; the product rounds by at most half an ulp of y). When
 * y's fraction is farther than 4 ulp(y) from 0, 1/2 and 1, D * 10^scale has the same
 * integer part and falls on the same side of the half: the digits kept and the rounding
 * are those the digit-by-digit path finds, without printing x.
 */
function roundedAwayFromTies(x: number, scale: number, mode: "HALF_UP" | "CEILING"): number | undefined {
  if (scale < 0 || scale > 22) return undefined;
  const f = 10 ** scale;
  const y = Math.abs(x) * f;
  if (!(y < 2 ** 52)) return undefined;
  const q = Math.floor(y);
  const frac = y - q; // exact
  const tolerance = y * 2 ** -50 + Number.MIN_VALUE; // at least 4 ulp(y)
  if (frac <= tolerance || frac >= 1 - tolerance) return undefined;
  let up: boolean;
  if (mode === "HALF_UP") {
    if (Math.abs(frac - 0.5) <= tolerance) return undefined;
    up = frac > 0.5;
  } else {
    up = x > 0; // digits are dropped (the fraction is not 0): CEILING raises a positive value only
  }
  const magnitude = (q + (up ? 1 : 0)) / f;
  return x < 0 ? -magnitude : magnitude;
}

/**
 * Whether x's shortest decimal digits have at most `scale` decimals, so that setScale has
 * nothing to drop, found without printing x: when k = x * 10^scale is a safe integer and
 * k / 10^scale gives x back (both exact operations on exact operands, correctly rounded),
 * x is the double nearest to the decimal k * 10^-scale, which therefore prints it, and the
 * shortest digits that print it have no more decimals. False means only: not shown so.
 */
function hasAtMostDecimals(x: number, scale: number): boolean {
  if (scale < 0 || scale > 22) return false;
  const f = 10 ** scale;
  const k = x * f;
  return Number.isSafeInteger(k) && k / f === x;
}

/** Commons Math Precision.round(x, scale): HALF_UP on the decimal representation. */
export function precisionRound(x: number, scale: number): number {
  return setScale(x, scale, "HALF_UP");
}

/** String.format("%.2f", x) in the ROOT locale (HALF_UP; NaN and Infinity spelled as Java does). */
export function formatFixed2(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  const r = setScale(x, 2, "HALF_UP");
  return r.toFixed(2);
}

/** java.time.Instant#toString: ISO-8601 UTC, fraction only when non-zero, in groups of 3 digits. */
export function instantToString(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2024-05-16T17:17:32.590Z
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** java.lang.String#hashCode (UTF-16 code units, 32-bit overflow). */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** java.lang.Double#toString: "90.0", "0.5", "1.0E7", "1.0E-4", "NaN", "Infinity". */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const [mantissa, exp] = x.toExponential().split("e") as [string, string];
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}
