/** DateTimeUtils.readable: yyyy-MM-dd HH:mm:ss, in UTC (upstream: the JVM's zone; the simulation's zone is UTC). */
export function readable(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** DateTimeUtils.kubernetes: ISO-8601 instant. */
export function kubernetes(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
