import { describe, expect, it } from "vitest";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";

const entries = (m: TreeMap<string>) => [...m];

// Iteration reuses one array of entries until the map changes: every change must show in the next loop.
describe("TreeMap iteration after changes", () => {
  it("shows puts, replaced values, removals and trims in the next loop", () => {
    const m = new TreeMap<string>([[30, "c"], [10, "a"]]);
    expect(entries(m)).toEqual([[10, "a"], [30, "c"]]);
    m.put(20, "b");
    expect(entries(m)).toEqual([[10, "a"], [20, "b"], [30, "c"]]);
    m.put(20, "B");
    expect(entries(m)).toEqual([[10, "a"], [20, "B"], [30, "c"]]);
    m.remove(30);
    expect(entries(m)).toEqual([[10, "a"], [20, "B"]]);
    expect(m.removeHead(15)).toBe(1);
    expect(entries(m)).toEqual([[20, "B"]]);
    m.put(40, "d");
    expect(m.pollFirstEntry()).toEqual([20, "B"]);
    expect(entries(m)).toEqual([[40, "d"]]);
    m.clear();
    expect(entries(m)).toEqual([]);
  });

  it("lets a loop under way finish over the entries it started with", () => {
    const m = new TreeMap<string>([[1, "a"], [2, "b"]]);
    const seen: number[] = [];
    for (const [k] of m) {
      seen.push(k);
      if (k === 1) m.put(3, "c");
    }
    expect(seen).toEqual([1, 2]);
    expect(entries(m).map(([k]) => k)).toEqual([1, 2, 3]);
  });

  it("takes head and tail ranges by key, a copy each", () => {
    const m = new TreeMap<string>([[10, "a"], [20, "b"], [30, "c"]]);
    expect(entries(m.tailMap(20))).toEqual([[20, "b"], [30, "c"]]);
    expect(entries(m.tailMap(21))).toEqual([[30, "c"]]);
    expect(entries(m.headMap(20))).toEqual([[10, "a"]]);
    expect(entries(m.headMap(5))).toEqual([]);
    expect(entries(m.tailMap(NaN))).toEqual([]);
    const tail = m.tailMap(0);
    tail.put(40, "d");
    expect(m.size).toBe(3);
  });
});
