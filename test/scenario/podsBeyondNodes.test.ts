import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { podsBeyondNodes } from "../../src/scenario/taskManagerCpu.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";

const node = (count: number, cores: number, requestCores: number) => ({ requestCores, limitCores: requestCores * 8, nodes: { count, cores } });

describe("podsBeyondNodes: TaskManager pods the kube-scheduler would leave Pending", () => {
  it("counts floor(cores / request) pods per node against ceil(parallelism / slots)", () => {
    // 1 node of 2.2 cores, 1-core requests: 2 fit; 16 subtasks at 1 slot each want 16 pods.
    expect(podsBeyondNodes(node(1, 2.2, 1), 1, 16)).toMatch(/^the job can reach 16 TaskManager pods \(parallelism up to 16, 1 slot each\), but 1 node of 2.2 cores fits 2 requesting 1 core each: Kubernetes would leave the rest Pending/);
    // 0.125-core requests: floor(2.2 / 0.125) = 17 >= 16.
    expect(podsBeyondNodes(node(1, 2.2, 0.125), 1, 16)).toBeUndefined();
    // 3 nodes of 4 cores, 1.5-core requests: 2 a node, 6 in all; 24 subtasks at 4 slots = 6 pods fit, 25 = 7 do not.
    expect(podsBeyondNodes(node(3, 4, 1.5), 4, 24)).toBeUndefined();
    expect(podsBeyondNodes(node(3, 4, 1.5), 4, 25)).toContain("3 nodes of 4 cores fit 6 requesting 1.5 cores each");
    // Requests that add up to the node's cores exactly fit (0.3 / 0.1 is 2.9999999999999996 in doubles).
    expect(podsBeyondNodes(node(1, 0.3, 0.1), 1, 3)).toBeUndefined();
    // Without nodes, nothing to say.
    expect(podsBeyondNodes({ requestCores: 1, limitCores: 1 }, 1, 1000)).toBeUndefined();
  });

  it("is a warning of the scenario (an error with --strict); the catalogue's cpu-bound.yaml fits", () => {
    expect(loadScenario("scenarios/cpu-bound.yaml").warnings).toEqual([]);
    const tooBig = { set: { "spec.taskManager.resource.cpu": "1", "kubernetes.taskmanager.cpu.limit-factor": "1" } };
    expect(loadScenario("scenarios/cpu-bound.yaml", tooBig).warnings).toEqual([expect.stringContaining("simulation.cluster.nodes: the job can reach 16 TaskManager pods")]);
    expect(() => loadScenario("scenarios/cpu-bound.yaml", { ...tooBig, strict: true })).toThrow(ScenarioError);
  });
});
