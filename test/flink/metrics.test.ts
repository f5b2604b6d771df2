import { describe, expect, it } from "vitest";
import { Counter, MeterView } from "../../src/flink/metrics/MeterView.ts";
import { operatorMetricName } from "../../src/flink/metrics/names.ts";
import { TimerGauge } from "../../src/flink/metrics/TimerGauge.ts";

describe("TimerGauge", () => {
  it("reports ms in the state per second of the last 5 s update interval, floored and clamped", () => {
    const g = new TimerGauge();
    // interval 1 (0..5000): measured 1000..1700 and 3000..(still on at update) -> 700 + 2000 = 2700 ms
    g.markStart(1000);
    g.markEnd(1700.9); // Flink's clock gives whole ms: 1700
    g.markStart(3000);
    g.update(5000);
    expect(g.getValue()).toBe(2700 / 5); // 540 ms/s
    // interval 2 (5000..10000): the measurement runs on from 5000 to 6003
    g.markEnd(6003);
    g.update(10000);
    expect(g.getValue()).toBe(Math.floor(1003 / 5)); // 200
    // interval 3: nothing measured
    g.update(15000);
    expect(g.getValue()).toBe(0);
    // a whole interval measured: 5000 ms / 5 = 1000, the maximum
    g.markStart(15000);
    g.update(20000);
    expect(g.getValue()).toBe(1000);
    // accumulated count holds completed measurements only: 700 + 3003
    expect(g.getAccumulatedCount()).toBe(3703);
    expect(g.accumulatedAt(20000)).toBe(3703 + 5000);
  });

  it("ignores a second markStart and a markEnd without a start, as Flink does", () => {
    const g = new TimerGauge();
    g.markEnd(100);
    g.markStart(0); // virtual time 0 is a real start, not Flink's "not measuring" sentinel
    g.markStart(2000);
    g.markEnd(2500);
    g.update(5000);
    expect(g.getValue()).toBe(500);
  });
});

describe("MeterView", () => {
  it("averages over a 60 s span from 13 snapshots, under-reporting until the ring is full", () => {
    const c = new Counter();
    const m = new MeterView(c, 60);
    const rates: number[] = [];
    // 2 events per second, updates every 5 s
    for (let update = 1; update <= 14; update++) {
      c.inc(10);
      m.update();
      rates.push(m.getRate());
    }
    // after update k (k <= 12) the ring holds counts 10k and the oldest slot is still 0: rate = 10k / 60
    for (let k = 1; k <= 12; k++) expect(rates[k - 1]).toBeCloseTo((10 * k) / 60, 12);
    // from the 13th update the window is full: 120 events in 60 s
    expect(rates[12]).toBeCloseTo(2, 12);
    expect(rates[13]).toBeCloseTo(2, 12);
  });

  it("rounds its span down to a multiple of 5 s, at least 5 s", () => {
    const c = new Counter();
    const m = new MeterView(c, 12); // -> 10 s, 3 slots
    c.inc(30);
    m.update();
    c.inc(30);
    m.update();
    expect(m.getRate()).toBeCloseTo(60 / 10, 12);
    c.inc(10);
    m.update(); // window now (70 - 30) / 10
    expect(m.getRate()).toBeCloseTo(4, 12);
  });
});

describe("operator metric names", () => {
  it("replace space, dot, colon and comma as Flink's metric query service does", () => {
    expect(operatorMetricName("Source: orders")).toBe("Source__orders");
    expect(operatorMetricName("Sink: Print to Std. Out")).toBe("Sink__Print_to_Std__Out");
    expect(operatorMetricName("a,b.c")).toBe("a_b_c");
  });
  it("truncate names to 80 characters first", () => {
    expect(operatorMetricName("x".repeat(100))).toHaveLength(80);
  });
});
