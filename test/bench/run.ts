/**
 * npm run bench: measures the simulator side by side with the bare event loop and a SimPy
 * peer of the same model, and writes out/bench/results.json. Every figure compares runs
 * made in this one session, one after the other: ratios, not absolute speeds. Each case
 * runs in a fresh Node process (case.ts), so that no case runs on a heap an earlier one grew.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { median } from "d3-array";
import { ensureSimpy, simpyRun, type CaseResult } from "./cases.ts";
import { peakRss, wholeProcess, type WholeProcess } from "./peakRss.ts";
import { catalogueRecord } from "./catalogueCase.ts";

/** Runs one case of case.ts in a process of its own and returns its result, named `name`. */
function runCase(name: string, caseRuns: number, kind: string, ...args: (string | number)[]): CaseResult & { processed?: number } {
  const child = spawnSync(process.execPath, ["--import", "tsx", "test/bench/case.ts", kind, String(caseRuns), ...args.map(String)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`bench case ${kind} ${args.join(" ")} failed: ${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as CaseResult & { processed?: number }), name };
}

const runs = Number(process.env.BENCH_RUNS ?? 5);
// `npm run bench -- sweep` runs only the sweep case (5. below), `npm run bench -- production` only 6., `npm run bench -- memory`, `npm run bench -- seed-day`,
// `npm run bench -- flatness`, `npm run bench -- python`, `npm run bench -- catalogue-record` and `npm run bench -- playground` only theirs.
const only = process.argv[2];
const results: CaseResult[] = [];
const out: Record<string, unknown> = {};
const say = (line: string) => process.stdout.write(`${line}\n`);
const log = <R extends CaseResult>(r: R): R => {
  results.push(r);
  say(
    `${r.name.padEnd(44)} wall ms min/median/max ${r.wallMs.min}/${r.wallMs.median}/${r.wallMs.max}  ` +
      (r.loopMs.median !== r.wallMs.median ? `event loop ms ${r.loopMs.min}/${r.loopMs.median}/${r.loopMs.max}  ` : "") +
      `${r.events} events  ${r.eventsPerSecond.toLocaleString("en-US")} events/s  virtual/wall ${r.virtualToWall.toLocaleString("en-US")}x  peak heap ${r.peakHeapMiB} MiB`,
  );
  return r;
};

if (only === undefined) {
  // 1. The seed scenario with the autoscaler, 24 h of virtual time.
  log(runCase("seed scenario with autoscaler, 1 h", runs, "seed", "1h"));
  const seed24h = log(runCase("seed scenario with autoscaler, 24 h", runs, "seed", "24h"));

  // 2. The limit: the model's own queue operations replayed with no model work (and, for reference, a synthetic
  // loop of as many events with 4 pending). The share is the model's events/s over the replay's.
  const shares: Record<string, number> = {};
  const limitOf = (name: string, model: CaseResult, replayKind: string, ...args: (string | number)[]) => {
    const replay = log(runCase(`  bare loop replaying ${name}`, runs, replayKind, ...args));
    shares[name] = model.eventsPerSecond / replay.eventsPerSecond;
    say(`  model events/s as a share of the bare loop's: ${shares[name]!.toFixed(3)}`);
  };
  limitOf("seed scenario with autoscaler, 24 h", seed24h, "replay-seed", "24h");
  log(runCase("  synthetic bare loop, same events, 4 pending", runs, "bare", seed24h.events));

  // 3. The SimPy peer on the same model (datagen 10 rows/s, bounded channel, map 2 s per record), 24 h.
  if (ensureSimpy()) {
    const peers: Record<string, unknown>[] = [];
    for (const parallelism of [1, 12]) {
      const ours = log(runCase(`static seed job, map p=${parallelism}, 24 h`, runs, "static", parallelism, "24h"));
      limitOf(`static seed job, map p=${parallelism}, 24 h`, ours, "replay-static", parallelism, "24h");
      const processed = ours.processed!;
      // The channel's capacity: what the simulated network holds before the source blocks (about 10 x 512 records per channel).
      const simpy = Array.from({ length: Math.max(1, Math.min(runs, 3)) }, () => simpyRun(parallelism, 86_400, 5120));
      const simpyWall = median(simpy.map((s) => s.wallMs))!;
      const simpyEventsPerSecond = Math.round(simpy[0]!.events / (simpyWall / 1000));
      // SimPy is timed over env.run only, as our events/s are over the event loop only; the whole-run ratio
      // also charges us for building the cluster and rendering the files, which the peer does not do.
      const row = {
        parallelism,
        oursEventsPerSecond: ours.eventsPerSecond,
        simpyEventsPerSecond,
        eventsPerSecondRatio: ours.eventsPerSecond / simpyEventsPerSecond,
        loopWallRatio: simpyWall / ours.loopMs.median,
        wholeRunWallRatio: simpyWall / ours.wallMs.median,
        oursProcessed: processed,
        simpyProcessed: simpy[0]!.processed,
      };
      peers.push(row);
      say(
        `  SimPy p=${parallelism}: ${simpy[0]!.events} events in ${simpyWall.toFixed(0)} ms (${simpyEventsPerSecond.toLocaleString("en-US")} events/s); ` +
          `ours/SimPy events/s ${row.eventsPerSecondRatio.toFixed(1)}x, SimPy/ours event-loop wall ${row.loopWallRatio.toFixed(1)}x (whole run ${row.wholeRunWallRatio.toFixed(1)}x); ` +
          `records processed ours ${processed}, SimPy ${row.simpyProcessed}`,
      );
    }
    out.simpy = peers;
  } else {
    say("SimPy peer skipped: python3-simpy3 is not installed and could not be installed (apt-get needs root)");
  }

  // 4. Growth: a 6-vertex job at 10^3, 10^4, 10^5 records/s, one hour of virtual time except 10^5, which runs one
  // minute (an hour takes about half an hour); the figure compared is wall time per virtual second. The warm-up runs
  // one virtual minute.
  const growth: Record<string, unknown>[] = [];
  for (const [rate, duration] of [[1_000, "1h"], [10_000, "1h"], [100_000, "1min"]] as const) {
    const name = `growth: 6 vertices at ${rate.toLocaleString("en-US")} rec/s, ${duration}`;
    const r = log(runCase(name, Math.min(runs, 2), "growth", rate, duration));
    if (rate <= 1_000) limitOf(name, r, "replay-growth", rate, duration); // larger traces would not fit the heap
    growth.push({ rate, duration, wallMsPerVirtualSecond: r.wallMs.median / r.virtualS, eventsPerSecond: r.eventsPerSecond, events: r.events });
    say(`  ${(r.wallMs.median / r.virtualS).toFixed(2)} ms wall per virtual second; one virtual hour ≈ ${((3600 * r.wallMs.median) / r.virtualS / 1000).toFixed(0)} s`);
  }
  out.growth = growth;
  out.modelShareOfBareLoop = shares;
}

// 6. Production scale: the 24-partition Kafka job with the autoscaler, 24 h of virtual time, its peak rate from
// 10^3 to 10^6 records/s with costs scaled to match (the same utilization, the same decisions), in the aggregate
// mode; then both modes side by side for one virtual hour, where `auto` has to choose between them.
if (only === undefined || only === "production") {
  const production: Record<string, unknown>[] = [];
  for (const rate of [1_000, 10_000, 100_000, 1_000_000]) {
    const r = log(runCase(`kafka 24 partitions, peak ${rate.toLocaleString("en-US")} rec/s, aggregate, 24 h`, Math.min(runs, 3), "kafka24", rate, "24h"));
    production.push({ peakRate: rate, execution: "aggregate", duration: "24h", wallMs: r.wallMs.median });
  }
  const first = production[0]!.wallMs as number;
  const last = production[production.length - 1]!.wallMs as number;
  say(`  wall time from 10^3 to 10^6 records/s: x${(last / first).toFixed(2)}`);
  for (const rate of [100, 300, 1_000, 3_000]) {
    const rec = log(runCase(`kafka 24 partitions, peak ${rate.toLocaleString("en-US")} rec/s, record, 1 h`, Math.min(runs, 3), "kafka24-record", rate, "1h"));
    const agg = log(runCase(`kafka 24 partitions, peak ${rate.toLocaleString("en-US")} rec/s, aggregate, 1 h`, Math.min(runs, 3), "kafka24", rate, "1h"));
    say(`  record / aggregate wall: ${(rec.wallMs.median / agg.wallMs.median).toFixed(2)}x`);
    production.push({ peakRate: rate, execution: "record", duration: "1h", wallMs: rec.wallMs.median }, { peakRate: rate, execution: "aggregate", duration: "1h", wallMs: agg.wallMs.median });
  }
  out.production = { runs: production, growth10e3to10e6: last / first };

  // Against SimPy at a production rate: the peer's model (a source into a bounded channel, p map workers taking one
  // record at a time) at 10^4 rows/s with the map at 1 ms a record and p=12, ten virtual minutes (SimPy takes about
  // half a minute for them), ours in aggregate.
  if (ensureSimpy()) {
    const ours = log(runCase("static job, 10^4 rows/s, map 1 ms, p=12, aggregate, 10 min", Math.min(runs, 3), "static-rate", 12, "10min", 10_000, 1));
    const simpy = simpyRun(12, 600, 5120, 10_000, 0.001);
    say(`  SimPy: ${simpy.events} events in ${simpy.wallMs.toFixed(0)} ms; SimPy / ours whole-run wall ${(simpy.wallMs / ours.wallMs.median).toFixed(0)}x; records processed ours ${ours.processed}, SimPy ${simpy.processed}`);
    out.simpyAtRate = { oursWallMs: ours.wallMs.median, simpyWallMs: simpy.wallMs, ratio: simpy.wallMs / ours.wallMs.median, oursProcessed: ours.processed, simpyProcessed: simpy.processed };
  }
}

// 5. A sweep of 1,000 runs of the seed scenario (2 variants x 2 utilization targets x 250 seeds, 1 h virtual each),
// compiled, on every core and then on one thread. The one-thread sweep's wall time is the sum of the single-run
// times (runs one after the other in one warm thread); the pool's overhead is what the parallel sweep takes beyond
// that sum split over its workers. Its CPU time over its wall time is the cores it kept busy.
if (only === undefined || only === "sweep") {
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  const sweepCase = (jobs: number) => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "test/bench/sweepCase.ts", String(jobs), process.env.BENCH_SWEEP_REPLICATIONS ?? "250"], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`sweep case failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as { jobs: number; runs: number; wallMs: number; cpuMs: number; runMs: number; cores: number; cellsCsv: string };
  };
  const jobs = availableParallelism();
  const parallel = sweepCase(jobs);
  say(`sweep of ${parallel.runs} seed-scenario runs (1 h each) on ${jobs} workers: ${(parallel.wallMs / 1000).toFixed(1)} s wall, ${(parallel.cpuMs / 1000).toFixed(1)} s CPU: ${parallel.cores} cores busy on average`);
  const serial = sweepCase(1);
  say(`  the same sweep on one thread: ${(serial.wallMs / 1000).toFixed(1)} s wall (the sum of the single-run times), ${serial.cores} cores busy`);
  const overhead = (jobs * parallel.wallMs) / serial.wallMs - 1;
  const inWorkers = (jobs * parallel.wallMs) / parallel.runMs - 1;
  say(`  pool overhead over the sum of single-run times: ${(100 * overhead).toFixed(1)}% (workers x wall against the one-thread sweep); ${(100 * inWorkers).toFixed(1)}% against the runs' own times in the workers`);
  say(`  speed-up ${(serial.wallMs / parallel.wallMs).toFixed(2)}x; cells.csv ${parallel.cellsCsv === serial.cellsCsv ? "identical" : "DIFFERENT"} on ${jobs} workers and on one thread`);
  out.sweep = { runs: parallel.runs, jobs, parallel: { ...parallel, cellsCsv: undefined }, serial: { ...serial, cellsCsv: undefined }, poolOverhead: overhead, overheadInWorkers: inWorkers, identical: parallel.cellsCsv === serial.cellsCsv };
}

// 8. The seed's day as a whole process (issue 26: under 0.6 s): `node dist/cli.mjs scenarios/backpressure.yaml --variant
// tracking-on --duration 24h --quiet`, report and DEBUG log included, as a user runs it; wall time, CPU time (every
// thread) and peak RSS, medians of BENCH_RUNS after one warm-up run (the file cache). BENCH_BASELINE_CLI names another
// build's cli.mjs (say main's: `node sim/build.mjs --outdir <this tree>/out/base-dist` in a checkout of main; it must
// lie in this tree to find node_modules): its runs alternate with ours, in the same minutes. The SimPy peer's model of the
// same job without the autoscaler (the map at p=1, one process, its env.run timed) is printed beside them.
if (only === undefined || only === "seed-day") {
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  const builds: [string, string][] = [["this tree", "dist/cli.mjs"]];
  if (process.env.BENCH_BASELINE_CLI !== undefined) builds.push(["baseline", process.env.BENCH_BASELINE_CLI]);
  const once = (cli: string) => wholeProcess(cli, "scenarios/backpressure.yaml", "tracking-on", "24h");
  for (const [, cli] of builds) once(cli);
  const load = loadavg()[0]!;
  const measured = builds.map(() => [] as WholeProcess[]);
  for (let i = 0; i < runs; i++) builds.forEach(([, cli], b) => measured[b]!.push(once(cli)));
  const seedDay = builds.map(([name, cli], b) => {
    const ms = measured[b]!;
    const med = (f: (m: WholeProcess) => number) => median(ms.map(f))!;
    return { name, cli, runs: ms.length, wallMs: { min: Math.min(...ms.map((m) => m.wallMs)), median: med((m) => m.wallMs), max: Math.max(...ms.map((m) => m.wallMs)) }, cpuMs: med((m) => m.cpuMs), peakRssMiB: med((m) => m.peakRssMiB) };
  });
  const loadAfter = loadavg()[0]!;
  for (const r of seedDay) {
    say(`seed's day, one variant, whole process (${r.name}, ${r.cli}): wall ms min/median/max ${r.wallMs.min}/${r.wallMs.median}/${r.wallMs.max}  CPU ${r.cpuMs} ms  peak RSS ${r.peakRssMiB} MiB`);
  }
  say(`  load average ${load.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cpus().length} cores)`);
  let simpyDayMs: number | undefined;
  if (ensureSimpy()) {
    simpyDayMs = median(Array.from({ length: Math.max(1, Math.min(runs, 3)) }, () => simpyRun(1, 86_400, 5120).wallMs))!;
    say(`  SimPy's model of the job without the autoscaler (map p=1), its env.run for the day: ${simpyDayMs.toFixed(0)} ms`);
  }
  out.seedDay = { runs: seedDay, loadAverage: [load, loadAfter], simpyDayMs };
}

/**
 * Cases run one process each, alternating between them round after round (one measured run per process after its
 * warm-up), so that a shared machine's load falls on all of them alike; per case its runs' wall times and their median.
 */
function alternate(cases: readonly { name: string; kind: string; args: (string | number)[] }[], rounds: number): { name: string; wallMs: number[]; median: number; result: CaseResult & Record<string, unknown> }[] {
  const walls = cases.map(() => [] as number[]);
  const last: (CaseResult & Record<string, unknown>)[] = [];
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const res = runCase(c.name, 1, c.kind, ...c.args) as CaseResult & Record<string, unknown>;
      walls[i]!.push(res.wallMs.median);
      last[i] = res;
    });
  }
  return cases.map((c, i) => {
    const med = median(walls[i]!)!;
    const result = { ...last[i]!, wallMs: { min: Math.min(...walls[i]!), median: med, max: Math.max(...walls[i]!) }, runs: rounds };
    log(result);
    return { name: c.name, wallMs: walls[i]!, median: med, result };
  });
}

// 9. Flat in rate with the new mechanisms (issue 23, "Measured"): the CPU-bound job (scenarios/cpu-bound.yaml, detection
// on: shared CPU on one node) at 10^3 and 10^6 records/s, 24 h, and the join pipeline (scenarios/join-enrichment.yaml:
// interval join, BROADCAST rules, async lookup) for 2 h (a day of it takes some 100 s on a loaded machine), aggregate
// mode, their rates scaled and their costs scaled inversely (scaledScenario in cases.ts). Target: the two rates within
// 2x of each other.
if (only === undefined || only === "flatness") {
  const load = loadavg()[0]!;
  const flatness: Record<string, unknown>[] = [];
  // Each file's total source rate at the start: cpu-bound 75 records/s; join-enrichment 40 orders + 20 payments + 1 rule.
  const jobs = [
    ["scenarios/cpu-bound.yaml", 75, "CPU-bound job", "24h"],
    ["scenarios/join-enrichment.yaml", 61, "join pipeline", "2h"],
  ] as const;
  for (const [file, baseRate, label, duration] of jobs) {
    const rates = [1_000, 1_000_000];
    const measured = alternate(
      rates.map((rate) => ({ name: `${label}, ${rate.toLocaleString("en-US")} rec/s, aggregate, ${duration}`, kind: "scaled", args: [file, baseRate, rate, duration] })),
      Math.min(runs, 3),
    );
    const ratio = measured[1]!.median / measured[0]!.median;
    say(`  ${label}: wall time at 10^6 over 10^3 records/s: ${ratio.toFixed(2)}x (limit 2x); scalings ${measured.map((m) => m.result.scalings).join(" / ")}, records delivered ${measured.map((m) => Number(m.result.delivered).toLocaleString("en-US")).join(" / ")}`);
    flatness.push({ file, label, duration, rates, wallMs: measured.map((m) => m.wallMs), medianWallMs: measured.map((m) => m.median), ratio, scalings: measured.map((m) => m.result.scalings), delivered: measured.map((m) => m.result.delivered), events: measured.map((m) => m.result.events) });
  }
  const loadAfter = loadavg()[0]!;
  say(`  load average ${load.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cpus().length} cores)`);
  out.flatness = { cases: flatness, loadAverage: [load, loadAfter] };
}

// 10. The Python job (issue 26, "Measured"): scenarios/validation/python-1k.yaml, python-10k.yaml and
// scenarios/production/pyflink-100k.yaml (10^3, 10^4, 10^5 records/s) in both modes: aggregate for 24 h; record by record
// for 10 virtual minutes (10^3, 10^4) and 1 virtual minute (10^5), reported also as wall time per virtual hour (x6, x60:
// record mode's cost grows with the duration). Then pyflink-100k's day as a whole process, report included, as a user runs it.
if (only === undefined || only === "python") {
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  const load = loadavg()[0]!;
  const jobs = [
    [1_000, "scenarios/validation/python-1k.yaml", "10min"],
    [10_000, "scenarios/validation/python-10k.yaml", "10min"],
    [100_000, "scenarios/production/pyflink-100k.yaml", "1min"],
  ] as const;
  const rounds = Math.min(runs, 3);
  const aggregate = alternate(
    jobs.map(([rate, file]) => ({ name: `python ${rate.toLocaleString("en-US")} rec/s (${file.split("/").pop()}), aggregate, 24 h`, kind: "file", args: [file, "24h", "aggregate"] })),
    rounds,
  );
  const record = alternate(
    jobs.map(([rate, file, duration]) => ({ name: `python ${rate.toLocaleString("en-US")} rec/s (${file.split("/").pop()}), record, ${duration}`, kind: "file", args: [file, duration, "record"] })),
    rounds,
  );
  const python = jobs.map(([rate, file, duration], i) => {
    const perHour = (record[i]!.median * 3_600) / record[i]!.result.virtualS;
    say(`  ${rate.toLocaleString("en-US")} rec/s: aggregate 24 h ${(aggregate[i]!.median / 1000).toFixed(2)} s; record ${duration} ${(record[i]!.median / 1000).toFixed(2)} s (${(perHour / 1000).toFixed(0)} s per virtual hour, scaled)`);
    return { rate, file, aggregate24hWallMs: aggregate[i]!.wallMs, aggregate24hMedianMs: aggregate[i]!.median, recordDuration: duration, recordWallMs: record[i]!.wallMs, recordMedianMs: record[i]!.median, recordMsPerVirtualHour: perHour, aggregateEvents: aggregate[i]!.result.events, recordEvents: record[i]!.result.events };
  });
  const whole = Array.from({ length: rounds }, () => wholeProcess("dist/cli.mjs", "scenarios/production/pyflink-100k.yaml", "default", "24h"));
  const wholeMedian = median(whole.map((w) => w.wallMs))!;
  say(`  pyflink-100k, 24 h, aggregate, whole process with report: wall ms ${whole.map((w) => w.wallMs).join(", ")} (median ${wholeMedian}), CPU ms median ${median(whole.map((w) => w.cpuMs))}, peak RSS ${median(whole.map((w) => w.peakRssMiB))} MiB (issue 26: under 10 s)`);
  const loadAfter = loadavg()[0]!;
  say(`  load average ${load.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cpus().length} cores)`);
  out.python = { jobs: python, pyflink100kWholeProcess: { runs: whole, medianWallMs: wholeMedian }, loadAverage: [load, loadAfter] };
}

// 11. Today's catalogue in record mode against the tree before the real-jobs work (issue 23: within 1.3x of its wall
// time). BENCH_BASELINE_CLI names the other build's cli.mjs (e.g. b17ec9f, built with `node sim/build.mjs --outdir
// <its checkout>/dist` in a checkout with node_modules); each tree runs its own copy of every scenario file both trees
// have (scenarios/*.yaml), every variant, `--set simulation.execution=record --quiet --no-report`, as whole processes,
// alternating tree by tree, scenario by scenario (catalogueCase.ts).
if (only === "catalogue-record" || (only === undefined && process.env.BENCH_BASELINE_CLI !== undefined)) {
  const baseline = process.env.BENCH_BASELINE_CLI;
  if (baseline === undefined) throw new Error("catalogue-record needs BENCH_BASELINE_CLI: the baseline build's cli.mjs");
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  out.catalogueRecord = catalogueRecord("dist/cli.mjs", baseline, Math.min(runs, 3), say);
}

// 7. Memory: the peak resident memory of whole processes of the seed scenario (one variant, --quiet, report included,
// and without it for reference), 1 to 100 virtual days: the report reads the run's files in bounded memory (issue 26:
// a 30-day run under 200 MiB, 100 days under 250 MiB; before, 1.2 GiB at 30 days). Compiled first, as users run it.
if (only === undefined || only === "memory") {
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  const memory = [];
  for (const duration of (process.env.BENCH_MEMORY_DURATIONS ?? "1d,7d,30d,100d").split(",")) {
    for (const report of [true, false]) {
      const r = peakRss("scenarios/backpressure.yaml", "tracking-on", duration, report);
      memory.push(r);
      say(`seed scenario, one variant, ${duration}${report ? "" : ", --no-report"}: peak RSS ${r.peakRssMiB} MiB, ${(r.wallMs / 1000).toFixed(1)} s wall`);
    }
  }
  out.memory = memory;
}

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version, platform: process.platform };
mkdirSync("out/bench", { recursive: true });
if (only === undefined || only === "playground") {
  // 7. The playground: its size gzipped, and the seed preset's hour (both variants) in headless Chromium against the command line.
  const child = spawnSync(process.execPath, ["--import", "tsx", "test/bench/playgroundCase.ts", String(Math.min(runs, 3))], { encoding: "utf8", maxBuffer: 1 << 22 });
  if (child.status !== 0) throw new Error(`playground case failed: ${child.stderr}`);
  const p = JSON.parse(child.stdout) as { files: { name: string; bytes: number; gzipped: number }[]; gzippedBytes: number; bytes: number; pageMs: number; cliMs: number; ratio: number; pageWorkersMs: number; cliNoReportMs: number };
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  say(`playground: ${kib(p.gzippedBytes)} gzipped (${kib(p.bytes)} raw) for everything the page loads: ${p.files.map((f) => `${f.name} ${kib(f.gzipped)}`).join(", ")}; limit 2 MB`);
  say(`  seed preset, 1 h, both variants: page ${(p.pageMs / 1000).toFixed(1)} s (load, runs, reports; the runs alone ${(p.pageWorkersMs / 1000).toFixed(1)} s) against the command line ${(p.cliMs / 1000).toFixed(1)} s (--no-report ${(p.cliNoReportMs / 1000).toFixed(1)} s): ${p.ratio}x; limit 2x`);
  out.playground = p;
}
writeFileSync("out/bench/results.json", `${JSON.stringify({ date: new Date().toISOString(), machine, runsPerCase: runs, results, ...out }, null, 2)}\n`);
say(`wrote out/bench/results.json (${machine.cores} cores, Node ${machine.node})`);
