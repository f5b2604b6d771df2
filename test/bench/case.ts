/**
 * One benchmark case in a process of its own (spawned by run.ts): a case then never runs
 * on a heap that an earlier case grew (replay traces hold millions of numbers); in one
 * process the static p=12 loop took 218 to 261 ms from one bench run to the next.
 * Prints one JSON line: the CaseResult, and for the static seed job the records processed.
 *
 * Usage: case.ts <case> <runs> [args], where <case> is one of
 *   seed <duration> | static <parallelism> <duration> | growth <rate> <duration>
 *   kafka24 <peak rate> <duration> | kafka24-record <peak rate> <duration>
 *   static-rate <parallelism> <duration> <rate> <cost ms> (aggregate)
 *   replay-seed <duration> | replay-static <parallelism> <duration> | replay-growth <rate> <duration>
 *   bare <events>
 *   scaled <file> <its total source rate> <rate> <duration> (aggregate; rates x, costs / rate over its own)
 *   file <file> <duration> <record|aggregate>
 */
import { bareLoopRun, growthRun, kafka24Run, staticJobAtRate, measure, replayRun, scaledCatalogueRun, scenarioFileRun, seedScenarioRun, staticSeedRun, TracingEnvironment, type CaseResult, type Measurement } from "./cases.ts";

const [kind, runsArg, a = "", b = ""] = process.argv.slice(2);
const runs = Number(runsArg);

/** The model run of a case, on the given environment when one is given. */
function modelRun(model: string, x: string, y: string): ((env?: TracingEnvironment) => Measurement) | null {
  switch (model) {
    case "seed":
      return (env) => seedScenarioRun(x, env);
    case "static":
      return (env) => staticSeedRun(Number(x), y, env);
    case "growth":
      return (env) => growthRun(Number(x), y, env);
    case "kafka24":
      return (env) => kafka24Run(Number(x), y, "aggregate", env);
    case "kafka24-record":
      return (env) => kafka24Run(Number(x), y, "record", env);
    default:
      return null;
  }
}

/** Warm-up for the short cases: at least three runs and a second, so the JIT has settled before anything is timed. */
function warmUpOf(once: () => unknown): () => void {
  return () => {
    const start = performance.now();
    for (let n = 0; n < 3 || (performance.now() - start < 1000 && n < 50); n++) once();
  };
}

function run(): CaseResult & { processed?: number } {
  if (kind === "bare") {
    const bare = () => bareLoopRun(Number(a));
    return measure(kind, runs, bare, warmUpOf(bare));
  }
  if (kind?.startsWith("replay-")) {
    const once = modelRun(kind.slice("replay-".length), a, b);
    if (once === null) throw new Error(`unknown case ${kind}`);
    const env = new TracingEnvironment();
    const traced = once(env);
    const replay = () => replayRun(env.trace, traced.virtualMs);
    return measure(kind, runs, replay, warmUpOf(replay));
  }
  if (kind === "static-rate") {
    // static-rate <parallelism> <duration> <rate> <cost ms>
    const [, , , , rate = "", cost = ""] = process.argv.slice(2);
    let processed = 0;
    const once = () => {
      const m = staticJobAtRate(Number(a), b, Number(rate), Number(cost));
      processed = m.processed;
      return m;
    };
    return { ...measure(kind, runs, once, () => staticJobAtRate(Number(a), "10min", Number(rate), Number(cost))), processed };
  }
  if (kind === "scaled") {
    // scaled <file> <base rate> <rate> <duration>: warmed up on ten virtual minutes of the same job.
    const [, , file = "", baseRate = "", rate = "", duration = ""] = process.argv.slice(2);
    let extra = { delivered: 0, scalings: 0 };
    const once = () => {
      const m = scaledCatalogueRun(file, Number(baseRate), Number(rate), duration);
      extra = { delivered: m.delivered, scalings: m.scalings };
      return m;
    };
    return { ...measure(kind, runs, once, () => scaledCatalogueRun(file, Number(baseRate), Number(rate), "10min")), ...extra };
  }
  if (kind === "file") {
    // file <file> <duration> <execution>: warmed up on one virtual minute of the same job.
    const [, , file = "", duration = "", execution = ""] = process.argv.slice(2);
    if (execution !== "record" && execution !== "aggregate") throw new Error(`file case: execution must be record or aggregate, got ${execution}`);
    return measure(kind, runs, () => scenarioFileRun(file, duration, execution), () => scenarioFileRun(file, "1min", execution));
  }
  if (kind === "static") {
    // The records processed are the same in every run: kept from the measured ones, not from an extra run.
    let processed = 0;
    const once = () => {
      const m = staticSeedRun(Number(a), b);
      processed = m.processed;
      return m;
    };
    return { ...measure(kind, runs, once, warmUpOf(once)), processed };
  }
  const once = modelRun(kind ?? "", a, b);
  if (once === null) throw new Error(`unknown case ${kind}`);
  // The growth cases warm up on one virtual minute: their measured runs take up to a minute each.
  // The production-scale cases warm up on one virtual hour of the same job.
  const warmUp = kind === "growth" ? () => growthRun(Number(a), "1min") : kind!.startsWith("kafka24") ? () => kafka24Run(Number(a), "1h", kind === "kafka24" ? "aggregate" : "record") : warmUpOf(() => once());
  return measure(kind!, runs, () => once(), warmUp);
}

process.stdout.write(`${JSON.stringify(run())}\n`);
