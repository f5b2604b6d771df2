import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { cpuIsSet, fallbackCpuShortage, podsBeyondNodes } from "../../src/scenario/taskManagerCpu.ts";
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

describe("fallbackCpuShortage: Flink's one core per slot when the scenario sets no CPU", () => {
  it("warns when one slot's tasks can want more than one core at once", () => {
    // A source chain and a map, each all CPU: a slot wants 2 cores; 1 is the fallback.
    expect(fallbackCpuShortage(2, 1)).toContain("gives each 1 core (one per slot), but one slot's tasks can want up to 2 cores at once");
    expect(fallbackCpuShortage(2.5, 4)).toContain("gives each 4 cores (one per slot), but one slot's tasks can want up to 2.5 cores");
    // A single all-CPU thread per slot, or a sleeping map (cpuShare 0) beside one: never short.
    expect(fallbackCpuShortage(1, 4)).toBeUndefined();
  });

  it("is said only when no CPU key or spec.taskManager.resource.cpu is set", () => {
    expect(cpuIsSet({}, undefined)).toBe(false);
    expect(cpuIsSet({}, 2)).toBe(true);
    expect(cpuIsSet({ "kubernetes.taskmanager.cpu.amount": "1" }, undefined)).toBe(true);
    expect(cpuIsSet({ "taskmanager.cpu.cores": "3" }, undefined)).toBe(true);
    // scenarios/sine-load.yaml states cpu: 2 (its source chain and its map each keep a thread
    // busy: a slot wants 2 cores); without it the warning names the field.
    expect(loadScenario("scenarios/sine-load.yaml").warnings).toEqual([]);
    const text = readFileSync("scenarios/sine-load.yaml", "utf8");
    expect(text).toContain("      cpu: 2\n");
    const without = parseScenario("sine-load.yaml", text.replace("      cpu: 2\n", "      memory: 2048m\n"));
    expect(without.warnings).toEqual([expect.stringContaining("sine-load.yaml: spec.taskManager.resource.cpu: no CPU is set for the TaskManagers, so Flink's fallback gives each 1 core (one per slot), but one slot's tasks can want up to 2 cores at once")]);
  });
});
