/**
 * Generates docs/fidelity.md from fresh runs: the seed's log beside the simulated one,
 * the modelled facts with their upstream sources, an ablation table (each mechanism
 * switched off in turn, seeds 1..10) and tracking on against off.
 *
 *   npm run fidelity            writes docs/fidelity.md
 *   npm run fidelity -- --check exits 1 when docs/fidelity.md differs from a fresh one
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { median as d3median } from "d3-array";
import { parseDocument } from "yaml";
import { formatDuration } from "../../src/core/duration.ts";
import { checkSeedPattern, restartTimeLines, type SeedPatternReport } from "../../src/record/seedPattern.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { type Scenario } from "../../src/scenario/Scenario.ts";
import { runScenario } from "../../src/run/runScenario.ts";

const SCENARIO = "scenarios/backpressure.yaml";
const OUT = "docs/fidelity.md";
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

/** The scenario document as plain data, to edit for an ablation. */
type Doc = {
  spec: { flinkConfiguration: Record<string, string | number | boolean> };
  simulation: Record<string, unknown> & { job: { operators: Record<string, unknown>[] } };
};

const op = (d: Doc, id: string) => d.simulation.job.operators.find((o) => o.id === id)!;
const metrics = (d: Doc) => ((d.simulation.flinkMetrics ??= {}) as Record<string, unknown>);

interface Ablation {
  readonly name: string;
  readonly how: string;
  readonly edit: (d: Doc) => void;
}

/** Each modelled mechanism switched off in turn, by scenario keys a user can set too. */
const ABLATIONS: readonly Ablation[] = [
  { name: "the seed scenario as modelled", how: "(none)", edit: () => {} },
  {
    name: "FLIP-27 rate-limited datagen instead of the legacy source",
    how: "`source: {connector: datastream-datagen}`",
    edit: (d) => ((op(d, "source").source as Record<string, unknown>).connector = "datastream-datagen"),
  },
  { name: "a Java map instead of Python bundles", how: "`python: false` on the map", edit: (d) => (op(d, "map").python = false) },
  { name: "no Python per-element overhead", how: "`python: {overhead: 0ms}`", edit: (d) => (op(d, "map").python = { overhead: "0ms" }) },
  { name: "TimerGauge over the last 5 s (before FLINK-30090)", how: "`simulation.flinkMetrics.timerGaugeSpan: 5s`", edit: (d) => (metrics(d).timerGaugeSpan = "5s") },
  { name: "no FLINK-35764 double count", how: "`simulation.flinkMetrics.doubleCount: false`", edit: (d) => (metrics(d).doubleCount = false) },
  {
    name: "REST metrics fetched before every request",
    how: "`simulation.flinkMetrics.fetcherServesPreviousFetch: false`",
    edit: (d) => (metrics(d).fetcherServesPreviousFetch = false),
  },
  {
    name: "reconcile every 60 s (the code default, not the Helm chart's 15 s)",
    how: "`kubernetes.operator.reconcile.interval: 60 s`",
    edit: (d) => (d.spec.flinkConfiguration["kubernetes.operator.reconcile.interval"] = "60 s"),
  },
  {
    name: "redeploy instead of in-place rescale",
    how: "`kubernetes.operator.job.upgrade.inplace-scaling.enabled: false`",
    edit: (d) => (d.spec.flinkConfiguration["kubernetes.operator.job.upgrade.inplace-scaling.enabled"] = "false"),
  },
];

const baseText = readFileSync(SCENARIO, "utf8");

function scenarioFor(edit: (d: Doc) => void, seed: number, variant: string): Scenario {
  const doc = parseDocument(baseText).toJS() as Doc;
  edit(doc);
  return parseScenario(SCENARIO, JSON.stringify(doc), { seed, variant, duration: "1h" });
}

interface SeedRun {
  readonly seed: number;
  readonly report: SeedPatternReport;
  readonly log: string;
  readonly decisions: string;
  readonly secondScalingS: number | null;
  readonly finalParallelism: number;
}

function runSeed(edit: (d: Doc) => void, seed: number, variant = "tracking-on"): SeedRun {
  const scenario = scenarioFor(edit, seed, variant);
  const result = runScenario(scenario);
  const log = result.files["autoscaler.log"]!;
  const report = checkSeedPattern(log, result.files["restarts.csv"]!, scenario.startEpochMs, {
    configuredText: formatDuration(120_000),
    reconcileS: scenario.reconcileIntervalMs / 1000,
    minScalings: 3,
  });
  const second = result.operator.restarts[1];
  const map = result.cluster.graph.vertices.find((v) => !v.isSource)!;
  return {
    seed,
    report,
    log,
    decisions: result.files["decisions.csv"]!,
    secondScalingS: second === undefined ? null : second.decisionTimeMs / 1000,
    finalParallelism: map.parallelism,
  };
}

const median = (xs: readonly number[]): number => d3median(xs) ?? NaN;
const fmt = (x: number, digits = 1) => (Number.isNaN(x) ? "-" : Number.isInteger(x) ? String(x) : x.toFixed(digits));

/** The seed's real log (seeds/000_c44d06c1fe8db5d0.txt), the lines the EMR page shows. */
const SEED_LOG = [
  "2024-05-16 17:17:32,590 ... Restart time used in scaling summary computation: PT2M",
  "2024-05-16 17:19:03,787 ... Restart time used in scaling summary computation: PT14S",
  "2024-05-16 17:19:18,976 ... Restart time used in scaling summary computation: PT14S",
  "2024-05-16 17:20:50,283 ... Restart time used in scaling summary computation: PT14S",
  "2024-05-16 17:22:21,691 ... Restart time used in scaling summary computation: PT14S",
];
const SEED_GAPS = ["", "+91.2 s", "+15.2 s", "+91.3 s", "+91.4 s"];

const FACTS: readonly [string, string, string][] = [
  ["Table/SQL `datagen` is the legacy `DataGeneratorSource` (SourceFunction): ceil(rows/p) rows back to back, then `nextReadTime += 1000`, catching up in bursts", "flink-table-api-java-bridge `DataGenTableSource#getScanRuntimeProvider`; flink-streaming-java `functions/source/datagen/DataGeneratorSource#run`", "Flink 1.18.1"],
  ["A legacy source task reports busy time NaN (`setEnableBusyTime(false)`), no operator `numRecordsIn`, hard back-pressure while blocked on a buffer", "flink-streaming-java `runtime/tasks/SourceStreamTask#init`; flink-runtime `metrics/groups/TaskIOMetricGroup#getBusyTimePerSecond`", "Flink 1.18.1"],
  ["busy/idle/back-pressured `TimerGauge`: 12 slots of 5 s, integer average over filled slots, clamped to [0, 1000]; markEnd double-counts a measurement spanning an update (FLINK-35764)", "flink-runtime `metrics/TimerGauge`", "Flink 1.18.1"],
  ["busy = 1000 - idle - (soft + hard back-pressure)", "flink-runtime `metrics/groups/TaskIOMetricGroup`", "Flink 1.18.1"],
  ["`numRecords*PerSecond` are `MeterView`s over 60 s, updated every 5 s, history from zero", "flink-metrics-core `MeterView`, `View.UPDATE_INTERVAL_SECONDS`", "Flink 1.18.1"],
  ["The REST API serves subtask metrics from the MetricFetcher's store; the request that starts a fetch (older than `metrics.fetcher.update-interval`, 10 s) gets the previous values", "flink-runtime `rest/handler/legacy/metrics/MetricFetcherImpl#update`, `rest/handler/util/MutableIOMetrics#addIOMetrics`", "Flink 1.18.1"],
  ["PyFlink process mode: elements join a bundle; `finishBundle` after `python.fn-execution.bundle.size` (1000) elements or at a fixed-rate `bundle.time` (1 s) timer tick at least that long after the last finish; the task thread waits for every result (busy)", "flink-python `AbstractPythonFunctionOperator#open/checkInvokeFinishBundleByTime`, `AbstractExternalPythonFunctionOperator#invokeFinishBundle`, `PythonOptions`", "Flink 1.18.1"],
  ["The operator's Helm chart reconciles every 15 s (60 s is the code default)", "`helm/flink-kubernetes-operator/values.yaml`; `KubernetesOperatorConfigOptions`", "operator 1.15.0"],
  ["The autoscaler runs only while the job is RUNNING; RUNNING with a task not yet running is reported as CREATED", "`JobAutoScalerImpl#scale`; `utils/JobStatusUtils` (1.15.0), `AbstractFlinkService#getEffectiveStatus` (1.8.0)", "operator 1.8.0, 1.15.0"],
  ["In-place rescale: the job runs on while pods start; new slots restart it at once (min-parallelism-increase 1, no cooldown); after the cancel it waits for the desired slots at most `resource-stabilization-timeout` (10 s) once sufficient", "flink-runtime `scheduler/adaptive/Executing#maybeRescale`, `WaitingForResources`, `AdaptiveScheduler#updateJobResourceRequirements`, `JobManagerOptions`", "Flink 1.18.1"],
  ["Metric history cleared on a new RUNNING timestamp; samples ignored for `stabilization.interval`; window full `metrics.window` after the first sample after it", "`ScalingMetricCollector#updateMetrics`", "operator 1.15.0"],
  ["Restart time used: the max tracked restart (whole seconds) of the kept scaling records, capped by `restart.time-tracking.limit`, else `restart.time`", "`ScalingTracking#getMaxRestartTimeOrDefault`, `JobAutoScalerImpl#runScalingLogic`", "operator 1.15.0"],
  // Versions (spec.flinkVersion) and keyed state (#23 items 2, 4).
  ["`spec.flinkVersion` values: the operator's `FlinkVersion` enum (v1_13 .. v2_4); the simulator models v1_13 .. v2_2 and rejects the others in one line", "flink-kubernetes-operator-api `api/spec/FlinkVersion`", "operator 1.15.0"],
  ["In-place scaling needs Flink >= 1.18 (every later version included), the adaptive scheduler and `job.upgrade.inplace-scaling.enabled`", "`KubernetesOperatorConfigOptions` (`job.upgrade.inplace-scaling.enabled`: \"for Flink 1.18+\")", "operator 1.15.0"],
  ["1.18: no `scaling-interval` keys; `min-parallelism-increase` (1): restart when a vertex shrinks or grows by at least it", "flink-core `JobManagerOptions`; flink-runtime `scheduler/adaptive/scalingpolicy/EnforceMinimalIncreaseRescalingController`", "Flink 1.18.1"],
  ["1.19, 1.20 (FLIP-322): `Executing` rescales only after `scaling-interval.min` (30 s) since it was created (the last rescale); its constructor schedules a look at +30 s, a request inside the cooldown with no look pending schedules one `min` after the request; `scaling-interval.max` (no default) forces a rescale that long after a look that found none", "flink-runtime `scheduler/adaptive/Executing#rescaleWhenCooldownPeriodIsOver`, `#maybeRescale`, `#forceRescale`", "Flink 1.19 (the 1.19/1.20 form of Executing, read in the index without its commit; the keys' PR apache/flink#22985)"],
  ["2.0, 2.1, 2.2 (FLIP-461, FLIP-472): `DefaultStateTransitionManager` phases Cooldown (`executing.cooldown-after-rescaling`, 30 s, from the Executing state's creation) -> Idling / Stabilizing -> Stabilized (`executing.resource-stabilization-timeout`, 60 s) -> Transitioning; a completed checkpoint triggers the rescale (desired resources while stabilizing, sufficient once stabilized), `rescale-trigger.max-delay` (checkpoint interval x (`max-checkpoint-failures` 2 + 1)) at the latest; `min-parallelism-increase` removed", "flink-runtime `scheduler/adaptive/DefaultStateTransitionManager`; FLINK-36015 and FLINK-35549 release notes", "Flink 2.x (a stored version with RescaleTimeline, i.e. after 2.2; the phases as in 2.0 per the release notes)"],
  ["Periodic checkpoints start when the job is RUNNING, first after a random delay in [min-pause, interval], then at a fixed rate; declined while a task is not running", "flink-runtime `checkpoint/CheckpointCoordinator#getRandomInitDelay`, `#scheduleTriggerWithDelay`", "Flink 1.18.1"],
  ["Key groups of subtask i: [ceil(i x maxP / p), floor(((i + 1) x maxP - 1) / p)]", "flink-runtime `state/KeyGroupRangeAssignment#computeKeyGroupRangeForOperatorIndex`", "Flink 1.18.1"],
  ["Restore after a rescale: RocksDB incremental downloads each overlapping old handle whole, a full snapshot only the key groups in range; downloads use `state.backend.rocksdb.checkpoint.transfer.thread.num` (4) threads", "flink-statebackend-rocksdb `RocksDBIncrementalRestoreOperation#restoreWithRescaling`, `RocksDBOptions`", "Flink 1.18.1"],
  ["The tracked restart runs from the scaling decision to the job's RUNNING timestamp, which comes before the tasks deploy and restore their state: restore time is not in it", "`ScalingTracking#recordRestartDurationIfTrackedAndParallelismMatches`, `ScalingMetricCollector#getJobRunningTs`", "operator 1.15.0"],
  ["The TimerGauge double count (FLINK-35764) is fixed in apache/flink#25351 (merged September 2024, after 1.20.0); no 1.19 or 1.20 backport was found, so v1_x keeps it, v2_0 on does not", "flink-runtime `metrics/TimerGauge#markEnd`", "Flink 2.0"],
  ["A TaskManager's CPU: the operator writes `spec.taskManager.resource.cpu` to `kubernetes.taskmanager.cpu.amount` (and `kubernetes.taskmanager.cpu` before Flink 1.17); Flink takes `taskmanager.cpu.cores`, else that key if > 0, else the slot count; the pod requests it and is limited to cpu x `kubernetes.taskmanager.cpu.limit-factor` (default 1, at least 1); the limit (CFS quota per 100 ms period) is what its threads can use", "operator `config/FlinkConfigBuilder#configureCpu`; flink-kubernetes `KubernetesConfigOptions`, `entrypoint/KubernetesWorkerResourceSpecFactory#getDefaultCpus`, `kubeclient/decorators/InitTaskManagerDecorator`, `kubeclient/parameters/KubernetesTaskManagerParameters#getTaskManagerCPULimitFactor`, `utils/KubernetesUtils#getResourceRequirements`; flink-runtime `clusterframework/TaskExecutorProcessUtils#getCpuCoresWithFallback`", "operator 1.15.0, Flink 1.18.1"],
  ["Slot sharing (one group): subtask i of every vertex shares execution slot i; slots are handed out in the free-slot order (here TaskManager by TaskManager)", "flink-runtime `scheduler/adaptive/allocator/DefaultSlotAssigner#createExecutionSlotSharingGroups`, `SlotSharingSlotAllocator`", "Flink 1.18.1"],
  ["An ineffective scale-up (actual increase of the true processing rate below `scaling.effectiveness.threshold` x the expected one) raises INEFFECTIVESCALING; with `scaling.effectiveness.detection.enabled` it blocks the next scale-up", "flink-autoscaler `JobVertexScaler#detectIneffectiveScaleUp`", "operator 1.15.0"],
];

function ablationRows(): string[] {
  const rows: string[] = [];
  for (const a of ABLATIONS) {
    const runs = SEEDS.map((s) => runSeed(a.edit, s));
    const scalings = runs.map((r) => r.report.scalings);
    const second = runs.map((r) => r.secondScalingS).filter((x): x is number => x !== null);
    const tracked = runs.map((r) => r.report.trackedS.at(-1)).filter((x): x is number => x !== undefined);
    const held = runs.filter((r) => r.report.matches).length;
    rows.push(
      `| ${a.name} | ${a.how} | ${held}/10 | ${fmt(median(scalings))} (${Math.min(...scalings)}-${Math.max(...scalings)}) | ${second.length}/10, median ${fmt(median(second), 0)} s | ${fmt(median(tracked), 0)} s | ${fmt(median(runs.map((r) => r.finalParallelism)), 0)} |`,
    );
    process.stderr.write(`  ${a.name}: pattern ${held}/10\n`);
  }
  return rows;
}

/** The executed decisions of a run's decisions.csv: time, vertex, from, to, and the figures behind them. */
function executedDecisions(csv: string): { key: string; text: string }[] {
  const [header, ...rows] = csv.trim().split("\n");
  const cols = header!.split(",");
  const at = (f: string[], name: string) => f[cols.indexOf(name)]!;
  return rows
    .map((r) => r.split(","))
    .filter((f) => at(f, "executed") === "true")
    .map((f) => ({
      key: `${at(f, "time_s")},${at(f, "vertex")},${at(f, "current_parallelism")},${at(f, "new_parallelism")}`,
      text: `at ${at(f, "time_s")} s ${at(f, "current_parallelism")} -> ${at(f, "new_parallelism")} (target rate ${at(f, "target_data_rate")}, true processing rate ${at(f, "true_processing_rate")}, restart time used ${at(f, "restart_time_used_s")} s)`,
    }));
}

function trackingComparison(): string[] {
  const rows: string[] = [];
  let identical = 0;
  let moreOn = 0;
  let moreOff = 0;
  for (const seed of SEEDS) {
    const on = runSeed(() => {}, seed, "tracking-on");
    const off = runSeed(() => {}, seed, "tracking-off");
    const a = executedDecisions(on.decisions);
    const b = executedDecisions(off.decisions);
    const i = a.findIndex((d, k) => b[k]?.key !== d.key);
    const first = i < 0 && a.length === b.length ? "" : `on ${a[i]?.text ?? "none"}; off ${b[i < 0 ? a.length : i]?.text ?? "none"}`;
    if (first === "") identical++;
    if (on.report.scalings > off.report.scalings) moreOn++;
    if (on.report.scalings < off.report.scalings) moreOff++;
    rows.push(`| ${seed} | ${on.report.scalings} | ${off.report.scalings} | ${on.finalParallelism} | ${off.finalParallelism} | ${first === "" ? "same decisions" : first} |`);
  }
  rows.push(
    "",
    `Executed decisions identical in ${identical} of ${SEEDS.length} seeds; tracking on scaled more often in ${moreOn}, less often in ${moreOff}.`,
  );
  return rows;
}

function simulatedLog(): string[] {
  const run = runSeed(() => {}, 1);
  const lines = restartTimeLines(run.log).slice(0, 8);
  return lines.map((l, i) => {
    const gap = i === 0 ? "" : `+${((l.epochMs - lines[i - 1]!.epochMs) / 1000).toFixed(1)} s`;
    const stamp = new Date(l.epochMs).toISOString().replace("T", " ").replace("Z", "").replace(".", ",");
    return `| ${stamp} ... Restart time used in scaling summary computation: ${l.text} | ${gap} |`;
  });
}

function render(): string {
  process.stderr.write("fidelity: the seed scenario, 9 configurations x 10 seeds, and tracking on/off\n");
  const seedRows = SEED_LOG.map((l, i) => `| ${l} | ${SEED_GAPS[i]} |`);
  return [
    "# Fidelity: the seed's job, simulated",
    "",
    "Generated by `npm run fidelity` from fresh runs of `scenarios/backpressure.yaml` (1 h,",
    "tracking on, seeds 1..10). Do not edit by hand.",
    "",
    "## The seed's log beside the simulated one",
    "",
    "The seed (EMR on EKS, operator 1.8.0 with Flink 1.18.1; `seeds/000_c44d06c1fe8db5d0.txt`):",
    "",
    "| line | gap |",
    "| --- | --- |",
    ...seedRows,
    "",
    "Simulated, seed 1 (`grep 'Restart time used in scaling summary computation' out/backpressure/tracking-on/autoscaler.log`):",
    "",
    "| line | gap |",
    "| --- | --- |",
    ...simulatedLog(),
    "",
    "The pattern, checked from each run's `autoscaler.log` and `restarts.csv` (`src/record/seedPattern.ts`,",
    "`test/fidelity/seedPattern.test.ts`): `PT2M` at the first evaluation with a full window; the tracked",
    "restart (10-20 s, whole seconds) at every later one; 15 s between lines with no rescale between",
    "them; 75-110 s across a rescale; at least 3 scalings in the hour.",
    "",
    "## What the seed's behaviour depends on: ablations",
    "",
    "Each row switches one mechanism off (by the scenario keys shown), seeds 1..10, 1 h each.",
    "'Pattern' counts the seeds whose log shows the seed's pattern; 'second scaling' says in how",
    "many seeds there was one and when (virtual seconds after the job started).",
    "",
    "| Configuration | How | Pattern | Scalings, median (range) | Second scaling | Tracked restart, median | Final map parallelism, median |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...ablationRows(),
    "",
    "## Tracking on against off on this scenario",
    "",
    "| Seed | Scalings on | Scalings off | Final parallelism on | off | First executed decision that differs |",
    "| --- | --- | --- | --- | --- | --- |",
    ...trackingComparison(),
    "",
    "Why they differ: `AutoScalerUtils.getTargetProcessingCapacity` returns",
    "`Math.round(lagCatchUp + inputRate * restartSeconds / catchUpSeconds + inputRate / utilization.target)`",
    "and `JobVertexScaler` scales by that capacity over the true processing rate. With tracking off",
    "`restartSeconds` stays 120 (`restart.time`); with tracking on it is the measured ~12 s after the",
    "first rescale. With `catch-up.duration` 30 min and a map target rate of a few records per second,",
    "the restart term is 0.01 to 0.5 records per second: it changes a decision only when it carries",
    "the rounded capacity across a half. Seed 1 at 1980 s: target rate 1.733, utilization target 0.7,",
    "so round(2.476 + 1.733 * 120 / 1800) = round(2.59) = 3 with tracking off against",
    "round(2.476 + 1.733 * 12 / 1800) = round(2.49) = 2 on: 5 * 3 / 1.768 -> 9 against 5 * 2 / 1.768",
    "-> 6. Tracking off steps up more at such moments; tracking on takes more, smaller steps to the",
    "same final parallelism (`pipeline.max-parallelism`, 12). The first decision (120 s in both) is",
    "always the same.",
    "",
    "## The modelled facts and where they come from",
    "",
    "| Fact | Upstream source | Version |",
    "| --- | --- | --- |",
    ...FACTS.map(([fact, where, version]) => `| ${fact} | ${where} | ${version} |`),
    "",
    "## Where the seed and the sources are silent: what we chose",
    "",
    "- **EMR's operator chart.** EMR 7.x installs its own build of the operator; we assume its chart",
    "  keeps upstream's `kubernetes.operator.reconcile.interval: 15 s`. The seed's 15 s gaps agree.",
    "- **Pod start.** A new TaskManager pod takes lognormal(median 11 s, p95 13 s) from the resource",
    "  request to a registered slot, the cancel lognormal(1 s, 2 s): the largest of a run's restarts is",
    "  then about the seed's 14 s. A pod slower than one reconcile (15 s) lets the autoscaler evaluate",
    "  again while the job still runs at the old parallelism: upstream then records a second scaling",
    "  record and measures the restart from it (a short `PTnS`). The seed's log does not show that.",
    "- **Python per-element overhead.** `time.sleep(2)` overshoots by the kernel's timer slack and the",
    "  Beam SDK harness decodes, calls and encodes each element: lognormal(median 0.5 ms, p95 2 ms).",
    "  Against 2 s of sleep it changes nothing the autoscaler reads (see the ablation).",
    "- **CPU sharing.** Within a TaskManager, CFS bandwidth control: its threads (task threads, a",
    "  Python worker) run at full speed until the period's quota (limit x 100 ms) is used, then wait for",
    "  the next period; waiting mid-record is busy time. An operator's `cpuShare` (default 1) says how",
    "  much of its cost is CPU (the seed's `time.sleep(2)` map: 0, so its 0.5-CPU pods never limit it).",
    "  Nodes (optional) are shared fairly among their pods at each moment; pods go to the least",
    "  allocated node (round robin for identical pods), ties to the lowest index; no Pending pods.",
    "- **Job start.** The simulation starts with the job RUNNING; the seed's log starts 17:17:32.",
    "- **Restore bandwidth.** 150 MiB/s per TaskManager by default (`simulation.state.downloadBandwidth`):",
    "  an assumption for S3-like storage (four transfer threads, each a GET stream of some tens of MB/s,",
    "  bounded by the pod's network share); no per-file overhead, no local recovery, no CPU for the restore.",
    "- **State growth.** An operator's state grows with the records its job vertex has read; it is spread",
    "  evenly over the key groups; a checkpoint takes its drawn duration (default lognormal 1 s, p95 3 s),",
    "  not one derived from the state.",
    "- **2.x without checkpointing.** `rescale-trigger.max-delay` is taken as 0 (rescale once stabilizing",
    "  with the desired resources); failed checkpoints are not modelled, so `max-checkpoint-failures` only",
    "  sets the default delay.",
    "",
  ].join("\n");
}

const check = process.argv.includes("--check");
const text = render();
if (check) {
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {
    // missing: differs
  }
  if (current !== text) {
    process.stderr.write(`${OUT} is out of date: run npm run fidelity\n`);
    process.exit(1);
  }
  process.stderr.write(`${OUT} is up to date\n`);
} else {
  mkdirSync(dirname(OUT), { recursive: true });
  const tmp = `${OUT}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, OUT);
  process.stderr.write(`wrote ${OUT}\n`);
}
