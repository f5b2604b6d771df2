import { UPDATE_INTERVAL_SECONDS } from "./TimerGauge.ts";

/** A monotonically increasing count (Flink's SimpleCounter). */
export class Counter {
  count = 0;
  inc(n = 1): void {
    this.count += n;
  }
}

/**
 * Flink's MeterView: the average rate over the last `timeSpanInSeconds` (rounded down to
 * a multiple of the update interval), from a ring of counter snapshots taken at each
 * update. Until the ring has filled once, the rate is measured against 0 and so
 * under-reports, exactly as Flink's does in the first minute of a task.
 */
export class MeterView {
  private readonly timeSpanInSeconds: number;
  private readonly values: number[];
  private time = 0;
  private currentRate = 0;

  constructor(
    readonly counter: Counter,
    timeSpanInSeconds = 60,
  ) {
    const span = Math.max(timeSpanInSeconds, UPDATE_INTERVAL_SECONDS);
    this.timeSpanInSeconds = span - (span % UPDATE_INTERVAL_SECONDS);
    this.values = new Array<number>(this.timeSpanInSeconds / UPDATE_INTERVAL_SECONDS + 1).fill(0);
  }

  update(): void {
    // MeterView#update's ring index, wrapped by a comparison instead of `%` (every meter of every subtask, every 5 s).
    const values = this.values;
    const time = this.time + 1 === values.length ? 0 : this.time + 1;
    const oldest = time + 1 === values.length ? 0 : time + 1;
    this.time = time;
    values[time] = this.counter.count;
    this.currentRate = (values[time]! - values[oldest]!) / this.timeSpanInSeconds;
  }

  getRate(): number {
    return this.currentRate;
  }

  getCount(): number {
    return this.counter.count;
  }
}
