/**
 * How a sweep's tables and report name a figure and in what unit they print it: one line
 * per figure name (a figure of COMPARED_FIGURES, src/record/comparison.ts). A new figure
 * prints with its key and no unit until it gets its line here.
 */
import { figureLabel } from "../record/comparison.ts";

export interface FigureFormat {
  /** What the figure is, without its unit: `lag, max`. */
  readonly label: string;
  /** The unit printed (`s`, `records`, `slot-hours`, `%`); "" for a count. */
  readonly unit: string;
  /** Multiplies the figure's value into `unit` before rounding (a share to %: 100); default 1. */
  readonly scale?: number;
}

/** By figure name. Extend with one line per figure. */
export const FIGURE_FORMATS: Readonly<Record<string, FigureFormat>> = {
  scalings: { label: "scalings", unit: "" },
  restarts: { label: "restarts", unit: "" },
  restart_actual_mean_s: { label: "actual restart, mean", unit: "s" },
  restart_actual_max_s: { label: "actual restart, max", unit: "s" },
  restart_until_processing_mean_s: { label: "until processing resumed, mean", unit: "s" },
  restart_until_processing_max_s: { label: "until processing resumed, max", unit: "s" },
  restart_time_used_first_s: { label: "restart time used, first", unit: "s" },
  restart_time_used_last_s: { label: "restart time used, last", unit: "s" },
  scale_ups: { label: "vertex scale ups", unit: "" },
  scale_downs: { label: "vertex scale downs", unit: "" },
  source_backpressured_share: { label: "time back-pressured", unit: "%", scale: 100 },
  slot_hours: { label: "slot time", unit: "slot-hours" },
  core_hours: { label: "CPU", unit: "core-hours" },
  memory_gib_hours: { label: "memory", unit: "GiB-hours" },
  // In the currency of simulation.prices (the sweep's cells may not say which).
  cost: { label: "cost", unit: "" },
  records_processed: { label: "records processed", unit: "records" },
  lag_max: { label: "lag, max", unit: "records" },
  lag_mean: { label: "lag, mean", unit: "records" },
  lag_s_max: { label: "lag, max", unit: "s" },
  lag_s_mean: { label: "lag, mean", unit: "s" },
  time_lag_above_60s_s: { label: "time lag > 60 s", unit: "s" },
};

/** A figure's format: its line of FIGURE_FORMATS, or its comparison label and no unit. */
export function figureFormat(key: string): FigureFormat {
  return Object.hasOwn(FIGURE_FORMATS, key) ? FIGURE_FORMATS[key]! : { label: figureLabel(key), unit: "" };
}

/** Label and unit as a report heads a column or a chart: `lag, max (s)`. */
export function figureHeading(key: string): string {
  const f = figureFormat(key);
  return f.unit === "" ? f.label : `${f.label} (${f.unit})`;
}

/** A value of the figure in its unit (null stays null). */
export function inUnit(key: string, x: number | null): number | null {
  return x === null ? null : x * (figureFormat(key).scale ?? 1);
}
