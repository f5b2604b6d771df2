import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BandReducer, bandEnvelope, breakLongGaps, MinMaxReducer, minMaxDownsample, StepReducer, stepChanges, type BandPoint, type Point } from "../../src/report/downsample.ts";

describe("minMaxDownsample", () => {
  // 12 samples over [0, 12): with 3 buckets of 4 s each, the lowest and highest of each bucket.
  const series: Point[] = [
    [0, 5], [1, 9], [2, 1], [3, 4], // bucket 0: min 1 at 2, max 9 at 1
    [4, 3], [5, 3], [6, 3], [7, 3], // bucket 1: flat: the first point only (min and max are the same point)
    [8, 2], [9, 7], [10, 0], [11, 6], // bucket 2: max 7 at 9, min 0 at 10
  ];

  it("keeps the lowest and the highest sample of every bucket, in time order", () => {
    const r = minMaxDownsample(series, 3, [0, 12]);
    expect(r.points).toEqual([[1, 9], [2, 1], [4, 3], [9, 7], [10, 0]]);
    expect(r.reduced).toBe(true);
    expect(r.inputCount).toBe(12);
  });

  it("keeps every extreme of the full series", () => {
    const r = minMaxDownsample(series, 3, [0, 12]);
    const ys = r.points.map((p) => p[1]);
    expect(Math.max(...ys)).toBe(9);
    expect(Math.min(...ys)).toBe(0);
  });

  it("returns a series of at most two points per bucket whole", () => {
    const r = minMaxDownsample(series, 6, [0, 12]);
    expect(r.points).toEqual(series);
    expect(r.reduced).toBe(false);
  });

  it("keeps a gap (NaN or Infinity) as one point where it begins, and the extremes on either side of it", () => {
    const gappy: Point[] = [
      [0, 1], [1, 8], [2, NaN], [3, Infinity], [4, 2], [5, 6], // bucket 0 holds the gap
      [6, 3], [7, 3], [8, 4], [9, 4], [10, 4], [11, 4],
    ];
    const r = minMaxDownsample(gappy, 2, [0, 12]);
    expect(r.points.map(([x, y]) => [x, Number.isFinite(y) ? y : "gap"])).toEqual([
      [0, 1], [1, 8], [2, "gap"], [4, 2], [5, 6], [6, 3], [8, 4],
    ]);
    expect(r.inputCount).toBe(10);
  });
});

describe("stepChanges", () => {
  it("keeps the first point, every change and the last point: nothing a step line would draw is lost", () => {
    const p: Point[] = [[0, 1], [10, 1], [20, 2], [30, 2], [40, 2], [50, 1], [60, 1]];
    expect(stepChanges(p)).toEqual([[0, 1], [20, 2], [50, 1], [60, 1]]);
  });
});

describe("bandEnvelope", () => {
  it("holds the lowest lower bound and the highest upper bound of each bucket from its first to its last row", () => {
    const rows = [
      [0, 4, 9], [1, 2, 8], [2, 3, 12], // bucket 0: lo 2, hi 12
      [3, 5, 6], [4, 5, 7], [5, 1, 6], // bucket 1: lo 1, hi 7
    ] as const;
    const r = bandEnvelope(rows, 2, [0, 6]);
    expect(r.points).toEqual([[0, 2, 12], [2, 2, 12], [3, 1, 7], [5, 1, 7]]);
    expect(r.reduced).toBe(true);
  });

  it("returns a short band whole", () => {
    const rows = [[0, 1, 2], [1, 1, 3]] as const;
    expect(bandEnvelope(rows, 2, [0, 2]).points).toEqual(rows);
  });
});

describe("breakLongGaps", () => {
  it("puts a gap between samples further apart than the limit, and only there", () => {
    const p: Point[] = [[0, 1], [15, 2], [30, 3], [120, 4], [135, 5]];
    const out = breakLongGaps(p, 37.5);
    expect(out.map(([x, y]) => [x, Number.isNaN(y) ? "gap" : y])).toEqual([[0, 1], [15, 2], [30, 3], [75, "gap"], [120, 4], [135, 5]]);
  });
});

describe("the streaming reducers equal the functions over the whole series", () => {
  // Series with gaps (NaN, Infinity) in runs, ties, and points at and beyond the range's ends.
  const y = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) });
  const series = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), y), { maxLength: 200 }).map((ps) => ps.sort((a, b) => a[0] - b[0]) as Point[]);
  const buckets = fc.integer({ min: 1, max: 12 });

  it("MinMaxReducer = minMaxDownsample, reduced or whole", () => {
    fc.assert(
      fc.property(series, buckets, fc.integer({ min: 1, max: 50 }), (s, b, end) => {
        const reducer = new MinMaxReducer(b, [0, end]);
        for (const p of s) reducer.push(p);
        expect(reducer.result()).toEqual(minMaxDownsample(s, b, [0, end]));
      }),
      { numRuns: 500 },
    );
  });

  it("StepReducer = stepChanges", () => {
    fc.assert(
      fc.property(series, (s) => {
        const reducer = new StepReducer();
        for (const p of s) reducer.push(p);
        expect(reducer.result()).toEqual(stepChanges(s));
      }),
      { numRuns: 300 },
    );
  });

  it("BandReducer = bandEnvelope", () => {
    const band = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), y, y), { maxLength: 200 }).map((rs) => rs.sort((a, b) => a[0] - b[0]) as BandPoint[]);
    fc.assert(
      fc.property(band, buckets, (rows, b) => {
        const reducer = new BandReducer(b, [0, 40]);
        for (const r of rows) reducer.push(r);
        expect(reducer.result()).toEqual(bandEnvelope(rows, b, [0, 40]));
        expect(reducer.count).toBe(rows.length);
      }),
      { numRuns: 300 },
    );
  });

  it("a series returned whole keeps one point per run of non-finite values (a chart breaks its line the same)", () => {
    const s: Point[] = [[0, NaN], [1, NaN], [2, 3], [3, Infinity], [4, NaN], [5, 4], [6, NaN]];
    const r = minMaxDownsample(s, 600, [0, 10]);
    expect(r.points).toEqual([[0, NaN], [2, 3], [3, Infinity], [5, 4], [6, NaN]]);
    expect(r.reduced).toBe(false);
    expect(r.inputCount).toBe(2);
  });
});
