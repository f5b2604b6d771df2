/** overrides.json: what made a run folder beyond its scenario file, so that no folder is mistaken for another. */
export interface RunOverrides {
  readonly scenario: string;
  readonly variant: string;
  readonly seed: number;
  /** --duration as given; null when the scenario's own. */
  readonly duration: string | null;
  /** Every --set (and, in a sweep, every grid key but variant) with its value, in the order given. */
  readonly set: Readonly<Record<string, string>>;
  /** In a sweep: the cell's number (from 1, as in cells.csv) and its grid values. */
  readonly cell?: number;
  readonly grid?: Readonly<Record<string, string>>;
}

export const OVERRIDES_FILE = "overrides.json";

export function overridesJson(o: RunOverrides): string {
  return `${JSON.stringify(o, null, 2)}\n`;
}
