/**
 * The report reads a run's files as they come and keeps only what it draws (runData.ts).
 * Here, on a day's run (8,640 samples per vertex: every series is downsampled), what it
 * keeps equals what the charts drew from the whole files before: the rows in memory
 * (parseRunFiles) through the whole-series functions, as runCharts.ts called them on main.
 * (report.html itself was compared byte for byte with main's build for the seed's 1 h, 1 d,
 * 7 d and 30 d runs when the reading changed: identical.)
 */
import { median } from "d3-array";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { folderSource } from "../../src/node/runFolder.ts";
import { SERIES_BUCKETS } from "../../src/report/charts.ts";
import { decisionMarkers } from "../../src/report/decisionMarkers.ts";
import { bandEnvelope, breakLongGaps, minMaxDownsample, stepChanges, type BandPoint, type Point } from "../../src/report/downsample.ts";
import { contentsSource, type FileContents, type FileSource } from "../../src/report/lineSource.ts";
import { histogramMedian, KEPT_DECISION_ROWS, readRunData, type RunData } from "../../src/report/runData.ts";
import { parseRunFiles, ReportInputError, type RunRecords } from "../../src/report/runFiles.ts";
import { evaluationRows, runReportHtml } from "../../src/report/runReport.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

/** Files held as strings, handed over in chunks of `size` characters (lines and cells cut anywhere). */
function chunked(files: FileContents, size: number): FileSource {
  return {
    open(name) {
      const text = files[name];
      if (text === undefined) return undefined;
      return { *[Symbol.iterator]() { for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size); } };
    },
  };
}

/** What the charts drew on main, from every row in memory. */
function reference(run: RunRecords, rangeEnd: number) {
  const range: [number, number] = [0, rangeEnd];
  const names = run.summary.vertices.map((v) => v.name);
  for (const s of run.samples) if (!names.includes(s.vertex)) names.push(s.vertex);
  const of = (v: string) => run.samples.filter((s) => s.vertex === v);
  const sum = (keep: (s: RunRecords["samples"][number]) => number | null) => {
    const by = new Map<number, number>();
    for (const s of run.samples) {
      const x = keep(s);
      if (x !== null) by.set(s.timeS, (by.get(s.timeS) ?? 0) + x);
    }
    return [...by].map(([t, v]): Point => [t, v]);
  };
  const lag = sum((s) => s.pendingRecords);
  const evaluated: string[] = [];
  for (const d of run.decisions) if (Number.isFinite(d.trueProcessingRate) && !evaluated.includes(d.vertex)) evaluated.push(d.vertex);
  const rates = evaluated.map((v) => {
    const rows = run.decisions.filter((d) => d.vertex === v);
    const maxGap = 2.5 * (median(rows.slice(1).map((d, i) => d.timeS - rows[i]!.timeS)) ?? Infinity);
    const series = (f: (d: (typeof rows)[number]) => number) => minMaxDownsample(breakLongGaps(rows.map((d): Point => [d.timeS, f(d)]), maxGap), SERIES_BUCKETS, range);
    const band = bandEnvelope(rows.map((d): BandPoint => [d.timeS, d.scaleUpThreshold, d.scaleDownThreshold]), SERIES_BUCKETS, range);
    return [v, { targetDataRate: series((d) => d.targetDataRate), trueProcessingRate: series((d) => d.trueProcessingRate), thresholds: { ...band, from: rows.length } }] as const;
  });
  const maxParallelism = new Map(run.summary.vertices.map((v) => [v.name, v.max_parallelism]));
  const { rows, step } = evaluationRows(run.decisions);
  return {
    vertices: names,
    parallelism: new Map(names.map((v) => [v, stepChanges(of(v).map((s): Point => [s.timeS, s.parallelism]))])),
    busy: new Map(
      names.map((v) => {
        const series = (f: (s: RunRecords["samples"][number]) => number) => minMaxDownsample(of(v).map((s): Point => [s.timeS, f(s)]), SERIES_BUCKETS, range);
        return [v, { busy: series((s) => s.busyMsPerS), backpressured: series((s) => s.backpressuredMsPerS), idle: series((s) => s.idleMsPerS), noBusy: of(v).every((s) => Number.isNaN(s.busyMsPerS)) }];
      }),
    ),
    sourceOutput: minMaxDownsample(sum((s) => (s.vertex.startsWith("Source:") ? s.recordsOutPerS : null)), SERIES_BUCKETS, range),
    lag: lag.length === 0 ? undefined : minMaxDownsample(lag, SERIES_BUCKETS, range),
    decisions: {
      count: run.decisions.length,
      executedCount: run.decisions.filter((d) => d.executed).length,
      evaluated,
      changes: run.decisions.filter((d) => d.executed || d.newParallelism !== d.currentParallelism),
      evaluationRows: rows,
      evaluationStep: step,
      markers: decisionMarkers(run.decisions, run.events, maxParallelism, run.summary.duration_s),
      rates: new Map(rates),
    },
  };
}

function drawn(data: RunData) {
  const { decisions: d, samples: s } = data;
  return {
    vertices: s.vertices,
    parallelism: s.parallelism,
    busy: s.busy,
    sourceOutput: s.sourceOutput,
    lag: s.lag,
    decisions: { count: d.count, executedCount: d.executedCount, evaluated: d.evaluated, changes: d.changes, evaluationRows: d.evaluationRows, evaluationStep: d.evaluationStep, markers: d.markers, rates: d.rates },
  };
}

describe("a report read as the files come draws what the whole files drew", () => {
  let files: FileContents;
  let dir: string;
  beforeAll(() => {
    const [scenario] = loadScenarioVariants(SEED_SCENARIO, { duration: "24h", variant: "tracking-on" });
    files = runScenario(scenario!).files;
    dir = mkdtempSync(join(tmpdir(), "run-data-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the same chart data as the rows in memory gave, on a run long enough to downsample", () => {
    const full = parseRunFiles(files);
    const data = readRunData(chunked(files, 4096));
    expect(data.samples.busy.get("Map -> Sink: Print to Std. Out")!.busy.reduced).toBe(true);
    expect(data.decisions.markers.grouped).toBe(true);
    expect(data.decisions.evaluationRows.length).toBeLessThan(data.decisions.count);
    expect(drawn(data)).toEqual(reference(full, full.summary.duration_s));
    // decisions.csv parsed once (its rows kept between the passes, the default here) or twice (a file too long to keep).
    expect(data.decisions.count).toBeLessThan(KEPT_DECISION_ROWS);
    expect(drawn(readRunData(chunked(files, 4096), { keptDecisionRows: 0 }))).toEqual(reference(full, full.summary.duration_s));
    expect(drawn(readRunData(chunked(files, 4096), { keptDecisionRows: data.decisions.count - 1 }))).toEqual(reference(full, full.summary.duration_s));
    expect(data.restarts).toEqual(full.restarts);
    expect(data.events).toEqual(full.events);
    // A comparison reads each run over its longest variant's time range.
    const longer = full.summary.duration_s * 1.5;
    expect(drawn(readRunData(contentsSource(files), { rangeEndS: longer }))).toEqual(reference(full, longer));
  });

  it("gives the same report.html from strings, from chunks cut anywhere and from the folder on disk", async () => {
    const html = await runReportHtml(files);
    expect(await runReportHtml(chunked(files, 977))).toBe(html);
    expect(await runReportHtml(folderSource(dir))).toBe(html);
  }, 120_000);

  it("lets the event loop turn at every chart, so that a Ctrl-C is answered while a report is drawn", async () => {
    await runReportHtml(files); // the chart libraries loaded
    let turns = 0;
    let drawing = true;
    const tick = () => {
      turns++;
      if (drawing) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    const html = await runReportHtml(files);
    drawing = false;
    // Vega renders on promises alone: without a turn per chart, no timer (and no signal) would run until the end.
    expect(turns).toBeGreaterThanOrEqual((html.match(/<svg/g) ?? []).length);
  }, 120_000);

  it("refuses a timeseries.csv out of time order (its sums per sample need a sample's rows together)", () => {
    const lines = files["timeseries.csv"]!.split("\n");
    const swapped = [lines[0], lines[3], lines[1], lines[2], ...lines.slice(4)].join("\n");
    expect(() => readRunData(contentsSource({ ...files, "timeseries.csv": swapped }))).toThrow(ReportInputError);
  });
});

describe("a Kafka job's lag, summed over its sources", () => {
  it("is reduced as it is read to what the whole rows gave", () => {
    // 1,800 samples of a job whose Kafka source reports pendingRecords: more than 2 x 600, so the lag is downsampled.
    const [scenario] = loadScenarioVariants("scenarios/kafka-backlog.yaml", { duration: "30min", set: { "simulation.sampleInterval": "1s" } });
    const files = runScenario(scenario!).files;
    const full = parseRunFiles(files);
    const data = readRunData(chunked(files, 1000));
    expect(data.samples.lag?.reduced).toBe(true);
    expect(drawn(data)).toEqual(reference(full, full.summary.duration_s));
  }, 120_000);
});

describe("histogramMedian", () => {
  it("is d3-array's median of the values counted", () => {
    const values = [15, 15, 15.2, 30, 90, 15, 91.2, 15.2];
    const histogram = new Map<number, number>();
    for (const v of values) histogram.set(v, (histogram.get(v) ?? 0) + 1);
    expect(histogramMedian(histogram)).toBe(median(values));
    expect(histogramMedian(new Map([[7, 1]]))).toBe(7);
    expect(histogramMedian(new Map())).toBeUndefined();
    expect(histogramMedian(new Map([[1, 1], [NaN, 3], [4, 1]]))).toBe(median([1, NaN, NaN, NaN, 4]));
  });
});
