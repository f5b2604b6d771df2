import type { FlinkCluster } from "../flink/FlinkCluster.ts";
import { RestApi, type JobDetailsInfo } from "../flink/rest/RestApi.ts";
import {
  dumpFileOf,
  isImportedMetric,
  JOB_OVERVIEW_PATH,
  jobConfigPath,
  jobDetailsPath,
  subtaskMetricsPath,
  TASKMANAGERS_PATH,
  vertexDetailsPath,
} from "./restDump.ts";

/**
 * The simulator's own REST view saved as a dump, in the layout scripts/flink-rest-dump.sh
 * writes for a real JobManager (one JSON file per GET, named by dumpFileOf), so that
 * `import` reads both alike (issue 24, `--rest-dump`). Isomorphic: it returns
 * file -> JSON text; src/node/restFolder.ts writes them.
 */

/** JSON as Flink's Jackson writes it: NaN and infinities as strings ("NaN"), not null. */
export function flinkJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export interface RestDumpOptions {
  /** The job's default parallelism for config.json's execution-config (default: the first vertex's). */
  readonly jobParallelism?: number;
}

/**
 * Every file of a dump of job `jobId` from the REST view `rest`, at the view's current
 * time: overview.json, jobs/<jid>.json (with the plan), jobs/<jid>/config.json,
 * jobs/<jid>/vertices/<vid>.json, jobs/<jid>/vertices/<vid>/subtasks/metrics.json (the
 * values of the metrics `import` reads: task rates, busy, back-pressured and idle time,
 * operator rates, pendingRecords, Kafka offsets) and taskmanagers.json.
 *
 * Reading metrics through a RestApi may start a MetricFetcher update: to dump a running
 * simulation without changing what its autoscaler sees, pass a RestApi of its own
 * (see restDumpOfCluster).
 */
export function restDumpFiles(rest: RestApi, jobId: string, options: RestDumpOptions = {}): Record<string, string> {
  const details = rest.getJobDetails();
  if (details.jid !== jobId) throw new Error(`the REST view serves job ${details.jid}, not ${jobId}`);
  const files: Record<string, string> = {};
  const put = (path: string, body: unknown) => {
    files[dumpFileOf(path)] = flinkJson(body);
  };
  put(JOB_OVERVIEW_PATH, { jobs: [overviewEntry(details)] });
  put(jobDetailsPath(jobId), details);
  put(jobConfigPath(jobId), {
    jid: jobId,
    name: details.name,
    "execution-config": {
      "execution-mode": "PIPELINED",
      "restart-strategy": "Cluster level default restart strategy",
      "job-parallelism": options.jobParallelism ?? details.vertices[0]?.parallelism ?? 1,
      "object-reuse-mode": false,
      "user-config": {},
    },
  });
  for (const v of details.vertices) {
    put(vertexDetailsPath(jobId, v.id), {
      id: v.id,
      name: v.name,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      now: details.now,
      subtasks: Array.from({ length: v.parallelism }, (_, i) => ({
        subtask: i,
        status: v.status,
        attempt: 0,
        host: "localhost",
        "start-time": v["start-time"],
        "end-time": -1,
        duration: Math.max(0, details.now - v["start-time"]),
        "taskmanager-id": `taskmanager-${i}`,
      })),
    });
    const names = rest.getAggregatedSubtaskMetrics(v.id).map((m) => m.id).filter(isImportedMetric);
    put(subtaskMetricsPath(jobId, v.id, names), rest.getAggregatedSubtaskMetrics(v.id, names));
  }
  const jm = new Map(rest.getJobManagerMetrics(["numRegisteredTaskManagers", "taskSlotsTotal", "taskSlotsAvailable"]).map((m) => [m.id, Number(m.value)]));
  const tms = jm.get("numRegisteredTaskManagers") ?? 0;
  const slotsTotal = jm.get("taskSlotsTotal") ?? 0;
  const slotsFree = jm.get("taskSlotsAvailable") ?? 0;
  const perTm = tms > 0 ? slotsTotal / tms : 0;
  put(TASKMANAGERS_PATH, {
    taskmanagers: Array.from({ length: tms }, (_, i) => {
      // Free slots spread from the last TaskManager back, as a cluster filled in order would show them.
      const free = Math.max(0, Math.min(perTm, slotsFree - perTm * (tms - 1 - i)));
      return { id: `taskmanager-${i}`, path: `akka.tcp://flink@taskmanager-${i}:6122/user/rpc/taskmanager_0`, dataPort: 6121, slotsNumber: perTm, freeSlots: free };
    }),
  });
  return files;
}

function overviewEntry(d: JobDetailsInfo): Record<string, unknown> {
  const counts: Record<string, number> = {};
  for (const v of d.vertices) counts[v.status] = (counts[v.status] ?? 0) + v.parallelism;
  return {
    jid: d.jid,
    name: d.name,
    state: d.state,
    "start-time": d["start-time"],
    "end-time": -1,
    duration: Math.max(0, d.now - d["start-time"]),
    "last-modification": Math.max(...Object.values(d.timestamps)),
    tasks: { total: d.vertices.reduce((a, v) => a + v.parallelism, 0), ...Object.fromEntries(Object.entries(counts).map(([k, n]) => [k.toLowerCase(), n])) },
  };
}

/**
 * A dump of a simulated cluster at virtual time `nowMs` through a REST view of its own
 * that fetches before it serves (so the values are those of `nowMs`, and the run's own
 * view, which the autoscaler reads, is left as it was).
 */
export function restDumpOfCluster(cluster: FlinkCluster, nowMs: number, options: RestDumpOptions & { readonly metricFetcherUpdateIntervalMs?: number } = {}): Record<string, string> {
  const rest = new RestApi(cluster, () => nowMs, options.metricFetcherUpdateIntervalMs, false);
  return restDumpFiles(rest, cluster.jobId, options);
}
