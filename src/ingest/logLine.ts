/**
 * One line of the Flink Kubernetes Operator's log, in the layout of its Helm chart
 * (release-1.15.0, helm/flink-kubernetes-operator/conf/log4j-operator.properties):
 *
 *   %style{%d}{yellow} %style{%-30c{1.}}{cyan} %highlight{[%-5level]%notEmpty{[%X{resource.namespace}/}%notEmpty{%X{resource.name}]} %msg%n%throwable}
 *
 * i.e. `2024-05-16 17:17:32,590 o.a.f.a.ScalingExecutor        [DEBUG][default/name] msg`,
 * with ANSI colour codes around the parts. Codes are removed whether the escape byte is
 * there (a terminal capture) or was lost on the way (pages that show `[m[33m`).
 */

export interface OperatorLogLine {
  /** Epoch ms of the timestamp, read as UTC (the operator image's zone). */
  readonly timeMs: number;
  readonly logger: string;
  readonly level: "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** `ns/name` from the MDC, or "" for lines outside a resource's reconcile. */
  readonly resource: string;
  readonly message: string;
  /** 1-based line number in the text. */
  readonly lineNo: number;
}

/** A colour code whose escape byte was lost: `[33m`, `[m`. */
const CODE = String.raw`\[[0-9;]*m`;
const SEP = String.raw`(?:\s|${CODE})+`;
const LINE = new RegExp(
  String.raw`^(?:${CODE})*(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d{3})${SEP}([^\s\[]+)${SEP}\[(TRACE|DEBUG|INFO|WARN|ERROR)\s*\](?:\[([^\]\s]*)\])?\s?(.*)$`,
);
const ANSI_ESCAPES = /\x1b\[[0-9;]*m/g;
const TRAILING_CODES = /(?:\[[0-9;]*m)+\s*$/;

/** Parses one line; undefined for a line outside the pattern (a stack trace, a blank). */
export function parseLogLine(raw: string, lineNo: number): OperatorLogLine | undefined {
  const m = LINE.exec(raw.replace(/\r$/, "").replace(ANSI_ESCAPES, ""));
  if (m === null) return undefined;
  const [, stamp, logger, level, resource, rest] = m;
  const timeMs = Date.parse(`${stamp!.slice(0, 10)}T${stamp!.slice(11, 19)}.${stamp!.slice(20, 23)}Z`);
  if (Number.isNaN(timeMs)) return undefined;
  const message = rest!.replace(TRAILING_CODES, "").trimEnd();
  return { timeMs, logger: logger!, level: level as OperatorLogLine["level"], resource: resource ?? "", message, lineNo };
}

/** Every line of a log that follows the pattern (others, such as stack traces, are skipped). */
export function parseLogLines(text: string): OperatorLogLine[] {
  const out: OperatorLogLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = parseLogLine(lines[i]!, i + 1);
    if (line !== undefined) out.push(line);
  }
  return out;
}
