import { standardNormal } from "../../engine/distributions.ts";
import type { Random } from "../../engine/random.ts";

/**
 * The shares `n` records split into when each goes to outcome j with probability p[j]:
 * multinomial(n, p) / n, drawn in the normal approximation, written to `out`. The
 * deviation d_j = (sqrt(p_j) z_j - p_j sum_k sqrt(p_k) z_k) / sqrt(n), z standard normal,
 * has the multinomial's covariance (diag(p) - p p^T) / n exactly; shares below 0 are
 * clamped and the rest renormalized to add up to 1. Below one record, or with one
 * outcome, the shares are p themselves.
 */
export function multinomialShares(p: ArrayLike<number>, n: number, random: Random, out: Float64Array): void {
  const m = p.length;
  if (n < 1 || m < 2) {
    for (let j = 0; j < m; j++) out[j] = p[j]!;
    return;
  }
  for (let j = 0; j < m; j++) out[j] = standardNormal(random);
  sharesFromNormals(p, n, out, out);
}

/**
 * multinomialShares with its standard normals `z` drawn beforehand (z and out may be the
 * same array): for a split whose record count is known only after the draw.
 */
export function sharesFromNormals(p: ArrayLike<number>, n: number, z: ArrayLike<number>, out: Float64Array): void {
  const m = p.length;
  if (n < 1 || m < 2) {
    for (let j = 0; j < m; j++) out[j] = p[j]!;
    return;
  }
  let sum = 0;
  for (let j = 0; j < m; j++) {
    out[j] = Math.sqrt(p[j]!) * z[j]!;
    sum += out[j]!;
  }
  const scale = 1 / Math.sqrt(n);
  let total = 0;
  for (let j = 0; j < m; j++) {
    out[j] = Math.max(0, p[j]! + (out[j]! - p[j]! * sum) * scale);
    total += out[j]!;
  }
  for (let j = 0; j < m; j++) out[j]! /= total;
}
