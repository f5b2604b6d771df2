import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import type { AutoScalerEventHandler, EventType } from "../../src/autoscaler/event/AutoScalerEventHandler.ts";
import { JobAutoScalerContext } from "../../src/autoscaler/JobAutoScalerContext.ts";
import type { RestClusterClient } from "../../src/autoscaler/RestClusterClient.ts";

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

export interface TestingEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly messageKey: string | null;
  readonly interval: number | null;
}

/** TestingEventCollector: keeps every event. */
export class TestingEventCollector<KEY, Context extends JobAutoScalerContext<KEY>> implements AutoScalerEventHandler<KEY, Context> {
  readonly events: TestingEvent[] = [];
  handleEvent(_context: Context, type: EventType, reason: string, message: string, messageKey: string | null, interval: number | null): void {
    this.events.push({ type, reason, message, messageKey, interval });
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
