import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { withoutCpuSharing } from "../../src/scenario/cpuAblation.ts";

/**
 * A rate-limited source at 150 records/s into a map of 10 ms a record at parallelism 2, chained
 * with a free sink; both map subtasks on one TaskManager (2 slots) of 1 CPU; the autoscaler off.
 */
function scenarioText(cpuShare: number, execution: "record" | "aggregate"): string {
  return `
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata: { name: ablation }
spec:
  flinkVersion: v1_18
  flinkConfiguration: { job.autoscaler.enabled: "false", taskmanager.numberOfTaskSlots: "2" }
  taskManager: { resource: { cpu: 1 } }
  job: { jarURI: local:///x.jar, parallelism: 2 }
simulation:
  duration: 2min
  execution: ${execution}
  job:
    operators:
      - { id: source, kind: source, parallelism: 1, cost: 0ms, source: { connector: datastream-datagen, rowsPerSecond: 150 } }
      - { id: map, cost: 10ms, cpuShare: ${cpuShare} }
      - { id: sink, kind: sink, cost: 0ms }
    edges:
      - { from: source, to: map, shipStrategy: REBALANCE }
      - { from: map, to: sink, shipStrategy: FORWARD }
`;
}

const delivered = (cpuShare: number, execution: "record" | "aggregate", ablate: boolean) => {
  const scenario = parseScenario("ablation.yaml", scenarioText(cpuShare, execution));
  return runScenario(ablate ? withoutCpuSharing(scenario) : scenario, { output: { kind: "none" } }).summary;
};

describe("the CPU ablation (withoutCpuSharing)", () => {
  // Hand calculation over 120 s: two map subtasks of 10 ms a record could do 2 x 100 = 200 records/s, more than
  // the 150 arriving, so without a CPU limit all 150 x 120 = 18,000 go through (less the few in flight at the end).
  // With the map all CPU (cpuShare 1) its two task threads share the TaskManager's one core: 1000 / 10 = 100
  // records/s, 12,000 in 120 s. With cpuShare 0 (a sleep) the core is never short: 18,000 either way.
  const cases = [
    { execution: "record", cpuShare: 1, modelled: 100 * 120, off: 150 * 120 },
    { execution: "record", cpuShare: 0, modelled: 150 * 120, off: 150 * 120 },
    { execution: "aggregate", cpuShare: 1, modelled: 100 * 120, off: 150 * 120 },
  ] as const;
  for (const c of cases) {
    it(`${c.execution} mode, cpuShare ${c.cpuShare}: ${c.modelled} records delivered as modelled, ${c.off} without CPU sharing`, () => {
      const modelled = delivered(c.cpuShare, c.execution, false).records_delivered_to_sinks;
      const off = delivered(c.cpuShare, c.execution, true).records_delivered_to_sinks;
      // 1%: the records in the network's buffers at the end, the tasks' staggered start.
      expect(Math.abs(modelled - c.modelled) / c.modelled).toBeLessThan(0.01);
      expect(Math.abs(off - c.off) / c.off).toBeLessThan(0.01);
    });
  }

  it("changes nothing where the CPU is never short (cpuShare 0): the same summary, figure for figure", () => {
    const modelled = delivered(0, "record", false);
    const off = delivered(0, "record", true);
    expect(off).toEqual(modelled);
  });

  it("keeps the pods' requests, so core-hours are counted as before", () => {
    const scenario = parseScenario("ablation.yaml", scenarioText(1, "record"));
    const off = withoutCpuSharing(scenario);
    expect(off.cpu).toEqual({ requestCores: 1, limitCores: Infinity });
    expect(off.resources).toBe(scenario.resources);
  });
});
