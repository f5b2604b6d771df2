import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { SCALING_ENABLED } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { SCALING_REPORT_REASON, type AutoScalerEventHandler, type EventType } from "../../src/autoscaler/event/AutoScalerEventHandler.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import type { RestClusterClient } from "../../src/autoscaler/RestClusterClient.ts";
import { setLogSink, type LogRecord } from "../../src/autoscaler/utils/Logger.ts";

let nextId = 1;

/** A fresh JobVertexID (new JobVertexID() in upstream's tests): 32 hex digits. */
export function newJobVertexID(): string {
  return (nextId++).toString(16).padStart(32, "0");
}

const noRestClient = (): RestClusterClient => {
  throw new Error("this test has no REST client");
};

/** TestingAutoscalerUtils.createDefaultJobAutoScalerContext. */
export function createDefaultJobAutoScalerContext(conf = new Configuration(), restClient: () => RestClusterClient = noRestClient): JobAutoScalerContext<string> {
  return new JobAutoScalerContext("job-key", "0123456789abcdef0123456789abcdef", "RUNNING", conf, restClient);
}

/** One collected event (TestingEventCollector.Event). */
export class TestingEvent {
  count = 1;
  constructor(
    public lastUpdateTimestamp: number,
    readonly type: EventType,
    readonly reason: string,
    public message: string,
    readonly messageKey: string | null,
  ) {}
}

/**
 * Port of upstream's TestingEventCollector: an event whose key was seen within `interval`
 * is dropped (except scaling reports while scaling is enabled); otherwise it is queued
 * again with its count incremented. Time comes from `clock` (upstream: Instant.now()).
 */
export class TestingEventCollector<KEY, Context extends JobAutoScalerContext<KEY>> implements AutoScalerEventHandler<KEY, Context> {
  readonly events: TestingEvent[] = [];
  readonly eventMap = new Map<string, TestingEvent>();
  constructor(private readonly clock: () => number = () => 0) {}

  handleEvent(context: Context, type: EventType, reason: string, message: string, messageKey: string | null, interval: number | null): void {
    const eventKey = `${context.getJobID()}${type}${reason}${messageKey ?? message}`;
    const event = this.eventMap.get(eventKey);
    const scaled = context.getConfiguration().get(SCALING_ENABLED);
    const now = this.clock();
    if (event === undefined) {
      const created = new TestingEvent(now, type, reason, message, messageKey);
      this.events.push(created);
      this.eventMap.set(eventKey, created);
      return;
    } else if (((!scaled && event.message === message) || reason !== SCALING_REPORT_REASON) && interval !== null && now < event.lastUpdateTimestamp + interval) {
      return; // ignored
    }
    event.count++;
    event.message = message;
    event.lastUpdateTimestamp = now;
    this.events.push(event);
  }

  poll(): TestingEvent | undefined {
    return this.events.shift();
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/**
 * Runs `fn` with the autoscaler's log records collected; returns them as `LEVEL message`
 * lines, keeping those of `logger` (upstream's class name) only.
 */
export function logLines(logger: string, fn: () => void): string[] {
  const records: LogRecord[] = [];
  const previous = setLogSink((r) => records.push(r));
  try {
    fn();
  } finally {
    setLogSink(previous);
  }
  return records.filter((r) => r.logger === logger).map((r) => `${r.level} ${r.message}`);
}
