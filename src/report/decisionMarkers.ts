/**
 * The marks of the scaling decisions on the parallelism chart: one per row of
 * decisions.csv, or, when a long run has too many to draw, one per run of like
 * decisions that changed nothing (same vertex, parallelism and reason, within one span
 * of time), which says how many it stands for. Executed decisions and recommendations
 * that were not executed are always drawn one by one.
 */
import { formatNumber } from "./charts.ts";
import { decisionKind, decisionReason, eventsFor, type DecisionKind } from "./decisionReasons.ts";
import type { DecisionRow, EventRow } from "./runFiles.ts";

export type MarkerOutcome = "scaled up" | "scaled down" | "recommended, not executed" | "kept";

export interface DecisionMarker {
  readonly timeS: number;
  readonly vertex: string;
  /** Where the marker sits: the new parallelism of an executed or recommended change, else the current one. */
  readonly parallelism: number;
  readonly outcome: MarkerOutcome;
  readonly executed: boolean;
  /** Rows of decisions.csv the marker stands for. */
  readonly count: number;
  /** The hover text. */
  readonly text: string;
}

/** At most this many "kept" markers are drawn one by one; beyond, like ones are grouped. */
export const MAX_KEPT_MARKERS = 800;
/** Spans of the run within which like "kept" decisions are grouped. */
export const KEPT_GROUP_SPANS = 240;

function outcomeOf(kind: DecisionKind): MarkerOutcome {
  if (kind === "scaled up" || kind === "scaled down") return kind;
  return kind === "not executed" ? "recommended, not executed" : "kept";
}

export interface MarkerSet {
  readonly markers: DecisionMarker[];
  /** Whether "kept" decisions were grouped. */
  readonly grouped: boolean;
}

export function decisionMarkers(
  decisions: readonly DecisionRow[],
  events: readonly EventRow[],
  maxParallelism: ReadonlyMap<string, number>,
  durationS: number,
): MarkerSet {
  const collector = new MarkerCollector(events, maxParallelism, durationS);
  for (const d of decisions) collector.push(d);
  return collector.result();
}

/** Events by their instant, in file order: eventsFor() without going through them all for each decision. */
export class EventIndex {
  private readonly byTime = new Map<number, EventRow[]>();
  constructor(events: readonly EventRow[]) {
    for (const e of events) {
      const at = this.byTime.get(e.timeS);
      if (at === undefined) this.byTime.set(e.timeS, [e]);
      else at.push(e);
    }
  }
  /** eventsFor(decision, events). */
  for(decision: DecisionRow): EventRow[] {
    return eventsFor(decision, this.byTime.get(decision.timeS) ?? []);
  }
}

type KeptGroup = { first: DecisionRow; last: DecisionRow; kind: DecisionKind; count: number };

/**
 * decisionMarkers over decisions given one by one, in bounded memory: the markers drawn one
 * by one, up to MAX_KEPT_MARKERS + 1 "kept" ones, and the groups of like kept ones (at most
 * one per vertex, span, parallelism and kind).
 */
export class MarkerCollector {
  private readonly single: DecisionMarker[] = [];
  private kept: { d: DecisionRow; text: string }[] | undefined = [];
  private readonly groups = new Map<string, KeptGroup>();
  private readonly span: number;
  private readonly events: EventIndex;

  constructor(
    events: readonly EventRow[],
    private readonly maxParallelism: ReadonlyMap<string, number>,
    durationS: number,
  ) {
    this.events = new EventIndex(events);
    this.span = durationS / KEPT_GROUP_SPANS;
  }

  push(d: DecisionRow): void {
    const maxParallelism = this.maxParallelism.get(d.vertex);
    const kind = decisionKind(d, maxParallelism);
    const outcome = outcomeOf(kind);
    // Grouped kept decisions need only their kind: the sentence is built for markers drawn one by one
    // (the seed's day has 11,454 rows, all but a few kept).
    if (outcome === "kept" && this.kept === undefined) {
      this.group(d, kind);
      return;
    }
    const reason = decisionReason(d, this.events.for(d), maxParallelism);
    if (outcome !== "kept") {
      this.single.push({ timeS: d.timeS, vertex: d.vertex, parallelism: d.newParallelism, outcome, executed: d.executed, count: 1, text: `${formatTime(d.timeS)} · ${d.vertex}: ${reason.text}` });
      return;
    }
    if (this.kept !== undefined) {
      this.kept.push({ d, text: `${formatTime(d.timeS)} · ${d.vertex}: ${reason.text}` });
      if (this.kept.length > MAX_KEPT_MARKERS) this.kept = undefined;
    }
    this.group(d, reason.kind);
  }

  /** Group like decisions: same vertex, parallelism and kind within one span; keyed in first-seen order. */
  private group(d: DecisionRow, kind: DecisionKind): void {
    const key = `${d.vertex}\u0000${Math.floor(d.timeS / this.span)}\u0000${d.currentParallelism}\u0000${kind}`;
    const g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, { first: d, last: d, kind, count: 1 });
    else {
      g.last = d;
      g.count++;
    }
  }

  result(): MarkerSet {
    if (this.kept !== undefined) {
      const markers = this.kept.map(({ d, text }): DecisionMarker => ({ timeS: d.timeS, vertex: d.vertex, parallelism: d.currentParallelism, outcome: "kept", executed: false, count: 1, text }));
      return { markers: [...markers, ...this.single], grouped: false };
    }
    const markers = [...this.groups.values()].map(
      (g): DecisionMarker => ({
        timeS: g.first.timeS,
        vertex: g.first.vertex,
        parallelism: g.first.currentParallelism,
        outcome: "kept",
        executed: false,
        count: g.count,
        text:
          g.count === 1
            ? `${formatTime(g.first.timeS)} · ${g.first.vertex}: kept at ${g.first.currentParallelism} (${g.kind})`
            : `${g.count} evaluations from ${formatTime(g.first.timeS)} to ${formatTime(g.last.timeS)} · ${g.first.vertex}: kept at ${g.first.currentParallelism} (${g.kind})`,
      }),
    );
    return { markers: [...markers, ...this.single], grouped: true };
  }
}

/** "t = 75 s". */
function formatTime(s: number): string {
  return `t = ${formatNumber(s)} s`;
}
