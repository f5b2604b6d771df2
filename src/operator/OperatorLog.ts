import type { LogLevel, LogRecord } from "../autoscaler/utils/Logger.ts";

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

/** yyyy-MM-dd HH:mm:ss,SSS in UTC. */
export function logTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`;
}

const LEVELS: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/**
 * Collects log records into lines laid out like the operator's log (and the seed's sample):
 * `2024-05-16 17:17:32,590 o.a.f.a.ScalingExecutor [DEBUG][default/name] message`.
 */
export class OperatorLog {
  readonly lines: LogLine[] = [];
  /** The last stamp and its time: a reconcile logs dozens of lines at one instant. */
  private stampMs = NaN;
  private stamp = "";
  private readonly loggerNames = new Map<string, string>();

  constructor(
    private readonly resource: string,
    private readonly epochNow: () => number,
    private readonly minLevel: LogLevel = "DEBUG",
  ) {}

  readonly sink = (record: LogRecord): void => {
    if (LEVELS[record.level] < LEVELS[this.minLevel]) return;
    const timeMs = this.epochNow();
    const error = record.error instanceof Error ? ` ${record.error.name}: ${record.error.message}` : "";
    if (timeMs !== this.stampMs) {
      this.stampMs = timeMs;
      this.stamp = logTimestamp(timeMs);
    }
    let logger = this.loggerNames.get(record.logger);
    if (logger === undefined) this.loggerNames.set(record.logger, (logger = abbreviateLogger(record.logger)));
    this.lines.push({
      timeMs,
      level: record.level,
      text: `${this.stamp} ${logger} [${record.level.padEnd(5)}][${this.resource}] ${record.message}${error}`,
    });
  };

  toText(): string {
    return this.lines.length === 0 ? "" : `${this.lines.map((l) => l.text).join("\n")}\n`;
  }
}
