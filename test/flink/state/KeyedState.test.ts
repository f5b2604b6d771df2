import { describe, expect, it } from "vitest";
import { keyGroupRange, restoreBytesPerTaskManager, restoreTimeMs, stateBytes } from "../../../src/flink/state/KeyedState.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe("keyed state sizes", () => {
  it("is bytes per key x keys + initial + growth per record, capped", () => {
    const spec = { bytesPerKey: 1000, keys: 1000, bytesPerRecord: 10, initialBytes: 500, maxBytes: 2_000_000 };
    expect(stateBytes(spec, 0)).toBe(1_000_500);
    expect(stateBytes(spec, 1000)).toBe(1_010_500);
    expect(stateBytes(spec, 1_000_000)).toBe(2_000_000);
  });
});

describe("key groups (KeyGroupRangeAssignment#computeKeyGroupRangeForOperatorIndex)", () => {
  it("splits 128 key groups over 3 subtasks as Flink does: 0-42, 43-85, 86-127", () => {
    expect([0, 1, 2].map((i) => keyGroupRange(128, 3, i))).toEqual([
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ]);
  });
});

describe("restore per TaskManager", () => {
  const snapshot = [{ vertexId: "v", bytes: 12 * GiB, parallelism: 4, maxParallelism: 48 }];

  it("full restore: each subtask reads its own key groups: 12 GiB / 6 = 2 GiB per TaskManager, 2 GiB / 150 MiB/s = 13,653 ms", () => {
    const perTm = restoreBytesPerTaskManager(snapshot, new Map([["v", 6]]), 1, "full");
    expect(perTm).toHaveLength(6);
    for (const b of perTm) expect(b).toBeCloseTo(2 * GiB, 3);
    // 2048 MiB / 150 MiB/s = 13.6533 s
    expect(restoreTimeMs(perTm, 150 * MiB)).toBe(13_653);
  });

  it("incremental restore at the same parallelism downloads each subtask's own handle only (3 GiB each)", () => {
    const perTm = restoreBytesPerTaskManager(snapshot, new Map([["v", 4]]), 1, "incremental");
    for (const b of perTm) expect(b).toBeCloseTo(3 * GiB, 3);
  });

  it("incremental restore 4 -> 6 downloads every old handle a new range overlaps, whole", () => {
    // old ranges (48 key groups, p=4): 0-11, 12-23, 24-35, 36-47, 3 GiB each;
    // new (p=6): 0-7, 8-15, 16-23, 24-31, 32-39, 40-47: subtasks 1 and 4 straddle two handles.
    const perTm = restoreBytesPerTaskManager(snapshot, new Map([["v", 6]]), 1, "incremental");
    expect(perTm.map((b) => b / GiB)).toEqual([3, 6, 3, 3, 6, 3]);
    expect(restoreTimeMs(perTm, 150 * MiB)).toBe(Math.round(((6 * 1024) / 150) * 1000));
  });

  it("a TaskManager with two slots downloads for both of its subtasks", () => {
    const perTm = restoreBytesPerTaskManager(snapshot, new Map([["v", 6]]), 2, "full");
    expect(perTm).toHaveLength(3);
    for (const b of perTm) expect(b).toBeCloseTo(4 * GiB, 3);
  });
});
