/**
 * A run's files as the report reads them: in chunks of text, from the start, as many times
 * as it needs (it reads decisions.csv twice), so that a long run's files never need to be in
 * memory at once. The playground holds its files as strings (contentsSource); Node reads them
 * from a folder in chunks (src/node/runFolder.ts, folderSource).
 */

/** A folder's files by name, as a run holds them before they are written. */
export type FileContents = Readonly<Record<string, string>>;

/** The files of one folder, each readable from its start in chunks of text. */
export interface FileSource {
  /**
   * The file's text as chunks cut anywhere (a line may span two chunks), from its start at
   * each iteration; undefined when the folder has no such file.
   */
  open(name: string): Iterable<string> | undefined;
}

/** Files held in memory as strings: each is one chunk. */
export function contentsSource(files: FileContents): FileSource {
  return { open: (name) => (files[name] === undefined ? undefined : [files[name]]) };
}

/** A file's whole text (for the small ones: summary.json, comparison.csv). */
export function readText(chunks: Iterable<string>): string {
  const parts: string[] = [];
  for (const c of chunks) parts.push(c);
  return parts.join("");
}

/**
 * The lines of a text given in chunks, without their line ends ("\n", or "\r\n"); a last
 * line without a line end is a line too, an empty text has none.
 */
export function* textLines(chunks: Iterable<string>): Generator<string> {
  let carry = "";
  for (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end >= 0; end = chunk.indexOf("\n", start)) {
      let line = carry === "" ? chunk.slice(start, end) : carry + chunk.slice(start, end);
      carry = "";
      if (line.endsWith("\r")) line = line.slice(0, -1);
      yield line;
      start = end + 1;
    }
    if (start < chunk.length) carry += chunk.slice(start);
  }
  if (carry !== "") yield carry.endsWith("\r") ? carry.slice(0, -1) : carry;
}

/** A CSV record that could not be read; `line` counts from 1 (the header). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * The cells of one CSV record (RFC 4180: a quoted cell may hold commas, doubled quotes and
 * line ends), or undefined when a quoted cell is still open at the end of `text` (its
 * record goes on on the next line).
 */
function quotedCells(text: string, line: number): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = "";
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return undefined;
        cell += text.slice(j, q);
        if (text[q + 1] === '"') {
          cell += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(cell);
      if (i === text.length) return cells;
      if (text[i] !== ",") throw new CsvSyntaxError(`unexpected character after a quoted cell at line ${line}`, line);
      i++;
    } else {
      const comma = text.indexOf(",", i);
      const cell = comma < 0 ? text.slice(i) : text.slice(i, comma);
      if (cell.includes('"')) throw new CsvSyntaxError(`a quote inside an unquoted cell at line ${line}`, line);
      cells.push(cell);
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}

/**
 * The records of a CSV text given in chunks, as arrays of cells, the header first; empty
 * lines are skipped. Lines without a quote (nearly all of a run's files) are split at
 * their commas; others are read as RFC 4180 says. The lines are cut here rather than
 * taken from textLines: one generator less for each of a long run's rows to pass through.
 */
export function* csvRecords(chunks: Iterable<string>): Generator<string[]> {
  const reader = new RecordReader();
  let carry = "";
  for (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf("\n"); end >= 0; end = chunk.indexOf("\n", start)) {
      const line = carry === "" ? chunk.slice(start, end) : carry + chunk.slice(start, end);
      carry = "";
      start = end + 1;
      const cells = reader.line(line.endsWith("\r") ? line.slice(0, -1) : line);
      if (cells !== undefined) yield cells;
    }
    if (start < chunk.length) carry += chunk.slice(start);
  }
  if (carry !== "") {
    const cells = reader.line(carry.endsWith("\r") ? carry.slice(0, -1) : carry);
    if (cells !== undefined) yield cells;
  }
  reader.end();
}

/** CSV records from lines given one by one (textLines' lines): a quoted cell may span lines. */
class RecordReader {
  private pending: string | undefined;
  private lineNumber = 0;
  private startLine = 0;

  /** The record this line completes, or undefined (an empty line, a quoted cell still open). */
  line(l: string): string[] | undefined {
    this.lineNumber++;
    if (this.pending === undefined) {
      if (l === "") return undefined;
      if (!l.includes('"')) return l.split(",");
      this.startLine = this.lineNumber;
    }
    const text = this.pending === undefined ? l : `${this.pending}\n${l}`;
    const cells = quotedCells(text, this.startLine);
    this.pending = cells === undefined ? text : undefined;
    return cells;
  }

  /** Throws when the text ended inside a quoted cell. */
  end(): void {
    if (this.pending !== undefined) throw new CsvSyntaxError(`a quoted cell opened at line ${this.startLine} is never closed`, this.startLine);
  }
}

/**
 * A copy of `s` that holds no reference to the text it was cut from: V8 keeps a sliced
 * string's whole parent alive, so a cell kept from a 64 KiB chunk would keep the chunk (a
 * thousand rows kept from a 100-day decisions.csv kept 64 MB of it).
 */
export function detached(s: string): string {
  return s.length < 13 ? s : [...s].join("");
}

/** Cells that repeat (vertex names, reasons) as one detached copy each; beyond `max` distinct values, each is detached alone. */
export class StringPool {
  private readonly pool = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  get(s: string): string {
    const known = this.pool.get(s);
    if (known !== undefined) return known;
    const copy = detached(s);
    if (this.pool.size < this.max) this.pool.set(copy, copy);
    return copy;
  }
}
