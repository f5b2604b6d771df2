import { z } from "zod";
import { SHIP_STRATEGIES } from "../flink/partitioners.ts";
import { SIMULATED_FLINK_VERSIONS } from "../flink/versions.ts";
import { flattenFlinkConfiguration } from "./flattenConfiguration.ts";

/**
 * The scenario file's shape: a FlinkDeployment (flink.apache.org/v1beta1, with the
 * fields EMR on EKS adds) and a `simulation:` block. Objects are strict, so a misspelled
 * key is an error rather than silently ignored. Durations and sizes stay strings here
 * and are parsed with Flink's syntax when the scenario is resolved.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** flinkConfiguration, nested maps flattened as the operator flattens them (ConfigObjectNode). */
const flinkConfiguration = z.preprocess(flattenFlinkConfiguration, z.record(z.string(), scalar));
const quantity = z.union([z.string(), z.number()]);
const anyObject = z.record(z.string(), z.unknown());

const resource = z.strictObject({
  memory: quantity.optional(),
  cpu: z.number().positive().optional(),
  ephemeralStorage: quantity.optional(),
});

const jobManager = z.strictObject({
  resource: resource.optional(),
  replicas: z.number().int().positive().optional(),
  podTemplate: anyObject.optional(),
  // EMR on EKS
  highAvailabilityEnabled: z.boolean().optional(),
  storageDir: z.string().optional(),
});

const taskManager = z.strictObject({
  resource: resource.optional(),
  replicas: z.number().int().positive().optional(),
  podTemplate: anyObject.optional(),
});

const job = z.strictObject({
  jarURI: z.string().optional(),
  parallelism: z.number().int().positive().optional(),
  entryClass: z.string().optional(),
  args: z.array(z.string()).optional(),
  state: z.enum(["running", "suspended"]).optional(),
  upgradeMode: z.enum(["stateless", "savepoint", "last-state"]).optional(),
  savepointTriggerNonce: z.number().int().optional(),
  initialSavepointPath: z.string().optional(),
  checkpointTriggerNonce: z.number().int().optional(),
  allowNonRestoredState: z.boolean().optional(),
  savepointRedeployNonce: z.number().int().optional(),
  autoscalerResetNonce: z.number().int().optional(),
});

/** The spec.flinkVersion values the simulator models (src/flink/versions.ts); any other is an error listing these. */
export const FLINK_VERSIONS = SIMULATED_FLINK_VERSIONS;

const spec = z.strictObject({
  image: z.string().optional(),
  imagePullPolicy: z.string().optional(),
  serviceAccount: z.string().optional(),
  // Checked when resolved (resolveScenario): one line naming the versions the simulator models.
  flinkVersion: z.string().optional(),
  mode: z.enum(["native", "standalone"]).optional(),
  ingress: anyObject.optional(),
  podTemplate: anyObject.optional(),
  logConfiguration: z.record(z.string(), z.string()).optional(),
  restartNonce: z.number().int().optional(),
  flinkConfiguration: flinkConfiguration.optional(),
  jobManager: jobManager.optional(),
  taskManager: taskManager.optional(),
  job: job.optional(),
  // EMR on EKS
  executionRoleArn: z.string().optional(),
  emrReleaseLabel: z.string().optional(),
  monitoringConfiguration: anyObject.optional(),
});

const metadata = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A duration in Flink's syntax: "2s", "1 min", "PT2M", or a number of milliseconds. */
const duration = z.union([z.string(), z.number().nonnegative()]);

/** A distribution of durations; a bare duration means a constant. */
const distribution = z.union([
  duration,
  z.strictObject({ distribution: z.literal("constant"), value: duration }),
  z.strictObject({ distribution: z.literal("uniform"), min: duration, max: duration }),
  z.strictObject({ distribution: z.literal("exponential"), mean: duration }),
  z.strictObject({ distribution: z.literal("normal"), mean: duration, stddev: duration }),
  z.strictObject({ distribution: z.literal("lognormal"), median: duration, p95: duration }),
]);

const rate = z.number().nonnegative();

/** A load profile: records per second over time; a bare number is a constant rate. */
const loadProfile = z.union([
  rate,
  z.strictObject({ profile: z.literal("constant"), rate }),
  z.strictObject({ profile: z.literal("steps"), steps: z.array(z.strictObject({ at: duration, rate })).min(1) }),
  z.strictObject({ profile: z.literal("ramp"), from: rate, to: rate, over: duration, start: duration.optional() }),
  z.strictObject({ profile: z.literal("sine"), min: rate, max: rate, period: duration }),
  z.strictObject({ profile: z.literal("trace"), file: z.string().min(1), interpolation: z.enum(["linear", "step"]).optional() }),
]);

const noise = z.strictObject({ stddev: z.number().nonnegative(), interval: duration.optional() });

const datagenFields = {
  rowsPerSecond: z.number().positive().optional(),
  load: loadProfile.optional(),
  noise: noise.optional(),
};
/** Table/SQL 'connector' = 'datagen': the legacy SourceFunction in Flink 1.18. */
const datagen = z.strictObject({ connector: z.literal("datagen"), ...datagenFields });
/** The DataStream API's FLIP-27 DataGeneratorSource with a RateLimiterStrategy. */
const datastreamDatagen = z.strictObject({ connector: z.literal("datastream-datagen"), ...datagenFields });

const kafka = z.strictObject({
  connector: z.literal("kafka"),
  topic: z.string().min(1),
  // Kafka's own guidance tops out at some thousands of partitions per topic; more is a typo.
  partitions: z.number().int().positive().max(100_000, "must be at most 100,000 (a topic with more partitions is no real topic)"),
  load: loadProfile,
  noise: noise.optional(),
  initialBacklog: z.number().int().nonnegative().optional(),
  maxRecordsPerSecond: z.number().positive().optional(),
  /** Time per fetch on the split fetcher's thread (a duration or distribution); leave out for free fetches. */
  fetchCost: distribution.optional(),
  /** max.poll.records: the most records one fetch returns (Kafka's default 500). */
  maxPollRecords: z.number().int().positive().optional(),
});

const source = z.discriminatedUnion("connector", [datagen, datastreamDatagen, kafka]);

/**
 * An operator's keyed state: bytes per key x keys (keys default to the keys of its HASH
 * input edge), an initial size, growth per record its vertex reads, capped at max.
 * Sizes in Flink's memory syntax (`1kb`, `20gb`) or bytes.
 */
const keyedState = z.strictObject({
  bytesPerKey: quantity.optional(),
  keys: z.number().int().positive().optional(),
  bytesPerRecord: quantity.optional(),
  initial: quantity.optional(),
  max: quantity.optional(),
});

/** One input of a two-input operator: what its records cost and emit (defaults: the operator's own). */
const operatorInput = z.strictObject({
  cost: distribution.optional(),
  selectivity: z.number().nonnegative().optional(),
});

/** A keyed join of a two-input operator: a tumbling window join or an interval join (bounds may be negative). */
const join = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("window"), size: duration }),
  z.strictObject({ type: z.literal("interval"), lower: z.union([z.string(), z.number()]), upper: z.union([z.string(), z.number()]) }),
]);

/** AsyncWaitOperator: queue capacity (Flink's default 100), request latency, output order, timeout. */
const asyncIo = z.strictObject({
  capacity: z
    .number()
    .int()
    .min(1, "must be at least 1 (AsyncWaitOperator needs a capacity greater than 0: the requests it keeps in flight)")
    .max(1_000_000, "must be at most 1,000,000 (each place is an entry the simulator keeps)")
    .optional(),
  latency: distribution,
  order: z.enum(["ordered", "unordered"]).optional(),
  timeout: duration.optional(),
  onTimeout: z.enum(["fail", "drop"]).optional(),
});

const operator = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  kind: z.enum(["source", "operator", "sink"]).optional(),
  cost: distribution.optional(),
  selectivity: z.number().nonnegative().optional(),
  parallelism: z.number().int().positive().optional(),
  maxParallelism: z.number().int().positive().optional(),
  chaining: z.boolean().optional(),
  vertexId: z.string().optional(),
  source: source.optional(),
  /** Runs in Python (PyFlink, process mode): true, or the per-element runtime overhead. */
  python: z.union([z.boolean(), z.strictObject({ overhead: distribution })]).optional(),
  /** Keyed state (checkpointed, restored after each restart). */
  state: keyedState.optional(),
  /** The share of the cost spent on a CPU, 0..1 (1: ordinary code; 0: waiting, e.g. time.sleep). */
  cpuShare: z.number().min(0).max(1, "must be at most 1 (the share of the cost spent on a CPU: 0 for a sleep, 1 for plain code)").optional(),
  /** A two-input operator (co-process or join): per input, keyed by the upstream operator's id. */
  inputs: z.record(z.string(), operatorInput).optional(),
  /** A join of its two inputs: {type: window, size} or {type: interval, lower, upper}. */
  join: join.optional(),
  /** An async I/O operator (AsyncDataStream.orderedWait / unorderedWait); its cost is each asyncInvoke's CPU. */
  async: asyncIo.optional(),
});

const edge = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  shipStrategy: z.enum(SHIP_STRATEGIES),
  // Each key has an entry in the edge's routing table (8 bytes): 10^7 keys are 80 MB.
  keys: z
    .strictObject({ count: z.number().int().positive().max(10_000_000, "must be at most 10,000,000 (the routing table holds every key)"), skew: z.number().nonnegative().optional() })
    .optional(),
});

const inPlaceRestart = z.strictObject({
  cancel: distribution.optional(),
  podStart: distribution.optional(),
  restore: distribution.optional(),
  deploy: distribution.optional(),
});

const redeployRestart = z.strictObject({
  shutdown: distribution.optional(),
  jobManagerStart: distribution.optional(),
  podStart: distribution.optional(),
  restore: distribution.optional(),
  deploy: distribution.optional(),
});

const restart = z.strictObject({ inPlace: inPlaceRestart.optional(), redeploy: redeployRestart.optional() });

/** A named variant: configuration and restart-model overrides on top of the scenario. */
const variant = z.strictObject({
  description: z.string().optional(),
  flinkConfiguration: flinkConfiguration.optional(),
  restart: restart.optional(),
});

/** The Kubernetes nodes the TaskManager pods share (optional: without, only each pod's limit counts). */
const cluster = z.strictObject({
  nodes: z.strictObject({ count: z.number().int().positive(), cores: z.number().positive() }).optional(),
});

const simulation = z.strictObject({
  cluster: cluster.optional(),
  restart: restart.optional(),
  variants: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "a variant name is letters, digits, '-' and '_'"), variant).optional(),
  duration: duration.optional(),
  seed: z.number().int().optional(), // zod's int() is a safe integer: a double holds it exactly
  sampleInterval: duration.optional(),
  startTime: z.string().optional(),
  recordSize: quantity.optional(),
  /** How tasks move records: record by record, in aggregate per time slice, or auto (by rate). */
  execution: z.enum(["record", "aggregate", "auto"]).optional(),
  /** The simulated Kubernetes operator: how long one reconcile takes (the next one is scheduled after it ends). */
  operator: z.strictObject({ reconcileDuration: distribution.optional() }).optional(),
  /** The lowest level autoscaler.log keeps: DEBUG (default, as the seed's log) or INFO (no per-reconcile DEBUG lines, a tenth of the bytes). */
  logLevel: z.enum(["DEBUG", "INFO"]).optional(),
  /** Also write subtasks.csv: one row per subtask per sample (off by default: p times the timeseries' rows). */
  subtasks: z.boolean().optional(),
  /** What a core-hour and a GiB-hour of the pods' requests cost, for the run's cost (docs/comparing.md). */
  prices: z
    .strictObject({ coreHour: z.number().nonnegative().optional(), gibHour: z.number().nonnegative().optional(), currency: z.string().min(1).max(12).optional() })
    .optional(),
  /** The TimerGauge semantics, by default those of spec.flinkVersion (for ablations). */
  flinkMetrics: z
    .strictObject({ timerGaugeSpan: duration.optional(), doubleCount: z.boolean().optional(), fetcherServesPreviousFetch: z.boolean().optional() })
    .optional(),
  /** Restoring keyed state: download bandwidth per TaskManager (a size per second) and checkpoint duration. */
  state: z.strictObject({ downloadBandwidth: quantity.optional(), checkpointDuration: distribution.optional() }).optional(),
  job: z.strictObject({
    name: z.string().min(1).optional(),
    operators: z.array(operator).min(1),
    edges: z.array(edge).optional(),
  }),
});

export const scenarioSchema = z.strictObject({
  apiVersion: z.literal("flink.apache.org/v1beta1"),
  kind: z.literal("FlinkDeployment"),
  metadata,
  spec,
  simulation,
});

export type ScenarioDocument = z.infer<typeof scenarioSchema>;
export type DistributionDocument = z.infer<typeof distribution>;
export type LoadProfileDocument = z.infer<typeof loadProfile>;
export type SourceDocument = z.infer<typeof source>;
export type OperatorDocument = z.infer<typeof operator>;
export type AsyncIoDocument = z.infer<typeof asyncIo>;
