import type { ClusterOptions } from "../flink/FlinkCluster.ts";
import { timerGaugeSemantics } from "../flink/metrics/TimerGauge.ts";
import type { Scenario } from "./Scenario.ts";

/** The simulated cluster a scenario describes. */
export function clusterOptionsOf(scenario: Scenario): ClusterOptions {
  const { cluster } = scenario;
  return {
    job: scenario.job,
    graph: {
      defaultParallelism: cluster.defaultParallelism,
      maxParallelism: cluster.maxParallelism,
      parallelismOverrides: cluster.parallelismOverrides,
    },
    network: { ...cluster.network, recordSizeBytes: scenario.recordSizeBytes },
    slotsPerTaskManager: cluster.slotsPerTaskManager,
    startEpochMs: scenario.startEpochMs,
    timerGauge: { ...timerGaugeSemantics(scenario.flinkVersion), ...scenario.timerGauge },
    pythonBundle: cluster.pythonBundle,
    execution: scenario.execution,
    ...(scenario.state !== undefined ? { state: scenario.state } : {}),
    cpu: scenario.cpu,
  };
}
