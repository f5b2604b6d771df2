import { stringify } from "csv-stringify";
import { csvRecord, type CsvCell } from "./csv.ts";
import type { TextSink } from "./TextSink.ts";

/** A CSV file written row by row as the run goes. */
export interface CsvWriter {
  row(cells: readonly CsvCell[]): void;
  end(): void;
}

/**
 * csv-stringify's stream API, drained synchronously into `sink`: the stringifier
 * transforms each row as it is written, so its output can be read at once. The options
 * make it write what toCsv writes: `\n` after every record, booleans as words, a lone
 * carriage return quoted (csv-stringify leaves it bare, which RFC 4180 readers split).
 */
export function csvStreamWriter(sink: TextSink, columns: readonly string[]): CsvWriter {
  const stringifier = stringify({
    header: true,
    columns: [...columns],
    record_delimiter: "unix",
    quoted_match: /\r/,
    cast: { boolean: (value: boolean) => String(value) },
  });
  const drain = () => {
    for (let chunk: unknown; (chunk = stringifier.read()) !== null; ) sink.write(String(chunk));
  };
  return {
    row(cells) {
      // csv-stringify writes null and undefined as empty fields, as toCsv does.
      stringifier.write(cells.map((c) => (c === undefined ? null : c)));
      drain();
    },
    end() {
      stringifier.end();
      drain();
      sink.end();
    },
  };
}

/**
 * The hand-written writer (toCsv's records), for the timeseries, the one file written at
 * every sample: see README, Performance, for the measurement that keeps it there.
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
