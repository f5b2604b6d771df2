import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../src/engine/random.ts";
import { toCsv, type CsvCell } from "../../src/record/csv.ts";

/** The reference: csv-stringify with the options the files used before the hand-written writer. */
function reference(columns: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c === undefined ? "" : typeof c === "boolean" ? String(c) : c)));
  return stringify([[...columns], ...cells], { record_delimiter: "unix" });
}

describe("toCsv", () => {
  it("quotes only fields holding a quote, a comma or a line break, and doubles quotes", () => {
    expect(toCsv(["a", "b"], [["plain", 'say "hi"'], ["x,y", "two\nlines"], ["cr\r", ""]])).toBe(
      'a,b\nplain,"say ""hi"""\n"x,y","two\nlines"\n"cr\r",\n',
    );
  });

  it("writes numbers as JavaScript prints them, booleans as words, undefined as an empty cell", () => {
    expect(toCsv(["n", "b", "u"], [[0.1 + 0.2, true, undefined], [-0, false, 1e21], [NaN, Infinity, -1.5]])).toBe(
      "n,b,u\n0.30000000000000004,true,\n0,false,1e+21\nNaN,Infinity,-1.5\n",
    );
  });

  it("matches csv-stringify byte for byte on random tables of awkward fields", () => {
    const random = new RandomStreams(11).stream("csv");
    // No lone "\r": csv-stringify 6.x with record_delimiter "unix" leaves it unquoted, which
    // RFC 4180 readers split into two records; toCsv quotes it (the first test).
    const alphabet = ["a", "Z", " ", ",", '"', "\n", "-", "=", "é", "0", ";", "\t"];
    const cell = (): CsvCell => {
      const kind = Math.floor(random() * 5);
      if (kind === 0) return undefined;
      if (kind === 1) return (random() - 0.5) * 10 ** Math.floor(random() * 12);
      if (kind === 2) return random() < 0.5;
      return Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    };
    for (let t = 0; t < 50; t++) {
      const width = 1 + Math.floor(random() * 5);
      const columns = Array.from({ length: width }, (_, i) => `c${i}`);
      const rows = Array.from({ length: Math.floor(random() * 20) }, () => Array.from({ length: width }, cell));
      expect(toCsv(columns, rows)).toBe(reference(columns, rows));
    }
  });
});
