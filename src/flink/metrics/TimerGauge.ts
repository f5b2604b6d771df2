/** Flink's View.UPDATE_INTERVAL_SECONDS: views are updated every 5 seconds. */
export const UPDATE_INTERVAL_SECONDS = 5;

/**
 * Flink's TimerGauge: ms spent in a state during the last update interval, divided by
 * the interval's length in seconds, clamped to [0, 1000] (so ms per second). Timestamps
 * are whole milliseconds, as Flink's clock gives them; `measuring` replaces Flink's
 * "start timestamp 0 means not measuring" convention, since virtual time starts at 0.
 */
export class TimerGauge {
  private measuring = false;
  private currentMeasurementStart = 0;
  private currentUpdate = 0;
  private currentCount = 0;
  private previousCount = 0;
  private accumulatedCount = 0;

  markStart(nowMs: number): void {
    if (this.measuring) return;
    this.measuring = true;
    this.currentMeasurementStart = Math.floor(nowMs);
    this.currentUpdate = this.currentMeasurementStart;
  }

  markEnd(nowMs: number): void {
    if (!this.measuring) return;
    const now = Math.floor(nowMs);
    this.currentCount += now - this.currentUpdate;
    this.accumulatedCount += now - this.currentMeasurementStart;
    this.measuring = false;
  }

  /** Called by the view updater every UPDATE_INTERVAL_SECONDS. */
  update(nowMs: number): void {
    if (this.measuring) {
      const now = Math.floor(nowMs);
      this.currentCount += now - this.currentUpdate;
      this.currentUpdate = now;
    }
    this.previousCount = Math.max(Math.min(Math.floor(this.currentCount / UPDATE_INTERVAL_SECONDS), 1000), 0);
    this.currentCount = 0;
  }

  /** ms per second over the last completed update interval. */
  getValue(): number {
    return this.previousCount;
  }

  /** Total ms of completed measurements. */
  getAccumulatedCount(): number {
    return this.accumulatedCount;
  }

  isMeasuring(): boolean {
    return this.measuring;
  }

  /** Total ms measured, including the measurement in progress. */
  accumulatedAt(nowMs: number): number {
    return this.accumulatedCount + (this.measuring ? Math.floor(nowMs) - this.currentMeasurementStart : 0);
  }
}
