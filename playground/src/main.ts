/**
 * The playground: a scenario in the editor, Run in Web Workers (one per variant, side by
 * side), the run's report drawn by the library's own report code (the same Vega-Lite specs
 * as report.html), the files as a zip, a share link, and small sweeps on one worker per core.
 *
 * Automation contract: `#scenario=<base64url of gzipped YAML>&seed=N&variant=NAME&run=1`
 * loads and runs at once; when done `<pre id="summary-json">` holds the run's summary.json
 * (the variant named, else the first), and `<pre id="error">` the one-line error if any.
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { zipSync, strToU8 } from "fflate";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { PRESETS } from "virtual:presets";
import {
  cellLabel,
  cellsOf,
  checkAxes,
  compare,
  comparisonCsv,
  comparisonReportHtml,
  parseGridArg,
  parseScenario,
  parseScenarioVariants,
  runReportHtml,
  ScenarioError,
  scenarioName,
  sweepFiles,
  sweepReportHtml,
  useChartLibraries,
  VARIANT_AXIS,
  type RunRow,
  type Scenario,
  type ScenarioOverrides,
  type SweepPlan,
} from "../../src/browser.ts";
import { createEditor, type ScenarioProblem } from "./editor.ts";
import { RunCancelled, RunPool, type DoneReply } from "./runPool.ts";
import { decodeShare, encodeShare } from "./share.ts";

useChartLibraries(() => ({ vega, vegaLite }));

/** A sweep's runs at most: the page is for small grids; the command line for large ones. */
const MAX_SWEEP_RUNS = 64;
const WORKER_URL = new URL("./worker.js", import.meta.url);

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
};

const ui = {
  preset: $<HTMLSelectElement>("preset"),
  file: $<HTMLInputElement>("file"),
  seed: $<HTMLInputElement>("seed"),
  duration: $<HTMLInputElement>("duration"),
  variant: $<HTMLSelectElement>("variant"),
  run: $<HTMLButtonElement>("run"),
  cancel: $<HTMLButtonElement>("cancel"),
  share: $<HTMLButtonElement>("share"),
  download: $<HTMLButtonElement>("download"),
  status: $<HTMLElement>("status"),
  progress: $<HTMLElement>("progress"),
  error: $<HTMLPreElement>("error"),
  tabs: $<HTMLElement>("tabs"),
  frame: $<HTMLIFrameElement>("report"),
  summaries: $<HTMLElement>("summaries"),
  summaryJson: $<HTMLPreElement>("summary-json"),
  shareLink: $<HTMLInputElement>("share-link"),
  sweepGrid: $<HTMLTextAreaElement>("sweep-grid"),
  sweepReplications: $<HTMLInputElement>("sweep-replications"),
  sweepRun: $<HTMLButtonElement>("sweep-run"),
  sweepCancel: $<HTMLButtonElement>("sweep-cancel"),
  sweepDownload: $<HTMLButtonElement>("sweep-download"),
  sweepStatus: $<HTMLElement>("sweep-status"),
  sweepFrame: $<HTMLIFrameElement>("sweep-report"),
  sweepCellsCsv: $<HTMLPreElement>("sweep-cells-csv"),
};

// ---- the scenario -----------------------------------------------------------------

/** The file name the scenario is run as: it names the scenario in summary.json and in messages. */
function fileName(): string {
  const f = ui.file.value.trim();
  return f === "" ? "scenario.yaml" : f;
}

function problemOf(e: unknown): ScenarioProblem | undefined {
  return e instanceof ScenarioError ? { path: e.path, problem: e.problem, message: e.message } : undefined;
}

function overrides(): ScenarioOverrides {
  const seedText = ui.seed.value.trim();
  const duration = ui.duration.value.trim();
  return { ...(seedText === "" ? {} : { seed: Number(seedText) }), ...(duration === "" ? {} : { duration }), ...(ui.variant.value === "" ? {} : { variant: ui.variant.value }) };
}

let knownVariants: string[] = [];

/** The text's variants into the variant list (keeping the choice when it still exists). */
function showVariants(scenarios: readonly Scenario[]): void {
  const names = scenarios.map((s) => s.variant);
  if (names.join("\n") === knownVariants.join("\n")) return;
  const chosen = ui.variant.value;
  knownVariants = names;
  ui.variant.replaceChildren(new Option(names.length > 1 ? `all ${names.length} variants, side by side` : "the one variant", ""), ...names.map((n) => new Option(n, n)));
  ui.variant.value = names.includes(chosen) ? chosen : "";
}

/** The linter's check: the text as the command line would read it (without --variant: that is the Run's). */
function check(text: string): ScenarioProblem | undefined {
  try {
    const { variant: _variant, ...rest } = overrides();
    showVariants(parseScenarioVariants(fileName(), text, rest));
    return undefined;
  } catch (e) {
    const p = problemOf(e);
    if (p === undefined) return { path: "", problem: String(e), message: `${fileName()}: ${String(e)}` };
    return p;
  }
}

const editor = createEditor($("editor"), check, () => {
  ui.share.disabled = false;
});

function setError(message: string): void {
  ui.error.textContent = message;
  ui.error.hidden = message === "";
}

function setStatus(text: string): void {
  ui.status.textContent = text;
}

// ---- presets ----------------------------------------------------------------------

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

function loadPreset(path: string): void {
  const preset = PRESETS.find((p) => p.path === path);
  if (preset === undefined) return;
  ui.file.value = baseName(preset.path);
  ui.preset.value = preset.path;
  ui.seed.value = "";
  ui.duration.value = "";
  editor.setText(preset.text);
}

ui.preset.replaceChildren(...PRESETS.map((p) => new Option(p.path.replace(/\.yaml$/, ""), p.path)));
ui.preset.addEventListener("change", () => loadPreset(ui.preset.value));

// ---- a run ------------------------------------------------------------------------

interface Finished {
  readonly scenario: string;
  readonly runs: readonly DoneReply[];
  readonly comparisonCsv: string | undefined;
  readonly reports: ReadonlyMap<string, string>;
}

let pool: RunPool | undefined;
let finished: Finished | undefined;

function showReport(frame: HTMLIFrameElement, html: string): void {
  frame.hidden = false;
  frame.onload = () => {
    const doc = frame.contentDocument;
    if (doc !== null) frame.style.height = `${doc.documentElement.scrollHeight + 4}px`;
  };
  frame.srcdoc = html;
}

function showTabs(reports: ReadonlyMap<string, string>): void {
  const buttons = [...reports.keys()].map((name) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = name;
    b.dataset.report = name;
    b.setAttribute("role", "tab");
    b.addEventListener("click", () => select(name));
    return b;
  });
  ui.tabs.replaceChildren(...buttons);
  const select = (name: string) => {
    for (const b of buttons) b.setAttribute("aria-selected", String(b.dataset.report === name));
    showReport(ui.frame, reports.get(name)!);
  };
  const first = [...reports.keys()][0];
  if (first !== undefined) select(first);
}

function progressBars(names: readonly string[]): HTMLProgressElement[] {
  const bars = names.map((name) => {
    const row = document.createElement("div");
    row.className = "lane";
    const label = document.createElement("span");
    label.textContent = name;
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    bar.dataset.variant = name;
    row.append(label, bar);
    return { row, bar };
  });
  ui.progress.replaceChildren(...bars.map((b) => b.row));
  return bars.map((b) => b.bar);
}

function setRunning(running: boolean): void {
  ui.run.disabled = running;
  ui.sweepRun.disabled = running;
  ui.cancel.disabled = !running;
  ui.sweepCancel.disabled = !running;
  document.body.dataset.state = running ? "running" : "idle";
}

async function run(): Promise<void> {
  setError("");
  ui.sweepFrame.hidden = true;
  // The last run's report goes: it would not be this text's.
  ui.frame.hidden = true;
  ui.tabs.replaceChildren();
  ui.progress.replaceChildren();
  ui.summaryJson.textContent = "";
  ui.summaries.replaceChildren();
  ui.download.disabled = true;
  finished = undefined;
  const file = fileName();
  const text = editor.text();
  let scenarios: Scenario[];
  try {
    scenarios = parseScenarioVariants(file, text, overrides());
  } catch (e) {
    const p = problemOf(e);
    editor.showProblem(p);
    setError(p?.message ?? String(e));
    setStatus("The scenario has an error.");
    return;
  }
  editor.showProblem(undefined);
  const started = performance.now();
  const names = scenarios.map((s) => s.variant);
  const bars = progressBars(names);
  setRunning(true);
  setStatus(`Running ${names.length === 1 ? names[0] : `${names.length} variants side by side`}…`);
  pool = new RunPool(WORKER_URL);
  const { variant: _v, ...shared } = overrides();
  try {
    const runs = await pool.runAll(
      names.map((variant) => ({ file, text, overrides: { ...shared, variant }, keep: true })),
      names.length,
      (i, v, d) => {
        bars[i]!.value = v / d;
      },
      (i) => {
        bars[i]!.value = 1;
      },
    );
    const runMs = performance.now() - started;
    setStatus("Drawing the report…");
    const reports = new Map<string, string>();
    let comparison: string | undefined;
    if (runs.length > 1) {
      comparison = comparisonCsv(compare(runs.map((r) => ({ variant: r.variant, seeds: [r.summary.seed], summaries: [r.summary] }))));
      reports.set("comparison", await comparisonReportHtml({ comparisonCsv: comparison, variants: Object.fromEntries(runs.map((r) => [r.variant, r.files])) }));
    }
    for (const r of runs) reports.set(r.variant, await runReportHtml(r.files));
    finished = { scenario: scenarios[0]!.name, runs, comparisonCsv: comparison, reports };
    showTabs(reports);
    ui.summaries.replaceChildren(
      ...runs.map((r) => {
        const pre = document.createElement("pre");
        pre.className = "summary-json";
        pre.dataset.variant = r.variant;
        pre.textContent = r.files["summary.json"] ?? "";
        return pre;
      }),
    );
    const wanted = new URLSearchParams(location.hash.slice(1)).get("variant");
    const shown = runs.find((r) => r.variant === wanted) ?? runs[0]!;
    ui.download.disabled = false;
    document.body.dataset.runMs = String(Math.round(runMs));
    setStatus(`Done: ${runs.map((r) => `${r.variant} ${(r.runMs / 1000).toFixed(1)} s`).join(", ")} (wall ${(runMs / 1000).toFixed(1)} s, report ${((performance.now() - started - runMs) / 1000).toFixed(1)} s).`);
    ui.summaryJson.textContent = shown.files["summary.json"] ?? "";
  } catch (e) {
    if (e instanceof RunCancelled) {
      setStatus("Cancelled.");
    } else {
      const message = e instanceof Error ? e.message : String(e);
      setError(message.split("\n")[0]!);
      setStatus("The run failed.");
    }
  } finally {
    pool = undefined;
    setRunning(false);
  }
}

ui.run.addEventListener("click", () => void run());
ui.cancel.addEventListener("click", () => pool?.cancel());

// ---- downloads --------------------------------------------------------------------

function download(name: string, bytes: Uint8Array, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The run's folder as the command line writes it: <scenario>/<variant>/ files and report, comparison.csv and its report. */
function runZip(f: Finished): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const r of f.runs) {
    for (const [name, text] of Object.entries(r.files)) entries[`${f.scenario}/${r.variant}/${name}`] = strToU8(text);
    const report = f.reports.get(r.variant);
    if (report !== undefined) entries[`${f.scenario}/${r.variant}/report.html`] = strToU8(report);
  }
  if (f.comparisonCsv !== undefined) entries[`${f.scenario}/comparison.csv`] = strToU8(f.comparisonCsv);
  const comparison = f.reports.get("comparison");
  if (comparison !== undefined) entries[`${f.scenario}/report.html`] = strToU8(comparison);
  return zipSync(entries, { level: 6, mtime: new Date(2000, 0, 1) });
}

ui.download.addEventListener("click", () => {
  if (finished !== undefined) download(`${finished.scenario}.zip`, runZip(finished), "application/zip");
});

// ---- the share link ---------------------------------------------------------------

function shareHash(): string {
  const o = overrides();
  return encodeShare({ scenario: editor.text(), file: fileName(), seed: o.seed, variant: o.variant, duration: o.duration });
}

ui.share.addEventListener("click", () => {
  const url = `${location.origin}${location.pathname}#${shareHash()}`;
  history.replaceState(null, "", url);
  ui.shareLink.hidden = false;
  ui.shareLink.value = url;
  ui.shareLink.select();
  void navigator.clipboard?.writeText(url).then(
    () => setStatus("Link copied: it holds the scenario, seed and variant."),
    () => setStatus("The link is in the address bar and the field above."),
  );
});

// ---- a sweep ----------------------------------------------------------------------

let sweepZip: { name: string; files: Record<string, string> } | undefined;

async function runSweep(): Promise<void> {
  setError("");
  ui.sweepDownload.disabled = true;
  ui.sweepCellsCsv.textContent = "";
  sweepZip = undefined;
  const file = fileName();
  const text = editor.text();
  try {
    const axes = ui.sweepGrid.value
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map(parseGridArg);
    checkAxes(axes, {});
    const replications = Number(ui.sweepReplications.value);
    if (!(Number.isSafeInteger(replications) && replications >= 1)) throw new Error(`replications: a whole number from 1, got '${ui.sweepReplications.value}'`);
    const cells = cellsOf(axes);
    if (cells.length * replications > MAX_SWEEP_RUNS) throw new Error(`${cells.length} cells × ${replications} replications = ${cells.length * replications} runs; the playground runs at most ${MAX_SWEEP_RUNS} (the command line's sweep runs any number)`);
    const { variant: chosen, seed, duration } = overrides();
    const variantAxis = axes.findIndex((a) => a.key === VARIANT_AXIS);
    const cellOverrides = (values: readonly string[]): ScenarioOverrides => {
      const set: Record<string, string> = {};
      let variant = chosen;
      axes.forEach((a, i) => {
        if (i === variantAxis) variant = values[i];
        else set[a.key] = values[i]!;
      });
      return { set, ...(variant === undefined ? {} : { variant }), ...(duration === undefined ? {} : { duration }) };
    };
    // Every cell checked before any run, as the command line's planSweep does.
    const warnings = new Set<string>();
    let first: Scenario | undefined;
    for (const cell of cells) {
      try {
        const s = parseScenario(file, text, { ...cellOverrides(cell.values), ...(seed === undefined ? {} : { seed }) });
        for (const w of s.warnings) warnings.add(w);
        first ??= s;
      } catch (e) {
        if (e instanceof ScenarioError && axes.length > 0) throw new ScenarioError(e.file, e.path, `${e.problem} (in grid cell ${cellLabel(axes, cell)})`);
        throw e;
      }
    }
    const firstSeed = seed ?? first!.seed;
    const seeds = Array.from({ length: replications }, (_, i) => firstSeed + i);
    const plan: SweepPlan = {
      file,
      scenario: scenarioName(file),
      scenarioSha256: bytesToHex(sha256(strToU8(text))),
      axes,
      cells,
      seeds,
      baseline: 0,
      variant: variantAxis >= 0 ? null : first!.variant,
      set: {},
      duration: duration ?? null,
      durationS: first!.durationMs / 1000,
      strict: false,
      keepRuns: false,
      shard: undefined,
      runs: Array.from({ length: cells.length * seeds.length }, (_, i) => i),
      warnings: [...warnings],
    };
    const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, plan.runs.length));
    setRunning(true);
    ui.sweepStatus.textContent = `Sweep: ${plan.runs.length} runs on ${size} workers…`;
    pool = new RunPool(WORKER_URL);
    let done = 0;
    const started = performance.now();
    const replies = await pool.runAll(
      plan.runs.map((r) => {
        const cell = cells[Math.floor(r / seeds.length)]!;
        return { file, text, overrides: { ...cellOverrides(cell.values), seed: seeds[r % seeds.length]! }, keep: false };
      }),
      size,
      () => undefined,
      () => {
        done++;
        ui.sweepStatus.textContent = `Sweep: ${done} of ${plan.runs.length} runs done on ${size} workers…`;
      },
    );
    const rows: RunRow[] = replies.map((reply, r) => ({ cell: Math.floor(r / seeds.length), seed: seeds[r % seeds.length]!, figures: reply.figures }));
    const { files } = sweepFiles(plan, rows);
    const report = await sweepReportHtml(files["sweep.json"]!, files["cells.csv"]!);
    files["report.html"] = report;
    sweepZip = { name: `${plan.scenario}-sweep`, files };
    ui.frame.hidden = true;
    ui.tabs.replaceChildren();
    ui.progress.replaceChildren();
    setStatus(`Sweep of ${axes.map((a) => a.key).join(" × ") || "one cell"}: ${cells.length} cells × ${seeds.length} seeds.`);
    showReport(ui.sweepFrame, report);
    ui.sweepDownload.disabled = false;
    ui.sweepCellsCsv.textContent = files["cells.csv"]!;
    ui.sweepStatus.textContent = `Sweep done: ${plan.runs.length} runs on ${size} workers in ${((performance.now() - started) / 1000).toFixed(1)} s.`;
  } catch (e) {
    if (e instanceof RunCancelled) ui.sweepStatus.textContent = "Sweep cancelled.";
    else {
      const p = problemOf(e);
      if (p !== undefined) editor.showProblem(p);
      setError((e instanceof Error ? e.message : String(e)).split("\n")[0]!);
      ui.sweepStatus.textContent = "The sweep failed.";
    }
  } finally {
    pool = undefined;
    setRunning(false);
  }
}

ui.sweepRun.addEventListener("click", () => void runSweep());
ui.sweepCancel.addEventListener("click", () => pool?.cancel());
ui.sweepDownload.addEventListener("click", () => {
  if (sweepZip === undefined) return;
  const entries = Object.fromEntries(Object.entries(sweepZip.files).map(([n, t]) => [`${sweepZip!.name}/${n}`, strToU8(t)]));
  download(`${sweepZip.name}.zip`, zipSync(entries, { level: 6, mtime: new Date(2000, 0, 1) }), "application/zip");
});

// ---- start ------------------------------------------------------------------------

function start(): void {
  let state;
  try {
    state = decodeShare(location.hash);
  } catch (e) {
    loadPreset(PRESETS[0]!.path);
    setError((e as Error).message);
    return;
  }
  if (state === undefined) {
    loadPreset(PRESETS.find((p) => p.path === "backpressure.yaml")?.path ?? PRESETS[0]!.path);
    return;
  }
  // A link without a file name: the preset whose text it is names it, else scenario.yaml.
  const preset = PRESETS.find((p) => p.text === state.scenario);
  ui.preset.value = preset?.path ?? "";
  ui.file.value = state.file ?? (preset === undefined ? "scenario.yaml" : baseName(preset.path));
  ui.seed.value = state.seed === undefined ? "" : String(state.seed);
  ui.duration.value = state.duration ?? "";
  editor.setText(state.scenario);
  check(state.scenario);
  if (state.variant !== undefined) ui.variant.value = knownVariants.includes(state.variant) ? state.variant : "";
  if (state.variant !== undefined && ui.variant.value !== state.variant) {
    // Not a variant of the text: the run reports it as the command line does.
    ui.variant.append(new Option(state.variant, state.variant));
    ui.variant.value = state.variant;
  }
  if (state.run === true) void run();
}

setRunning(false);
ui.download.disabled = true;
ui.sweepDownload.disabled = true;
start();
document.body.dataset.ready = "true";
