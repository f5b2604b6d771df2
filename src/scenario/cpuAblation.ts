import type { Scenario } from "./Scenario.ts";

/**
 * The scenario with CPU sharing switched off: no CFS limit on any TaskManager and no nodes
 * to share, so no TaskManager's CPU can ever be short and every subtask runs at its cost's
 * full speed, as before the CPU model (FlinkCluster runs a TaskManager without the CPU model
 * when its peak demand fits its limit; contention.ts). The pods' requests, and so the cost
 * figures (core-hours), are left as they are. The fidelity page's CPU ablation
 * (sim/docs/fidelity.ts); not a user option.
 */
export function withoutCpuSharing(scenario: Scenario): Scenario {
  return { ...scenario, cpu: { requestCores: scenario.cpu.requestCores, limitCores: Infinity } };
}
