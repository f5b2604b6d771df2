/** Messages between the page and its workers (plain data: they are structured-cloned). */
import type { ScenarioOverrides, Summary } from "../../src/browser.ts";

/** One run of one variant; `keep: false` for a sweep's runs (only their figures come back). */
export interface RunRequest {
  readonly kind: "run";
  readonly id: number;
  readonly file: string;
  readonly text: string;
  readonly overrides: ScenarioOverrides;
  readonly keep: boolean;
}

export type WorkerReply =
  | { readonly kind: "progress"; readonly id: number; readonly virtualMs: number; readonly durationMs: number }
  | { readonly kind: "done"; readonly id: number; readonly variant: string; readonly files: Readonly<Record<string, string>>; readonly summary: Summary; readonly figures: readonly (number | null)[]; readonly runMs: number }
  | { readonly kind: "error"; readonly id: number; readonly message: string };
