import type { Configuration } from "./config/Configuration.ts";
import type { RestClusterClient } from "./RestClusterClient.ts";

/** Flink's JobStatus values. */
export type JobStatus =
  | "INITIALIZING"
  | "CREATED"
  | "RUNNING"
  | "FAILING"
  | "FAILED"
  | "CANCELLING"
  | "CANCELED"
  | "FINISHED"
  | "RESTARTING"
  | "SUSPENDED"
  | "RECONCILING";

/**
 * Everything the autoscaler knows of one job at one call (JobAutoScalerContext): its key,
 * JobID, status, configuration, and a REST client to the job's cluster.
 */
export class JobAutoScalerContext<KEY = string> {
  constructor(
    readonly jobKey: KEY,
    readonly jobID: string | null,
    readonly jobStatus: JobStatus | null,
    readonly configuration: Configuration,
    private readonly restClientSupplier: () => RestClusterClient,
    private readonly taskManagerCpu?: number,
    private readonly taskManagerMemoryBytes?: number,
  ) {}

  getJobKey(): KEY {
    return this.jobKey;
  }

  getJobID(): string | null {
    return this.jobID;
  }

  getJobStatus(): JobStatus | null {
    return this.jobStatus;
  }

  getConfiguration(): Configuration {
    return this.configuration;
  }

  /** CPU of one TaskManager, when the context knows it (upstream's default: unknown). */
  getTaskManagerCpu(): number | undefined {
    return this.taskManagerCpu;
  }

  /** Memory of one TaskManager in bytes (upstream reads taskmanager.memory.process.size). */
  getTaskManagerMemory(): number | undefined {
    return this.taskManagerMemoryBytes;
  }

  getRestClusterClient(): RestClusterClient {
    return this.restClientSupplier();
  }
}
