/**
 * Why a row of decisions.csv came out as it did, in words, from the row itself (the
 * autoscaler scales a vertex when its true processing rate leaves the band between the
 * scale-up and the scale-down threshold: JobVertexScaler#outsideUtilizationBound) and
 * from the events the operator emitted for that vertex at that instant.
 */
import type { DecisionRow, EventRow } from "./runFiles.ts";

/** A short name for the kind of outcome (groups markers and table rows), and the sentence. */
export interface DecisionReason {
  readonly kind: DecisionKind;
  readonly text: string;
}

export type DecisionKind =
  | "scaled up"
  | "scaled down"
  | "no busy time"
  | "within thresholds"
  | "at max parallelism"
  | "kept outside thresholds"
  | "not executed";

/** Rates as the CSV rounds them, without trailing zeros. */
export function formatRate(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return String(Math.round(x * 1000) / 1000);
}

/** The events of `events` at the decision's instant that concern its vertex (or name no vertex). */
export function eventsFor(decision: DecisionRow, events: readonly EventRow[]): EventRow[] {
  return events.filter((e) => e.timeS === decision.timeS && (e.vertices.length === 0 || e.vertices.includes(decision.vertex)));
}

/**
 * The reason for one decision. `maxParallelism` is the vertex's (summary.json), when known;
 * `events` are those of the same instant for this vertex (see eventsFor).
 */
export function decisionReason(d: DecisionRow, events: readonly EventRow[], maxParallelism?: number): DecisionReason {
  const derived = derivedReason(d, events, maxParallelism);
  if (d.reason === "") return derived;
  // The run says why, in the autoscaler's words (decisions.csv's reason column); the kind still groups by the figures.
  const said = events.length === 0 ? "" : `; events: ${[...new Set(events.map((e) => e.reason))].join(", ")}`;
  const figures = `true processing rate ${formatRate(d.trueProcessingRate)}, thresholds [${formatRate(d.scaleUpThreshold)}, ${formatRate(d.scaleDownThreshold)}]`;
  return { kind: derived.kind, text: `${d.currentParallelism} → ${d.newParallelism}: ${d.reason} (${figures})${said}` };
}

/**
 * The kind of decisionReason(d, ...).kind, from the row's figures alone (no text built): the
 * markers of a long run need only the kind of most rows.
 */
export function decisionKind(d: DecisionRow, maxParallelism?: number): DecisionKind {
  const below = d.trueProcessingRate < d.scaleUpThreshold;
  const above = d.trueProcessingRate > d.scaleDownThreshold;
  if (d.executed) return d.newParallelism > d.currentParallelism ? "scaled up" : "scaled down";
  if (d.newParallelism !== d.currentParallelism) return "not executed";
  if (!Number.isFinite(d.trueProcessingRate)) return "no busy time";
  if (!below && !above) return "within thresholds";
  if (below && maxParallelism !== undefined && d.currentParallelism >= maxParallelism) return "at max parallelism";
  return "kept outside thresholds";
}

/** The reason worked out from the row's figures, for runs written before decisions.csv had a reason column. */
function derivedReason(d: DecisionRow, events: readonly EventRow[], maxParallelism?: number): DecisionReason {
  const tpr = formatRate(d.trueProcessingRate);
  const up = formatRate(d.scaleUpThreshold);
  const down = formatRate(d.scaleDownThreshold);
  const said = events.length === 0 ? "" : `; events: ${[...new Set(events.map((e) => e.reason))].join(", ")}`;
  const below = d.trueProcessingRate < d.scaleUpThreshold;
  const kind = decisionKind(d, maxParallelism);
  switch (kind) {
    case "scaled up":
    case "scaled down": {
      const above = d.trueProcessingRate > d.scaleDownThreshold;
      const why = below ? `true processing rate ${tpr} below the scale-up threshold ${up}` : above ? `true processing rate ${tpr} above the scale-down threshold ${down}` : `true processing rate ${tpr}`;
      return { kind, text: `${kind} ${d.currentParallelism} → ${d.newParallelism}: ${why}${said}` };
    }
    case "not executed":
      return { kind, text: `recommended ${d.currentParallelism} → ${d.newParallelism}, not executed (scaling disabled, blocked or over a resource limit)${said}` };
    case "no busy time":
      return { kind, text: `kept at ${d.currentParallelism}: true processing rate ${tpr} (the vertex reports no busy time, so the autoscaler does not scale it)${said}` };
    case "within thresholds":
      return { kind, text: `kept at ${d.currentParallelism}: true processing rate ${tpr} within the thresholds [${up}, ${down}]${said}` };
    case "at max parallelism":
      return { kind, text: `kept at ${d.currentParallelism}, its max parallelism: true processing rate ${tpr} below the scale-up threshold ${up}${said}` };
    case "kept outside thresholds": {
      const side = below ? `below the scale-up threshold ${up}` : `above the scale-down threshold ${down}`;
      return { kind, text: `kept at ${d.currentParallelism}: true processing rate ${tpr} ${side}, but the recommendation did not change it${said}` };
    }
  }
}
