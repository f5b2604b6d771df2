/** Flink's View.UPDATE_INTERVAL_SECONDS: views are updated every 5 seconds. */
export const UPDATE_INTERVAL_SECONDS = 5;

/** How a Flink version's TimerGauge behaves (see `timerGaugeSemantics`). */
export interface TimerGaugeSemantics {
  /** The span averaged over: 60 s since FLINK-30090 (1.17), the last 5 s interval before. */
  readonly timeSpanSeconds: number;
  /**
   * FLINK-35764: markEnd adds the whole measurement although update() already added the
   * part up to the last tick, so a measurement spanning ticks is counted twice.
   */
  readonly doubleCountsSpanningMeasurements: boolean;
}

/**
 * The semantics of `spec.flinkVersion` (v1_18 ...): the 60 s span arrived in 1.17
 * (FLINK-30090, apache/flink#21374); the double count (FLINK-35764) was fixed by
 * apache/flink#25351 (markEnd adds only the time since the last update), merged to master
 * in September 2024. Read: the release-2.0 branch point (dccb7821) has the fix; release-1.20
 * at bf393918 (Sept 2024, after 1.20.0) and the release-1.19 branch point (03b45844) do not;
 * the 1.20.1 source tree has it (backported to release-1.20 after 1.20.0). v1_20 models
 * 1.20.0 and keeps the double count, as every v1_x does (no 1.19.x release source was found).
 * Absent versions get 1.18's behaviour, the seed's version (unknown ones are rejected when
 * the scenario is read).
 */
export function timerGaugeSemantics(flinkVersion: string | undefined): TimerGaugeSemantics {
  const m = /^v(\d+)_(\d+)$/.exec(flinkVersion ?? "");
  const [major, minor] = m === null ? [1, 18] : [Number(m[1]), Number(m[2])];
  const at = (ma: number, mi: number) => major > ma || (major === ma && minor >= mi);
  return { timeSpanSeconds: at(1, 17) ? 60 : UPDATE_INTERVAL_SECONDS, doubleCountsSpanningMeasurements: !at(2, 0) };
}

export const FLINK_1_18_TIMER_GAUGE: TimerGaugeSemantics = timerGaugeSemantics("v1_18");

/**
 * Flink's TimerGauge (flink-runtime org/apache/flink/runtime/metrics/TimerGauge.java,
 * release-1.18.1): the ms spent in a state. Every update (5 s) stores the ms counted since
 * the previous update in a ring of `timeSpanSeconds / 5` slots; the value is the integer
 * average per second over the filled slots, clamped to [0, 1000]. Timestamps are whole
 * milliseconds, as Flink's clock gives them; `measuring` replaces Flink's "start timestamp
 * 0 means not measuring" convention, since virtual time starts at 0.
 */
export class TimerGauge {
  private measuring = false;
  private currentMeasurementStart = 0;
  private currentUpdate = 0;
  private currentCount = 0;
  private accumulatedCount = 0;
  private readonly values: Float64Array;
  private idx = 0;
  private fullWindow = false;
  private currentValue = 0;
  private readonly doubleCount: boolean;

  constructor(semantics: TimerGaugeSemantics = FLINK_1_18_TIMER_GAUGE) {
    const span = Math.max(semantics.timeSpanSeconds - (semantics.timeSpanSeconds % UPDATE_INTERVAL_SECONDS), UPDATE_INTERVAL_SECONDS);
    this.values = new Float64Array(span / UPDATE_INTERVAL_SECONDS);
    this.doubleCount = semantics.doubleCountsSpanningMeasurements;
  }

  markStart(nowMs: number): void {
    if (this.measuring) return;
    this.measuring = true;
    this.currentMeasurementStart = Math.floor(nowMs);
    this.currentUpdate = this.currentMeasurementStart;
  }

  markEnd(nowMs: number): void {
    if (!this.measuring) return;
    const now = Math.floor(nowMs);
    // 1.18 adds the whole measurement, though update() already counted it up to the last tick.
    const measured = now - (this.doubleCount ? this.currentMeasurementStart : this.currentUpdate);
    this.currentCount += measured;
    this.accumulatedCount += measured;
    this.measuring = false;
  }

  /**
   * Adds `ms` of measurements that began and ended since the last update (what a
   * markStart/markEnd pair within the interval adds, in one call): the aggregate mode's
   * many short waits of a time slice. Not while a measurement runs.
   */
  addMeasured(ms: number): void {
    if (this.measuring) throw new Error("TimerGauge#addMeasured while a measurement runs");
    this.currentCount += ms;
    this.accumulatedCount += ms;
  }

  /** Called by the view updater every UPDATE_INTERVAL_SECONDS. */
  update(nowMs: number): void {
    if (this.measuring) {
      const now = Math.floor(nowMs);
      this.currentCount += now - this.currentUpdate;
      this.accumulatedCount += now - this.currentUpdate;
      this.currentUpdate = now;
    }
    const values = this.values;
    if (this.idx === values.length - 1) this.fullWindow = true;
    values[this.idx] = this.currentCount;
    this.idx = (this.idx + 1) % values.length;
    const filled = this.fullWindow ? values.length : this.idx;
    let total = 0;
    for (let i = 0; i < filled; i++) total += values[i]!;
    // Java's long division: the quotient truncated toward zero (counts are never negative).
    this.currentValue = Math.max(Math.min(Math.floor(total / (UPDATE_INTERVAL_SECONDS * filled)), 1000), 0);
    this.currentCount = 0;
  }

  /** ms per second averaged over the filled slots of the span. */
  getValue(): number {
    return this.currentValue;
  }

  /** Flink's accumulated count: it grows at markEnd and at each update, not in between. */
  getAccumulatedCount(): number {
    return this.accumulatedCount;
  }

  /** FLINK-35764: a measurement spanning updates is counted twice (see TimerGaugeSemantics). */
  doublesSpanningMeasurements(): boolean {
    return this.doubleCount;
  }

  isMeasuring(): boolean {
    return this.measuring;
  }
}
