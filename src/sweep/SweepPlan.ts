import type { Cell, GridAxis, Shard } from "./grid.ts";
import type { Rank } from "./tableChoice.ts";

/** A sweep as planned: its cells, seeds and the runs a shard does (src/node/sweep/plan.ts makes one from a scenario file). */
export interface SweepPlan {
  readonly file: string;
  /** The scenario's name (its file's base name): the output folder's name. */
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly axes: readonly GridAxis[];
  readonly cells: readonly Cell[];
  readonly seeds: readonly number[];
  readonly baseline: number;
  /** The variant of every cell without a variant axis; null with one. */
  readonly variant: string | null;
  readonly set: Readonly<Record<string, string>>;
  readonly duration: string | null;
  readonly durationS: number;
  readonly strict: boolean;
  readonly keepRuns: boolean;
  readonly shard: Shard | undefined;
  /** The runs this plan does (indexes: cell-major, seed-minor), all of them without a shard. */
  readonly runs: readonly number[];
  /** Warnings of every cell, each once. */
  readonly warnings: readonly string[];
  /** The figures cells.csv, the report and the console show, in order (--figures); all of them when absent. */
  readonly figures?: readonly string[];
  /** The order of the cells in the console and the report (--rank); cell order when absent. */
  readonly rank?: Rank;
}
