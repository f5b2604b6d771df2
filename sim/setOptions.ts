/** The `--set KEY=VALUE` entries of a command as a record; `fail` makes the command's own usage error. */
export function parseSetEntries(entries: readonly string[], fail: (message: string) => Error): Record<string, string> {
  const set: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw fail(`--set expects KEY=VALUE, got '${entry}'`);
    set[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return set;
}
