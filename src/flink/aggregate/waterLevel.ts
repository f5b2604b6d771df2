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

/**
 * The level at which `min(has[k], level) x cost[k]`, summed over k, equals `budget`: how
 * far a reader that serves its channels in equal parts gets in `budget` ms when a record
 * of channel k costs cost[k] (a two-input task's gate, each input at its own cost).
 * `order` lists the indexes by has ascending. Infinity when everything fits.
 */
export function costedWaterLevel(has: ArrayLike<number>, cost: ArrayLike<number>, order: ArrayLike<number>, budget: number): number {
  const n = order.length;
  let rate = 0;
  for (let k = 0; k < n; k++) rate += cost[order[k]!]!;
  let spent = 0;
  let level = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    // Up to this channel's has, every channel from k on takes (has - level) more records.
    const step = (has[i]! - level) * rate;
    if (spent + step >= budget) return rate > 0 ? level + (budget - spent) / rate : Infinity;
    spent += step;
    level = has[i]!;
    rate -= cost[i]!;
  }
  return Infinity;
}
