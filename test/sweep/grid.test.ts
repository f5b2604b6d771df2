import { describe, expect, it } from "vitest";
import { cellsOf, checkAxes, gridAxis, parseGridArg, parseShard, resolveBaseline, runsOfShard, shardFromEnvironment, splitTopLevel } from "../../src/sweep/grid.ts";

describe("sweep grids", () => {
  it("splits values at top-level commas only, so a flow mapping keeps its commas", () => {
    expect(splitTopLevel("1s, {distribution: uniform, min: 1s, max: 3s},[a, b],'x,y'")).toEqual(["1s", "{distribution: uniform, min: 1s, max: 3s}", "[a, b]", "'x,y'"]);
    expect(parseGridArg("simulation.job.operators[map].cost=1s,{distribution: uniform, min: 1s, max: 3s}")).toEqual({
      key: "simulation.job.operators[map].cost",
      values: ["1s", "{distribution: uniform, min: 1s, max: 3s}"],
    });
  });

  it("takes the library's values as they are, commas and all", () => {
    expect(gridAxis("simulation.job.name", ["Orders, v2", "Orders"])).toEqual({ key: "simulation.job.name", values: ["Orders, v2", "Orders"] });
    expect(() => gridAxis("k", [])).toThrow("--grid k: an empty value");
  });

  it("is the cartesian product, the first axis varying slowest", () => {
    const cells = cellsOf([parseGridArg("a=1,2"), parseGridArg("b=x,y,z")]);
    expect(cells.map((c) => c.values.join(""))).toEqual(["1x", "1y", "1z", "2x", "2y", "2z"]);
    expect(cells.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cellsOf([])).toEqual([{ index: 0, values: [] }]);
  });

  it.each([
    ["noequals", "--grid expects KEY=V1,V2,..., got 'noequals'"],
    ["=1,2", "--grid expects KEY=V1,V2,..., got '=1,2'"],
    ["a=1,,2", "--grid a: an empty value in '1,,2'"],
    ["a=1,1", "--grid a: the value '1' is given twice"],
  ])("refuses --grid %s", (arg, message) => {
    expect(() => parseGridArg(arg)).toThrow(message);
  });

  it("refuses a key swept twice, swept and fixed, or the seed and duration", () => {
    expect(() => checkAxes([parseGridArg("a=1"), parseGridArg("a=2")], {})).toThrow("--grid a is given twice");
    expect(() => checkAxes([parseGridArg("a=1,2")], { a: "3" })).toThrow("--set fixes the same key");
    expect(() => checkAxes([parseGridArg("simulation.seed=1,2")], {})).toThrow("the seeds are --seed and --replications");
    expect(() => checkAxes([parseGridArg("simulation.duration=1h,2h")], {})).toThrow("use --duration");
  });

  it("finds the baseline by number or by values", () => {
    const axes = [parseGridArg("variant=on,off"), parseGridArg("t=0.5,0.7")];
    const cells = cellsOf(axes);
    expect(resolveBaseline(undefined, axes, cells)).toBe(0);
    expect(resolveBaseline("3", axes, cells)).toBe(2);
    expect(resolveBaseline("variant=off,t=0.7", axes, cells)).toBe(3);
    expect(() => resolveBaseline("5", axes, cells)).toThrow("--baseline 5: there are 4 cell(s), numbered 1..4");
    expect(() => resolveBaseline("variant=off", axes, cells)).toThrow("2 cells match");
    expect(() => resolveBaseline("variant=maybe", axes, cells)).toThrow("no cell has these values");
    expect(() => resolveBaseline("colour=red", axes, cells)).toThrow("KEY=VALUE pairs of the grid's keys (variant, t)");
  });
});

describe("shards", () => {
  it("split the runs into disjoint slices that cover them all, round robin", () => {
    const total = 23;
    const slices = [1, 2, 3, 4].map((index) => runsOfShard(total, { index, count: 4 }));
    expect(slices[0]).toEqual([0, 4, 8, 12, 16, 20]);
    expect(slices.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(runsOfShard(5, undefined)).toEqual([0, 1, 2, 3, 4]);
  });

  it("read I/N, or a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (from 0) and SWEEP_SHARD_COUNT", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
    for (const bad of ["0/5", "6/5", "2", "a/b", "1/0"]) expect(() => parseShard(bad)).toThrow(`--shard expects I/N with 1 <= I <= N (shard I of N), got '${bad}'`);
    expect(shardFromEnvironment({})).toBeUndefined();
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: "0", SWEEP_SHARD_COUNT: "8" })).toEqual({ index: 1, count: 8 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: "7", SWEEP_SHARD_COUNT: "8" })).toEqual({ index: 8, count: 8 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: "8", SWEEP_SHARD_COUNT: "8" })).toThrow("JOB_COMPLETION_INDEX=8 is not below SWEEP_SHARD_COUNT=8");
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: "1" })).toThrow("SWEEP_SHARD_COUNT (the Job's completions) is not");
    expect(() => shardFromEnvironment({ SWEEP_SHARD_COUNT: "3" })).toThrow("JOB_COMPLETION_INDEX is not");
  });
});
