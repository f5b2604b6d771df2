import { aggregatedMetric, type AggregatedMetric } from "./AggregatedMetric.ts";

/** The Flink metrics the autoscaler reads, each recognised by a predicate on its name (FlinkMetric enum). */
export const FLINK_METRIC_PREDICATES = {
  BUSY_TIME_PER_SEC: (s: string) => s === "busyTimeMsPerSecond",
  SOURCE_TASK_NUM_RECORDS_IN_PER_SEC: (s: string) => s.startsWith("Source__") && s.endsWith(".numRecordsInPerSecond"),
  SOURCE_TASK_NUM_RECORDS_OUT: (s: string) => s.startsWith("Source__") && s.endsWith(".numRecordsOut"),
  SOURCE_TASK_NUM_RECORDS_OUT_PER_SEC: (s: string) => s.startsWith("Source__") && s.endsWith(".numRecordsOutPerSecond"),
  SOURCE_TASK_NUM_RECORDS_IN: (s: string) => s.startsWith("Source__") && s.endsWith(".numRecordsIn"),
  PENDING_RECORDS: (s: string) => s.endsWith(".pendingRecords"),
  BACKPRESSURE_TIME_PER_SEC: (s: string) => s === "backPressuredTimeMsPerSecond",
  HEAP_MEMORY_MAX: (s: string) => s === "Status.JVM.Memory.Heap.Max",
  HEAP_MEMORY_USED: (s: string) => s === "Status.JVM.Memory.Heap.Used",
  MANAGED_MEMORY_USED: (s: string) => s === "Status.Flink.Memory.Managed.Used",
  METASPACE_MEMORY_USED: (s: string) => s === "Status.JVM.Memory.Metaspace.Used",
  TOTAL_GC_TIME_PER_SEC: (s: string) => s === "Status.JVM.GarbageCollector.All.TimeMsPerSecond",
  NUM_TASK_SLOTS_TOTAL: (s: string) => s === "taskSlotsTotal",
  NUM_TASK_SLOTS_AVAILABLE: (s: string) => s === "taskSlotsAvailable",
} as const;

export type FlinkMetric = keyof typeof FLINK_METRIC_PREDICATES;

/** The first metric name matching the predicate of `metric` (findAny). */
export function findAny(metric: FlinkMetric, metrics: Iterable<string>): string | undefined {
  const predicate = FLINK_METRIC_PREDICATES[metric];
  for (const m of metrics) if (predicate(m)) return m;
  return undefined;
}

/** Every metric name matching the predicate of `metric` (findAll). */
export function findAll(metric: FlinkMetric, metrics: Iterable<string>): string[] {
  const predicate = FLINK_METRIC_PREDICATES[metric];
  return [...metrics].filter(predicate);
}

const zero = (): AggregatedMetric => aggregatedMetric("", 0, 0, 0, 0, 0);

/** The metrics a FINISHED vertex is given. */
export const FINISHED_METRICS: ReadonlyMap<FlinkMetric, AggregatedMetric> = new Map<FlinkMetric, AggregatedMetric>([
  ["BUSY_TIME_PER_SEC", zero()],
  ["PENDING_RECORDS", zero()],
  ["SOURCE_TASK_NUM_RECORDS_IN_PER_SEC", zero()],
  ["SOURCE_TASK_NUM_RECORDS_IN", zero()],
  ["SOURCE_TASK_NUM_RECORDS_OUT", zero()],
]);
