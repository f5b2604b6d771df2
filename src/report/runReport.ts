/**
 * report.html of one run: its headline figures, charts and tables, from the run's files.
 */
import type { TopLevelSpec } from "vega-lite";
import { DownsampleLog, formatNumber, formatSeconds, timeAxis } from "./charts.ts";
import { comparisonTableHtml, replications } from "./comparisonTable.ts";
import { EventIndex, KEPT_GROUP_SPANS } from "./decisionMarkers.ts";
import { decisionReason, formatRate } from "./decisionReasons.ts";
import { details, escapeHtml, figures, paragraph, renderPage, table, type Cell, type Section } from "./page.ts";
import { renderChartFigure } from "./renderSvg.ts";
import { lastRestartTimeNote, restartExplanationBlocks } from "./restartExplanations.ts";
import { subtaskSection } from "./subtaskSection.ts";
import { PAGE_MARGIN_BYTES, PANEL_BUDGET_BYTES, periodSection, REPORT_SIZE_LIMIT_BYTES, utf8Length } from "./periodPanels.ts";
import { busyChart, evaluatedVertices, lagChart, lagSeries, parallelismChart, ratesChart, restartChart, vertexNames } from "./runCharts.ts";
import { contentsSource, type FileContents, type FileSource } from "./lineSource.ts";
import { EvaluationRowPicker, MAX_EVALUATION_ROWS, readRunData, type RunData } from "./runData.ts";
import type { DecisionRow } from "./runFiles.ts";

export { MAX_EVALUATION_ROWS } from "./runData.ts";

const num = (x: number | null | undefined): Cell => (x === null || x === undefined ? null : x);
const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

/** The rows the evaluation table shows: all of them, or every change and an even spread of the rest. */
export function evaluationRows(decisions: readonly DecisionRow[], max = MAX_EVALUATION_ROWS): { rows: DecisionRow[]; step: number } {
  const changes = decisions.filter((d) => d.executed || d.newParallelism !== d.currentParallelism).length;
  const picker = new EvaluationRowPicker(decisions.length, changes, max);
  for (const d of decisions) picker.push(d);
  return { rows: picker.rows, step: picker.step };
}

function headline(run: RunData): string {
  const s = run.summary;
  const a = s.autoscaling;
  const pair = (x: number | null, y: number | null) => (x === null && y === null ? "-" : `${x ?? "-"} / ${y ?? "-"} s`);
  return figures([
    { label: "evaluations", value: String(a.evaluations) },
    { label: "scalings", value: String(a.scalings) },
    { label: "restarts", value: String(a.restarts) },
    { label: "actual restart, mean / max", value: pair(a.restart_actual_mean_s, a.restart_actual_max_s) },
    { label: "restart time used, first / last", value: pair(a.restart_time_used_first_s, a.restart_time_used_last_s) },
    { label: "until processing resumed, mean / max", value: pair(a.restart_until_processing_mean_s, a.restart_until_processing_max_s) },
    { label: "scalings per hour (vertex ups / downs)", value: `${a.scalings_per_h} (${a.scale_ups} / ${a.scale_downs})` },
    { label: "TaskManagers / slots at the end", value: `${s.task_managers} / ${s.slots}` },
    { label: "slot-hours", value: String(s.slot_hours) },
    ...costFigures(s),
    { label: "records produced", value: formatNumber(s.records_produced) },
    { label: "records delivered to sinks", value: formatNumber(s.records_delivered_to_sinks) },
    { label: "sources back-pressured", value: percent(s.source_backpressured_share) },
    { label: "lag, max / mean (records)", value: s.lag_max === null ? "none reported" : `${formatNumber(s.lag_max)} / ${formatNumber(s.lag_mean ?? NaN)}` },
    { label: "lag, max / mean (s behind); time above 60 s", value: s.lag_s_max === null ? "none reported" : `${s.lag_s_max} / ${s.lag_s_mean} s; ${formatSeconds(s.time_lag_above_60s_s ?? 0)}` },
    { label: "autoscaler events", value: String(a.events) },
    { label: "simulation events", value: formatNumber(s.events) },
  ]);
}

/** Core-hours, GiB-hours and cost (runs written before summary.json had them show none). */
function costFigures(s: RunData["summary"]): { label: string; value: string }[] {
  const c = s as Partial<RunData["summary"]>;
  if (c.core_hours === undefined || c.cost_basis === undefined) return [];
  const b = c.cost_basis;
  return [
    { label: "core-hours / memory GiB-hours", value: `${c.core_hours} / ${c.memory_gib_hours}` },
    { label: "cost", value: c.cost === null || b.prices === null ? "no simulation.prices" : `${c.cost} ${b.prices.currency}` },
    { label: "TaskManager / JobManager pod", value: `${b.task_manager.cpu} cores, ${b.task_manager.memory_gib} GiB / ${b.job_manager.replicas} x ${b.job_manager.cpu} cores, ${b.job_manager.memory_gib} GiB` },
  ];
}

/** Whether the job kept up with its sources, said first when it did not. */
function keepingUpBlock(s: RunData["summary"]): string[] {
  const k = (s as Partial<RunData["summary"]>).keeping_up;
  if (k === undefined) return [];
  if (k.keeps_up) return [paragraph("The job kept up with its sources (back-pressured or lagging for at most half of the run).")];
  return [`<p class="cannot-keep-up"><strong>The job cannot keep up:</strong> ${escapeHtml(k.verdict)}.</p>`];
}

function vertexTable(run: RunData): string {
  return table(
    ["vertex", "parallelism (end)", "highest reached", "max parallelism", "records in", "records out", "records in/s", "busy", "back-pressured", "idle", "max busy ms/s"],
    run.summary.vertices.map((v) => [
      v.name,
      v.parallelism,
      v.parallelism_max_reached,
      v.max_parallelism,
      v.records_in,
      v.records_out,
      v.mean_records_in_per_s,
      percent(v.busy_share),
      percent(v.backpressured_share),
      percent(v.idle_share),
      num(v.max_busy_ms_per_s),
    ]),
    { numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  );
}

const EVALUATION_HEADERS = [
  "time (s)",
  "vertex",
  "parallelism → recommended",
  "true processing rate",
  "target data rate",
  "catch-up data rate",
  "scale-up threshold",
  "scale-down threshold",
  "restart time used (s)",
  "executed",
  "reason",
];

function evaluationTable(run: RunData, maxParallelism: ReadonlyMap<string, number>): string[] {
  const events = new EventIndex(run.events);
  const cells = (d: DecisionRow): Cell[] => [
    d.timeS,
    d.vertex,
    `${d.currentParallelism} → ${d.newParallelism}`,
    formatRate(d.trueProcessingRate),
    formatRate(d.targetDataRate),
    formatRate(d.catchUpDataRate),
    formatRate(d.scaleUpThreshold),
    formatRate(d.scaleDownThreshold),
    d.restartTimeUsedS,
    d.executed ? "yes" : "no",
    decisionReason(d, events.for(d), maxParallelism.get(d.vertex)).text,
  ];
  const numeric = [0, 3, 4, 5, 6, 7, 8];
  const { changes, evaluationRows: rows, evaluationStep: step, count } = run.decisions;
  const intro =
    rows.length === count
      ? `Every run of the scaling executor, one row per vertex (decisions.csv, ${count} rows); executed decisions highlighted.`
      : `${rows.length} of the ${count} rows of decisions.csv: every executed decision and every recommended change, and one in ${step} of the others; executed decisions highlighted.`;
  return [
    paragraph(`The decisions that executed a scaling or recommended one (${changes.length} of ${count}):`),
    changes.length === 0 ? paragraph("None.") : table(EVALUATION_HEADERS, changes.map(cells), { numeric, className: "changes" }),
    paragraph(intro),
    details(
      `Show the evaluation table (${rows.length} rows)`,
      table(EVALUATION_HEADERS, rows.map(cells), { numeric, className: "evaluations", rowClass: (r) => (r[9] === "yes" ? "executed" : undefined) }),
    ),
  ];
}

function scenarioSection(run: RunData): Section {
  const s = run.summary;
  const config = Object.entries(s.effective_configuration ?? {});
  return {
    id: "scenario",
    heading: "Scenario and effective configuration",
    blocks: [
      table(
        ["", ""],
        [
          ["scenario", s.scenario],
          ["variant", s.variant],
          ["deployment", s.deployment],
          ["seed", s.seed],
          ["start time (virtual 0)", s.startTime],
          ["duration", formatSeconds(s.duration_s)],
          ["sample interval", `${s.sample_interval_s} s`],
          ["execution", executionOf(s)],
        ],
        { className: "config" },
      ),
      paragraph("The Flink configuration the run used (flinkConfiguration with the variant's overrides and --set applied):"),
      config.length === 0 ? paragraph("(none)") : table(["key", "value"], config, { className: "config" }),
      ...(s.warnings.length === 0 ? [] : [paragraph("Warnings:"), table(["warning"], s.warnings.map((w) => [w]))]),
    ],
  };
}

/**
 * report.html of a run, from its files: their contents as strings, or a source that reads
 * them in chunks (a folder on disk: src/node/runFolder.ts). Drawn as the files are read, in
 * memory bounded by what the page shows (runData.ts).
 */
export async function runReportHtml(files: FileContents | FileSource): Promise<string> {
  return runReportFromData(readRunData(typeof (files as FileSource).open === "function" ? (files as FileSource) : contentsSource(files as FileContents), { subtasks: true }));
}

export async function runReportFromData(run: RunData): Promise<string> {
  const s = run.summary;
  const axis = timeAxis(s.duration_s);
  const log = new DownsampleLog();
  const maxParallelism = new Map(s.vertices.map((v) => [v.name, v.max_parallelism]));
  const markers = run.decisions.markers;
  const chart = (name: string, spec: TopLevelSpec) => renderChartFigure(name, spec);

  const executed = run.decisions.executedCount;
  const decisionsIntro =
    `${run.decisions.count} decisions (decisions.csv): ${executed} executed, ${run.decisions.count - executed} not. ` +
    (markers.grouped
      ? `Too many to draw one by one: decisions that kept the parallelism are drawn one marker per vertex, parallelism and reason in each of ${KEPT_GROUP_SPANS} equal spans of the run (hover for how many it stands for); executed decisions and recommendations not executed are drawn one by one.`
      : "Each is drawn: triangles for executed scalings, diamonds for recommendations not executed, circles for evaluations that kept the parallelism.");
  const sections: Section[] = [
    { id: "headline", heading: "Headline figures", blocks: [...keepingUpBlock(run.summary), headline(run), ...lastRestartTimeNote(s), vertexTable(run)] },
    { id: "parallelism", heading: "Parallelism and scaling decisions", blocks: [paragraph(decisionsIntro), await chart("parallelism", parallelismChart(run, axis, markers.markers))] },
  ];

  const restartRows = run.restarts.map((r, i) => [i + 1, r.decisionTimeS, r.runningTimeS, r.actualS, r.restartTimeUsedS, r.kind, r.phases]);
  sections.push({
    id: "restarts",
    heading: "Restart time: actual and used",
    blocks:
      run.restarts.length === 0
        ? [paragraph("No rescale in this run.")]
        : [
            await chart("restarts", restartChart(run.restarts)),
            table(["scaling", "decision (s)", "RUNNING (s)", "actual (s)", "used by the autoscaler (s)", "kind", "phases (s)"], restartRows, { numeric: [0, 1, 2, 3, 4] }),
            ...restartExplanationBlocks(s),
          ],
  });

  const busy: string[] = [];
  for (const v of vertexNames(run)) busy.push(await chart(`busy ${v}`, busyChart(run, v, axis, log)));
  sections.push({ id: "busy", heading: "Busy, back-pressured and idle time per vertex", blocks: busy });
  if (run.subtasks !== undefined) sections.push(await subtaskSection(run.subtasks, axis));

  const evaluated = evaluatedVertices(run);
  const notEvaluated = vertexNames(run).filter((v) => !evaluated.includes(v));
  const rates: string[] = [
    paragraph(
      "The autoscaler scales a vertex up when its true processing rate falls below the scale-up threshold and down when it rises above the scale-down threshold. " +
        "A gap in a line is time without an evaluation (a restart, the metric window filling again) or an evaluation without a finite rate (Infinity: no busy time in the window).",
    ),
  ];
  for (const v of evaluated) rates.push(await chart(`rates ${v}`, ratesChart(run, v, axis, log)));
  if (evaluated.length === 0) rates.push(paragraph("The autoscaler evaluated no vertex with a true processing rate."));
  if (notEvaluated.length > 0) rates.push(paragraph(`Not drawn: ${notEvaluated.join(", ")} (no finite true processing rate: no busy time, or never evaluated).`, "note"));
  sections.push({ id: "rates", heading: "Source rate, target rate and true processing rate", blocks: rates });

  const lag = lagSeries(run);
  sections.push({
    id: "lag",
    heading: "Pending records (lag)",
    blocks: lag === undefined ? [paragraph("No source of this job reports pendingRecords (only Kafka sources do), so there is no lag to draw.")] : [await chart("lag", lagChart(lag, axis, log))],
  });

  sections.push({ id: "evaluations", heading: "The autoscaler's evaluations", blocks: evaluationTable(run, maxParallelism) });
  sections.push({
    id: "events",
    heading: "Autoscaler events",
    blocks: run.events.length === 0 ? [paragraph("No events.")] : [table(["time (s)", "type", "reason", "message"], run.events.map((e) => [e.timeS, e.type, e.reason, e.message]), { numeric: [0] })],
  });
  sections.push(scenarioSection(run));
  if (run.comparison !== undefined) {
    sections.push({
      id: "replications",
      heading: "Replications",
      blocks: [paragraph(`${replications(run.comparison)} replications of this variant (comparison.csv): means with 95% confidence intervals. The charts above show the first seed's run.`), comparisonTableHtml(run.comparison)],
    });
  }

  const downsampled = log.note();
  const page = (withSections: readonly Section[]) =>
    renderPage({
      title: `${s.scenario} / ${s.variant}: run report`,
      subtitle: `${s.deployment} · seed ${s.seed} · ${formatSeconds(s.duration_s)} of virtual time from ${s.startTime} · a sample every ${s.sample_interval_s} s · ${executionOf(s)} execution`,
      notes: [
        "Times are virtual, since the start of the run. Hover a marker or a shaded restart for its details. The figures come from summary.json, the charts from timeseries.csv, decisions.csv and restarts.csv beside this page.",
        ...(downsampled === undefined ? [] : [downsampled]),
      ],
      sections: withSections,
    });
  // A run longer than a day: its day panels get what the rest of the page leaves of the size limit (periodPanels.ts).
  const rest = page(sections);
  const days = await periodSection(run, Math.min(PANEL_BUDGET_BYTES, REPORT_SIZE_LIMIT_BYTES - PAGE_MARGIN_BYTES - utf8Length(rest)));
  if (days === undefined) return rest;
  return page([...sections.slice(0, 2), days, ...sections.slice(2)]);
}

/** The execution mode a run used; runs written before summary.json named it ran record by record. */
function executionOf(s: { readonly execution?: string }): string {
  return s.execution ?? "record";
}
