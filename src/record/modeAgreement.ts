/**
 * How far two runs of one scenario agree: record against aggregate execution, or record
 * against record with another seed (the yardstick: a difference no larger than a change
 * of seed makes is no difference a user can act on). Read from the runs' own
 * timeseries.csv and decisions.csv.
 */
import { mean } from "d3-array";
import { parse } from "csv-parse/sync";

/** Per vertex, the run-level figures compared. */
export interface VertexFigures {
  readonly vertex: string;
  /** Means over the samples in which the job ran (ms/s, records/s). */
  readonly busy: number;
  readonly backPressured: number;
  readonly recordsIn: number;
  /** Highest pendingRecords sampled (sources reading Kafka); NaN otherwise. */
  readonly lagMax: number;
  /** Executed scalings: the parallelism after each, and when (s). */
  readonly scalings: readonly { readonly timeS: number; readonly parallelism: number }[];
}

type Row = Record<string, string>;

const rows = (csv: string): Row[] => parse(csv, { columns: true, skip_empty_lines: true }) as Row[];
const num = (s: string | undefined): number => (s === undefined || s === "" ? NaN : Number(s));

/** The figures of every vertex of one run, in the order the timeseries lists them. */
export function vertexFigures(timeseriesCsv: string, decisionsCsv: string): VertexFigures[] {
  const samples = rows(timeseriesCsv);
  const decisions = rows(decisionsCsv).filter((d) => d.executed === "true");
  const names = [...new Set(samples.map((s) => s.vertex!))];
  return names.map((vertex) => {
    const mine = samples.filter((s) => s.vertex === vertex);
    const up = mine.filter((s) => s.job_status === "RUNNING");
    const timed = up.filter((s) => !Number.isNaN(num(s.busy_ms_per_s)));
    // A legacy source reports no busy time at all (NaN throughout): its other figures from every RUNNING sample.
    const running = timed.length > 0 ? timed : up.filter((s) => !Number.isNaN(num(s.backpressured_ms_per_s)));
    const lags = mine.map((s) => num(s.pending_records)).filter((x) => !Number.isNaN(x));
    return {
      vertex,
      busy: mean(running, (s) => num(s.busy_ms_per_s)) ?? NaN,
      backPressured: mean(running, (s) => num(s.backpressured_ms_per_s)) ?? NaN,
      recordsIn: mean(running, (s) => num(s.records_in_per_s)) ?? NaN,
      lagMax: lags.length === 0 ? NaN : Math.max(...lags),
      scalings: decisions.filter((d) => d.vertex === vertex).map((d) => ({ timeS: num(d.time_s), parallelism: num(d.new_parallelism) })),
    };
  });
}

/** How one vertex's figures differ between two runs. */
export interface VertexAgreement {
  readonly vertex: string;
  readonly busyDiff: number;
  readonly backPressuredDiff: number;
  /** Relative: |a - b| / a. */
  readonly recordsInRelDiff: number;
  readonly lagMaxRelDiff: number;
  /** The same parallelism after each scaling, in the same order. */
  readonly sameParallelismSequence: boolean;
  /** The largest time between matching scalings (s); NaN when the sequences differ. */
  readonly maxScalingShiftS: number;
  readonly sequenceA: string;
  readonly sequenceB: string;
}

/** The parallelism after each scaling, "2→5→8", or "(none)". */
const sequence = (v: VertexFigures): string => (v.scalings.length === 0 ? "(none)" : v.scalings.map((s) => s.parallelism).join("→"));

/** Vertex by vertex (by name), how run b differs from run a. */
export function compareRuns(a: readonly VertexFigures[], b: readonly VertexFigures[]): VertexAgreement[] {
  return a.map((va) => {
    const vb = b.find((x) => x.vertex === va.vertex);
    if (vb === undefined) throw new Error(`vertex ${va.vertex} is missing from the second run`);
    const same = va.scalings.length === vb.scalings.length && va.scalings.every((s, i) => s.parallelism === vb.scalings[i]!.parallelism);
    const shift = same ? Math.max(0, ...va.scalings.map((s, i) => Math.abs(s.timeS - vb.scalings[i]!.timeS))) : NaN;
    const rel = (x: number, y: number) => (x === 0 && y === 0 ? 0 : Math.abs(x - y) / Math.abs(x));
    return {
      vertex: va.vertex,
      busyDiff: Math.abs(va.busy - vb.busy),
      backPressuredDiff: Math.abs(va.backPressured - vb.backPressured),
      recordsInRelDiff: rel(va.recordsIn, vb.recordsIn),
      lagMaxRelDiff: Number.isNaN(va.lagMax) ? NaN : rel(va.lagMax, vb.lagMax),
      sameParallelismSequence: same,
      maxScalingShiftS: shift,
      sequenceA: sequence(va),
      sequenceB: sequence(vb),
    };
  });
}
