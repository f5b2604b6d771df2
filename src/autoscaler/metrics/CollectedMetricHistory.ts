import type { JobTopology } from "../topology/JobTopology.ts";
import type { TreeMap } from "../utils/TreeMap.ts";
import type { CollectedMetrics } from "./CollectedMetrics.ts";

/** The metric history after a collection: the topology, the samples by time, when the job last became RUNNING. */
export class CollectedMetricHistory {
  fullyCollected = false;

  constructor(
    readonly jobTopology: JobTopology,
    readonly metricHistory: TreeMap<CollectedMetrics>,
    readonly jobRunningTs: number,
  ) {}

  isFullyCollected(): boolean {
    return this.fullyCollected;
  }

  setFullyCollected(value: boolean): void {
    this.fullyCollected = value;
  }
}
