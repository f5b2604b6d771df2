/**
 * The report's account of restart times that surprise: where the restart time the
 * autoscaler used differs from an actual restart by more than 2x, why, from summary.json
 * (autoscaling.restart_time_explanations, src/record/restartTimeExplanations.ts). Runs
 * written before that key existed show nothing.
 */
import type { Summary } from "../record/summary.ts";
import { paragraph, table } from "./page.ts";

type Explanation = Summary["autoscaling"]["restart_time_explanations"][number];

function explanationsOf(summary: Summary): readonly Explanation[] {
  return summary.autoscaling.restart_time_explanations ?? [];
}

/** One sentence under the headline figures: why the last restart time used is far from the latest actual restart. */
export function lastRestartTimeNote(summary: Summary): string[] {
  const last = explanationsOf(summary).find((e) => e.scaling === null);
  if (last === undefined) return [];
  return [paragraph(`Restart time used, last: ${last.used_s} s, against ${last.actual_s} s for the latest restart (scaling ${last.actual_scaling}). Why: ${last.text}`, "note explanation")];
}

/** The restarts section's table of every scaling whose restart time used was more than 2x from its actual restart. */
export function restartExplanationBlocks(summary: Summary): string[] {
  const rows = explanationsOf(summary);
  if (rows.length === 0) return [];
  const counted = Object.values(summary.autoscaling.restart_time_explanation_causes ?? {}).reduce((a, b) => a + b, 0);
  const shown = rows.filter((e) => e.scaling !== null).length;
  return [
    paragraph(
      "Where the restart time the autoscaler used and the actual restart differ by more than 2x, why (the rule of flink-autoscaler 1.15.0 that gave the value; summary.json: autoscaling.restart_time_explanations):",
    ),
    table(
      ["scaling", "decided (s)", "used (s)", "actual (s)", "cause", "why"],
      rows.map((e) => [e.scaling === null ? "last evaluation" : e.scaling, e.time_s, e.used_s, e.scaling === null ? `${e.actual_s} (scaling ${e.actual_scaling})` : e.actual_s, e.cause, e.text]),
      { numeric: [1, 2, 3], className: "explanations" },
    ),
    ...(counted > shown
      ? [paragraph(`${shown} of the ${counted} scalings are explained here one by one; all of them by cause: ${Object.entries(summary.autoscaling.restart_time_explanation_causes).map(([c, k]) => `${c} ${k}`).join(", ")}.`, "note")]
      : []),
  ];
}
