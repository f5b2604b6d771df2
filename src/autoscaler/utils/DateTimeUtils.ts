const formatters = new Map<string, Intl.DateTimeFormat>();

const DAY_MS = 86_400_000;
/** The UTC day printed last: its first millisecond and its yyyy-MM-dd (the collector prints a time at every reconcile). */
let utcDay = { start: NaN, date: "" };
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * yyyy-MM-dd HH:mm:ss in UTC by arithmetic within the day last printed (UTC days are all
 * 86,400,000 ms in epoch time); undefined outside whole milliseconds of years 1970..9999.
 */
function utcDateTime(epochMs: number): string | undefined {
  if (!Number.isInteger(epochMs) || epochMs < 0 || epochMs >= 253_402_300_800_000) return undefined;
  const inDay = epochMs % DAY_MS;
  const start = epochMs - inDay;
  if (start !== utcDay.start) utcDay = { start, date: new Date(start).toISOString().slice(0, 10) };
  const seconds = Math.floor(inDay / 1000);
  return `${utcDay.date} ${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** DateTimeUtils.readable: yyyy-MM-dd HH:mm:ss in `timeZone` (upstream: the JVM's zone; the simulation's zone is UTC). */
export function readable(epochMs: number, timeZone = "UTC"): string {
  if (timeZone === "UTC") {
    const fast = utcDateTime(epochMs);
    if (fast !== undefined) return fast;
    // Years 0..9999 only, where toISOString has the same yyyy-MM-ddTHH:mm:ss prefix.
    const iso = new Date(epochMs).toISOString();
    if (iso.length === 24) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const p = (type: string) => parts.find((x) => x.type === type)!.value;
  return `${p("year")}-${p("month")}-${p("day")} ${p("hour")}:${p("minute")}:${p("second")}`;
}

/** DateTimeUtils.kubernetes: ISO-8601 instant. */
export function kubernetes(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
