import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadScenario } from "../../../src/node/loadScenario.ts";
import { runScenario } from "../../../src/run/runScenario.ts";
import { JobAutoScalerContext } from "../../../src/autoscaler/JobAutoScalerContext.ts";
import { Configuration } from "../../../src/autoscaler/config/Configuration.ts";
import { InMemoryAutoScalerStateStore } from "../../../src/autoscaler/state/InMemoryAutoScalerStateStore.ts";
import { decodeAutoscalerConfigMap, encodeAutoscalerConfigMap, loadIntoStore } from "../../../src/operator/state/autoscalerConfigMap.ts";
import { configMapYamlOfRun } from "../../../src/operator/state/runConfigMap.ts";

describe("configmap.yaml of a finished run", () => {
  const scenario = loadScenario("scenarios/backpressure.yaml", { variant: "tracking-on" });
  const run = runScenario(scenario, { output: { kind: "memory" } });
  const text = configMapYamlOfRun(run.operator);
  const state = decodeAutoscalerConfigMap(text);

  it("is the ConfigMap autoscaler-<name> in the deployment's namespace", () => {
    const cm = parse(text) as { metadata: { name: string; namespace: string; labels: Record<string, string> } };
    expect(cm.metadata.name).toBe(`autoscaler-${scenario.deploymentName}`);
    expect(cm.metadata.namespace).toBe(scenario.namespace);
    expect(cm.metadata.labels).toEqual({ app: scenario.deploymentName, component: "autoscaler" });
  });

  it("holds one scaling record per rescale, with the restart the operator measured", () => {
    const startEpoch = run.cluster.epochMs(0);
    const records = state.scalingTracking!.scalingRecords.entriesArray();
    const restarts = run.operator.restarts.filter((r) => r.runningTimeMs !== null);
    expect(restarts.length).toBeGreaterThan(0);
    // Tracking keeps the latest history.max.count-ish records; every kept one matches a restart.
    for (const [t, record] of records) {
      const restart = run.operator.restarts.find((r) => startEpoch + r.decisionTimeMs === t);
      expect(restart).toBeDefined();
      if (record.restartDuration !== null) expect(record.restartDuration).toBe(restart!.runningTimeMs! - restart!.decisionTimeMs);
    }
  });

  it("parallelismOverrides are the parallelisms the job runs with at the end", () => {
    for (const [vertex, p] of state.parallelismOverrides!) {
      expect(run.cluster.graph.vertices.find((v) => v.id === vertex)?.parallelism).toBe(Number(p));
    }
  });

  it("loads into a state store that encodes to the same ConfigMap", () => {
    const store = new InMemoryAutoScalerStateStore<string, JobAutoScalerContext<string>>();
    const ctx = new JobAutoScalerContext<string>("replay", null, "RUNNING", new Configuration(new Map()), () => {
      throw new Error("no REST client in this test");
    });
    loadIntoStore(state, store, ctx);
    const resource = { namespace: scenario.namespace, name: scenario.deploymentName };
    expect(encodeAutoscalerConfigMap(store.snapshot("replay"), resource)).toBe(text);
  });

  it("collectedMetrics holds the current window only, newest sample last", () => {
    const keys = state.collectedMetrics!.keys();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[keys.length - 1]).toBeLessThanOrEqual(run.cluster.epochMs());
  });
});
