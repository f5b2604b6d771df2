import { option, type ConfigOption } from "./ConfigOption.ts";

/** Config options of the autoscaler, with upstream's keys, types, defaults, deprecated and fallback keys. */

export const OLD_K8S_OP_CONF_PREFIX = "kubernetes.operator.";
export const AUTOSCALER_CONF_PREFIX = "job.autoscaler.";

const oldOperatorConfigKey = (key: string) => `${OLD_K8S_OP_CONF_PREFIX}${AUTOSCALER_CONF_PREFIX}${key}`;
const autoScalerConfigKey = (key: string) => `${AUTOSCALER_CONF_PREFIX}${key}`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** MetricAggregator constants (metrics/MetricAggregator). */
export const METRIC_AGGREGATORS = ["AVG", "MAX", "MIN"] as const;
export type MetricAggregatorName = (typeof METRIC_AGGREGATORS)[number];

/** JobVertexScaler.KeyGroupOrPartitionsAdjustMode constants. */
export const KEY_GROUP_OR_PARTITIONS_ADJUST_MODES = ["EVENLY_SPREAD", "MAXIMIZE_UTILISATION"] as const;
export type KeyGroupOrPartitionsAdjustMode = (typeof KEY_GROUP_OR_PARTITIONS_ADJUST_MODES)[number];

function autoScalerConfig<T>(
  key: string,
  type: ConfigOption<T>["type"],
  defaultValue: T | undefined,
  description: string,
  extra: { deprecatedKeys?: string[]; fallbackKeys?: string[]; enumValues?: readonly string[] } = {},
): ConfigOption<T> {
  return option<T>({
    key: autoScalerConfigKey(key),
    type,
    ...(defaultValue !== undefined ? { defaultValue } : {}),
    deprecatedKeys: (extra.deprecatedKeys ?? []).map(autoScalerConfigKey),
    fallbackKeys: extra.fallbackKeys ?? [oldOperatorConfigKey(key)],
    description,
    ...(extra.enumValues !== undefined ? { enumValues: extra.enumValues } : {}),
  });
}

export const AUTOSCALER_ENABLED = autoScalerConfig<boolean>("enabled", "boolean", false, "Turns the job autoscaler on.");

export const SCALING_ENABLED = autoScalerConfig<boolean>(
  "scaling.enabled",
  "boolean",
  true,
  "Execute scaling decisions; when false the autoscaler only collects, evaluates and recommends.",
);

export const METRICS_WINDOW = autoScalerConfig<number>("metrics.window", "duration", 15 * MINUTE, "Size of the window over which metrics are aggregated.");

export const STABILIZATION_INTERVAL = autoScalerConfig<number>(
  "stabilization.interval",
  "duration",
  5 * MINUTE,
  "Time after a (re)start during which no metrics are collected for scaling and no scaling happens.",
);

export const EXCLUDED_PERIODS = autoScalerConfig<string[]>(
  "excluded.periods",
  "stringList",
  [],
  "Semicolon-separated periods (Quartz cron and/or daily HH:mm:ss-HH:mm:ss expressions) in which scaling is not executed.",
);

export const UTILIZATION_TARGET = autoScalerConfig<number>("utilization.target", "double", 0.7, "Target utilization of each vertex.", {
  deprecatedKeys: ["target.utilization"],
  fallbackKeys: [oldOperatorConfigKey("utilization.target"), oldOperatorConfigKey("target.utilization")],
});

/** @deprecated upstream: use utilization.max / utilization.min. */
export const TARGET_UTILIZATION_BOUNDARY = autoScalerConfig<number>(
  "target.utilization.boundary",
  "double",
  0.3,
  "Tolerance around the target utilization within which no scaling happens.",
);

export const UTILIZATION_MAX = autoScalerConfig<number>("utilization.max", "double", undefined, "Upper utilization bound before scaling up.");

export const UTILIZATION_MIN = autoScalerConfig<number>("utilization.min", "double", undefined, "Lower utilization bound before scaling down.");

export const SCALE_DOWN_INTERVAL = autoScalerConfig<number>(
  "scale-down.interval",
  "duration",
  HOUR,
  "How long a scale down is delayed (and merged with later ones); 0 or less scales down at once.",
  {
    deprecatedKeys: ["scale-up.grace-period"],
    fallbackKeys: [oldOperatorConfigKey("scale-up.grace-period"), oldOperatorConfigKey("scale-down.interval")],
  },
);

export const VERTEX_MIN_PARALLELISM = autoScalerConfig<number>("vertex.min-parallelism", "int", 1, "Lowest parallelism the autoscaler sets.");

export const VERTEX_MAX_PARALLELISM = autoScalerConfig<number>(
  "vertex.max-parallelism",
  "int",
  200,
  "Highest parallelism the autoscaler sets (never above a vertex's max parallelism).",
);

export const MAX_SCALE_DOWN_FACTOR = autoScalerConfig<number>(
  "scale-down.max-factor",
  "double",
  0.6,
  "Largest relative parallelism decrease in one step (1 = unlimited).",
);

export const MAX_SCALE_UP_FACTOR = autoScalerConfig<number>("scale-up.max-factor", "double", 100000, "Largest relative parallelism increase in one step.");

export const CATCH_UP_DURATION = autoScalerConfig<number>(
  "catch-up.duration",
  "duration",
  30 * MINUTE,
  "Time to process any backlog after a scaling; 0 disables backlog-based scaling.",
);

export const RESTART_TIME = autoScalerConfig<number>(
  "restart.time",
  "duration",
  5 * MINUTE,
  "Expected restart time, used until tracked restart times are available (or always, without tracking).",
);

export const PREFER_TRACKED_RESTART_TIME = autoScalerConfig<boolean>(
  "restart.time-tracking.enabled",
  "boolean",
  false,
  "Use the largest observed restart time instead of restart.time (capped by restart.time-tracking.limit).",
);

export const TRACKED_RESTART_TIME_LIMIT = autoScalerConfig<number>(
  "restart.time-tracking.limit",
  "duration",
  15 * MINUTE,
  "Upper bound of the tracked restart time.",
);

export const BACKLOG_PROCESSING_LAG_THRESHOLD = autoScalerConfig<number>(
  "backlog-processing.lag-threshold",
  "duration",
  5 * MINUTE,
  "Lag (in seconds of input) above which the job counts as processing backlog.",
);

export const OBSERVE_TRUE_PROCESSING_RATE_LAG_THRESHOLD = autoScalerConfig<number>(
  "observed-true-processing-rate.lag-threshold",
  "duration",
  30_000,
  "Lag above which the observed true processing rate is measured.",
);

export const OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD = autoScalerConfig<number>(
  "observed-true-processing-rate.switch-threshold",
  "double",
  0.15,
  "How much larger the busy-time based rate must be before the observed rate is used instead.",
);

export const OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS = autoScalerConfig<number>(
  "observed-true-processing-rate.min-observations",
  "int",
  2,
  "Observations needed before the observed true processing rate is used.",
);

export const SCALING_EFFECTIVENESS_DETECTION_ENABLED = autoScalerConfig<boolean>(
  "scaling.effectiveness.detection.enabled",
  "boolean",
  false,
  "Block further scale ups after an ineffective one.",
);

export const SCALING_EFFECTIVENESS_THRESHOLD = autoScalerConfig<number>(
  "scaling.effectiveness.threshold",
  "double",
  0.1,
  "Share of the expected rate increase below which a scale up counts as ineffective.",
);

export const GC_PRESSURE_THRESHOLD = autoScalerConfig<number>("memory.gc-pressure.threshold", "double", 1, "GC time share above which scaling pauses.");

export const HEAP_USAGE_THRESHOLD = autoScalerConfig<number>("memory.heap-usage.threshold", "double", 1, "Heap usage share above which scaling pauses.");

export const MEMORY_TUNING_ENABLED = autoScalerConfig<boolean>(
  "memory.tuning.enabled",
  "boolean",
  false,
  "Tune TaskManager memory from observed needs (not ported; enabling it is an error).",
);

export const MEMORY_SCALING_ENABLED = autoScalerConfig<boolean>(
  "memory.tuning.scale-down-compensation.enabled",
  "boolean",
  true,
  "With memory tuning, add TaskManager memory when scaling down.",
);

export const MEMORY_TUNING_OVERHEAD = autoScalerConfig<number>("memory.tuning.overhead", "double", 0.2, "Spare share added to memory tuning decisions.");

export const MEMORY_TUNING_MAXIMIZE_MANAGED_MEMORY = autoScalerConfig<boolean>(
  "memory.tuning.maximize-managed-memory",
  "boolean",
  false,
  "With memory tuning, give memory saved elsewhere to managed memory.",
);

export const VERTEX_SCALING_HISTORY_COUNT = autoScalerConfig<number>("history.max.count", "int", 3, "Past scaling decisions kept per vertex.");

export const VERTEX_SCALING_HISTORY_AGE = autoScalerConfig<number>("history.max.age", "duration", 24 * HOUR, "Age up to which past scaling decisions are kept.");

export const BUSY_TIME_AGGREGATOR = autoScalerConfig<MetricAggregatorName>(
  "metrics.busy-time.aggregator",
  "enum",
  "MAX",
  "How busy time is aggregated over a vertex's subtasks (AVG, MAX, MIN).",
  { enumValues: METRIC_AGGREGATORS },
);

export const VERTEX_EXCLUDE_IDS = autoScalerConfig<string[]>(
  "vertex.exclude.ids",
  "stringList",
  [],
  "Semicolon-separated JobVertexIDs (hex) the autoscaler does not scale.",
);

export const SCALING_EVENT_INTERVAL = autoScalerConfig<number>("scaling.event.interval", "duration", 30 * MINUTE, "Interval before an identical event is sent again.");

export const FLINK_CLIENT_TIMEOUT = autoScalerConfig<number>("flink.rest-client.timeout", "duration", 10_000, "Timeout of REST calls to the job.");

export const MEMORY_QUOTA = autoScalerConfig<number>("quota.memory", "memory", undefined, "Memory quota; a scaling beyond it does not happen.");

export const CPU_QUOTA = autoScalerConfig<number>("quota.cpu", "double", undefined, "CPU quota; a scaling beyond it does not happen.");

export const SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE = autoScalerConfig<KeyGroupOrPartitionsAdjustMode>(
  "scaling.key-group.partitions.adjust.mode",
  "enum",
  "EVENLY_SPREAD",
  "How the parallelism of a source or a keyed vertex is aligned with partitions or key groups.",
  { enumValues: KEY_GROUP_OR_PARTITIONS_ADJUST_MODES },
);

export const OBSERVED_SCALABILITY_ENABLED = autoScalerConfig<boolean>(
  "observed-scalability.enabled",
  "boolean",
  false,
  "Estimate a scalability coefficient from past scalings instead of assuming linear scaling.",
);

export const OBSERVED_SCALABILITY_MIN_OBSERVATIONS = autoScalerConfig<number>(
  "observed-scalability.min-observations",
  "int",
  3,
  "Past scalings needed to estimate the scalability coefficient.",
);

export const OBSERVED_SCALABILITY_COEFFICIENT_MIN = autoScalerConfig<number>(
  "observed-scalability.coefficient-min",
  "double",
  0.5,
  "Lower bound of the estimated scalability coefficient.",
);

/** Every option, in upstream's order. */
export const ALL_OPTIONS: readonly ConfigOption<unknown>[] = [
  AUTOSCALER_ENABLED,
  SCALING_ENABLED,
  METRICS_WINDOW,
  STABILIZATION_INTERVAL,
  EXCLUDED_PERIODS,
  UTILIZATION_TARGET,
  TARGET_UTILIZATION_BOUNDARY,
  UTILIZATION_MAX,
  UTILIZATION_MIN,
  SCALE_DOWN_INTERVAL,
  VERTEX_MIN_PARALLELISM,
  VERTEX_MAX_PARALLELISM,
  MAX_SCALE_DOWN_FACTOR,
  MAX_SCALE_UP_FACTOR,
  CATCH_UP_DURATION,
  RESTART_TIME,
  PREFER_TRACKED_RESTART_TIME,
  TRACKED_RESTART_TIME_LIMIT,
  BACKLOG_PROCESSING_LAG_THRESHOLD,
  OBSERVE_TRUE_PROCESSING_RATE_LAG_THRESHOLD,
  OBSERVED_TRUE_PROCESSING_RATE_SWITCH_THRESHOLD,
  OBSERVED_TRUE_PROCESSING_RATE_MIN_OBSERVATIONS,
  SCALING_EFFECTIVENESS_DETECTION_ENABLED,
  SCALING_EFFECTIVENESS_THRESHOLD,
  GC_PRESSURE_THRESHOLD,
  HEAP_USAGE_THRESHOLD,
  MEMORY_TUNING_ENABLED,
  MEMORY_SCALING_ENABLED,
  MEMORY_TUNING_OVERHEAD,
  MEMORY_TUNING_MAXIMIZE_MANAGED_MEMORY,
  VERTEX_SCALING_HISTORY_COUNT,
  VERTEX_SCALING_HISTORY_AGE,
  BUSY_TIME_AGGREGATOR,
  VERTEX_EXCLUDE_IDS,
  SCALING_EVENT_INTERVAL,
  FLINK_CLIENT_TIMEOUT,
  MEMORY_QUOTA,
  CPU_QUOTA,
  SCALING_KEY_GROUP_PARTITIONS_ADJUST_MODE,
  OBSERVED_SCALABILITY_ENABLED,
  OBSERVED_SCALABILITY_MIN_OBSERVATIONS,
  OBSERVED_SCALABILITY_COEFFICIENT_MIN,
];

/** Flink options the autoscaler reads that are not its own. */
export const NUM_TASK_SLOTS = option<number>({ key: "taskmanager.numberOfTaskSlots", type: "int", defaultValue: 1, description: "Slots per TaskManager." });
export const PARALLELISM_OVERRIDES_KEY = "pipeline.jobvertex-parallelism-overrides";
