import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { CsvSyntaxError, csvRecords, detached, StringPool, textLines } from "../../src/report/lineSource.ts";

/** `text` cut into chunks at the given offsets. */
function cut(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const c of at) {
    chunks.push(text.slice(from, c));
    from = c;
  }
  chunks.push(text.slice(from));
  return chunks;
}

describe("textLines", () => {
  it("gives the lines of a text however it is cut into chunks, without their line ends", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z,"]{0,6}$/), { maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (lines, crlf, cuts) => {
        const text = lines.map((l) => `${l}${crlf ? "\r\n" : "\n"}`).join("");
        expect([...textLines(cut(text, cuts))]).toEqual(lines);
      }),
    );
  });

  it("keeps a last line without a line end", () => {
    expect([...textLines(["a\nb", "c"])]).toEqual(["a", "bc"]);
    expect([...textLines([""])]).toEqual([]);
  });
});

describe("csvRecords", () => {
  it("reads what csv-stringify writes as csv-parse does, quotes, commas and line ends in cells included, however it is cut", () => {
    const cell = fc.stringMatching(/^[a-z ,"\n;]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }), fc.array(fc.nat(), { maxLength: 8 }), (rows, cuts) => {
        const text = stringify([["a", "b", "c"], ...rows]);
        // csv-parse skips empty lines too: a record of one empty cell is not written by a run.
        const expected = parse(text, { skip_empty_lines: true, relax_column_count: true }) as string[][];
        expect([...csvRecords(cut(text, cuts))]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("says which quote is never closed", () => {
    expect(() => [...csvRecords(['a,b\n1,"x\n2,y\n'])]).toThrow(new CsvSyntaxError("a quoted cell opened at line 2 is never closed", 2));
  });
});

describe("detached cells", () => {
  it("equal the cell, and repeat as one copy", () => {
    const chunk = `${"x".repeat(100)},Map -> Sink: Print to Std. Out,`;
    const cell = chunk.split(",")[1]!;
    expect(detached(cell)).toBe(cell);
    const pool = new StringPool();
    expect(pool.get(cell)).toBe(cell);
    expect(pool.get(chunk.split(",")[1]!)).toBe(pool.get(cell));
  });
});
