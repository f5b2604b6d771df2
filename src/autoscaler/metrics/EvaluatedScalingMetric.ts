import { roundMetric } from "./ScalingMetrics.ts";

/** A metric's current value and its average over the metric window, both rounded to 3 decimals. */
export class EvaluatedScalingMetric {
  readonly current: number;
  readonly average: number;

  constructor(current = NaN, average = NaN) {
    this.current = roundMetric(current);
    this.average = roundMetric(average);
  }

  static of(current: number): EvaluatedScalingMetric {
    return new EvaluatedScalingMetric(current, NaN);
  }

  static avg(average: number): EvaluatedScalingMetric {
    return new EvaluatedScalingMetric(NaN, average);
  }

  getCurrent(): number {
    return this.current;
  }

  getAverage(): number {
    return this.average;
  }

  toString(): string {
    return `EvaluatedScalingMetric(current=${this.current}, average=${this.average})`;
  }
}
