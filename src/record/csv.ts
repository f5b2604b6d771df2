import { stringify } from "csv-stringify/sync";

/** A CSV document with a header row; numbers are written as given, undefined as an empty cell. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  return stringify([columns as string[], ...rows.map((r) => r.map((c) => (c === undefined ? "" : typeof c === "boolean" ? String(c) : c)))], { record_delimiter: "unix" });
}

/** A fixed number of decimals without trailing zeros: stable across platforms, short to read. */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
