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
/** What of a run is compared: its summary, decisions.csv and, when at hand, restarts.csv. */
export interface ComparableRun {
  readonly summary: Summary;
  readonly decisions: string;
  readonly restarts?: string;
}

export function diffRuns(a: ComparableRun, b: ComparableRun, tolerance: number): RunDifference[] {
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
  if (a.restarts !== undefined && b.restarts !== undefined) {
    const restarts = (csv: string) =>
      (parse(csv, { columns: true }) as Record<string, string>[]).map((r) => `${r.decision_time_s}s ${r.kind}: ${r.actual_s} s to RUNNING, ${r.restart_time_used_s} s used`);
    const ra = restarts(a.restarts);
    const rb = restarts(b.restarts);
    for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
      if (ra[i] !== rb[i]) out.push({ what: `restart ${i + 1}`, a: ra[i] ?? "(none)", b: rb[i] ?? "(none)", relative: 1 });
    }
  }
  return out;
}

/** The differences as an aligned table: what, the first run's value, the second's, the relative change. */
export function formatDifferences(diffs: readonly RunDifference[], first = "a", second = "b"): string {
  const rows = [["", first, second, "change"], ...diffs.map((d) => [d.what, d.a, d.b, d.relative < 1 ? `${(100 * d.relative).toFixed(1)}%` : ""])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}
