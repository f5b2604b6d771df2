import type { LogLevel, LogRecord } from "../autoscaler/utils/Logger.ts";
import type { TextSink } from "../record/TextSink.ts";

/** One line of the operator's log, as its log4j layout prints it. */
export interface LogLine {
  readonly timeMs: number;
  readonly level: LogLevel;
  readonly text: string;
}

/** log4j's %c{1.}: every package segment shortened to its first letter (o.a.f.a.ScalingExecutor). */
export function abbreviateLogger(name: string): string {
  const parts = name.split(".");
  return [...parts.slice(0, -1).map((p) => p[0]), parts[parts.length - 1]].join(".");
}

const DAY_MS = 86_400_000;
/** The UTC day stamped last: its first millisecond and its yyyy-MM-dd. */
let stampDay = { start: NaN, date: "" };
const pad = (n: number, width: number) => `${n}`.padStart(width, "0");

/** yyyy-MM-dd HH:mm:ss,SSS in UTC; within the day stamped last by arithmetic (UTC days are all 86,400,000 ms in epoch time). */
export function logTimestamp(epochMs: number): string {
  if (Number.isInteger(epochMs) && epochMs >= 0 && epochMs < 253_402_300_800_000) {
    const inDay = epochMs % DAY_MS;
    const start = epochMs - inDay;
    if (start !== stampDay.start) stampDay = { start, date: new Date(start).toISOString().slice(0, 10) };
    const seconds = Math.floor(inDay / 1000);
    return `${stampDay.date} ${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)},${pad(inDay % 1000, 3)}`;
  }
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

const LEVELS: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

const LEVEL_NAMES: readonly LogLevel[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

/**
 * Collects log records into lines laid out like the operator's log (and the seed's sample):
 * `2024-05-16 17:17:32,590 o.a.f.a.ScalingExecutor [DEBUG][default/name] message`.
 * Lines gather in a string of a few kilobytes that is then written on: to `sink` when one
 * is given (the run's autoscaler.log, written as the run goes: a day at the chart's 15 s
 * reconciles is some 200,000 lines, 34 MB), else into one growing byte buffer that
 * `toText` and `lines` read (tests, and runs kept in memory). Keeping the lines as one
 * string object each cost more in garbage collection than the rest of the log.
 */
export class OperatorLog {
  private buffer = new Uint8Array(1 << 16);
  private length = 0;
  private pending = "";
  /** Per line: its length in UTF-16 units (with the newline), epoch ms and level (LEVELS' number). */
  private readonly lengths: number[] = [];
  private readonly times: number[] = [];
  private readonly levels: number[] = [];
  /** The last stamp and its time: a reconcile logs dozens of lines at one instant. */
  private stampMs = NaN;
  private stamp = "";
  private readonly prefixes = new Map<string, Map<LogLevel, string>>();

  constructor(
    private readonly resource: string,
    private readonly epochNow: () => number,
    private readonly minLevel: LogLevel = "DEBUG",
    private readonly out: TextSink | null = null,
  ) {}

  readonly sink = (record: LogRecord): void => {
    if (LEVELS[record.level] < LEVELS[this.minLevel]) return;
    const timeMs = this.epochNow();
    const error = record.error instanceof Error ? ` ${record.error.name}: ${record.error.message}` : "";
    if (timeMs !== this.stampMs) {
      this.stampMs = timeMs;
      this.stamp = logTimestamp(timeMs);
    }
    // " o.a.f.a.ScalingExecutor [DEBUG][ns/name] ", once per logger and level (looked up by
    // the logger's name, a constant whose hash V8 keeps, not by a string made for each line).
    let byLevel = this.prefixes.get(record.logger);
    if (byLevel === undefined) this.prefixes.set(record.logger, (byLevel = new Map()));
    let prefix = byLevel.get(record.level);
    if (prefix === undefined) byLevel.set(record.level, (prefix = ` ${abbreviateLogger(record.logger)} [${record.level.padEnd(5)}][${this.resource}] `));
    const line = `${this.stamp}${prefix}${record.message}${error}\n`;
    if (this.out === null) {
      this.lengths.push(line.length);
      this.times.push(timeMs);
      this.levels.push(LEVELS[record.level]);
    }
    this.pending += line;
    if (this.pending.length > 8192) this.flushPending();
  };

  /** Writes the gathered lines into the buffer, growing it as needed. */
  private flushPending(): void {
    const text = this.pending;
    this.pending = "";
    if (text === "") return;
    if (this.out !== null) {
      this.out.write(text);
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const needed = this.length + text.length * 3;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.length += UTF8_ENCODER.encodeInto(text, this.buffer.subarray(this.length)).written;
  }

  /** Writes what is gathered to the sink and ends it (a log with a sink). */
  end(): void {
    this.flushPending();
    this.out?.end();
  }

  private requireBuffer(): void {
    if (this.out !== null) throw new Error("OperatorLog: the log was written to its sink, not kept in memory");
  }

  /** The lines so far (built on demand; for inspection and tests). */
  get lines(): LogLine[] {
    this.requireBuffer();
    const text = this.toText();
    const out: LogLine[] = [];
    let at = 0;
    for (let i = 0; i < this.lengths.length; i++) {
      const end = at + this.lengths[i]!;
      out.push({ timeMs: this.times[i]!, level: LEVEL_NAMES[this.levels[i]!]!, text: text.slice(at, end - 1) });
      at = end;
    }
    return out;
  }

  toText(): string {
    this.requireBuffer();
    this.flushPending();
    return UTF8_DECODER.decode(this.buffer.subarray(0, this.length));
  }
}
