/** Key groups as Flink assigns them (KeyGroupRangeAssignment, MathUtils). */

export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7;
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

/** MathUtils.roundUpToPowerOfTwo for positive ints. */
export function roundUpToPowerOfTwo(x: number): number {
  let v = x - 1;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return v + 1;
}

/** KeyGroupRangeAssignment.computeDefaultMaxParallelism: 1.5 x parallelism, a power of two in [128, 32768]. */
export function computeDefaultMaxParallelism(operatorParallelism: number): number {
  return Math.min(
    Math.max(roundUpToPowerOfTwo(operatorParallelism + Math.floor(operatorParallelism / 2)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}

function bitMix(input: number): number {
  let x = input | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x;
}

/** MathUtils.murmurHash(int): a non-negative 32-bit hash of a Java int hash code. */
export function murmurHash(code: number): number {
  let c = Math.imul(code | 0, 0xcc9e2d51);
  c = (c << 15) | (c >>> 17);
  c = Math.imul(c, 0x1b873593);
  c = (c << 13) | (c >>> 19);
  c = (Math.imul(c, 5) + 0xe6546b64) | 0;
  c ^= 4;
  c = bitMix(c);
  if (c >= 0) return c;
  if (c !== -2147483648) return -c;
  return 0;
}

/** KeyGroupRangeAssignment.assignToKeyGroup for a key whose Java hashCode() is `keyHash`. */
export function assignToKeyGroup(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup. */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroupId: number): number {
  return Math.floor((keyGroupId * parallelism) / maxParallelism);
}
