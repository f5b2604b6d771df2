import { javaStringHashCode } from "../../autoscaler/utils/JavaCompat.ts";

/**
 * The order in which a java.util.HashMap, filled from empty with `keys` in this order,
 * iterates: by bucket (`(h ^ h >>> 16) & (capacity - 1)`, the capacity the smallest
 * power of two from 16 with `size <= 0.75 * capacity`), then by insertion within a
 * bucket. Jackson writes a HashMap in this order, so a ConfigMap written by the
 * operator lists vertex ids this way (for a map the operator built fresh; a map it read
 * back from the ConfigMap is a LinkedHashMap and keeps the file's order).
 */
export function javaHashMapOrder<K>(keys: readonly K[], hashCode: (key: K) => number): K[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (k: K) => {
    const h = hashCode(k) | 0;
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys
    .map((k, i) => ({ k, i, b: bucketOf(k) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((e) => e.k);
}

/**
 * JobVertexID#hashCode (AbstractID): lowerPart ^ lowerPart >>> 32 ^ upperPart ^
 * upperPart >>> 32 as an int, i.e. the XOR of the id's four 32-bit words (its hex string
 * is lowerPart's 16 digits, then upperPart's).
 */
export function jobVertexIdHashCode(hex: string): number {
  let h = 0;
  for (let i = 0; i < 32; i += 8) h ^= Number.parseInt(hex.slice(i, i + 8), 16) | 0;
  return h | 0;
}

export const stringHashCode = javaStringHashCode;
