import { spawnSync } from "node:child_process";
import { getHeapStatistics } from "node:v8";
import { median } from "d3-array";
import type { OperatorSpec } from "../../src/flink/JobGraph.ts";
import type { DistributionSpec } from "../../src/engine/distributions.ts";
import type { LoadProfileSpec } from "../../src/flink/sources/LoadProfile.ts";
import { Environment, type EventHandle } from "../../src/engine/Environment.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { type Scenario } from "../../src/scenario/Scenario.ts";
import { runScenario, type RunResult } from "../../src/run/runScenario.ts";

/** V8's used heap; process.memoryUsage() would also walk the process's pages for its RSS, which costs more than the runs' samples. */
function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** One measured run. */
export interface Measurement {
  /** The whole run: setting the cluster up, the event loop, rendering the files. */
  readonly wallMs: number;
  /** The event loop alone (what SimPy's `env.run` is timed over): events/s are computed from it. */
  readonly loopMs: number;
  readonly events: number;
  readonly virtualMs: number;
  readonly peakHeapBytes: number;
}

export interface CaseResult {
  readonly name: string;
  readonly runs: number;
  readonly events: number;
  readonly virtualS: number;
  readonly wallMs: { readonly min: number; readonly median: number; readonly max: number };
  readonly loopMs: { readonly min: number; readonly median: number; readonly max: number };
  /** Events over the median loop time. */
  readonly eventsPerSecond: number;
  readonly virtualToWall: number;
  readonly peakHeapMiB: number;
}

function summarize(name: string, ms: readonly Measurement[]): CaseResult {
  const r = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const walls = ms.map((m) => m.wallMs);
  const loops = ms.map((m) => m.loopMs);
  const wallMedian = median(walls)!;
  const loopMedian = median(loops)!;
  const spread = (xs: number[], med: number) => ({ min: r(Math.min(...xs)), median: r(med), max: r(Math.max(...xs)) });
  const events = ms[0]!.events;
  return {
    name,
    runs: ms.length,
    events,
    virtualS: ms[0]!.virtualMs / 1000,
    wallMs: spread(walls, wallMedian),
    loopMs: spread(loops, loopMedian),
    eventsPerSecond: Math.round(events / (loopMedian / 1000)),
    virtualToWall: Math.round(ms[0]!.virtualMs / wallMedian),
    peakHeapMiB: r(Math.max(...ms.map((m) => m.peakHeapBytes)) / 2 ** 20),
  };
}

/** Runs `once` `runs` times after one warm-up run (`warmUp`, by default `once` itself). */
export function measure(name: string, runs: number, once: () => Measurement, warmUp: () => unknown = once): CaseResult {
  warmUp();
  return summarize(name, Array.from({ length: runs }, once));
}

/** An Environment that adds up the time spent in its event loop. */
export class LoopTimingEnvironment extends Environment {
  loopMs = 0;

  override run(untilMs?: number): void {
    const start = performance.now();
    super.run(untilMs);
    this.loopMs += performance.now() - start;
  }
}

/** Runs `scenario` on `environment` (by default one that times its loop), its heap sampled every 10 virtual minutes. */
function measuredRun(scenario: Scenario, environment: Environment = new LoopTimingEnvironment()): { measurement: Measurement; result: RunResult } {
  let peak = heapUsed();
  const start = performance.now();
  const result = runScenario(scenario, { progressEveryMs: 600_000, onProgress: () => (peak = Math.max(peak, heapUsed())), environment });
  const wallMs = performance.now() - start;
  const loopMs = environment instanceof LoopTimingEnvironment ? environment.loopMs : NaN;
  return { measurement: { wallMs, loopMs, events: result.env.eventsProcessed, virtualMs: scenario.durationMs, peakHeapBytes: peak }, result };
}

/** The seed scenario with the autoscaler for `duration` of virtual time. */
export function seedScenarioRun(duration: string, environment?: Environment): Measurement {
  return measuredRun(loadScenario("scenarios/backpressure.yaml", { duration }), environment).measurement;
}

/**
 * Every queue operation of a run, in order: for each push its time, for each cancel
 * -(handle + 1); `eventStarts[i]` is how many operations preceded the i-th executed event.
 */
export interface QueueTrace {
  readonly ops: number[];
  readonly eventStarts: number[];
}

/** An Environment that records its queue operations (the wrapping costs time: never measure a traced run). */
export class TracingEnvironment extends Environment {
  readonly trace: QueueTrace = { ops: [], eventStarts: [] };

  override schedule(delayMs: number, action: () => void): EventHandle {
    return this.scheduleAt(this.now + delayMs, action);
  }

  override scheduleAt(timeMs: number, action: () => void): EventHandle {
    const { ops, eventStarts } = this.trace;
    ops.push(timeMs);
    return super.scheduleAt(timeMs, () => {
      eventStarts.push(ops.length);
      action();
    });
  }

  override cancel(handle: EventHandle): void {
    this.trace.ops.push(-(handle + 1));
    super.cancel(handle);
  }
}

/**
 * The limit: the model's own queue operations (every push at the same time, every cancel,
 * hence every pop, in the same order) replayed with no model work, up to the run's
 * horizon. Handles are sequence numbers, the same in both runs because the pushes are.
 */
export function replayRun(trace: QueueTrace, horizonMs: number): Measurement {
  const env = new Environment();
  const { ops, eventStarts } = trace;
  let cursor = 0;
  let executed = 0;
  const replayUntil = (end: number) => {
    for (; cursor < end; cursor++) {
      const op = ops[cursor]!;
      if (op >= 0) env.scheduleAt(op, action);
      else env.cancel(-op - 1);
    }
  };
  const action = () => {
    executed++;
    replayUntil(executed < eventStarts.length ? eventStarts[executed]! : ops.length);
  };
  const start = performance.now();
  replayUntil(eventStarts.length > 0 ? eventStarts[0]! : ops.length);
  env.run(horizonMs);
  const wallMs = performance.now() - start;
  return { wallMs, loopMs: wallMs, events: env.eventsProcessed, virtualMs: env.now, peakHeapBytes: heapUsed() };
}

/**
 * A synthetic bare loop: `events` schedule/pop operations with no model work, `chains`
 * events pending at a time.
 */
export function bareLoopRun(events: number, chains = 4): Measurement {
  const env = new Environment();
  let left = events - chains; // events still to schedule after the first `chains`
  const tick = () => {
    if (left > 0) {
      left--;
      env.schedule(1, tick);
    }
  };
  for (let i = 0; i < chains; i++) env.schedule(i, tick);
  const start = performance.now();
  env.run();
  const wallMs = performance.now() - start;
  return { wallMs, loopMs: wallMs, events: env.eventsProcessed, virtualMs: env.now, peakHeapBytes: heapUsed() };
}

/**
 * The seed's job without the autoscaler, the map at `parallelism`: the model the SimPy peer also implements, a
 * source rate-limited to 10 rows/s that keeps no backlog (the FLIP-27 datagen, `datastream-datagen`) and a map
 * taking one record at a time (a Java map, not the seed's Python bundles).
 */
export function staticSeedRun(parallelism: number, duration: string, environment?: Environment): Measurement & { processed: number } {
  const { measurement, result } = measuredRun(seedScenarioFor(parallelism, duration), environment);
  const map = result.summary.vertices.find((v) => v.name.startsWith("Map"))!;
  return { ...measurement, processed: map.records_in };
}

function seedScenarioFor(parallelism: number, duration: string): Scenario {
  const base = loadScenario("scenarios/backpressure.yaml", { duration, set: { "job.autoscaler.enabled": "false" } });
  return {
    ...base,
    job: {
      ...base.job,
      operators: base.job.operators.map((o) => {
        if (o.source?.connector === "datagen") return { ...o, source: { ...o.source, connector: "datastream-datagen" as const } };
        return o.kind === "source" ? o : { ...o, parallelism, python: undefined };
      }),
    },
  };
}

/**
 * The SimPy peer's model at a production rate: the static seed job with its source at
 * `rate` rows/s and the map at `costMs` a record, run in the aggregate mode.
 */
export function staticJobAtRate(parallelism: number, duration: string, rate: number, costMs: number, environment?: Environment): Measurement & { processed: number } {
  const base = seedScenarioFor(parallelism, duration);
  const scenario: Scenario = {
    ...base,
    execution: "aggregate",
    job: {
      ...base.job,
      operators: base.job.operators.map((o) => {
        if (o.source !== undefined) return { ...o, source: { ...o.source, load: { profile: "constant" as const, rate } } };
        return o.id === "map" ? { ...o, cost: { kind: "constant" as const, value: costMs } } : o;
      }),
    },
  };
  const { measurement, result } = measuredRun(scenario, environment);
  const map = result.summary.vertices.find((v) => v.name.startsWith("Map"))!;
  return { ...measurement, processed: map.records_in };
}

/** The SimPy peer on the same model: events scheduled, its own wall time, records processed; `rate` rows/s and `costS` s a record (default the seed's 10 and 2). */
export function simpyRun(parallelism: number, durationS: number, channelCapacity: number, rate = 10, costS = 2): { events: number; wallMs: number; processed: number } {
  const r = spawnSync(PYTHON, ["test/bench/peers/simpy_backpressure.py", String(parallelism), String(durationS), String(channelCapacity), String(rate), String(costS)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`SimPy peer failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { events: number; wallMs: number; processed: number };
}

/** Debian's python3 with python3-simpy3; installed with apt-get when missing (root only). */
export const PYTHON = "/usr/bin/python3";

export function ensureSimpy(): boolean {
  const check = () => spawnSync(PYTHON, ["-c", "import simpy"], { encoding: "utf8" }).status === 0;
  if (check()) return true;
  const install = spawnSync("apt-get", ["install", "-y", "python3-simpy3"], { encoding: "utf8" });
  return install.status === 0 && check();
}

/**
 * The growth case: a 6-vertex job (source, parse, aggregate by key, enrich, format, sink)
 * at `rate` records/s, each vertex sized to about half its capacity (parallelism up to 100).
 */
export function growthRun(rate: number, duration: string, environment?: Environment): Measurement {
  const costMs = 0.5;
  const p = Math.min(100, Math.max(1, Math.ceil((rate * costMs) / 1000 / 0.5)));
  const base = loadScenario("scenarios/backpressure.yaml", { duration, set: { "job.autoscaler.enabled": "false", "taskmanager.numberOfTaskSlots": "4", "pipeline.max-parallelism": "128" } });
  const op = (id: string, extra: Partial<OperatorSpec>): OperatorSpec => ({
    id,
    name: id,
    kind: "operator",
    cost: { kind: "constant", value: costMs },
    selectivity: 1,
    parallelism: p,
    maxParallelism: undefined,
    chaining: true,
    vertexId: undefined,
    source: undefined,
    ...extra,
  });
  const scenario: Scenario = {
    ...base,
    sampleIntervalMs: 60_000,
    // A core for each of a slot's six busy threads (4 slots): the CPU never limits this job, as before the CPU model.
    cpu: { requestCores: 24, limitCores: 24 },
    job: {
      name: "growth",
      operators: [
        // The rate-limited FLIP-27 datagen (what `datagen` meant before it became Flink 1.18's legacy Table/SQL source).
        op("source", { name: "Source: events", kind: "source", cost: { kind: "constant", value: 0.05 }, source: { connector: "datastream-datagen", load: { profile: "constant", rate }, noise: undefined } }),
        op("parse", {}),
        op("aggregate", {}),
        op("enrich", {}),
        op("format", {}),
        op("sink", { name: "Sink: out", kind: "sink", selectivity: 0 }),
      ],
      edges: [
        { from: "source", to: "parse", shipStrategy: "REBALANCE", keys: undefined },
        { from: "parse", to: "aggregate", shipStrategy: "HASH", keys: { count: 10_000, skew: 0 } },
        { from: "aggregate", to: "enrich", shipStrategy: "REBALANCE", keys: undefined },
        { from: "enrich", to: "format", shipStrategy: "RESCALE", keys: undefined },
        { from: "format", to: "sink", shipStrategy: "REBALANCE", keys: undefined },
      ],
    },
  };
  return measuredRun(scenario, environment).measurement;
}

/** `spec` with every duration multiplied by `k`. */
function scaledCost(spec: DistributionSpec, k: number): DistributionSpec {
  switch (spec.kind) {
    case "constant":
      return { kind: "constant", value: spec.value * k };
    case "uniform":
      return { kind: "uniform", min: spec.min * k, max: spec.max * k };
    case "exponential":
      return { kind: "exponential", mean: spec.mean * k };
    case "normal":
      return { kind: "normal", mean: spec.mean * k, stddev: spec.stddev * k };
    case "lognormal":
      return { kind: "lognormal", median: spec.median * k, p95: spec.p95 * k };
  }
}

/**
 * The production-scale case: scenarios/production/kafka-24-partitions.yaml (24 partitions, a
 * daily sine peaking at 10^5 records/s, the autoscaler on) with its rates scaled to peak at
 * `peakRate` and its costs scaled inversely, so that every rate shows the autoscaler the same
 * utilization and the same decisions: only the number of records differs.
 */
export function kafka24Scenario(peakRate: number, duration: string, execution: "record" | "aggregate"): Scenario {
  // Its one source follows a sine peaking at 10^5 records/s; it has no joins or async operators.
  return scaledScenario(loadScenario("scenarios/production/kafka-24-partitions.yaml", { duration, set: { "simulation.execution": execution } }), peakRate / 100_000);
}

export function kafka24Run(peakRate: number, duration: string, execution: "record" | "aggregate", environment?: Environment): Measurement {
  return measuredRun(kafka24Scenario(peakRate, duration, execution), environment).measurement;
}

/** `load` with every rate multiplied by `k`. */
function scaledLoad(load: LoadProfileSpec, k: number): LoadProfileSpec {
  switch (load.profile) {
    case "constant":
      return { ...load, rate: load.rate * k };
    case "steps":
      return { ...load, steps: load.steps.map((s) => ({ ...s, rate: s.rate * k })) };
    case "ramp":
      return { ...load, from: load.from * k, to: load.to * k };
    case "sine":
      return { ...load, min: load.min * k, max: load.max * k };
    case "trace":
      return { ...load, points: load.points.map((p) => ({ ...p, rate: p.rate * k })) };
  }
}

/**
 * A catalogue job at `k` times its rates with its costs divided by `k` (its per-operator
 * costs and its two-input operators' per-input costs): every vertex sees the same
 * utilization, so the autoscaler decides alike and only the number of records differs.
 * Where the rate enters otherwise it is scaled too: a join's window or interval by 1/k (its
 * output, r1 x r2 x window / keys, then grows by k like its inputs; scaling the key count
 * instead costs the aggregate mode time in proportion to the keys, docs/benchmarks.md) and an
 * async operator's capacity by k (requests in flight at the same latency). The CPU limits and
 * nodes stay: the CPU each TaskManager wants is the same at every k.
 */
export function scaledScenario(base: Scenario, k: number): Scenario {
  return {
    ...base,
    job: {
      ...base.job,
      operators: base.job.operators.map((o) => ({
        ...o,
        cost: scaledCost(o.cost, 1 / k),
        ...(o.inputs === undefined ? {} : { inputs: o.inputs.map((i) => ({ ...i, cost: scaledCost(i.cost, 1 / k) })) }),
        ...(o.async === undefined ? {} : { async: { ...o.async, capacity: Math.round(o.async.capacity * k) } }),
        ...(o.join === undefined ? {} : { join: o.join.type === "window" ? { ...o.join, sizeMs: o.join.sizeMs / k } : { ...o.join, lowerMs: o.join.lowerMs / k, upperMs: o.join.upperMs / k } }),
        source: o.source === undefined ? undefined : { ...o.source, load: scaledLoad(o.source.load, k) },
      })),
    },
  };
}

/**
 * The flatness cases (issue 23, "Measured"): `file` (its first variant) in the aggregate
 * mode with its rates scaled so that its total source rate is `rate` records/s (`baseRate`
 * is the file's own total source rate at the start).
 */
export function scaledCatalogueScenario(file: string, baseRate: number, rate: number, duration: string): Scenario {
  return scaledScenario(loadScenario(file, { duration, set: { "simulation.execution": "aggregate" } }), rate / baseRate);
}

/** A scenario file as it stands, for `duration`, in `execution` mode. */
export function scenarioFileRun(file: string, duration: string, execution: "record" | "aggregate"): Measurement {
  return measuredRun(loadScenario(file, { duration, set: { "simulation.execution": execution } })).measurement;
}

export function scaledCatalogueRun(file: string, baseRate: number, rate: number, duration: string): Measurement & { delivered: number; scalings: number } {
  const { measurement, result } = measuredRun(scaledCatalogueScenario(file, baseRate, rate, duration));
  return { ...measurement, delivered: result.summary.records_delivered_to_sinks, scalings: result.summary.autoscaling.scalings };
}
