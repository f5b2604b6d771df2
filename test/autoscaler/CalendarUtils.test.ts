// Port of upstream's CalendarUtilsTest (flink-autoscaler, release-1.15.0). Times are UTC (the JVM zone upstream).
import { describe, expect, it } from "vitest";
import { EXCLUDED_PERIODS } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { inExcludedPeriods, validateExcludedPeriods } from "../../src/autoscaler/utils/CalendarUtils.ts";
import { CronExpression } from "../../src/autoscaler/utils/CronExpression.ts";
import { DAY, HOUR, SECOND } from "./testing.ts";

describe("CalendarUtilsTest", () => {
  it("testValidateExcludedPeriods", () => {
    const conf = new Configuration();
    const invalid = (periods: string[]) => {
      conf.set(EXCLUDED_PERIODS, periods);
      return validateExcludedPeriods(conf) !== undefined;
    };
    expect(invalid(["09:13:17-08:15:18"])).toBe(true);
    expect(invalid(["09:13:17-25:15:18"])).toBe(true);
    expect(invalid(["09:13:17-11:15:18", "18:01:20-16:00:00"])).toBe(true);
    expect(invalid(["09:13:17-11:15:18 && 12:01:20-16:00:00"])).toBe(true);
    expect(invalid(["09:13:17-11:15:18", "14:01:20-16:00:00"])).toBe(false);
    expect(invalid(["* * * ? * 2,5555"])).toBe(true);
    expect(invalid(["* * * ? * 2,5 && 18:01:20-16:00:00"])).toBe(true);
    expect(invalid(["* * * ? * 2,5 && * * 11-13 * * ?"])).toBe(true);
    expect(invalid(["* * * ? * 2,5 && 14:01:20-16:00:00"])).toBe(false);
  });

  it("testExcludedPeriods", () => {
    const conf = new Configuration();
    conf.set(EXCLUDED_PERIODS, ["09:13:17-11:15:18", "14:01:20-16:00:00"]);
    const instant = Date.parse("2023-12-14T14:01:30Z"); // a Thursday
    expect(inExcludedPeriods(conf, instant)).toBe(true);
    expect(inExcludedPeriods(conf, instant - 20 * SECOND)).toBe(false);
    expect(inExcludedPeriods(conf, instant - 4 * HOUR)).toBe(true);
    conf.set(EXCLUDED_PERIODS, ["* * 14-16 * * ?"]);
    expect(inExcludedPeriods(conf, instant)).toBe(true);
    expect(inExcludedPeriods(conf, instant - 100 * SECOND)).toBe(false);
    // 14:01:20-16:00:00 on Mondays and Thursdays (Quartz: 1 = Sunday)
    conf.set(EXCLUDED_PERIODS, ["* * * ? * 2,5 && 14:01:20-16:00:00"]);
    expect(inExcludedPeriods(conf, instant)).toBe(true);
    expect(inExcludedPeriods(conf, instant - DAY)).toBe(false);
    expect(inExcludedPeriods(conf, instant - 3 * DAY)).toBe(true);
  });
});

describe("CronExpression (Quartz subset)", () => {
  const at = (iso: string) => Date.parse(iso);
  it("reads weekday and month names, ranges, steps, L and #", () => {
    expect(new CronExpression("0 30 9 ? * MON-FRI").isSatisfiedBy(at("2023-12-15T09:30:00Z"))).toBe(true); // Friday
    expect(new CronExpression("0 30 9 ? * MON-FRI").isSatisfiedBy(at("2023-12-16T09:30:00Z"))).toBe(false); // Saturday
    expect(new CronExpression("0 0/15 * * * ?").isSatisfiedBy(at("2023-12-15T10:45:00Z"))).toBe(true);
    expect(new CronExpression("0 0/15 * * * ?").isSatisfiedBy(at("2023-12-15T10:46:00Z"))).toBe(false);
    expect(new CronExpression("* * * L DEC ?").isSatisfiedBy(at("2023-12-31T23:00:00Z"))).toBe(true);
    expect(new CronExpression("* * * ? * 6#3").isSatisfiedBy(at("2023-12-15T00:00:00Z"))).toBe(true); // third Friday
    expect(new CronExpression("* * * ? * 6L").isSatisfiedBy(at("2023-12-29T00:00:00Z"))).toBe(true); // last Friday
    expect(() => new CronExpression("* * * * * 2")).toThrow(/not implemented/);
    expect(() => new CronExpression("* * *")).toThrow();
  });
});
