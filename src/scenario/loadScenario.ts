import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve as resolvePath } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { DurationFormatError, parseDuration } from "../core/duration.ts";
import { MemorySizeFormatError, parseMemorySize } from "../core/memorySize.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import { buildJobGraph, type EdgeSpec, type JobSpec, type OperatorSpec } from "../flink/JobGraph.ts";
import { computeDefaultMaxParallelism } from "../flink/keyGroups.ts";
import { ConfigValueError, FlinkConfigReader, readClusterSettings, type ClusterSettings } from "./flinkConfiguration.ts";
import { invalidValues, nearMisses } from "./flinkKeys.ts";
import { ALL_OPTIONS, MEMORY_TUNING_ENABLED } from "../autoscaler/config/AutoScalerOptions.ts";
import { Configuration, IllegalConfigurationError } from "../autoscaler/config/Configuration.ts";
import { validateExcludedPeriods } from "../autoscaler/utils/CalendarUtils.ts";
import { DEFAULT_RESTART_SPEC, type RestartSpec } from "../flink/restart/RestartModel.ts";
import { scenarioSchema, type DistributionDocument, type LoadProfileDocument, type ScenarioDocument, type SourceDocument } from "./schema.ts";
import type { LoadProfileSpec } from "../flink/sources/LoadProfile.ts";
import type { TimerGaugeSemantics } from "../flink/metrics/TimerGauge.ts";
import type { SourceSpec } from "../flink/JobGraph.ts";
import { formatPath, ScenarioError, suggestion } from "./ScenarioError.ts";
import { applyDocumentPaths, flagConflict, flinkKeys, tracedToSet } from "./overrides.ts";
import { resolveExecution, type ExecutionSetting } from "./executionMode.ts";
import type { ExecutionMode } from "../flink/FlinkCluster.ts";
import type { TaskManagerCpu } from "../flink/cpu/TaskManagerCpu.ts";
import { CpuSettingError, readTaskManagerCpu } from "./taskManagerCpu.ts";

/** A validated scenario, resolved to the units and types the simulation uses. */
export interface Scenario {
  readonly file: string;
  /** The file's base name without extension: the output folder's name. */
  readonly name: string;
  /** The variant this scenario is ("default" without variants). */
  readonly variant: string;
  readonly deploymentName: string;
  readonly namespace: string;
  readonly flinkVersion: string | undefined;
  /** spec.flinkConfiguration as strings, with command-line overrides applied. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  readonly cluster: ClusterSettings;
  readonly durationMs: number;
  readonly seed: number;
  readonly sampleIntervalMs: number;
  /** The instant virtual time 0 stands for, ISO-8601 UTC. */
  readonly startTime: string;
  readonly startEpochMs: number;
  readonly recordSizeBytes: number;
  /** simulation.execution as stated (auto by default). */
  readonly executionSetting: ExecutionSetting;
  /** The mode the run uses, `auto` resolved (executionMode.ts). */
  readonly execution: ExecutionMode;
  readonly job: JobSpec;
  /** kubernetes.operator.reconcile.interval (15 s, the operator Helm chart's value). */
  readonly reconcileIntervalMs: number;
  /** simulation.flinkMetrics: TimerGauge semantics replacing those of the Flink version. */
  readonly timerGauge: Partial<TimerGaugeSemantics>;
  /** simulation.flinkMetrics.fetcherServesPreviousFetch (true): the request that triggers a MetricFetcher update gets the previous values. */
  readonly fetcherServesPreviousFetch: boolean;
  /** Likely mistakes that are not errors (a key close to one the simulator reads), each `file: path: problem`. */
  readonly warnings: readonly string[];
  readonly restart: RestartSpec;
  /** The TaskManager pods' CPU request and limit, and the nodes they run on (taskManagerCpu.ts). */
  readonly cpu: TaskManagerCpu;
}

/** Values from the command line that replace the file's. */
export interface ScenarioOverrides {
  readonly set?: Readonly<Record<string, string>>;
  readonly seed?: number;
  readonly duration?: string;
  /** Resolve this variant of simulation.variants (default: the first, or "default" without variants). */
  readonly variant?: string;
  /** Warnings become errors (--strict). */
  readonly strict?: boolean;
}

/** Keys of the simulation: block whose values are durations (restart phases, costs, distribution parameters, load timing). */
const DURATION_KEYS = new Set([
  "duration", "sampleInterval", "period", "over", "start", "at", "interval", "cost", "overhead",
  "value", "min", "max", "mean", "stddev", "median", "p95",
  "cancel", "podStart", "restore", "deploy", "shutdown", "jobManagerStart", "timerGaugeSpan",
]);

/**
 * Durations given as bare numbers in the simulation: block: Flink's syntax reads them as
 * milliseconds, which `period: 60` almost never means. Load profiles' min and max (rates)
 * and noise's stddev (a factor) are no durations and are skipped.
 */
function bareNumberDurations(sim: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; value: number }[] {
  if (sim === null || typeof sim !== "object") return [];
  const out: { path: PropertyKey[]; value: number }[] = [];
  const isLoad = path[path.length - 1] === "load";
  const isNoise = path[path.length - 1] === "noise";
  for (const [key, value] of Object.entries(sim as Record<string, unknown>)) {
    const here = [...path, Array.isArray(sim) ? Number(key) : key];
    if (typeof value === "number") {
      const rate = (isLoad && (key === "min" || key === "max")) || (isNoise && key === "stddev");
      if (value !== 0 && DURATION_KEYS.has(key) && !rate) out.push({ path: here, value });
    } else {
      out.push(...bareNumberDurations(value, here));
    }
  }
  return out;
}

/** kubernetes.operator.reconcile.interval as the operator's Helm chart installs it. */
export const HELM_CHART_RECONCILE_INTERVAL_MS = 15_000;

/** A Python operator's per-element overhead over its body when the scenario gives none (see README). */
export const DEFAULT_PYTHON_OVERHEAD: DistributionSpec = { kind: "lognormal", median: 0.5, p95: 2 };

function timerGaugeOverrides(file: string, d: { timerGaugeSpan?: string | number | undefined; doubleCount?: boolean | undefined } | undefined): Partial<TimerGaugeSemantics> {
  if (d === undefined) return {};
  const out: { timeSpanSeconds?: number; doubleCountsSpanningMeasurements?: boolean } = {};
  if (d.timerGaugeSpan !== undefined) {
    const ms = durationAt(file, ["simulation", "flinkMetrics", "timerGaugeSpan"], d.timerGaugeSpan);
    if (!(ms >= 5000 && ms % 5000 === 0)) throw new ScenarioError(file, "simulation.flinkMetrics.timerGaugeSpan", "must be a multiple of 5s (View.UPDATE_INTERVAL_SECONDS)");
    out.timeSpanSeconds = ms / 1000;
  }
  if (d.doubleCount !== undefined) out.doubleCountsSpanningMeasurements = d.doubleCount;
  return out;
}

export const DEFAULTS = {
  duration: "1h",
  seed: 1,
  sampleInterval: "10s",
  startTime: "2024-05-16T17:00:00Z",
  recordSize: "64b",
} as const;

/** Reads, parses and validates a scenario file; every problem is a ScenarioError. */
export function loadScenario(file: string, overrides: ScenarioOverrides = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, "", code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a scenario file" : `cannot be read (${code})`);
  }
  return parseScenario(file, text, overrides);
}

/** Parses and validates scenario text; `file` names it in error messages. */
export function parseScenario(file: string, text: string, overrides: ScenarioOverrides = {}): Scenario {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const where = err.linePos?.[0] ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : "";
    throw new ScenarioError(file, "", `is not valid YAML${where ? ` (${where})` : ""}: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // yaml refuses aliases that expand beyond maxAliasCount (a "billion laughs" document).
    if (e instanceof ReferenceError) throw new ScenarioError(file, "", `is not a usable YAML document: ${e.message}`);
    throw e;
  }
  if (data === null || data === undefined) throw new ScenarioError(file, "", "is empty; expected a FlinkDeployment with a simulation: block");
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ScenarioError(file, "", "is not a YAML mapping; expected a FlinkDeployment with a simulation: block");
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw zodIssueToError(file, data, parsed.error.issues);
  const names = variantNames(parsed.data);
  const variant = overrides.variant ?? names[0]!;
  if (!names.includes(variant)) {
    throw new ScenarioError(file, "--variant", `'${variant}' is not a variant of this scenario${suggestion(variant, names)}; it has ${names.join(", ")}`);
  }
  return resolveWithSets(file, withVariant(parsed.data, variant), overrides, variant);
}

/** --set's document paths applied over the variant and checked as the file is; their errors say "(from --set)". */
function resolveWithSets(file: string, doc: ScenarioDocument, overrides: ScenarioOverrides, variant: string): Scenario {
  const set = overrides.set ?? {};
  flagConflict(file, set, overrides);
  const { doc: changed, paths } = applyDocumentPaths(file, doc, set);
  if (paths.length === 0) return resolve(file, doc, overrides, variant);
  try {
    const checked = scenarioSchema.safeParse(changed);
    if (!checked.success) throw zodIssueToError(file, changed, checked.error.issues);
    return resolve(file, checked.data, overrides, variant);
  } catch (e) {
    if (e instanceof ScenarioError) throw tracedToSet(e, paths);
    throw e;
  }
}

/** The variants a scenario file defines, in file order; ["default"] when it defines none. */
export function variantNames(doc: ScenarioDocument): string[] {
  const names = Object.keys(doc.simulation.variants ?? {});
  return names.length === 0 ? ["default"] : names;
}

/** Every variant of a scenario file, each resolved (the same seed for all: common random numbers). */
export function loadScenarioVariants(file: string, overrides: ScenarioOverrides = {}): Scenario[] {
  const first = loadScenario(file, overrides);
  const text = readFileSync(file, "utf8");
  const doc = scenarioSchema.parse(parseDocument(text).toJS());
  const names = overrides.variant !== undefined ? [overrides.variant] : variantNames(doc);
  return names.map((name) => (name === first.variant ? first : parseScenario(file, text, { ...overrides, variant: name })));
}

/** The document with a variant's overrides merged in. */
function withVariant(doc: ScenarioDocument, name: string): ScenarioDocument {
  const v = doc.simulation.variants?.[name];
  if (v === undefined) return doc;
  const restart = doc.simulation.restart ?? {};
  return {
    ...doc,
    spec: { ...doc.spec, flinkConfiguration: { ...doc.spec.flinkConfiguration, ...v.flinkConfiguration } },
    simulation: {
      ...doc.simulation,
      restart: {
        inPlace: { ...restart.inPlace, ...v.restart?.inPlace },
        redeploy: { ...restart.redeploy, ...v.restart?.redeploy },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Schema issues -> one clear message

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The keys an object schema allows at `path`, found by walking the schema (through unions too). */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  type Node = { unwrap?: () => unknown; shape?: Record<string, unknown>; element?: unknown; options?: readonly unknown[] };
  const unwrap = (s: unknown): Node => {
    for (;;) {
      const o = s as Node;
      if (o.shape !== undefined || o.element !== undefined || o.options !== undefined || typeof o.unwrap !== "function") return o;
      s = o.unwrap();
    }
  };
  const objectsOf = (s: unknown): Node[] => {
    const n = unwrap(s);
    return n.options !== undefined ? n.options.flatMap(objectsOf) : [n];
  };
  let candidates: Node[] = objectsOf(scenarioSchema);
  for (const key of path) {
    const next: Node[] = [];
    for (const c of candidates) {
      if (typeof key === "number" && c.element !== undefined) next.push(...objectsOf(c.element));
      else if (typeof key === "string" && c.shape?.[key] !== undefined) next.push(...objectsOf(c.shape[key]));
    }
    if (next.length === 0) return [];
    candidates = next;
  }
  return [...new Set(candidates.flatMap((c) => (c.shape === undefined ? [] : Object.keys(c.shape))))];
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function issueMessage(data: unknown, issue: Issue): { path: readonly PropertyKey[]; message: string } {
  const path = issue.path;
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0]!;
      const allowed = allowedKeysAt(path);
      return {
        path: [...path, key],
        message: `unknown key '${key}'${suggestion(key, allowed)}${allowed.length > 0 && suggestion(key, allowed) === "" ? `; allowed: ${allowed.join(", ")}` : ""}`,
      };
    }
    case "invalid_type":
      if (value === undefined) return { path, message: `is required (${issue.expected})` };
      return { path, message: `expected ${issue.expected === "int" ? "an integer" : issue.expected}, got ${describe(value)}` };
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return {
        path,
        message: `${describe(value)} is not allowed; expected ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(", ")}`}${typeof value === "string" ? suggestion(value, allowed) : ""}`,
      };
    }
    case "too_small":
      if (issue.origin === "array") return { path, message: `needs at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}` };
      if (issue.origin === "string") return { path, message: "must not be empty" };
      return { path, message: `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}, got ${describe(value)}` };
    case "invalid_union": {
      // A distribution: report the branch the user meant (the one its `distribution` names).
      if (value !== null && typeof value === "object" && "distribution" in value) {
        const branch = issue.errors.find(
          (branchIssues) => branchIssues.length > 0 && branchIssues.every((i) => i.path.length > 0 && i.path[0] !== "distribution"),
        );
        if (branch !== undefined) {
          const inner = issueMessage(value, branch[0]!);
          return { path: [...path, ...inner.path], message: inner.message };
        }
        return {
          path: [...path, "distribution"],
          message: `${describe((value as Record<string, unknown>).distribution)} is not one of constant, uniform, exponential, normal, lognormal${suggestion(String((value as Record<string, unknown>).distribution), ["constant", "uniform", "exponential", "normal", "lognormal"])}`,
        };
      }
      const last = path[path.length - 1];
      if (last === "load") {
        const profiles = ["constant", "steps", "ramp", "sine", "trace"];
        if (value !== null && typeof value === "object" && "profile" in value) {
          const profile = (value as Record<string, unknown>).profile;
          if (typeof profile === "string" && profiles.includes(profile)) {
            // The profile exists: report what is wrong inside its branch.
            const branch = issue.errors.find(
              (b) => b.length > 0 && b.every((i) => i.path[0] !== "profile") && !b.some((i) => i.path.length === 0 && i.code === "invalid_type"),
            );
            if (branch !== undefined) {
              const inner = branch.find((i) => i.code === "unrecognized_keys") ?? branch[0]!;
              return issueMessage(data, { ...inner, path: [...path, ...inner.path] } as Issue);
            }
          }
          return {
            path: [...path, "profile"],
            message: `${describe(profile)} is not one of ${profiles.join(", ")}${typeof profile === "string" ? suggestion(profile, profiles) : ""}`,
          };
        }
        return { path, message: `expected records per second (a number) or a profile such as {profile: sine, min: 10, max: 100, period: 1h}, got ${describe(value)}` };
      }
      if (last === "cost") {
        return { path, message: `expected a duration (2s, 500ms, PT2M) or a distribution such as {distribution: lognormal, median: 2s, p95: 3s}, got ${describe(value)}` };
      }
      if (last === "recordSize") return { path, message: `expected a memory size such as 64b or 1kb, got ${describe(value)}` };
      if (last === "memory" || last === "ephemeralStorage") return { path, message: `expected a quantity such as 1024m, got ${describe(value)}` };
      if (path[path.length - 2] === "flinkConfiguration") return { path, message: `expected a string, number or boolean, got ${describe(value)}` };
      return { path, message: `expected a duration (5s, 1 min, 100ms, PT2M), got ${describe(value)}` };
    }
    default:
      return { path, message: issue.message };
  }
}

function zodIssueToError(file: string, data: unknown, issues: readonly Issue[]): ScenarioError {
  // An unknown key explains a "required" error beside it (a typo), so it goes first.
  const first = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]!;
  const { path, message } = issueMessage(data, first);
  return new ScenarioError(file, formatPath(path), message);
}

// ---------------------------------------------------------------------------------------
// Resolution and the checks a schema cannot express

function durationAt(file: string, path: readonly PropertyKey[], value: string | number): number {
  if (typeof value === "number") return value;
  try {
    return parseDuration(value);
  } catch (e) {
    if (e instanceof DurationFormatError) throw new ScenarioError(file, formatPath(path), e.message);
    throw e;
  }
}

function distributionAt(file: string, path: readonly PropertyKey[], d: DistributionDocument | undefined): DistributionSpec {
  if (d === undefined) return { kind: "constant", value: 0 };
  const ms = (key: string, v: string | number) => durationAt(file, [...path, key], v);
  if (typeof d === "string" || typeof d === "number") return { kind: "constant", value: durationAt(file, path, d) };
  switch (d.distribution) {
    case "constant":
      return { kind: "constant", value: ms("value", d.value) };
    case "uniform": {
      const min = ms("min", d.min);
      const max = ms("max", d.max);
      if (max < min) throw new ScenarioError(file, formatPath([...path, "max"]), `must not be below min (${d.min})`);
      return { kind: "uniform", min, max };
    }
    case "exponential":
      return { kind: "exponential", mean: ms("mean", d.mean) };
    case "normal":
      return { kind: "normal", mean: ms("mean", d.mean), stddev: ms("stddev", d.stddev) };
    case "lognormal": {
      const median = ms("median", d.median);
      const p95 = ms("p95", d.p95);
      if (!(median > 0)) throw new ScenarioError(file, formatPath([...path, "median"]), "must be greater than 0");
      if (!(p95 > median)) throw new ScenarioError(file, formatPath([...path, "p95"]), `must be greater than the median (${d.median})`);
      return { kind: "lognormal", median, p95 };
    }
  }
}

const HEX32 = /^[0-9a-f]{32}$/;

function sourceAt(file: string, path: readonly PropertyKey[], d: SourceDocument): SourceSpec {
  const noise =
    d.noise === undefined ? undefined : { stddev: d.noise.stddev, intervalMs: durationAt(file, [...path, "noise", "interval"], d.noise.interval ?? "1s") };
  if (noise !== undefined && !(noise.intervalMs >= 1)) throw new ScenarioError(file, formatPath([...path, "noise", "interval"]), "must be at least 1 ms");
  if (d.connector === "datagen" || d.connector === "datastream-datagen") {
    if ((d.rowsPerSecond === undefined) === (d.load === undefined)) {
      throw new ScenarioError(file, formatPath(path), `a ${d.connector} source needs either rowsPerSecond or load (one of them)`);
    }
    const load = d.load === undefined ? { profile: "constant" as const, rate: d.rowsPerSecond! } : loadAt(file, [...path, "load"], d.load);
    // The Table connector's 'rows-per-second' is one number, read once when a subtask starts.
    if (d.connector === "datagen" && (load.profile !== "constant" || noise !== undefined)) {
      throw new ScenarioError(
        file,
        formatPath([...path, d.load !== undefined ? "load" : "noise"]),
        "the Table/SQL datagen source has a constant rows-per-second; for a varying load use connector datastream-datagen or kafka",
      );
    }
    return { connector: d.connector, load, noise };
  }
  return {
    connector: "kafka",
    topic: d.topic,
    partitions: d.partitions,
    load: loadAt(file, [...path, "load"], d.load),
    noise,
    initialBacklog: d.initialBacklog ?? 0,
    maxRecordsPerSecond: d.maxRecordsPerSecond,
  };
}

function loadAt(file: string, path: readonly PropertyKey[], d: LoadProfileDocument): LoadProfileSpec {
  const ms = (key: string, v: string | number) => durationAt(file, [...path, key], v);
  if (typeof d === "number") return { profile: "constant", rate: d };
  switch (d.profile) {
    case "constant":
      return { profile: "constant", rate: d.rate };
    case "steps": {
      const steps = d.steps.map((s, i) => ({ atMs: durationAt(file, [...path, "steps", i, "at"], s.at), rate: s.rate }));
      steps.forEach((s, i) => {
        if (i > 0 && s.atMs <= steps[i - 1]!.atMs) throw new ScenarioError(file, formatPath([...path, "steps", i, "at"]), "steps must be in increasing time order");
      });
      return { profile: "steps", steps };
    }
    case "ramp": {
      const overMs = ms("over", d.over);
      if (!(overMs > 0)) throw new ScenarioError(file, formatPath([...path, "over"]), "must be longer than 0");
      return { profile: "ramp", from: d.from, to: d.to, overMs, startMs: d.start === undefined ? 0 : ms("start", d.start) };
    }
    case "sine": {
      const periodMs = ms("period", d.period);
      if (!(periodMs > 0)) throw new ScenarioError(file, formatPath([...path, "period"]), "must be longer than 0");
      if (d.max < d.min) throw new ScenarioError(file, formatPath([...path, "max"]), `must not be below min (${d.min})`);
      return { profile: "sine", min: d.min, max: d.max, periodMs };
    }
    case "trace": {
      const tracePath = resolvePath(dirname(file), d.file);
      let text: string;
      try {
        text = readFileSync(tracePath, "utf8");
      } catch {
        throw new ScenarioError(file, formatPath([...path, "file"]), `cannot read trace '${d.file}' (looked for ${tracePath})`);
      }
      let rows: Record<string, string>[];
      try {
        rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
      } catch (e) {
        throw new ScenarioError(file, formatPath([...path, "file"]), `trace '${d.file}' is not CSV: ${(e as Error).message}`);
      }
      const points = rows.map((r, i) => {
        const t = Number(r.time_s);
        const rate = Number(r.rate);
        if (!Number.isFinite(t) || !Number.isFinite(rate) || rate < 0) {
          throw new ScenarioError(file, formatPath([...path, "file"]), `trace '${d.file}' row ${i + 2}: expected columns time_s and rate (a number >= 0)`);
        }
        return { atMs: t * 1000, rate };
      });
      if (points.length === 0) throw new ScenarioError(file, formatPath([...path, "file"]), `trace '${d.file}' has no rows`);
      points.forEach((p, i) => {
        if (i > 0 && p.atMs <= points[i - 1]!.atMs) throw new ScenarioError(file, formatPath([...path, "file"]), `trace '${d.file}' row ${i + 2}: time_s must increase`);
      });
      return { profile: "trace", points, interpolation: d.interpolation ?? "linear" };
    }
  }
}

function resolve(file: string, doc: ScenarioDocument, overrides: ScenarioOverrides, variant: string): Scenario {
  const sim = doc.simulation;
  const fail = (path: readonly PropertyKey[], message: string): never => {
    throw new ScenarioError(file, formatPath(path), message);
  };

  const flinkConfiguration: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.spec.flinkConfiguration ?? {})) flinkConfiguration[k] = String(v);
  for (const [k, v] of Object.entries(flinkKeys(overrides.set))) flinkConfiguration[k] = v;
  // Where a configuration value came from: --set, the variant, or the deployment.
  const variantConfiguration = doc.simulation.variants?.[variant]?.flinkConfiguration ?? {};
  const configPath = (key: string): string => {
    if (overrides.set?.[key] !== undefined) return `${formatPath(["spec", "flinkConfiguration", key])} (from --set)`;
    if (key in variantConfiguration) return formatPath(["simulation", "variants", variant, "flinkConfiguration", key]);
    return formatPath(["spec", "flinkConfiguration", key]);
  };
  let cluster: ClusterSettings;
  try {
    cluster = readClusterSettings(flinkConfiguration, doc.spec.job?.parallelism);
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    throw new ScenarioError(file, configPath(e.key), e.problem);
  }
  if (cluster.network.buffersPerChannel + cluster.network.floatingBuffersPerGate < 1) {
    fail(["spec", "flinkConfiguration", "taskmanager.network.memory.buffers-per-channel"], "with no floating buffers either, no channel could ever receive data");
  }

  const durationMs =
    overrides.duration !== undefined ? durationAt(file, ["--duration"], overrides.duration) : durationAt(file, ["simulation", "duration"], sim.duration ?? DEFAULTS.duration);
  if (!(durationMs > 0)) fail(overrides.duration !== undefined ? ["--duration"] : ["simulation", "duration"], "must be longer than 0");
  const sampleIntervalMs = durationAt(file, ["simulation", "sampleInterval"], sim.sampleInterval ?? DEFAULTS.sampleInterval);
  if (!(sampleIntervalMs >= 1)) fail(["simulation", "sampleInterval"], "must be at least 1 ms");
  const startTime = sim.startTime ?? DEFAULTS.startTime;
  const startEpochMs = Date.parse(startTime);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(startTime) || Number.isNaN(startEpochMs)) {
    fail(["simulation", "startTime"], `'${startTime}' is not an ISO-8601 instant such as 2024-05-16T17:00:00Z`);
  }
  let recordSizeBytes = 0;
  try {
    const rs = sim.recordSize ?? DEFAULTS.recordSize;
    recordSizeBytes = typeof rs === "number" ? rs : parseMemorySize(rs);
  } catch (e) {
    if (!(e instanceof MemorySizeFormatError)) throw e;
    fail(["simulation", "recordSize"], e.message);
  }
  if (!(recordSizeBytes >= 1)) fail(["simulation", "recordSize"], "must be at least 1 byte");
  if (recordSizeBytes > cluster.network.segmentSizeBytes) {
    fail(["simulation", "recordSize"], `must not exceed the network buffer size (taskmanager.memory.segment-size, ${cluster.network.segmentSizeBytes} bytes)`);
  }

  validateAutoscalerConfiguration(file, flinkConfiguration, configPath);
  const badValue = invalidValues(flinkConfiguration)[0];
  if (badValue !== undefined) throw new ScenarioError(file, configPath(badValue.key), badValue.problem);
  const autoscalerKeys = ALL_OPTIONS.flatMap((o) => [o.key, ...o.fallbackKeys.map((f) => f.key)]);
  const warnings = [
    ...nearMisses(flinkConfiguration, autoscalerKeys).map((w) => `${file}: ${configPath(w.key)}: ${w.problem}`),
    ...bareNumberDurations(sim).map((p) => `${file}: ${formatPath(["simulation", ...p.path])}: ${p.value} is ${p.value} milliseconds (a bare number is ms in Flink's syntax); write ${p.value}s or ${p.value}ms to say which`),
  ];
  if (overrides.strict === true && warnings.length > 0) throw new ScenarioError(file, "", `${warnings[0]!.slice(file.length + 2)} (--strict)`);
  // The operator's Helm chart sets 15 s (helm/flink-kubernetes-operator/values.yaml,
  // release-1.15.0); 60 s is only the code default of KubernetesOperatorConfigOptions.
  let reconcileIntervalMs = HELM_CHART_RECONCILE_INTERVAL_MS;
  let taskManagerIdleTimeoutMs = DEFAULT_RESTART_SPEC.taskManagerIdleTimeoutMs;
  let resourceStabilizationTimeoutMs = DEFAULT_RESTART_SPEC.resourceStabilizationTimeoutMs;
  try {
    const r = new FlinkConfigReader(flinkConfiguration);
    reconcileIntervalMs = r.duration("kubernetes.operator.reconcile.interval") ?? reconcileIntervalMs;
    taskManagerIdleTimeoutMs = r.duration("resourcemanager.taskmanager-timeout") ?? taskManagerIdleTimeoutMs;
    resourceStabilizationTimeoutMs = r.duration("jobmanager.adaptive-scheduler.resource-stabilization-timeout") ?? resourceStabilizationTimeoutMs;
    // The autoscaler's memory checks read it as Flink's MemorySize: fail here, not mid-run.
    r.memorySize("taskmanager.memory.process.size");
  } catch (e) {
    if (!(e instanceof ConfigValueError)) throw e;
    throw new ScenarioError(file, configPath(e.key), e.problem);
  }
  if (!(reconcileIntervalMs >= 1000)) fail(["spec", "flinkConfiguration", "kubernetes.operator.reconcile.interval"], "must be at least 1s");
  const restartDoc = sim.restart;
  const phase = (group: "inPlace" | "redeploy", name: string, fallback: DistributionSpec): DistributionSpec => {
    const d = (restartDoc?.[group] as Record<string, DistributionDocument | undefined> | undefined)?.[name];
    return d === undefined ? fallback : distributionAt(file, ["simulation", "restart", group, name], d);
  };
  const restart: RestartSpec = {
    inPlace: {
      cancel: phase("inPlace", "cancel", DEFAULT_RESTART_SPEC.inPlace.cancel),
      podStart: phase("inPlace", "podStart", DEFAULT_RESTART_SPEC.inPlace.podStart),
      restore: phase("inPlace", "restore", DEFAULT_RESTART_SPEC.inPlace.restore),
      deploy: phase("inPlace", "deploy", DEFAULT_RESTART_SPEC.inPlace.deploy),
    },
    redeploy: {
      shutdown: phase("redeploy", "shutdown", DEFAULT_RESTART_SPEC.redeploy.shutdown),
      jobManagerStart: phase("redeploy", "jobManagerStart", DEFAULT_RESTART_SPEC.redeploy.jobManagerStart),
      podStart: phase("redeploy", "podStart", DEFAULT_RESTART_SPEC.redeploy.podStart),
      restore: phase("redeploy", "restore", DEFAULT_RESTART_SPEC.redeploy.restore),
      deploy: phase("redeploy", "deploy", DEFAULT_RESTART_SPEC.redeploy.deploy),
    },
    taskManagerIdleTimeoutMs,
    resourceStabilizationTimeoutMs,
  };

  const job = resolveJob(file, doc, cluster, fail);
  let cpu: TaskManagerCpu = { requestCores: 1, limitCores: 1 };
  try {
    cpu = readTaskManagerCpu(flinkConfiguration, doc.spec.taskManager?.resource?.cpu, cluster.slotsPerTaskManager, sim.cluster?.nodes);
  } catch (e) {
    if (!(e instanceof CpuSettingError)) throw e;
    throw new ScenarioError(file, configPath(e.key), e.problem);
  }
  const executionSetting: ExecutionSetting = sim.execution ?? "auto";
  let execution: ExecutionMode = "record";
  try {
    execution = resolveExecution(executionSetting, job);
  } catch (e) {
    fail(["simulation", "execution"], (e as Error).message);
  }
  return {
    file,
    name: basename(file, extname(file)),
    variant,
    deploymentName: doc.metadata.name,
    namespace: doc.metadata.namespace ?? "default",
    flinkVersion: doc.spec.flinkVersion,
    flinkConfiguration,
    cluster,
    durationMs,
    seed: overrides.seed ?? sim.seed ?? DEFAULTS.seed,
    sampleIntervalMs,
    startTime: new Date(startEpochMs).toISOString(),
    startEpochMs,
    recordSizeBytes,
    executionSetting,
    execution,
    job,
    reconcileIntervalMs,
    restart,
    cpu,
    timerGauge: timerGaugeOverrides(file, sim.flinkMetrics),
    fetcherServesPreviousFetch: sim.flinkMetrics?.fetcherServesPreviousFetch ?? true,
    warnings,
  };
}

/** Every autoscaler option must parse; memory tuning is not supported; excluded periods must be valid. */
function validateAutoscalerConfiguration(file: string, flinkConfiguration: Record<string, string>, where: (key: string) => string): void {
  const conf = new Configuration(flinkConfiguration);
  for (const option of ALL_OPTIONS) {
    try {
      conf.get(option);
    } catch (e) {
      if (!(e instanceof IllegalConfigurationError)) throw e;
      throw new ScenarioError(file, where(e.key), `'${e.value}' is not valid: ${e.reason}`);
    }
  }
  if (conf.get(MEMORY_TUNING_ENABLED)) {
    throw new ScenarioError(file, where(MEMORY_TUNING_ENABLED.key), "memory tuning is not supported by the simulator's autoscaler port; leave it false");
  }
  const excluded = validateExcludedPeriods(conf);
  if (excluded !== undefined) throw new ScenarioError(file, where("job.autoscaler.excluded.periods"), excluded);
  // A misspelled autoscaler key would be silently ignored by Flink; here it is an error.
  const known = new Set(ALL_OPTIONS.flatMap((o) => [o.key, ...o.fallbackKeys.map((f) => f.key)]));
  for (const key of Object.keys(flinkConfiguration)) {
    if ((key.startsWith("job.autoscaler.") || key.startsWith("kubernetes.operator.job.autoscaler.")) && !known.has(key)) {
      throw new ScenarioError(file, where(key), `unknown autoscaler option${suggestion(key, [...known])}`);
    }
  }
}

function resolveJob(
  file: string,
  doc: ScenarioDocument,
  cluster: ClusterSettings,
  fail: (path: readonly PropertyKey[], message: string) => never,
): JobSpec {
  const jobDoc = doc.simulation.job;
  const base = ["simulation", "job"];
  const ids = jobDoc.operators.map((o) => o.id);
  jobDoc.operators.forEach((o, i) => {
    if (ids.indexOf(o.id) !== i) fail([...base, "operators", i, "id"], `'${o.id}' is already the id of operators[${ids.indexOf(o.id)}]`);
  });

  const edgesDoc = jobDoc.edges ?? [];
  const edges: EdgeSpec[] = edgesDoc.map((e, i) => {
    for (const end of ["from", "to"] as const) {
      if (!ids.includes(e[end])) fail([...base, "edges", i, end], `operator '${e[end]}' does not exist${suggestion(e[end], ids)}`);
    }
    if (e.from === e.to) fail([...base, "edges", i], `an edge from '${e.from}' to itself is a cycle`);
    const dup = edgesDoc.findIndex((x) => x.from === e.from && x.to === e.to);
    if (dup !== i) fail([...base, "edges", i], `duplicates edges[${dup}] (${e.from} -> ${e.to})`);
    if (e.keys !== undefined && e.shipStrategy !== "HASH") fail([...base, "edges", i, "keys"], "keys only apply to a HASH edge");
    return { from: e.from, to: e.to, shipStrategy: e.shipStrategy, keys: e.keys && { count: e.keys.count, skew: e.keys.skew ?? 0 } };
  });
  const cycle = findCycle(ids, edges);
  if (cycle !== undefined) fail([...base, "edges"], `the job graph has a cycle: ${cycle.join(" -> ")}`);

  const operators: OperatorSpec[] = jobDoc.operators.map((o, i) => {
    const path = [...base, "operators", i];
    const kind = o.kind ?? (o.source !== undefined ? "source" : "operator");
    const inputs = edges.filter((e) => e.to === o.id).length;
    const outputs = edges.filter((e) => e.from === o.id).length;
    if (kind === "source") {
      if (o.source === undefined) fail([...path, "source"], "a source needs its load, e.g. {connector: datagen, rowsPerSecond: 10}");
      if (inputs > 0) fail(path, `source '${o.id}' cannot have an input edge`);
    } else {
      if (o.source !== undefined) fail([...path, "source"], `only an operator of kind source has a source (this one is kind ${kind})`);
      if (inputs === 0) fail(path, `'${o.id}' has no input edge; only a source may have none`);
    }
    if (kind === "sink" && outputs > 0) fail(path, `sink '${o.id}' cannot have an output edge`);
    if (kind === "sink" && o.selectivity !== undefined && o.selectivity !== 0) fail([...path, "selectivity"], "a sink emits nothing; leave selectivity out");
    if (o.vertexId !== undefined && !HEX32.test(o.vertexId)) fail([...path, "vertexId"], `'${o.vertexId}' is not a JobVertexID (32 lowercase hex digits)`);
    const parallelism = o.parallelism ?? cluster.defaultParallelism;
    const maxParallelism = o.maxParallelism ?? cluster.maxParallelism;
    if (maxParallelism !== undefined && parallelism > maxParallelism) {
      fail(
        o.parallelism !== undefined ? [...path, "parallelism"] : ["spec", "job", "parallelism"],
        `parallelism ${parallelism} of '${o.id}' is above its max parallelism ${maxParallelism}${o.maxParallelism === undefined ? " (pipeline.max-parallelism)" : ""}`,
      );
    }
    if (maxParallelism === undefined && parallelism > computeDefaultMaxParallelism(parallelism)) {
      fail([...path, "parallelism"], "is above the largest max parallelism Flink allows (32768)");
    }
    return {
      id: o.id,
      name: o.name ?? o.id,
      kind,
      cost: distributionAt(file, [...path, "cost"], o.cost),
      selectivity: kind === "sink" ? 0 : (o.selectivity ?? 1),
      parallelism: o.parallelism,
      maxParallelism: o.maxParallelism,
      chaining: o.chaining ?? true,
      vertexId: o.vertexId,
      cpuShare: o.cpuShare ?? 1,
      source: o.source === undefined ? undefined : sourceAt(file, [...path, "source"], o.source),
      python:
        o.python === undefined || o.python === false
          ? undefined
          : { overhead: o.python === true ? DEFAULT_PYTHON_OVERHEAD : distributionAt(file, [...path, "python", "overhead"], o.python.overhead) },
    };
  });
  if (!operators.some((o) => o.kind === "source")) fail([...base, "operators"], "the job needs at least one operator of kind source");

  edges.forEach((e, i) => {
    const p = (id: string) => operators.find((o) => o.id === id)!.parallelism ?? cluster.defaultParallelism;
    if (e.shipStrategy === "FORWARD" && p(e.from) !== p(e.to)) {
      fail([...base, "edges", i, "shipStrategy"], `FORWARD needs equal parallelism on both ends (${e.from}: ${p(e.from)}, ${e.to}: ${p(e.to)}); use REBALANCE or RESCALE`);
    }
  });

  const job: JobSpec = { name: jobDoc.name ?? doc.metadata.name, operators, edges };
  // JobVertexIDs name vertices in parallelism overrides and exclusions: they must be unique.
  const graph = buildJobGraph(job, { defaultParallelism: cluster.defaultParallelism, maxParallelism: cluster.maxParallelism, parallelismOverrides: new Map() });
  const seen = new Map<string, string>();
  for (const v of graph.vertices) {
    const other = seen.get(v.id);
    if (other !== undefined) {
      const head = v.operators[0]!;
      fail([...base, "operators", ids.indexOf(head.id)], `its job vertex '${v.name}' has the same JobVertexID ${v.id} as '${other}'; give one of them another name or a vertexId`);
    }
    seen.set(v.id, v.name);
  }
  return job;
}

/** A cycle among the edges as a list of operator ids, or undefined. */
function findCycle(ids: readonly string[], edges: readonly EdgeSpec[]): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const e of edges) {
      if (e.from !== id) continue;
      const c = visit(e.to);
      if (c !== undefined) return c;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of ids) {
    const c = visit(id);
    if (c !== undefined) return c;
  }
  return undefined;
}
