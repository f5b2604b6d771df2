/**
 * How a sweep's tables print a mean and its 95% confidence interval: to the digits the
 * interval supports, no more (docs/sweeps.md, "Rounding").
 *
 * - An interval above 0 keeps 2 significant digits, and the mean is rounded to the same
 *   decimal place: 2375560178.5 ± 2253562.192 prints `2,375,600,000 ± 2,300,000`,
 *   0.397 ± 0.531 prints `0.40 ± 0.53`.
 * - An interval of 0 (every seed gave the same value) prints the mean as cells.csv holds
 *   it, to at most 4 decimals, and `± 0`.
 * - No interval (one seed, or fewer than two runs with the figure) prints the mean to 4
 *   significant digits and no `±`: a single run says nothing about its noise.
 * Halves round away from zero; a result that rounds to zero prints without a sign;
 * integer parts are grouped by thousands with commas. These strings are for reading:
 * cells.csv keeps its numbers as they were.
 */

/** `x` rounded at `decimals` places (negative: tens, hundreds, ...), halves away from zero, as text with its digits grouped. */
export function fixedAt(x: number, decimals: number): string {
  let text: string;
  if (decimals >= 0) text = Math.abs(x).toFixed(Math.min(decimals, 100));
  else {
    const step = 10 ** -decimals;
    text = (Math.round(Math.abs(x) / step) * step).toFixed(0);
  }
  const [whole, fraction] = text.split(".") as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const body = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  // -0.04 at one decimal is 0.0, not -0.0.
  return x < 0 && /[1-9]/.test(body) ? `-${body}` : body;
}

/** The decimal place (negative: tens, hundreds, ...) that keeps `digits` significant digits of x (x != 0, finite). */
export function significantDecimals(x: number, digits: number): number {
  const magnitude = Math.abs(x);
  let decimals = digits - 1 - Math.floor(Math.log10(magnitude));
  // Rounding may carry into a new digit (9.96 to 2 digits is 10, not 10.0); log10 of a power of ten may also land just below it.
  if (Number(fixedAt(magnitude, decimals).replaceAll(",", "")) >= 10 ** (digits - decimals)) decimals -= 1;
  return decimals;
}

/** The decimals cells.csv keeps (round(x, 4)), trailing zeros dropped. */
const CSV_DECIMALS = 4;

/** A number alone, to 4 significant digits, trailing zeros dropped. */
function alone(x: number): string {
  if (x === 0) return "0";
  const text = fixedAt(x, significantDecimals(x, 4));
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * Mean and interval as printed: `{mean, ci}` strings, ci null when there is no interval.
 * `mean` null (no run has the figure) prints as `-`.
 */
export function roundToInterval(mean: number | null, ci: number | null): { mean: string; ci: string | null } {
  if (mean === null || Number.isNaN(mean)) return { mean: "-", ci: null };
  if (ci === null || Number.isNaN(ci)) return { mean: alone(mean), ci: null };
  if (ci === 0) {
    const text = fixedAt(mean, CSV_DECIMALS);
    return { mean: text.includes(".") ? text.replace(/\.?0+$/, "") : text, ci: "0" };
  }
  const decimals = significantDecimals(ci, 2);
  return { mean: fixedAt(mean, decimals), ci: fixedAt(ci, decimals) };
}

/** `mean ± ci`, `mean` without an interval, `-` without a mean. */
export function formatWithInterval(mean: number | null, ci: number | null): string {
  const r = roundToInterval(mean, ci);
  return r.ci === null ? r.mean : `${r.mean} ± ${r.ci}`;
}
