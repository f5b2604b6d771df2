import { MemorySizeFormatError, parseMemorySize } from "../core/memorySize.ts";
import { FlinkConfigReader } from "./flinkConfiguration.ts";

/** What one pod requests from Kubernetes: cores and memory (bytes). */
export interface PodRequest {
  readonly cores: number;
  readonly memoryBytes: number;
}

/** The pods a run pays for: one TaskManager's request, and the JobManager's with its replicas. */
export interface PodResources {
  readonly taskManager: PodRequest;
  readonly jobManager: PodRequest & { readonly replicas: number };
}

/** simulation.prices: what a core-hour and a GiB-hour cost (both optional), in `currency`. */
export interface Prices {
  readonly coreHour: number;
  readonly gibHour: number;
  readonly currency: string;
}

/** A memory setting that neither Flink's nor Kubernetes' syntax reads: where and why. */
export class PodMemoryError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${key}: ${problem}`);
  }
}

/**
 * The process sizes of flink-dist's flink-conf.yaml (Flink 1.18: jobmanager 1600m,
 * taskmanager 1728m), what a FlinkDeployment without any memory setting runs with.
 */
export const DEFAULT_JOB_MANAGER_PROCESS_SIZE = 1600 * 1024 ** 2;
export const DEFAULT_TASK_MANAGER_PROCESS_SIZE = 1728 * 1024 ** 2;

const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  "": 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/**
 * spec.*.resource.memory as the operator reads it (FlinkConfigBuilder#parseResourceMemoryString,
 * release-1.15.0): Flink's MemorySize first (`2048m` is 2048 MiB, `2g` 2 GiB), else a
 * Kubernetes quantity, upper-cased with a trailing B dropped (`1.5Gi`, `2G` = 2 x 10^9 bytes).
 */
export function parseResourceMemory(text: string | number): number {
  const s = String(text);
  try {
    return parseMemorySize(s);
  } catch (e) {
    if (!(e instanceof MemorySizeFormatError)) throw e;
  }
  let q = s.trim().replace(/\s/g, "").toUpperCase();
  if (q.endsWith("B")) q = q.slice(0, -1);
  if (q.endsWith("I")) q = `${q.slice(0, -1)}i`;
  const m = /^(\d+(?:\.\d+)?)([KMGTPE]i?)?$/.exec(q);
  const unit = m === null ? undefined : QUANTITY_SUFFIX[m[2] ?? ""];
  if (m === null || unit === undefined) throw new MemorySizeFormatError(`'${s}' is not a memory size such as 2048m, 2g or 1.5Gi`);
  return Number(m[1]) * unit;
}

interface ResourceDoc {
  readonly memory?: string | number | undefined;
  readonly cpu?: number | undefined;
}

/**
 * The pods' requests as the operator and Flink 1.18 set them. The operator writes
 * spec.*.resource.memory over *.memory.process.size and spec.*.resource.cpu over
 * kubernetes.*.cpu.amount (FlinkConfigBuilder#setResource, release-1.15.0); the pod requests
 * the process size and that CPU (KubernetesJobManagerParameters#getJobManagerCPU: default 1.0;
 * the TaskManager's CPU is `taskManagerCores`, taskManagerCpu.ts). replicas: spec.jobManager.replicas (1).
 */
export function readPodResources(
  config: Readonly<Record<string, string>>,
  spec: { readonly jobManager?: { readonly resource?: ResourceDoc | undefined; readonly replicas?: number | undefined } | undefined; readonly taskManager?: { readonly resource?: ResourceDoc | undefined } | undefined },
  taskManagerCores: number,
): PodResources {
  const r = new FlinkConfigReader(config);
  const memory = (path: string, doc: string | number | undefined, key: string, fallback: number): number => {
    const found = doc === undefined ? r.get(key) : { key: path, value: String(doc) };
    if (found === undefined) return fallback;
    let bytes: number;
    try {
      bytes = found.key === path ? parseResourceMemory(found.value) : parseMemorySize(found.value);
    } catch (e) {
      if (e instanceof MemorySizeFormatError) throw new PodMemoryError(found.key, e.message);
      throw e;
    }
    if (!(bytes > 0)) throw new PodMemoryError(found.key, "must be a memory size above 0");
    return bytes;
  };
  const jmCpuText = spec.jobManager?.resource?.cpu ?? r.get("kubernetes.jobmanager.cpu.amount", "kubernetes.jobmanager.cpu")?.value;
  const jmCores = jmCpuText === undefined ? 1 : Number(jmCpuText);
  if (!(jmCores > 0)) throw new PodMemoryError("kubernetes.jobmanager.cpu.amount", `must be a number of cores greater than 0, got '${jmCpuText}'`);
  return {
    taskManager: {
      cores: taskManagerCores,
      memoryBytes: memory("spec.taskManager.resource.memory", spec.taskManager?.resource?.memory, "taskmanager.memory.process.size", DEFAULT_TASK_MANAGER_PROCESS_SIZE),
    },
    jobManager: {
      cores: jmCores,
      memoryBytes: memory("spec.jobManager.resource.memory", spec.jobManager?.resource?.memory, "jobmanager.memory.process.size", DEFAULT_JOB_MANAGER_PROCESS_SIZE),
      replicas: spec.jobManager?.replicas ?? 1,
    },
  };
}
