import { describe, expect, it } from "vitest";
import { decisionReason, type ExecutorRunTrace, type VertexDecision } from "../../src/operator/decisionReason.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const V = "39085904f076b04aafb89062ca1b7212";
/** A vertex within its bounds (4 < 5 < 9) at parallelism 2 of at most 12. */
const vertex = (over: Partial<VertexDecision> = {}): VertexDecision => ({
  vertexId: V,
  currentParallelism: 2,
  newParallelism: 2,
  trueProcessingRate: 5,
  scaleUpThreshold: 4,
  scaleDownThreshold: 9,
  maxParallelism: 12,
  minParallelism: 1,
  scaleDownAllowedAtMs: null,
  ...over,
});
const trace = (over: Partial<ExecutorRunTrace> = {}): ExecutorRunTrace => ({ messages: [], events: [], executed: false, ...over });

describe("decisionReason: each vertex's reason, from what the autoscaler said", () => {
  it("names the direction of an executed change", () => {
    expect(decisionReason(vertex({ newParallelism: 3 }), trace({ executed: true }))).toBe("scaled up");
    expect(decisionReason(vertex({ newParallelism: 1 }), trace({ executed: true }))).toBe("scaled down");
  });

  it("says a vertex within its utilization bounds is left alone, bounds inclusive as upstream's test", () => {
    expect(decisionReason(vertex(), trace())).toBe("within utilization bounds");
    expect(decisionReason(vertex({ trueProcessingRate: 4 }), trace())).toBe("within utilization bounds");
    expect(decisionReason(vertex({ trueProcessingRate: 9 }), trace())).toBe("within utilization bounds");
  });

  it("tells the limit that held a vertex outside its bounds", () => {
    // Too slow (3.9 < 4) and already at the max parallelism; too fast and at the min.
    expect(decisionReason(vertex({ trueProcessingRate: 3.9, currentParallelism: 12, newParallelism: 12 }), trace())).toBe("at max parallelism 12");
    expect(decisionReason(vertex({ trueProcessingRate: 9.1, currentParallelism: 1, newParallelism: 1 }), trace())).toBe("at min parallelism 1");
    expect(decisionReason(vertex({ trueProcessingRate: 3.9 }), trace())).toBe("new parallelism rounds to the current one");
  });

  it("reads a delayed scale down from either of JobVertexScaler's two log lines, with the time it may go ahead", () => {
    const first = trace({ messages: [`The scale down of ${V} is delayed by PT1H.`] });
    const later = trace({ messages: [`Try to skip immediate scale down within scale-down interval for ${V}`] });
    expect(decisionReason(vertex({ trueProcessingRate: 20, scaleDownAllowedAtMs: 3_675_000 }), first)).toBe("scale-down delayed by scale-down.interval until 3675 s");
    expect(decisionReason(vertex({ trueProcessingRate: 20, scaleDownAllowedAtMs: 3_675_000 }), later)).toBe("scale-down delayed by scale-down.interval until 3675 s");
    // Another vertex's delay is not this one's.
    expect(decisionReason(vertex(), trace({ messages: ["The scale down of 0000 is delayed by PT1H."] }))).toBe("within utilization bounds");
  });

  it("names what held a recommended change back", () => {
    const recommended = vertex({ trueProcessingRate: 3, newParallelism: 3 });
    expect(decisionReason(recommended, trace({ events: [{ reason: "ScalingReport", message: "Scaling execution disabled by config job.autoscaler.scaling.enabled:false, recommended parallelism change:..." }] }))).toBe(
      "recommend only (scaling.enabled: false)",
    );
    expect(decisionReason(recommended, trace({ events: [{ reason: "ScalingReport", message: "Scaling execution disabled by config job.autoscaler.excluded.periods:[* * 9-17 ? * MON-FRI], ..." }] }))).toBe(
      "in an excluded period (excluded.periods)",
    );
    expect(decisionReason(recommended, trace({ messages: ["CPU resource quota reached with value: 8.0"] }))).toBe("limited by resource quota");
    expect(decisionReason(recommended, trace({ messages: ["JM metrics not ready yet"] }))).toBe("JobManager metrics not ready");
    expect(decisionReason(recommended, trace())).toBe("not enough cluster resources");
  });

  it("reports exclusion, memory pressure, missing rates and a blocked ineffective scale up before anything else", () => {
    expect(decisionReason(vertex(), trace({ messages: [`Vertex ${V} is part of \`vertex.exclude.ids\` config, Ignoring it for scaling`] }))).toBe("excluded by vertex.exclude.ids");
    expect(decisionReason(vertex(), trace({ messages: ["Skipping vertex scaling due to memory pressure"] }))).toBe("memory pressure (gc-pressure or heap-usage threshold)");
    expect(decisionReason(vertex({ trueProcessingRate: NaN }), trace({ messages: [`True processing rate is not available for ${V}, cannot compute new parallelism`] }))).toBe(
      "true processing rate not available",
    );
    const ineffective = (blocking: string) => trace({ events: [{ reason: "IneffectiveScaling", message: `Ineffective scaling detected for ${V} (expected increase: 2.0, actual increase 0.1). Blocking of ineffective scaling decisions is ${blocking}` }] });
    expect(decisionReason(vertex({ trueProcessingRate: 3 }), ineffective("enabled"))).toBe("ineffective scale-up blocked");
    // Detected but not blocking: the scale up was not held by it.
    expect(decisionReason(vertex({ trueProcessingRate: 3 }), ineffective("disabled"))).toBe("new parallelism rounds to the current one");
  });
});

describe("decisions.csv reasons in a run", () => {
  it("explain the seed job's decisions: the excluded source, scale ups, and scale downs held by scale-down.interval", () => {
    const result = runScenario(loadScenario(SEED_SCENARIO, { duration: "2h", variant: "tracking-on" }));
    const header = result.files["decisions.csv"]!.split("\n")[0]!;
    expect(header.endsWith(",executed,reason")).toBe(true);
    const decisions = result.operator.decisions;
    // The seed's FlinkDeployment lists the source in job.autoscaler.vertex.exclude.ids.
    expect(decisions.filter((d) => d.vertexId === result.cluster.graph.vertices[0]!.id).every((d) => d.reason === "excluded by vertex.exclude.ids")).toBe(true);
    for (const d of decisions) {
      if (d.executed) expect(d.reason).toBe(d.newParallelism > d.currentParallelism ? "scaled up" : "scaled down");
      if (d.reason === "within utilization bounds") expect(d.trueProcessingRate >= d.scaleUpThreshold && d.trueProcessingRate <= d.scaleDownThreshold).toBe(true);
      if (d.reason.startsWith("at max parallelism")) expect(d.currentParallelism).toBe(12);
    }
    // A scale down held back: over-provisioned (above the scale-down threshold), yet not executed.
    const held = decisions.filter((d) => d.reason.startsWith("scale-down delayed by scale-down.interval until "));
    expect(held.length).toBeGreaterThan(0);
    for (const d of held) {
      expect(d.executed).toBe(false);
      const until = Number(/until (\d+) s$/.exec(d.reason)![1]) * 1000;
      // job.autoscaler.scale-down.interval defaults to 1 h: the delay ends within an hour of the decision.
      expect(until).toBeGreaterThan(d.timeMs);
      expect(until).toBeLessThanOrEqual(d.timeMs + 3_600_000);
    }
  });
});
