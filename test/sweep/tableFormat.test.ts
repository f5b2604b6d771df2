import { describe, expect, it } from "vitest";
import { cellTable } from "../../src/sweep/cellTable.ts";
import { figureFormat, figureHeading, FIGURE_FORMATS } from "../../src/sweep/figureFormats.ts";
import { fixedAt, formatWithInterval, roundToInterval, significantDecimals } from "../../src/sweep/intervalRounding.ts";
import { SweepError } from "../../src/sweep/SweepError.ts";
import { defaultTableFigures, parseFigures, parseRank, rankCells, tableFigures } from "../../src/sweep/tableChoice.ts";
import { cellStats, cellsCsv, FIGURE_KEYS, type CellStats, type FigureStats } from "../../src/sweep/tables.ts";

describe("a mean rounded to what its 95% interval supports", () => {
  // Each case by hand: the interval to 2 significant digits, the mean to the same decimal place.
  it.each([
    // The example: 2,253,562.192 -> 2,300,000 (hundred-thousands), so the mean 2,375,560,178.5 -> 2,375,600,000.
    [2375560178.5, 2253562.192, "2,375,600,000 ± 2,300,000"],
    // The quick start's slot-hours difference: 0.531 -> 0.53 (hundredths), 0.397 -> 0.40.
    [0.397, 0.531, "0.40 ± 0.53"],
    [12.3456, 1.4142, "12.3 ± 1.4"],
    // An interval of exactly one: 1.0, tenths.
    [-2.46, 1, "-2.5 ± 1.0"],
    // 9.96 to 2 significant digits carries to 10: units, not tenths.
    [12.34, 9.96, "12 ± 10"],
    // 0.0995 -> 0.10 (hundredths, carried from thousandths).
    [0.5549, 0.0995, "0.55 ± 0.10"],
    [1000, 1000, "1,000 ± 1,000"],
    // 7,049.9 -> 7,000 (hundreds), 16,782.4 -> 16,800.
    [16782.4, 7049.9, "16,800 ± 7,000"],
    // A difference that rounds to zero has no sign.
    [-0.04, 0.31, "-0.04 ± 0.31"],
    [-0.004, 0.31, "0.00 ± 0.31"],
    // Halves away from zero, at a negative place too: 12,000 is to thousands, and 2,375.5 thousands -> 2,376 thousands.
    [2375500, 12000, "2,376,000 ± 12,000"],
    [-2375500, 12000, "-2,376,000 ± 12,000"],
  ])("%d ± %d prints %s", (mean, ci, text) => {
    expect(formatWithInterval(mean, ci)).toBe(text);
  });

  it("prints an interval of zero as ± 0 and the mean as cells.csv holds it (4 decimals, trailing zeros dropped)", () => {
    expect(formatWithInterval(5, 0)).toBe("5 ± 0");
    expect(formatWithInterval(0, 0)).toBe("0 ± 0");
    expect(formatWithInterval(2.5, 0)).toBe("2.5 ± 0");
    expect(formatWithInterval(1.23456, 0)).toBe("1.2346 ± 0");
    expect(formatWithInterval(16782, 0)).toBe("16,782 ± 0");
  });

  it("prints a mean without an interval (one seed) to 4 significant digits and no ±; no mean as -", () => {
    expect(roundToInterval(2375560178.5, null)).toEqual({ mean: "2,376,000,000", ci: null });
    expect(formatWithInterval(16782, null)).toBe("16,780");
    expect(formatWithInterval(0.99712, NaN)).toBe("0.9971");
    expect(formatWithInterval(6, null)).toBe("6");
    expect(formatWithInterval(0, null)).toBe("0");
    expect(formatWithInterval(-12.5, null)).toBe("-12.5");
    expect(formatWithInterval(null, null)).toBe("-");
    expect(formatWithInterval(null, 3)).toBe("-");
  });

  it("finds the decimal place of n significant digits, powers of ten and carries included", () => {
    expect(significantDecimals(1000, 2)).toBe(-2);
    expect(significantDecimals(0.001, 2)).toBe(4);
    expect(significantDecimals(9.96, 2)).toBe(0);
    expect(significantDecimals(99.95, 4)).toBe(2);
    expect(significantDecimals(99.996, 4)).toBe(1);
    expect(fixedAt(1234567.891, 1)).toBe("1,234,567.9");
    expect(fixedAt(1234567.891, -3)).toBe("1,235,000");
    expect(fixedAt(-0.0001, 2)).toBe("0.00");
  });
});

const stats = (mean: number | null, ci95: number | null, diffMean: number | null = null, diffCi95: number | null = null): FigureStats => ({ n: 3, mean, ci95, diffMean, diffCi95 });
const empty = stats(null, null);
/** A cell with every figure empty but those given. */
function cell(n: number, target: string, figures: Record<string, FigureStats>, baseline = false, runs = 3): CellStats {
  return { cell: n, values: { "job.autoscaler.utilization.target": target }, runs, baseline, figures: Object.fromEntries(FIGURE_KEYS.map((k) => [k, figures[k] ?? empty])) };
}
const AXES = [{ key: "job.autoscaler.utilization.target", values: ["0.5", "0.7", "0.9"] }];

describe("--figures and --rank", () => {
  it("takes figure names, and refuses an unknown one in one line that lists the valid names", () => {
    expect(parseFigures("lag_s_max, slot_hours")).toEqual(["lag_s_max", "slot_hours"]);
    expect(parseFigures(["scalings"])).toEqual(["scalings"]);
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(SweepError);
        return (e as Error).message;
      }
      throw new Error("no error");
    };
    const unknown = error(() => parseFigures("scalings,lagmax"));
    expect(unknown).toBe(`--figures: unknown figure 'lagmax' (did you mean 'lag_max'?); the figures are ${FIGURE_KEYS.join(", ")}`);
    expect(unknown).not.toContain("\n");
    expect(error(() => parseFigures("scalings,,lag_max"))).toMatch(/^--figures expects figure names separated by commas, got 'scalings,,lag_max'; the figures are scalings, /);
    expect(error(() => parseFigures("scalings,scalings"))).toBe("--figures: 'scalings' is given twice");
    expect(error(() => parseRank("slot-hours"))).toMatch(/^--rank: unknown figure 'slot-hours' \(did you mean 'slot_hours'\?\); the figures are scalings, /);
    expect(error(() => parseRank("slot_hours:down"))).toBe("--rank slot_hours: the order is asc or desc, got 'down'");
    expect(parseRank("slot_hours")).toEqual({ figure: "slot_hours", descending: false });
    expect(parseRank("lag_s_max:desc")).toEqual({ figure: "lag_s_max", descending: true });
    expect(parseRank("lag_s_max:asc")).toEqual({ figure: "lag_s_max", descending: false });
  });

  it("ranks cells by the figure's mean, ascending or descending, cells without it last, ties by cell number", () => {
    const cells = [
      cell(1, "0.5", { slot_hours: stats(3, 1) }),
      cell(2, "0.7", { slot_hours: stats(null, null) }),
      cell(3, "0.9", { slot_hours: stats(2, 1) }),
      cell(4, "1.0", { slot_hours: stats(3, 0.1) }),
    ];
    expect(rankCells(cells, parseRank("slot_hours")).map((c) => c.cell)).toEqual([3, 1, 4, 2]);
    expect(rankCells(cells, parseRank("slot_hours:desc")).map((c) => c.cell)).toEqual([1, 4, 3, 2]);
    expect(rankCells(cells, undefined).map((c) => c.cell)).toEqual([1, 2, 3, 4]);
  });

  it("shows the default figures some cell has, or those chosen with the ranked one added", () => {
    // Costs are core-hours by default (the sweep's figures include them).
    const cells = [cell(1, "0.5", { scalings: stats(4, 1), slot_hours: stats(5, 1), core_hours: stats(3, 1), lag_s_max: stats(12, 3) })];
    expect(tableFigures(cells, undefined, undefined)).toEqual(["scalings", "core_hours", "lag_s_max"]);
    expect(tableFigures(cells, ["lag_max"], parseRank("scalings:desc"))).toEqual(["lag_max", "scalings"]);
    // Costs in core-hours when the sweep has that figure, slot-hours otherwise; lag in seconds and in records.
    const defaults = defaultTableFigures();
    expect(defaults).toContain(FIGURE_KEYS.includes("core_hours") ? "core_hours" : "slot_hours");
    expect(defaults.filter((k) => k.startsWith("lag"))).toEqual(["lag_s_max", "lag_max"]);
  });
});

describe("the console's cell table", () => {
  const cells = [
    cell(1, "0.5", { scalings: stats(3.667, 1.434), lag_s_max: stats(125.43, 12.7), source_backpressured_share: stats(0.9971, 0.0021) }, true),
    cell(2, "0.7", { scalings: stats(4.667, 5.7, 1, 6.6), lag_s_max: stats(88.1, 30.2, -37.33, 25.51), source_backpressured_share: stats(0.5, 0, -0.4971, 0.0021) }),
    cell(3, "0.9", { scalings: stats(7, 11, 3.333, 12.04), lag_s_max: stats(null, null), source_backpressured_share: stats(0.25, 0.0123, -0.7471, 0.0123) }),
  ];

  it("has the chosen figures, each followed by its difference from the baseline, units on the second line, cells ranked", () => {
    const text = cellTable(AXES, cells, { figures: ["lag_s_max", "source_backpressured_share"], rank: parseRank("scalings:desc") });
    const lines = text.split("\n").map((l) => l.split(/ {2,}/));
    expect(lines[0]!.join(" | ")).toBe("mean ± 95% CI, rounded to the CI's second significant digit; Δ: difference from the baseline cell (*), paired by seed; ranked by scalings:desc");
    expect(lines[1]).toEqual(["cell", "job.autoscaler.utilization.target", "lag_s_max", "Δ lag_s_max", "source_backpressured_share", "Δ source_backpressured_share", "scalings", "Δ scalings"]);
    expect(lines[2]).toEqual(["", "s", "s", "%", "%"]);
    // Cells by scalings, largest first: 3 (7), 2 (4.667), 1 (3.667). Shares in %.
    expect(lines.slice(3)).toEqual([
      ["3", "0.9", "-", "-", "25.0 ± 1.2", "-74.7 ± 1.2", "7 ± 11", "3 ± 12"],
      ["2", "0.7", "88 ± 30", "-37 ± 26", "50 ± 0", "-49.71 ± 0.21", "4.7 ± 5.7", "1.0 ± 6.6"],
      ["1*", "0.5", "125 ± 13", "baseline", "99.71 ± 0.21", "baseline", "3.7 ± 1.4", "baseline"],
    ]);
  });

  it("says when one seed gives no interval, and has no differences for a single cell", () => {
    const one = [cell(1, "0.5", { scalings: stats(4, null), core_hours: stats(2.34567, null) }, true, 1)];
    const lines = cellTable(AXES, one).split("\n");
    expect(lines[0]).toBe("one seed per cell, so no confidence interval (--replications N gives one): 4 significant digits");
    expect(lines[1]!.split(/ {2,}/)).toEqual(["cell", "job.autoscaler.utilization.target", "scalings", "core_hours"]);
    expect(lines[2]!.trim()).toBe("core-hours");
    expect(lines[3]!.split(/ {2,}/)).toEqual(["1*", "0.5", "4", "2.346"]);
  });
});

describe("cells by name", () => {
  const axes = [
    { key: "variant", values: ["a", "b"] },
    { key: "job.autoscaler.utilization.target", values: ["0.5"] },
  ];
  const cells = [
    { index: 0, values: ["a", "0.5"] },
    { index: 1, values: ["b", "0.5"] },
  ];
  const figures = (f: (key: string) => number | null) => FIGURE_KEYS.map(f);
  // Slot-hours 1, 2, 4 in cell 1 and 2, 3, 7 in cell 2: differences 1, 1, 3.
  const slot = [
    [1, 2, 4],
    [2, 3, 7],
  ];
  const rows = [0, 1].flatMap((c) => [1, 2, 3].map((seed) => ({ cell: c, seed, figures: figures((k) => (k === "slot_hours" ? slot[c]![seed - 1]! : k === "lag_max" ? null : seed)) })));
  const stats3 = cellStats(axes, cells, [1, 2, 3], rows, 0);

  it("gives each cell's values by grid key and its figures by name, computed by hand", () => {
    expect(stats3[1]!.values).toEqual({ variant: "b", "job.autoscaler.utilization.target": "0.5" });
    expect(stats3[1]!.values["job.autoscaler.utilization.target"]).toBe("0.5");
    expect(Object.keys(stats3[0]!.figures)).toEqual([...FIGURE_KEYS]);
    // Cell 2: mean 4, sd sqrt(7), t(2) = 4.303: 4.303 * sqrt(7) / sqrt(3) = 6.5729. Differences 1, 1, 3: mean 5/3, sd sqrt(4/3): 2.8687.
    expect(stats3[1]!.figures.slot_hours).toEqual({ n: 3, mean: 4, ci95: 6.5729, diffMean: 1.6667, diffCi95: 2.8687 });
    expect(stats3[0]!.figures.slot_hours!.diffMean).toBeNull();
    expect(stats3[0]!.figures.lag_max).toEqual({ n: 0, mean: null, ci95: null, diffMean: null, diffCi95: null });
  });

  it("writes cells.csv with every figure by default, or the chosen ones in their order", () => {
    const all = cellsCsv(axes, stats3).split("\n");
    expect(all[0]).toBe(["cell,variant,job.autoscaler.utilization.target,runs,baseline", ...FIGURE_KEYS.map((k) => `${k}_n,${k}_mean,${k}_ci95,${k}_diff_mean,${k}_diff_ci95`)].join(","));
    const chosen = cellsCsv(axes, stats3, ["slot_hours", "scalings"]).split("\n");
    expect(chosen[0]).toBe("cell,variant,job.autoscaler.utilization.target,runs,baseline,slot_hours_n,slot_hours_mean,slot_hours_ci95,slot_hours_diff_mean,slot_hours_diff_ci95,scalings_n,scalings_mean,scalings_ci95,scalings_diff_mean,scalings_diff_ci95");
    // scalings = the seed: 1, 2, 3 in both cells, mean 2, sd 1, 4.303 / sqrt(3) = 2.4843; differences 0, 0, 0.
    expect(chosen[2]).toBe("2,b,0.5,3,false,3,4,6.5729,1.6667,2.8687,3,2,2.4843,0,0");
  });
});

describe("figure formats", () => {
  it("has a line for every figure a sweep keeps, or falls back to its comparison label", () => {
    for (const k of FIGURE_KEYS) expect(figureFormat(k).label).not.toBe("");
    expect(figureHeading("lag_s_max")).toBe("lag, max (s)");
    expect(figureHeading("lag_max")).toBe("lag, max (records)");
    expect(figureHeading("scalings")).toBe("scalings");
    expect(figureFormat("parallelism_final:map")).toEqual({ label: "final parallelism, map", unit: "" });
    expect(Object.keys(FIGURE_FORMATS).filter((k) => !FIGURE_KEYS.includes(k))).toEqual([]);
  });
});
