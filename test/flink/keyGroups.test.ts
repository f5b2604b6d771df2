import { describe, expect, it } from "vitest";
import {
  assignToKeyGroup,
  computeDefaultMaxParallelism,
  computeOperatorIndexForKeyGroup,
  murmurHash,
} from "../../src/flink/keyGroups.ts";

describe("key groups", () => {
  // Values printed by Flink's MathUtils.murmurHash run on JDK 17.
  it.each([
    [0, 593689054],
    [1, 68075478],
    [2, 1085422463],
    [42, 1134849565],
    [-7, 206585249],
    [123456789, 1088346449],
    [-2147483648, 1718298732],
  ])("murmurHash(%d) = %d as in Java", (key, hash) => {
    expect(murmurHash(key)).toBe(hash);
  });

  it("assigns key groups and operator indices as KeyGroupRangeAssignment", () => {
    expect(assignToKeyGroup(42, 128)).toBe(29);
    expect(assignToKeyGroup(0, 12)).toBe(10);
    // key group 10 of 12 at parallelism 5: floor(10 * 5 / 12) = 4
    expect(computeOperatorIndexForKeyGroup(12, 5, 10)).toBe(4);
    expect(computeOperatorIndexForKeyGroup(128, 3, 127)).toBe(2);
  });

  it("computes the default max parallelism: 1.5 x parallelism rounded up to a power of two, within [128, 32768]", () => {
    expect(computeDefaultMaxParallelism(1)).toBe(128);
    expect(computeDefaultMaxParallelism(100)).toBe(256); // 150 -> 256
    expect(computeDefaultMaxParallelism(1000)).toBe(2048); // 1500 -> 2048
    expect(computeDefaultMaxParallelism(30000)).toBe(32768);
  });
});
