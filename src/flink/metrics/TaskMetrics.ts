import { Counter, MeterView } from "./MeterView.ts";
import { operatorMetricName } from "./names.ts";
import { TimerGauge } from "./TimerGauge.ts";

/** An operator's record counters and meters (OperatorIOMetricGroup). */
export class OperatorMetrics {
  readonly numRecordsIn = new Counter();
  readonly numRecordsOut = new Counter();
  readonly numRecordsInPerSecond = new MeterView(this.numRecordsIn);
  readonly numRecordsOutPerSecond = new MeterView(this.numRecordsOut);

  constructor(readonly metricName: string) {}
}

/**
 * A subtask's metrics (TaskIOMetricGroup): idle and back-pressured time as TimerGauges,
 * busy time derived from them as Flink derives it, record counters and meters, and each
 * chained operator's own metrics under its sanitized name.
 */
export class TaskMetrics {
  readonly idleTime = new TimerGauge();
  readonly backPressuredTime = new TimerGauge();
  readonly numRecordsIn = new Counter();
  readonly numRecordsOut = new Counter();
  readonly numRecordsInPerSecond = new MeterView(this.numRecordsIn);
  readonly numRecordsOutPerSecond = new MeterView(this.numRecordsOut);
  readonly operators: OperatorMetrics[];

  /** Metrics the head operator (a source reader) reports beside its records, e.g. pendingRecords. */
  sourceMetrics: (() => ReadonlyMap<string, number>) | null = null;

  constructor(
    operatorNames: readonly string[],
    readonly startMs: number,
  ) {
    this.operators = operatorNames.map((n) => new OperatorMetrics(operatorMetricName(n)));
  }

  /** TaskIOMetricGroup#getBusyTimePerSecond: 1000 - min(idle + back-pressured, 1000). */
  busyTimeMsPerSecond(): number {
    return 1000 - Math.min(this.idleTime.getValue() + this.backPressuredTime.getValue(), 1000);
  }

  accumulatedIdleTime(nowMs: number): number {
    return this.idleTime.accumulatedAt(nowMs);
  }

  accumulatedBackPressuredTime(nowMs: number): number {
    return this.backPressuredTime.accumulatedAt(nowMs);
  }

  /** Time since the task started that was neither idle nor back-pressured. */
  accumulatedBusyTime(nowMs: number): number {
    return Math.max(0, Math.floor(nowMs) - Math.floor(this.startMs) - this.accumulatedIdleTime(nowMs) - this.accumulatedBackPressuredTime(nowMs));
  }

  /** The view updater's tick (every 5 s). */
  updateViews(nowMs: number): void {
    this.idleTime.update(nowMs);
    this.backPressuredTime.update(nowMs);
    this.numRecordsInPerSecond.update();
    this.numRecordsOutPerSecond.update();
    for (const o of this.operators) {
      o.numRecordsInPerSecond.update();
      o.numRecordsOutPerSecond.update();
    }
  }

  /** Every metric by the name the REST API lists it under, with its current value. */
  values(nowMs: number): Map<string, number> {
    const m = new Map<string, number>([
      ["busyTimeMsPerSecond", this.busyTimeMsPerSecond()],
      ["backPressuredTimeMsPerSecond", this.backPressuredTime.getValue()],
      ["idleTimeMsPerSecond", this.idleTime.getValue()],
      ["accumulatedBusyTime", this.accumulatedBusyTime(nowMs)],
      ["accumulatedBackPressuredTimeMs", this.accumulatedBackPressuredTime(nowMs)],
      ["accumulatedIdleTime", this.accumulatedIdleTime(nowMs)],
      ["numRecordsIn", this.numRecordsIn.count],
      ["numRecordsOut", this.numRecordsOut.count],
      ["numRecordsInPerSecond", this.numRecordsInPerSecond.getRate()],
      ["numRecordsOutPerSecond", this.numRecordsOutPerSecond.getRate()],
    ]);
    if (this.sourceMetrics !== null) {
      for (const [name, value] of this.sourceMetrics()) m.set(`${this.operators[0]!.metricName}.${name}`, value);
    }
    for (const o of this.operators) {
      m.set(`${o.metricName}.numRecordsIn`, o.numRecordsIn.count);
      m.set(`${o.metricName}.numRecordsOut`, o.numRecordsOut.count);
      m.set(`${o.metricName}.numRecordsInPerSecond`, o.numRecordsInPerSecond.getRate());
      m.set(`${o.metricName}.numRecordsOutPerSecond`, o.numRecordsOutPerSecond.getRate());
    }
    return m;
  }
}
