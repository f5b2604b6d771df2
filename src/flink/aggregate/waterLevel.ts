/**
 * The level at which `min(has[k], level)`, summed over k, equals `total`: how a quantity
 * is shared out in equal parts where each part takes at most what it has (round robin in
 * the limit). `has` must be sorted ascending; when everything together is less than
 * `total`, the level is the largest of them (each gives all it has).
 */
export function waterLevel(has: ArrayLike<number>, total: number): number {
  const n = has.length;
  let left = total;
  let level = 0;
  for (let k = 0; k < n; k++) {
    const share = left / (n - k);
    if (has[k]! >= share) return share;
    left -= has[k]!;
    level = has[k]!;
  }
  return level;
}
