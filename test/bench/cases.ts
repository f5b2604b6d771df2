import { median } from "d3-array";
import { Environment } from "../../src/engine/Environment.ts";
import { loadScenario } from "../../src/scenario/loadScenario.ts";
import { runScenario } from "../../sim/runScenario.ts";

/** One measured run. */
export interface Measurement {
  readonly wallMs: number;
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
  /** From the median run. */
  readonly eventsPerSecond: number;
  readonly virtualToWall: number;
  readonly peakHeapMiB: number;
}

function summarize(name: string, ms: readonly Measurement[]): CaseResult {
  const walls = ms.map((m) => m.wallMs);
  const med = median(walls)!;
  const events = ms[0]!.events;
  const r = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    name,
    runs: ms.length,
    events,
    virtualS: ms[0]!.virtualMs / 1000,
    wallMs: { min: r(Math.min(...walls)), median: r(med), max: r(Math.max(...walls)) },
    eventsPerSecond: Math.round(events / (med / 1000)),
    virtualToWall: Math.round(ms[0]!.virtualMs / med),
    peakHeapMiB: r(Math.max(...ms.map((m) => m.peakHeapBytes)) / 2 ** 20),
  };
}

/** Runs `once` `runs` times after one warm-up run. */
export function measure(name: string, runs: number, once: () => Measurement): CaseResult {
  once();
  return summarize(name, Array.from({ length: runs }, once));
}

/** The seed scenario (no autoscaler yet) for `duration` of virtual time. */
export function seedScenarioRun(duration: string): Measurement {
  const scenario = loadScenario("scenarios/backpressure.yaml", { duration });
  let peak = process.memoryUsage().heapUsed;
  const start = performance.now();
  const result = runScenario(scenario, {
    progressEveryMs: 600_000,
    onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)),
  });
  const wallMs = performance.now() - start;
  return { wallMs, events: result.env.eventsProcessed, virtualMs: scenario.durationMs, peakHeapBytes: peak };
}

/**
 * The limit: the same number of schedule/pop operations with no model work, `chains`
 * events pending at a time (about what the seed model keeps in its queue).
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
  return { wallMs, events: env.eventsProcessed, virtualMs: env.now, peakHeapBytes: process.memoryUsage().heapUsed };
}
