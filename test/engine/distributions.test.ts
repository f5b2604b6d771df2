import { mean as d3mean, quantile } from "d3-array";
import { describe, expect, it } from "vitest";
import { mean, sampler, type DistributionSpec } from "../../src/engine/distributions.ts";
import { RandomStreams } from "../../src/engine/random.ts";

const N = 40_000;
function draws(spec: DistributionSpec, seed = 3): number[] {
  const s = sampler(spec, new RandomStreams(seed).stream("test"));
  return Array.from({ length: N }, () => s());
}

describe("distributions", () => {
  it("lognormal by median and p95 has that median and p95", () => {
    const xs = draws({ kind: "lognormal", median: 14_000, p95: 30_000 });
    expect(quantile(xs, 0.5)! / 14_000).toBeCloseTo(1, 1);
    expect(quantile(xs, 0.95)! / 30_000).toBeCloseTo(1, 1);
    // closed-form mean: median * exp(sigma^2 / 2), sigma = ln(p95/median) / 1.6449
    const sigma = Math.log(30 / 14) / 1.6448536269514722;
    expect(mean({ kind: "lognormal", median: 14_000, p95: 30_000 })).toBeCloseTo(14_000 * Math.exp((sigma * sigma) / 2), 6);
  });

  it("exponential, uniform and normal have their stated moments", () => {
    expect(d3mean(draws({ kind: "exponential", mean: 200 }))! / 200).toBeCloseTo(1, 1);
    const u = draws({ kind: "uniform", min: 10, max: 30 });
    expect(Math.min(...u)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...u)).toBeLessThan(30);
    expect(d3mean(u)).toBeCloseTo(20, 0);
    const n = draws({ kind: "normal", mean: 1000, stddev: 100 });
    expect(d3mean(n)! / 1000).toBeCloseTo(1, 2);
    expect(quantile(n, 0.8413)! - quantile(n, 0.5)!).toBeCloseTo(100, -1);
  });

  it("constant draws nothing from its stream", () => {
    const streams = new RandomStreams(1);
    const s = sampler({ kind: "constant", value: 5 }, streams.stream("a"));
    expect([s(), s()]).toEqual([5, 5]);
    expect(streams.stream("a")()).toBe(new RandomStreams(1).stream("a")());
  });
});

describe("RandomStreams", () => {
  it("gives the same numbers for the same seed and name, others for another name or seed", () => {
    const a = new RandomStreams(42).stream("cost/map/0");
    const b = new RandomStreams(42).stream("cost/map/0");
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    const other = new RandomStreams(42).stream("cost/map/1");
    expect(other()).not.toBe(first[0]);
    expect(new RandomStreams(43).stream("cost/map/0")()).not.toBe(first[0]);
  });

  it("keeps a stream's draws independent of how much other streams draw", () => {
    const quiet = new RandomStreams(9);
    const busy = new RandomStreams(9);
    for (let i = 0; i < 1000; i++) busy.stream("noisy")();
    expect(busy.stream("steady")()).toBe(quiet.stream("steady")());
  });
});
