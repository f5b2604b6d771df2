import { describe, expect, it } from "vitest";
import { DurationFormatError, formatDuration, parseDuration } from "../../src/core/duration.ts";
import { parseMemorySize } from "../../src/core/memorySize.ts";

describe("formatDuration prints as java.time.Duration#toString", () => {
  // Expected strings as Duration.ofMillis(ms).toString() prints them (JDK 17).
  const table: [number, string][] = [
    [0, "PT0S"],
    [14_000, "PT14S"],
    [120_000, "PT2M"],
    [5_400_000, "PT1H30M"],
    [500, "PT0.5S"],
    [1, "PT0.001S"],
    [61_500, "PT1M1.5S"],
    [3_600_000, "PT1H"],
    [172_800_000, "PT48H"],
    [3_661_000, "PT1H1M1S"],
    [-1_500, "PT-1.5S"],
    [-500, "PT-0.5S"],
    [-60_000, "PT-1M"],
    [0.001, "PT0.000001S"],
  ];
  it.each(table)("%d ms -> %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("parseDuration reads Flink's syntax and ISO-8601", () => {
  const table: [string, number][] = [
    ["5s", 5_000],
    ["1 min", 60_000],
    ["2m", 120_000],
    ["10m", 600_000],
    ["100", 100],
    ["500 ms", 500],
    ["3 seconds", 3_000],
    ["1h", 3_600_000],
    ["2 hours", 7_200_000],
    ["1d", 86_400_000],
    ["1 day", 86_400_000],
    ["250 millis", 250],
    ["7 sec", 7_000],
    ["1 MIN", 60_000],
    ["PT2M", 120_000],
    ["PT14S", 14_000],
    ["PT0.5S", 500],
    ["PT1H30M", 5_400_000],
    ["P1DT1H", 90_000_000],
    ["  30 s  ", 30_000],
  ];
  it.each(table)("%s -> %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "abc", "5 parsecs", "1.5s", "-5s", "5ss", "1 ds", "PT", "P"])("rejects %j", (text) => {
    expect(() => parseDuration(text)).toThrow(DurationFormatError);
  });

  it("round-trips through formatDuration", () => {
    for (const ms of [0, 500, 14_000, 120_000, 5_400_000, 90_000_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});

describe("parseMemorySize", () => {
  it.each([
    ["64b", 64],
    ["64", 64],
    ["32kb", 32_768],
    ["32 k", 32_768],
    ["1mb", 1_048_576],
    ["2g", 2 * 1024 ** 3],
    ["1024m", 1024 ** 3],
  ] as const)("%s -> %d bytes", (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });
  it("rejects unknown units", () => {
    expect(() => parseMemorySize("5 parsecs")).toThrow(/not one of/);
  });
});

describe("formatDuration, printed again", () => {
  it("prints each duration the same however often and in whatever order it is asked", () => {
    for (const [ms, text] of [[120_000, "PT2M"], [120_000, "PT2M"], [14_000, "PT14S"], [120_000, "PT2M"], [-0, "PT0S"], [0, "PT0S"]] as const) expect(formatDuration(ms)).toBe(text);
  });

  it("still fails on NaN after a duration was printed", () => {
    formatDuration(1000);
    expect(() => formatDuration(NaN)).toThrow();
    expect(() => formatDuration(NaN)).toThrow();
  });
});
