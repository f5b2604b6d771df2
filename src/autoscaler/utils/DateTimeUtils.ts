const formatters = new Map<string, Intl.DateTimeFormat>();

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
