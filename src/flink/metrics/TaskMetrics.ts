import { Counter, MeterView } from "./MeterView.ts";
import { operatorMetricName } from "./names.ts";
import { FLINK_1_18_TIMER_GAUGE, TimerGauge, type TimerGaugeSemantics } from "./TimerGauge.ts";

/** An operator's record counters and meters (OperatorIOMetricGroup). */
/** The task-level names, in the order writeValues fills them. */
const TASK_METRIC_NAMES = [
  "busyTimeMsPerSecond",
  "backPressuredTimeMsPerSecond",
  "idleTimeMsPerSecond",
  "accumulatedBusyTime",
  "accumulatedBackPressuredTimeMs",
  "accumulatedIdleTime",
  "numRecordsIn",
  "numRecordsOut",
  "numRecordsInPerSecond",
  "numRecordsOutPerSecond",
] as const;

export class OperatorMetrics {
  readonly numRecordsIn = new Counter();
  readonly numRecordsOut = new Counter();
  readonly numRecordsInPerSecond = new MeterView(this.numRecordsIn);
  readonly numRecordsOutPerSecond = new MeterView(this.numRecordsOut);

  /** Its four metrics' REST names: <name>.numRecordsIn, .numRecordsOut and their rates. */
  readonly restNames: readonly string[];

  constructor(readonly metricName: string) {
    this.restNames = ["numRecordsIn", "numRecordsOut", "numRecordsInPerSecond", "numRecordsOutPerSecond"].map((m) => `${metricName}.${m}`);
  }
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

  /** Metrics the head operator (a source reader) reports beside its records, e.g. pendingRecords (same names on every call). */
  sourceMetrics: (() => ReadonlyMap<string, number>) | null = null;
  private names: string[] | null = null;

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

  /** The REST API's metric names of this task, in the order `writeValues` fills them (fixed for the task's life). */
  metricNames(): readonly string[] {
    if (this.names !== null) return this.names;
    const names: string[] = [...TASK_METRIC_NAMES];
    if (this.sourceMetrics !== null) for (const name of this.sourceMetrics().keys()) names.push(`${this.operators[0]!.metricName}.${name}`);
    for (const o of this.operators) names.push(...o.restNames);
    return (this.names = names);
  }

  /** The current value of every metric, in `metricNames` order, into `out` from `offset`. */
  writeValues(nowMs: number, out: number[], offset = 0): void {
    let i = offset;
    out[i++] = this.busyTimeMsPerSecond();
    out[i++] = this.backPressuredTimeMsPerSecond();
    out[i++] = this.idleTime.getValue();
    out[i++] = this.accumulatedBusyTime(nowMs);
    out[i++] = this.accumulatedBackPressuredTime();
    out[i++] = this.accumulatedIdleTime();
    out[i++] = this.numRecordsIn.count;
    out[i++] = this.numRecordsOut.count;
    out[i++] = this.numRecordsInPerSecond.getRate();
    out[i++] = this.numRecordsOutPerSecond.getRate();
    if (this.sourceMetrics !== null) for (const value of this.sourceMetrics().values()) out[i++] = value;
    for (const o of this.operators) {
      out[i++] = o.numRecordsIn.count;
      out[i++] = o.numRecordsOut.count;
      out[i++] = o.numRecordsInPerSecond.getRate();
      out[i++] = o.numRecordsOutPerSecond.getRate();
    }
  }

  /** Every metric by the name the REST API lists it under, with its current value. */
  values(nowMs: number): Map<string, number> {
    const names = this.metricNames();
    const values: number[] = [];
    this.writeValues(nowMs, values);
    return new Map(names.map((n, i) => [n, values[i]!]));
  }
}
