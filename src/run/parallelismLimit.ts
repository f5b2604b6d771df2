import { VERTEX_MAX_PARALLELISM } from "../autoscaler/config/AutoScalerOptions.ts";
import type { Configuration } from "../autoscaler/config/Configuration.ts";
import type { JobVertex } from "../flink/JobGraph.ts";

/**
 * The highest parallelism the autoscaler gives a vertex (JobVertexScaler#scale, release-1.15.0):
 * its max parallelism (key groups), job.autoscaler.vertex.max-parallelism, and for a Kafka
 * source its topic's partitions (the alignment's bound), whichever is lowest.
 */
export function parallelismLimit(v: JobVertex, conf: Configuration): { value: number; by: string } {
  const limits = [
    { value: v.maxParallelism, by: "its max parallelism: the key groups, pipeline.max-parallelism" },
    { value: conf.get(VERTEX_MAX_PARALLELISM), by: "job.autoscaler.vertex.max-parallelism" },
  ];
  const source = v.operators[0]?.source;
  if (source?.connector === "kafka") limits.push({ value: source.partitions, by: `the topic's ${source.partitions} partitions` });
  return limits.reduce((a, b) => (b.value < a.value ? b : a));
}
