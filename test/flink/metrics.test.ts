import { describe, expect, it } from "vitest";
import { Counter, MeterView } from "../../src/flink/metrics/MeterView.ts";
import { operatorMetricName } from "../../src/flink/metrics/names.ts";
import { TimerGauge, timerGaugeSemantics } from "../../src/flink/metrics/TimerGauge.ts";

describe("TimerGauge (Flink 1.18: 60 s span, FLINK-35764 double count)", () => {
  it("averages the ms of the filled 5 s slots per second, floored and clamped", () => {
    const g = new TimerGauge(timerGaugeSemantics("v2_0")); // the span without the double count
    // slot 1 (0..5000): measured 1000..1700 and 3000..5000 (still on at the tick) -> 2700 ms
    g.markStart(1000);
    g.markEnd(1700.9); // Flink's clock gives whole ms: 1700
    g.markStart(3000);
    g.update(5000);
    expect(g.getValue()).toBe(Math.floor(2700 / 5)); // one slot filled: 540
    // slot 2 (5000..10000): the measurement runs on to 6003 -> 1003 ms
    g.markEnd(6003);
    g.update(10000);
    expect(g.getValue()).toBe(Math.floor((2700 + 1003) / 10)); // 370
    // slot 3: nothing measured
    g.update(15000);
    expect(g.getValue()).toBe(Math.floor(3703 / 15)); // 246
    expect(g.getAccumulatedCount()).toBe(3703);
  });

  it("keeps 12 slots: after a minute the oldest slot drops out", () => {
    const g = new TimerGauge(timerGaugeSemantics("v2_0"));
    // 12 slots of 5 s: the first fully measured (5000 ms), the other 11 empty
    g.markStart(0);
    g.update(5000);
    g.markEnd(5000);
    for (let k = 2; k <= 12; k++) g.update(5000 * k);
    expect(g.getValue()).toBe(Math.floor(5000 / 60)); // 83 ms/s over the full minute
    g.update(65000); // the 13th update overwrites the measured slot
    expect(g.getValue()).toBe(0);
  });

  it("counts a measurement spanning ticks twice in 1.18 (FLINK-35764), once from 2.0", () => {
    // measured 2000..12000: update() at 5000 and 10000 adds 3000 and 5000; markEnd at 12000
    // adds the whole 10000 in 1.18 (only the last 2000 once fixed)
    const run = (version: string) => {
      const g = new TimerGauge(timerGaugeSemantics(version));
      g.markStart(2000);
      g.update(5000);
      g.update(10000);
      g.markEnd(12000);
      g.update(15000);
      g.update(20000);
      g.update(25000);
      return { value: g.getValue(), accumulated: g.getAccumulatedCount() };
    };
    // slots: 3000, 5000, then 10000 (1.18) or 2000 (fixed), then two empty ones: over 25 s
    expect(run("v1_18")).toEqual({ value: Math.floor((3000 + 5000 + 10000) / 25), accumulated: 18000 });
    expect(run("v2_0")).toEqual({ value: Math.floor((3000 + 5000 + 2000) / 25), accumulated: 10000 });
  });

  it("clamps to 1000 when the double count exceeds the span", () => {
    const g = new TimerGauge(timerGaugeSemantics("v1_18"));
    g.markStart(0);
    g.update(5000);
    g.markEnd(9000); // slot 2 gets 9000 ms in 5 s
    g.update(10000);
    expect(g.getValue()).toBe(Math.min(Math.floor((5000 + 9000) / 10), 1000));
  });

  it("uses the last 5 s interval alone before 1.17", () => {
    const g = new TimerGauge(timerGaugeSemantics("v1_16"));
    g.markStart(0);
    g.markEnd(2500);
    g.update(5000);
    expect(g.getValue()).toBe(500);
    g.update(10000);
    expect(g.getValue()).toBe(0);
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
