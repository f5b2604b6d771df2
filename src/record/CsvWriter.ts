import { stringify } from "csv-stringify/sync";
import { csvRecord, type CsvCell } from "./csv.ts";
import type { TextSink } from "./TextSink.ts";

/** A CSV file written row by row as the run goes. */
export interface CsvWriter {
  row(cells: readonly CsvCell[]): void;
  end(): void;
}

/**
 * csv-stringify's sync API, one call per row, written to `sink` at once (its stream API
 * needs Node's stream module, which a browser lacks). The options make it write what
 * toCsv writes: `\n` after every record, booleans as words, a lone carriage return quoted
 * (csv-stringify leaves it bare, which RFC 4180 readers split).
 */
export function csvStreamWriter(sink: TextSink, columns: readonly string[]): CsvWriter {
  const options = {
    record_delimiter: "unix",
    quoted_match: /\r/,
    cast: { boolean: (value: boolean) => String(value) },
  } as const;
  sink.write(stringify([[...columns]], options));
  return {
    row(cells) {
      // csv-stringify writes null and undefined as empty fields, as toCsv does.
      sink.write(stringify([cells.map((c) => (c === undefined ? null : c))], options));
    },
    end() {
      sink.end();
    },
  };
}

/**
 * The hand-written writer (toCsv's records), for the files written as the run goes: the
 * timeseries (every sample) and the decisions (every evaluation): see README, Performance,
 * for the measurements that keep them there.
 */
export function csvLineWriter(sink: TextSink, columns: readonly string[]): CsvWriter {
  sink.write(`${csvRecord(columns)}\n`);
  return {
    row(cells) {
      sink.write(`${csvRecord(cells)}\n`);
    },
    end() {
      sink.end();
    },
  };
}
