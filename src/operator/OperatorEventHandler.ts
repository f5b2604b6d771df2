import { SCALING_ENABLED } from "../autoscaler/config/AutoScalerOptions.ts";
import { SCALING_REPORT_REASON, type AutoScalerEventHandler, type EventType } from "../autoscaler/event/AutoScalerEventHandler.ts";
import type { JobAutoScalerContext } from "../autoscaler/JobAutoScalerContext.ts";

/** An event as Kubernetes shows it: reason, message, how often it happened. */
export interface RecordedEvent {
  readonly timeMs: number;
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
}

/**
 * The operator's autoscaler event handler (KubernetesAutoScalerEventHandler with its
 * interval de-duplication): an event whose key (message key, else message) was emitted
 * within `interval` is dropped, except a scaling report while scaling is enabled; a
 * repeated event counts up.
 */
export class OperatorEventHandler<KEY> implements AutoScalerEventHandler<KEY, JobAutoScalerContext<KEY>> {
  readonly events: RecordedEvent[] = [];
  private readonly last = new Map<string, { time: number; count: number; message: string }>();

  constructor(private readonly epochNow: () => number) {}

  handleEvent(
    context: JobAutoScalerContext<KEY>,
    type: EventType,
    reason: string,
    message: string,
    messageKey: string | null,
    interval: number | null,
  ): void {
    const key = `${type}${reason}${messageKey ?? message}`;
    const now = this.epochNow();
    const previous = this.last.get(key);
    if (previous !== undefined) {
      const scaled = context.getConfiguration().get(SCALING_ENABLED);
      const suppressible = (!scaled && previous.message === message) || reason !== SCALING_REPORT_REASON;
      if (suppressible && interval !== null && now < previous.time + interval) return;
    }
    const count = (previous?.count ?? 0) + 1;
    this.last.set(key, { time: now, count, message });
    this.events.push({ timeMs: now, type, reason, message, count });
  }
}
