import { formatDuration } from "../../core/duration.ts";
import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import { getLogger } from "../utils/Logger.ts";
import type { AutoScalerEventHandler, EventType } from "./AutoScalerEventHandler.ts";

const LOG = getLogger("org.apache.flink.autoscaler.event.LoggingEventHandler");

/** An event handler that only logs (LoggingEventHandler). */
export class LoggingEventHandler<KEY, Context extends JobAutoScalerContext<KEY>> implements AutoScalerEventHandler<KEY, Context> {
  handleEvent(context: Context, type: EventType, reason: string, message: string, messageKey: string | null, interval: number | null): void {
    LOG.info(
      "Autoscaler event, job key : {}, type : {}, reason : {}, message : {}, messageKey : {}, interval : {}.",
      context.getJobKey(),
      type,
      reason,
      message,
      messageKey,
      interval === null ? null : formatDuration(interval),
    );
  }
}
