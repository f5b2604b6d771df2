import { parse } from "csv-parse/sync";
import { COMPARED_FIGURES } from "./comparison.ts";
import type { Summary } from "./summary.ts";

/** One difference between two runs. */
export interface RunDifference {
  readonly what: string;
  readonly a: string;
  readonly b: string;
  /** |b - a| / max(|a|, |b|) for numbers; 1 for any other change. */
  readonly relative: number;
}

/**
 * The headline figures and the decisions of two runs, compared: numbers within
 * `tolerance` (relative) are equal; any other change counts in full.
 */
export function diffRuns(a: { summary: Summary; decisions: string }, b: { summary: Summary; decisions: string }, tolerance: number): RunDifference[] {
  const out: RunDifference[] = [];
  for (const f of COMPARED_FIGURES) {
    const x = f.of(a.summary);
    const y = f.of(b.summary);
    if (x === y) continue;
    const relative = x === null || y === null ? 1 : Math.abs(y - x) / Math.max(Math.abs(x), Math.abs(y));
    if (relative > tolerance) out.push({ what: f.label, a: String(x), b: String(y), relative });
  }
  for (const v of a.summary.vertices) {
    const w = b.summary.vertices.find((x) => x.name === v.name);
    if (w === undefined) out.push({ what: `vertex ${v.name}`, a: "present", b: "absent", relative: 1 });
    else if (w.parallelism !== v.parallelism) out.push({ what: `final parallelism of ${v.name}`, a: String(v.parallelism), b: String(w.parallelism), relative: 1 });
  }
  const rows = (csv: string) => (parse(csv, { columns: true }) as Record<string, string>[]).filter((r) => r.executed === "true");
  const da = rows(a.decisions).map((r) => `${r.time_s}s ${r.vertex} ${r.current_parallelism} -> ${r.new_parallelism}`);
  const db = rows(b.decisions).map((r) => `${r.time_s}s ${r.vertex} ${r.current_parallelism} -> ${r.new_parallelism}`);
  for (let i = 0; i < Math.max(da.length, db.length); i++) {
    if (da[i] !== db[i]) out.push({ what: `executed decision ${i + 1}`, a: da[i] ?? "(none)", b: db[i] ?? "(none)", relative: 1 });
  }
  return out;
}
