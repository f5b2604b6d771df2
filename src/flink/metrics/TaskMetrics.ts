import { Counter, MeterView } from "./MeterView.ts";
import { operatorMetricName } from "./names.ts";
import { FLINK_1_18_TIMER_GAUGE, TimerGauge, type TimerGaugeSemantics } from "./TimerGauge.ts";

/** An operator's record counters and meters (OperatorIOMetricGroup). */
export class OperatorMetrics {
  readonly numRecordsIn = new Counter();
  readonly numRecordsOut = new Counter();
  readonly numRecordsInPerSecond = new MeterView(this.numRecordsIn);
  readonly numRecordsOutPerSecond = new MeterView(this.numRecordsOut);

  constructor(readonly metricName: string) {}
}

/**
 * A subtask's metrics (flink-runtime TaskIOMetricGroup, release-1.18.1): idle, soft and
 * hard back-pressured time as TimerGauges, busy time derived from them (NaN where the
 * task disables it, as a legacy SourceStreamTask does), record counters and meters, and
 * each chained operator's own metrics under its sanitized name.
 */
export class TaskMetrics {
  readonly idleTime: TimerGauge;
  /** Waiting for output availability before taking input (StreamTask#processInput). */
  readonly softBackPressuredTime: TimerGauge;
  /** Blocked requesting a buffer for a record (BufferWritingResultPartition). */
  readonly hardBackPressuredTime: TimerGauge;
  readonly numRecordsIn = new Counter();
  readonly numRecordsOut = new Counter();
  readonly numRecordsInPerSecond = new MeterView(this.numRecordsIn);
  readonly numRecordsOutPerSecond = new MeterView(this.numRecordsOut);
  readonly operators: OperatorMetrics[];
  /** TaskIOMetricGroup#setEnableBusyTime: false for legacy sources (SourceStreamTask). */
  busyTimeEnabled = true;

  /** Metrics the head operator (a source reader) reports beside its records, e.g. pendingRecords. */
  sourceMetrics: (() => ReadonlyMap<string, number>) | null = null;

  constructor(
    operatorNames: readonly string[],
    readonly startMs: number,
    semantics: TimerGaugeSemantics = FLINK_1_18_TIMER_GAUGE,
  ) {
    this.idleTime = new TimerGauge(semantics);
    this.softBackPressuredTime = new TimerGauge(semantics);
    this.hardBackPressuredTime = new TimerGauge(semantics);
    this.operators = operatorNames.map((n) => new OperatorMetrics(operatorMetricName(n)));
  }

  /** getBackPressuredTimeMsPerSecond: soft + hard, each gauge clamped on its own. */
  backPressuredTimeMsPerSecond(): number {
    return this.softBackPressuredTime.getValue() + this.hardBackPressuredTime.getValue();
  }

  /** TaskIOMetricGroup#getBusyTimePerSecond: 1000 - min(idle + back-pressured, 1000), NaN when disabled. */
  busyTimeMsPerSecond(): number {
    if (!this.busyTimeEnabled) return NaN;
    return 1000 - Math.min(this.idleTime.getValue() + this.backPressuredTimeMsPerSecond(), 1000);
  }

  accumulatedIdleTime(): number {
    return this.idleTime.getAccumulatedCount();
  }

  accumulatedBackPressuredTime(): number {
    return this.softBackPressuredTime.getAccumulatedCount() + this.hardBackPressuredTime.getAccumulatedCount();
  }

  /** getAccumulatedBusyTime: time since the task started less accumulated idle and back-pressure (NaN when disabled). */
  accumulatedBusyTime(nowMs: number): number {
    if (!this.busyTimeEnabled) return NaN;
    return Math.max(0, Math.floor(nowMs) - Math.floor(this.startMs) - this.accumulatedIdleTime() - this.accumulatedBackPressuredTime());
  }

  /** The view updater's tick (every 5 s). */
  updateViews(nowMs: number): void {
    this.idleTime.update(nowMs);
    this.softBackPressuredTime.update(nowMs);
    this.hardBackPressuredTime.update(nowMs);
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
      ["backPressuredTimeMsPerSecond", this.backPressuredTimeMsPerSecond()],
      ["idleTimeMsPerSecond", this.idleTime.getValue()],
      ["accumulatedBusyTime", this.accumulatedBusyTime(nowMs)],
      ["accumulatedBackPressuredTimeMs", this.accumulatedBackPressuredTime()],
      ["accumulatedIdleTime", this.accumulatedIdleTime()],
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
