/**
 * report.html of a comparison (the scenario's folder holding comparison.csv): the
 * variants overlaid, the side-by-side table with intervals and paired differences.
 */
import { DownsampleLog, formatSeconds, timeAxis } from "./charts.ts";
import { changingVertices, lagComparisonChart, parallelismComparisonChart, restartComparisonChart, type VariantRun } from "./comparisonCharts.ts";
import { comparedVariants, comparisonTableHtml, replications } from "./comparisonTable.ts";
import { escapeHtml, paragraph, renderPage, table, type Section } from "./page.ts";
import { renderChartFigure } from "./renderSvg.ts";
import { contentsSource, type FileContents, type FileSource } from "./lineSource.ts";
import { readRunData } from "./runData.ts";
import { parseComparisonCsv, readSummary, ReportInputError } from "./runFiles.ts";
import type { ComparisonRow } from "../record/comparison.ts";
import type { Summary } from "../record/summary.ts";
import { comparisonVerdicts } from "../record/verdict.ts";

/** The verdict on each variant against the first: what differs beyond noise, in words (src/record/verdict.ts). */
function verdictBlocks(rows: readonly ComparisonRow[], first: Summary, durationS: number): string[] {
  const currency = (first as Partial<Summary>).cost_basis?.prices?.currency ?? null;
  const lines = comparisonVerdicts(rows, { durationS, currency });
  if (lines.length === 0) return [];
  const note = "Beyond noise: the 95% confidence interval of the per-seed differences excludes 0 (mean ± t(0.975, n−1) · sd/√n).";
  return [`<ul class="verdicts">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>`, paragraph(note, "note")];
}

export interface ComparisonInputs {
  /** comparison.csv's text. */
  readonly comparisonCsv: string;
  /** Each variant's folder, by variant name (the folder's name): its files' contents, or a source to read them from. */
  readonly variants: Readonly<Record<string, FileContents | FileSource>>;
}

const isSource = (x: FileContents | FileSource): x is FileSource => typeof (x as FileSource).open === "function";

/** A variant's error, said with its folder. */
function inVariant<T>(variant: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ReportInputError) throw new ReportInputError(`${variant}/: ${e.message}`);
    throw e;
  }
}

export async function comparisonReportHtml(inputs: ComparisonInputs): Promise<string> {
  const rows = parseComparisonCsv(inputs.comparisonCsv);
  const names = comparedVariants(rows);
  if (names.length === 0) throw new ReportInputError("comparison.csv has no rows");
  const sources = names.map((variant) => {
    const files = inputs.variants[variant];
    if (files === undefined) throw new ReportInputError(`comparison.csv names variant '${variant}' but there is no folder ${variant}/ beside it`);
    const source = isSource(files) ? files : contentsSource(files);
    return { variant, source, summary: inVariant(variant, () => readSummary(source)) };
  });
  // The summaries first: the charts share the longest variant's time range, over which each run's series are reduced as they are read.
  const durationS = Math.max(...sources.map((r) => r.summary.duration_s));
  const runs: VariantRun[] = sources.map(({ variant, source }) => ({ variant, run: inVariant(variant, () => readRunData(source, { rangeEndS: durationS })) }));
  const first = runs[0]!.run.summary;
  const axis = timeAxis(durationS);
  const log = new DownsampleLog();
  const n = replications(rows);

  const parallelism: string[] = [];
  const vertices = changingVertices(runs);
  for (const v of vertices) parallelism.push(await renderChartFigure(`parallelism ${v}`, parallelismComparisonChart(runs, v, axis)));
  if (vertices.length === 0) parallelism.push(paragraph("No vertex changed its parallelism in any variant."));
  const executedCounts = runs.map(({ variant, run }) => `${variant}: ${run.decisions.executedCount}`).join(", ");
  parallelism.unshift(paragraph(`Executed scalings (decisions.csv of each variant): ${executedCounts}.`));

  const anyRestart = runs.some(({ run }) => run.restarts.length > 0);
  const lagSpec = lagComparisonChart(runs, axis, log);
  const sections: Section[] = [
    {
      id: "table",
      heading: n > 1 ? `Side by side: ${n} replications, mean ± 95% confidence interval` : "Side by side",
      blocks: [
        paragraph(
          n > 1
            ? `Each variant ran with ${n} seeds; the differences from ${names[0]} are paired seed by seed (comparison.csv).`
            : `One run per variant on the same seed (common random numbers); the last columns are the differences from ${names[0]} (comparison.csv).`,
        ),
        ...verdictBlocks(rows, first, durationS),
        comparisonTableHtml(rows),
      ],
    },
    { id: "parallelism", heading: "Parallelism", blocks: parallelism },
    {
      id: "restarts",
      heading: "Restarts",
      blocks: anyRestart ? [await renderChartFigure("restarts", restartComparisonChart(runs))] : [paragraph("No variant rescaled.")],
    },
    {
      id: "lag",
      heading: "Pending records (lag)",
      blocks: lagSpec === undefined ? [paragraph("No source of this job reports pendingRecords (only Kafka sources do), so there is no lag to draw.")] : [await renderChartFigure("lag", lagSpec)],
    },
    {
      id: "variants",
      heading: "Variants",
      blocks: [
        table(
          ["variant", "seed", "duration", "scalings", "restart time used, first / last (s)", "slot-hours", "core-hours", "memory GiB-hours", "kept up"],
          runs.map(({ variant, run }) => {
            const a = run.summary.autoscaling;
            // Runs written before summary.json had cost and keeping_up show "-".
            const s: Partial<Summary> = run.summary;
            const keptUp = s.keeping_up === undefined ? "-" : s.keeping_up.keeps_up ? "yes" : `no: ${s.keeping_up.limit ?? ""}`;
            return [variant, run.summary.seed, formatSeconds(run.summary.duration_s), a.scalings, `${a.restart_time_used_first_s ?? "-"} / ${a.restart_time_used_last_s ?? "-"}`, run.summary.slot_hours, s.core_hours ?? null, s.memory_gib_hours ?? null, keptUp];
          }),
          { numeric: [1, 3, 5, 6, 7] },
        ),
        `<p>Each variant's own report: ${names.map((v) => `<a href="${encodeURIComponent(v)}/report.html">${escapeHtml(v)}</a>`).join(", ")}.</p>`,
      ],
    },
  ];
  const downsampled = log.note();
  return renderPage({
    title: `${first.scenario}: comparison of ${names.length} variants`,
    subtitle: `${first.deployment} · ${names.join(" vs ")} · ${formatSeconds(durationS)} of virtual time · ${n > 1 ? `${n} replications (seeds from ${first.seed})` : `seed ${first.seed}`}`,
    notes: [
      n > 1
        ? `The table is over all ${n} replications; the charts show each variant's first seed (seed ${first.seed}), whose files are in its folder.`
        : "Every variant ran on the same random streams, so the differences come from the configuration, not from noise.",
      ...(downsampled === undefined ? [] : [downsampled]),
    ],
    sections,
  });
}
