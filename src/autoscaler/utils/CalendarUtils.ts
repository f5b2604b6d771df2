import { EXCLUDED_PERIODS } from "../config/AutoScalerOptions.ts";
import type { Configuration } from "../config/Configuration.ts";
import { CronExpression } from "./CronExpression.ts";

/** Quartz's DailyCalendar with an inverted range: the times between start and end (inclusive, UTC) are "included". */
export class DailyCalendar {
  private readonly startMs: number;
  private readonly endMs: number;

  constructor(rangeStart: string, rangeEnd: string) {
    this.startMs = DailyCalendar.parseTime(rangeStart);
    this.endMs = DailyCalendar.parseTime(rangeEnd);
    if (!(this.startMs < this.endMs)) throw new Error(`Invalid time range: ${rangeStart} - ${rangeEnd}`);
  }

  /** HH:MM[:SS[:mmm]] */
  private static parseTime(text: string): number {
    const parts = text.split(":");
    if (parts.length < 2 || parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) throw new Error(`Invalid time string '${text}'`);
    const [h, m, s = 0, ms = 0] = parts.map(Number) as [number, number, number?, number?];
    if (h > 23 || m > 59 || s > 59 || ms > 999) throw new Error(`Invalid time string '${text}'`);
    return ((h * 60 + m) * 60 + s) * 1000 + ms;
  }

  isTimeIncluded(epochMs: number): boolean {
    const ofDay = ((epochMs % 86_400_000) + 86_400_000) % 86_400_000;
    return ofDay >= this.startMs && ofDay <= this.endMs;
  }
}

function interpretAsDaily(subExpression: string): DailyCalendar | undefined {
  const splits = subExpression.split("-");
  if (splits.length !== 2) return undefined;
  try {
    return new DailyCalendar(splits[0]!, splits[1]!);
  } catch {
    return undefined;
  }
}

function interpretAsCron(subExpression: string): CronExpression | undefined {
  try {
    return new CronExpression(subExpression);
  } catch {
    return undefined;
  }
}

/** An error message for an invalid excluded-period expression, undefined when valid. */
export function validateExcludedExpression(expression: string): string | undefined {
  const subExpressions = expression.split("&&");
  let daily: DailyCalendar | undefined;
  let cron: CronExpression | undefined;
  if (subExpressions.length > 2) return `Invalid value ${expression} in the autoscaler config ${EXCLUDED_PERIODS.key}`;
  for (const raw of subExpressions) {
    const sub = raw.trim();
    const d = interpretAsDaily(sub);
    daily = d ?? daily;
    const c = interpretAsCron(sub);
    cron = c ?? cron;
    if (d === undefined && c === undefined) {
      return `Invalid value ${expression} in the autoscaler config ${EXCLUDED_PERIODS.key}, the value is neither a valid daily expression nor a valid cron expression`;
    }
  }
  if (subExpressions.length === 2 && (daily === undefined || cron === undefined)) {
    return `Invalid value ${expression} in the autoscaler config ${EXCLUDED_PERIODS.key}, the value can not be configured as dailyExpression && dailyExpression or cronExpression && cronExpression`;
  }
  return undefined;
}

export function inExcludedPeriod(expression: string, epochMs: number): boolean {
  let result = true;
  for (const raw of expression.split("&&")) {
    const sub = raw.trim();
    const daily = interpretAsDaily(sub);
    if (daily !== undefined) result = result && daily.isTimeIncluded(epochMs);
    else result = result && interpretAsCron(sub)!.isSatisfiedBy(epochMs);
  }
  return result;
}

export function inExcludedPeriods(conf: Configuration, epochMs: number): boolean {
  return conf.get(EXCLUDED_PERIODS).some((e) => inExcludedPeriod(e, epochMs));
}

export function validateExcludedPeriods(conf: Configuration): string | undefined {
  for (const e of conf.get(EXCLUDED_PERIODS)) {
    const error = validateExcludedExpression(e);
    if (error !== undefined) return error;
  }
  return undefined;
}
