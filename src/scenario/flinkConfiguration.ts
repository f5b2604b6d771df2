import { DurationFormatError, parseDuration } from "../core/duration.ts";
import { MemorySizeFormatError, parseMemorySize } from "../core/memorySize.ts";
import { DEFAULT_NETWORK_CONFIG, type NetworkConfig } from "../flink/network/NetworkConfig.ts";
import { DEFAULT_METRIC_FETCHER_UPDATE_INTERVAL_MS } from "../flink/rest/RestApi.ts";

/** The Flink settings the simulated cluster honours, read from flinkConfiguration. */
export interface ClusterSettings {
  readonly defaultParallelism: number;
  readonly maxParallelism: number | undefined;
  readonly slotsPerTaskManager: number;
  readonly parallelismOverrides: ReadonlyMap<string, number>;
  readonly network: Omit<NetworkConfig, "recordSizeBytes">;
  readonly metricFetcherUpdateIntervalMs: number;
  /** python.fn-execution.bundle.size and python.fn-execution.bundle.time (PythonOptions: 1000, 1000 ms). */
  readonly pythonBundle: { readonly size: number; readonly timeMs: number };
}

/** A value that does not parse: the key and what is wrong. */
export class ConfigValueError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`${key}: ${problem}`);
  }
}

/** Reads typed values from a flat string map, as Flink's Configuration does. */
export class FlinkConfigReader {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  get(key: string, ...fallbackKeys: string[]): { key: string; value: string } | undefined {
    for (const k of [key, ...fallbackKeys]) {
      const value = this.values[k];
      if (value !== undefined) return { key: k, value };
    }
    return undefined;
  }

  int(key: string, min: number, ...fallbackKeys: string[]): number | undefined {
    const found = this.get(key, ...fallbackKeys);
    if (found === undefined) return undefined;
    const text = found.value.trim();
    if (!/^[-+]?\d+$/.test(text)) throw new ConfigValueError(found.key, `'${found.value}' is not an integer`);
    const n = Number(text);
    if (n < min) throw new ConfigValueError(found.key, `must be at least ${min}, got ${n}`);
    return n;
  }

  boolean(key: string): boolean | undefined {
    const found = this.get(key);
    if (found === undefined) return undefined;
    const text = found.value.trim().toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
    throw new ConfigValueError(found.key, `'${found.value}' is not a boolean (true or false)`);
  }

  duration(key: string, ...fallbackKeys: string[]): number | undefined {
    const found = this.get(key, ...fallbackKeys);
    if (found === undefined) return undefined;
    try {
      return parseDuration(found.value);
    } catch (e) {
      if (e instanceof DurationFormatError) throw new ConfigValueError(found.key, e.message);
      throw e;
    }
  }

  memorySize(key: string): number | undefined {
    const found = this.get(key);
    if (found === undefined) return undefined;
    try {
      return parseMemorySize(found.value);
    } catch (e) {
      if (e instanceof MemorySizeFormatError) throw new ConfigValueError(found.key, e.message);
      throw e;
    }
  }

  /** A Flink map option: `k1:v1,k2:v2`. */
  map(key: string): Map<string, string> | undefined {
    const found = this.get(key);
    if (found === undefined) return undefined;
    const result = new Map<string, string>();
    for (const entry of found.value.split(",").map((s) => s.trim()).filter((s) => s.length > 0)) {
      const colon = entry.indexOf(":");
      if (colon <= 0) throw new ConfigValueError(found.key, `'${entry}' is not a key:value pair`);
      result.set(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim());
    }
    return result;
  }
}

const HEX32 = /^[0-9a-f]{32}$/;

/** The cluster settings of a deployment; `jobParallelism` is spec.job.parallelism. */
export function readClusterSettings(config: Readonly<Record<string, string>>, jobParallelism: number | undefined): ClusterSettings {
  const r = new FlinkConfigReader(config);
  const overrides = new Map<string, number>();
  for (const [id, value] of r.map("pipeline.jobvertex-parallelism-overrides") ?? []) {
    if (!HEX32.test(id)) {
      throw new ConfigValueError("pipeline.jobvertex-parallelism-overrides", `'${id}' is not a JobVertexID (32 hex digits)`);
    }
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new ConfigValueError("pipeline.jobvertex-parallelism-overrides", `parallelism '${value}' of ${id} is not a positive integer`);
    }
    overrides.set(id, Number(value));
  }
  const bufferTimeoutEnabled = r.boolean("execution.buffer-timeout.enabled") ?? true;
  const bufferTimeout = r.duration("execution.buffer-timeout.interval", "execution.buffer-timeout") ?? DEFAULT_NETWORK_CONFIG.bufferTimeoutMs;
  return {
    defaultParallelism: jobParallelism ?? r.int("parallelism.default", 1) ?? 1,
    maxParallelism: r.int("pipeline.max-parallelism", 1),
    slotsPerTaskManager: r.int("taskmanager.numberOfTaskSlots", 1) ?? 1,
    parallelismOverrides: overrides,
    network: {
      segmentSizeBytes: r.memorySize("taskmanager.memory.segment-size") ?? DEFAULT_NETWORK_CONFIG.segmentSizeBytes,
      buffersPerChannel: r.int("taskmanager.network.memory.buffers-per-channel", 0) ?? DEFAULT_NETWORK_CONFIG.buffersPerChannel,
      floatingBuffersPerGate:
        r.int("taskmanager.network.memory.floating-buffers-per-gate", 0) ?? DEFAULT_NETWORK_CONFIG.floatingBuffersPerGate,
      maxBuffersPerChannel: r.int("taskmanager.network.memory.max-buffers-per-channel", 1) ?? DEFAULT_NETWORK_CONFIG.maxBuffersPerChannel,
      bufferTimeoutMs: bufferTimeoutEnabled ? bufferTimeout : -1,
    },
    metricFetcherUpdateIntervalMs: r.duration("metrics.fetcher.update-interval") ?? DEFAULT_METRIC_FETCHER_UPDATE_INTERVAL_MS,
    // AbstractPythonFunctionOperator#open: a value <= 0 falls back to the default.
    pythonBundle: {
      size: positiveOr(r.int("python.fn-execution.bundle.size", Number.MIN_SAFE_INTEGER), 1000),
      timeMs: positiveOr(r.int("python.fn-execution.bundle.time", Number.MIN_SAFE_INTEGER), 1000),
    },
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value === undefined || value <= 0 ? fallback : value;
}
