/** A cell as the output files hold them: undefined is an empty cell. */
export type CsvCell = string | number | boolean | undefined;

/** RFC 4180: a field holding a quote, the delimiter or a line break is quoted. */
const NEEDS_QUOTES = /[",\n\r]/;

function field(value: CsvCell): string {
  if (value === undefined) return "";
  if (typeof value !== "string") return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A CSV document with a header row, `\n` after every row, fields quoted only when they
 * must be, numbers as JavaScript prints them. This is csv-stringify's output with its
 * defaults (a test checks it against csv-stringify); written by hand for the timeseries
 * and the decisions, written as the run goes, where csv-stringify, with its per-field
 * option handling, is much slower (see README, Performance). The other files use csv-stringify.
 */
export function toCsv(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = columns.map(field).join(",");
  for (let r = 0; r < rows.length; r++) lines[r + 1] = csvRecord(rows[r]!);
  return `${lines.join("\n")}\n`;
}

/** One record of toCsv's output, without its line break. */
export function csvRecord(row: readonly CsvCell[]): string {
  let line = row.length > 0 ? field(row[0]) : "";
  for (let i = 1; i < row.length; i++) line += `,${field(row[i])}`;
  return line;
}

/** A fixed number of decimals without trailing zeros: stable across platforms, short to read. */
export function round(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
