import { gzipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DelayedScaleDown } from "../../../src/autoscaler/DelayedScaleDown.ts";
import type { CollectedMetrics } from "../../../src/autoscaler/metrics/CollectedMetrics.ts";
import { EvaluatedScalingMetric } from "../../../src/autoscaler/metrics/EvaluatedScalingMetric.ts";
import type { ScalingMetric } from "../../../src/autoscaler/metrics/ScalingMetric.ts";
import { ScalingRecord } from "../../../src/autoscaler/ScalingRecord.ts";
import { ScalingSummary } from "../../../src/autoscaler/ScalingSummary.ts";
import { ScalingTracking } from "../../../src/autoscaler/ScalingTracking.ts";
import { TreeMap } from "../../../src/autoscaler/utils/TreeMap.ts";
import {
  ConfigMapDecodeError,
  decodeAutoscalerConfigMap,
  encodeAutoscalerConfigMap,
  encodeAutoscalerData,
  type AutoscalerState,
} from "../../../src/operator/state/autoscalerConfigMap.ts";
import {
  compress,
  decompress,
  evaluatedMetricsYaml,
  scalingHistoryYaml,
  scalingTrackingYaml,
  serializeConfigOverrides,
  serializeDelayedScaleDown,
  serializeEvaluatedMetrics,
  serializeParallelismOverrides,
  trimHistoryToMaxCmSize,
} from "../../../src/operator/state/KubernetesAutoScalerStateStore.ts";
import { javaHashMapOrder, jobVertexIdHashCode } from "../../../src/operator/state/javaHashMapOrder.ts";

const A = "0a448493b4782967b150582570326227";
const B = "ea632d67b7d595e5b851708ae9ad79d6";
const T1 = Date.parse("2024-05-16T17:17:32.590Z"); // 1715879852.59 s (python datetime)
const T2 = Date.parse("2024-05-16T17:19:03Z");
const T3 = Date.parse("2024-05-16T17:20:00Z");

function smallState(): Required<AutoscalerState> {
  // A inserted before B: the HashMap order, not insertion order, must decide the text.
  const scalingHistory = new Map<string, TreeMap<ScalingSummary>>([
    [A, new TreeMap([[T2, new ScalingSummary(4, 2, new Map())]])],
    [
      B,
      new TreeMap([
        [
          T1,
          new ScalingSummary(
            1,
            4,
            new Map<ScalingMetric, EvaluatedScalingMetric>([
              ["PARALLELISM", EvaluatedScalingMetric.of(1)],
              ["TRUE_PROCESSING_RATE", EvaluatedScalingMetric.avg(2.5)],
            ]),
          ),
        ],
      ]),
    ],
  ]);
  const scalingTracking = new ScalingTracking();
  scalingTracking.addScalingRecord(T1, new ScalingRecord(14_000));
  scalingTracking.addScalingRecord(T2, new ScalingRecord());
  const collectedMetrics = new TreeMap<CollectedMetrics>([
    [
      T3,
      {
        vertexMetrics: new Map([
          [
            A,
            new Map<ScalingMetric, number>([
              ["ACCUMULATED_BUSY_TIME", 14_884_250],
              ["LOAD", 0.25],
              ["OBSERVED_TPR", Infinity],
            ]),
          ],
        ]),
        globalMetrics: null,
      },
    ],
  ]);
  const delayedScaleDown = new DelayedScaleDown();
  delayedScaleDown.triggerScaleDown(B, T1, 3, false);
  return {
    scalingHistory,
    scalingTracking,
    collectedMetrics,
    parallelismOverrides: new Map([
      [B, "4"],
      [A, "2"],
    ]),
    configChanges: { overrides: { "taskmanager.memory.managed.size": "1 gb" }, removals: ["taskmanager.memory.process.size"] },
    delayedScaleDown,
  };
}

describe("what Jackson writes (KubernetesAutoScalerStateStore YAML_MAPPER, release-1.15.0)", () => {
  // Written by hand from the serializer configuration: `---` start marker, plain keys,
  // Double#toString numbers with NaN/Infinity bare, Instant keys ISO-8601, Instant and
  // Duration values as decimal seconds with 9 digits, nulls left out, empty maps `{}`,
  // sequences in a mapping not indented, strings double-quoted; JobVertexID keys in
  // HashMap order (ea63... hashes to bucket 4, 0a44... to bucket 8: python, XOR of the
  // four 32-bit words, h ^ h >>> 16, & 15), metrics in enum order.
  const state = smallState();

  it("scalingHistory", () => {
    expect(scalingHistoryYaml(state.scalingHistory)).toBe(
      [
        "---",
        `${B}:`,
        "  2024-05-16T17:17:32.590Z:",
        "    currentParallelism: 1",
        "    newParallelism: 4",
        "    metrics:",
        "      TRUE_PROCESSING_RATE:",
        "        current: NaN",
        "        average: 2.5",
        "      PARALLELISM:",
        "        current: 1.0",
        "        average: NaN",
        `${A}:`,
        "  2024-05-16T17:19:03Z:",
        "    currentParallelism: 4",
        "    newParallelism: 2",
        "    metrics: {}",
        "",
      ].join("\n"),
    );
  });

  it("scalingTracking", () => {
    expect(scalingTrackingYaml(state.scalingTracking)).toBe(
      ["---", "scalingRecords:", "  2024-05-16T17:17:32.590Z:", "    restartDuration: 14.000000000", "  2024-05-16T17:19:03Z: {}", ""].join("\n"),
    );
  });

  it("collectedMetrics (globalMetrics null: left out)", () => {
    expect(evaluatedMetricsYaml(state.collectedMetrics)).toBe(
      [
        "---",
        "2024-05-16T17:20:00Z:",
        "  vertexMetrics:",
        `    ${A}:`,
        "      LOAD: 0.25",
        "      OBSERVED_TPR: Infinity",
        "      ACCUMULATED_BUSY_TIME: 1.488425E7",
        "",
      ].join("\n"),
    );
    expect(evaluatedMetricsYaml(new TreeMap())).toBe("--- {}\n");
  });

  it("delayedScaleDown, configOverrides, parallelismOverrides", () => {
    expect(serializeDelayedScaleDown(state.delayedScaleDown)).toBe(
      [
        "---",
        "delayedVertices:",
        `  ${B}:`,
        "    firstTriggerTime: 1715879852.590000000",
        "    recommendedParallelisms:",
        "    - triggerTime: 1715879852.590000000",
        "      parallelism: 3",
        "      outsideUtilizationBound: false",
        "",
      ].join("\n"),
    );
    expect(serializeDelayedScaleDown(new DelayedScaleDown())).toBe("---\ndelayedVertices: {}\n");
    expect(serializeConfigOverrides(state.configChanges)).toBe(
      ["---", "overrides:", '  taskmanager.memory.managed.size: "1 gb"', "removals:", '- "taskmanager.memory.process.size"', ""].join("\n"),
    );
    expect(serializeConfigOverrides({ overrides: {}, removals: [] })).toBe("---\noverrides: {}\nremovals: []\n");
    // String keys in HashMap order: String#hashCode of A lands in bucket 5, of B in bucket 8 (python).
    expect(serializeParallelismOverrides(state.parallelismOverrides)).toBe(`${A}:2,${B}:4`);
  });

  it("gzip header as JDK 17's GZIPOutputStream writes it, base64 of it", () => {
    const encoded = compress("---\na: 1\n");
    expect(encoded.startsWith("H4sIAAAAAAAA/")).toBe(true); // 1f 8b 08 00 00000000 00 ff
    expect(decompress(encoded, "x")).toBe("---\na: 1\n");
    // Data gzipped elsewhere (another deflate encoder) reads the same.
    expect(decompress(btoa(String.fromCharCode(...gzipSync(strToU8("---\nb: 2\n")))), "x")).toBe("---\nb: 2\n");
  });

  it("java.util.HashMap order: bucket, then insertion", () => {
    // Hashes 1 (bucket 1) and 16 (bucket 0): the second goes first.
    const one = "00000000000000000000000000000001";
    const sixteen = "00000000000000000000000000000010";
    expect(jobVertexIdHashCode(sixteen)).toBe(16);
    expect(javaHashMapOrder([one, sixteen], jobVertexIdHashCode)).toEqual([sixteen, one]);
  });
});

describe("the ConfigMap manifest and its decoder", () => {
  it("writes upstream's name, labels and data keys, kubectl's key order", () => {
    const text = encodeAutoscalerConfigMap(smallState(), { namespace: "default", name: "autoscaling-example", uid: "11111111-2222-3333-4444-555555555555" });
    const cm = parse(text) as { apiVersion: string; kind: string; metadata: Record<string, unknown>; data: Record<string, string> };
    expect(cm.apiVersion).toBe("v1");
    expect(cm.kind).toBe("ConfigMap");
    expect(cm.metadata).toEqual({
      labels: { app: "autoscaling-example", component: "autoscaler" },
      name: "autoscaler-autoscaling-example",
      namespace: "default",
      ownerReferences: [{ apiVersion: "flink.apache.org/v1beta1", kind: "FlinkDeployment", name: "autoscaling-example", uid: "11111111-2222-3333-4444-555555555555" }],
    });
    expect(Object.keys(cm.data)).toEqual(["collectedMetrics", "configOverrides", "delayedScaleDown", "parallelismOverrides", "scalingHistory", "scalingTracking"]);
    expect(cm.data["delayedScaleDown"]).toBe(serializeDelayedScaleDown(smallState().delayedScaleDown));
    expect(text).toContain("  delayedScaleDown: |\n    ---\n    delayedVertices:\n");
  });

  it("round trip: decode(encode(state)) gives the same state", () => {
    const state = smallState();
    const back = decodeAutoscalerConfigMap(encodeAutoscalerConfigMap(state, { namespace: "ns", name: "job" }));
    expect(back.name).toBe("autoscaler-job");
    expect(back.namespace).toBe("ns");
    const summary = back.scalingHistory!.get(B)!.get(T1)!;
    expect([summary.currentParallelism, summary.newParallelism]).toEqual([1, 4]);
    expect(summary.metrics.get("TRUE_PROCESSING_RATE")!.average).toBe(2.5);
    expect(summary.metrics.get("TRUE_PROCESSING_RATE")!.current).toBeNaN();
    expect(back.scalingHistory!.get(A)!.keys()).toEqual([T2]);
    expect(back.scalingTracking!.scalingRecords.entriesArray().map(([t, r]) => [t, r.restartDuration])).toEqual([
      [T1, 14_000],
      [T2, null],
    ]);
    const cm = back.collectedMetrics!.get(T3)!;
    expect(cm.globalMetrics).toBeNull();
    expect(Object.fromEntries(cm.vertexMetrics.get(A)!)).toEqual({ ACCUMULATED_BUSY_TIME: 14_884_250, LOAD: 0.25, OBSERVED_TPR: Infinity });
    expect([...back.parallelismOverrides!]).toEqual([
      [A, "2"],
      [B, "4"],
    ]);
    expect(back.configChanges).toEqual(state.configChanges);
    const info = back.delayedScaleDown!.getDelayedVertices().get(B)!;
    expect(info.firstTriggerTime).toBe(T1);
    expect(info.recommendedParallelisms.map((r) => [r.triggerTime, r.parallelism, r.outsideUtilizationBound])).toEqual([[T1, 3, false]]);
    // And encoding the decoded state again gives the same text.
    expect(encodeAutoscalerConfigMap(back, { namespace: "ns", name: "job" })).toBe(encodeAutoscalerConfigMap(state, { namespace: "ns", name: "job" }));
  });

  it("reads sub-millisecond instants and ISO durations as Jackson would accept them", () => {
    const tracking = compress("---\nscalingRecords:\n  2024-05-16T17:17:32.590123Z:\n    restartDuration: PT14.5S\n");
    const back = decodeAutoscalerConfigMap(`apiVersion: v1\nkind: ConfigMap\ndata:\n  scalingTracking: ${tracking}\n`);
    expect(back.scalingTracking!.scalingRecords.entriesArray().map(([t, r]) => [t, r.restartDuration])).toEqual([[T1, 14_500]]);
  });

  const manifest = (data: Record<string, string>) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: autoscaler-x\n  labels:\n    component: autoscaler\n    app: x\ndata:\n${Object.entries(data)
      .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
      .join("\n")}\n`;

  it.each([
    ["corrupt base64", { scalingHistory: "H4sI!!!notbase64" }, /cm\.yaml: data\.scalingHistory: is not valid base64/],
    ["corrupt gzip", { collectedMetrics: compress("---\na: 1\n").slice(0, 24) }, /cm\.yaml: data\.collectedMetrics: (gzip data is corrupt|is base64 but not gzip)/],
    ["base64, not gzip", { scalingTracking: btoa("hello world, plain") }, /data\.scalingTracking: is base64 but not gzip data/],
    ["operator 1.4-1.5 layout", { jobUpdateTs: "2023-01-01T00:00:00Z", collectedMetrics: "x" }, /data\.jobUpdateTs: is the layout of operator 1\.4-1\.5/],
    ["uncompressed YAML of an old operator", { scalingHistory: "---\nabc: {}\n" }, /data\.scalingHistory: holds plain YAML, not gzip\+base64/],
    ["a 1.6 field", { collectedMetrics: compress(`---\n2024-05-16T17:20:00Z:\n  vertexMetrics: {}\n  outputRatios: {}\n`) }, /CollectedMetrics of operator 1\.15\.0 has no field 'outputRatios'/],
    ["an unknown metric", { collectedMetrics: compress(`---\n2024-05-16T17:20:00Z:\n  vertexMetrics:\n    ${A}:\n      CPU: 1.0\n`) }, /'CPU' is not a ScalingMetric of operator 1\.15\.0/],
    ["a foreign key", { somethingElse: "1" }, /data\.somethingElse: is not a key operator 1\.15\.0 writes/],
  ])("one-line error: %s", (_name, data, message) => {
    let error: unknown;
    try {
      decodeAutoscalerConfigMap(manifest(data), "cm.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigMapDecodeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("one-line error: not a ConfigMap", () => {
    expect(() => decodeAutoscalerConfigMap("apiVersion: v1\nkind: Secret\n", "s.yaml")).toThrow(/^s\.yaml: kind: is "Secret", not ConfigMap$/);
  });
});

describe("trimHistoryToMaxCmSize (MAX_CM_BYTES, oldest samples first)", () => {
  it("drops the oldest samples until the three compressed entries fit, and no more", () => {
    const metrics = new TreeMap<CollectedMetrics>();
    let x = 0.123456789;
    for (let i = 0; i < 60; i++) {
      const m = new Map<ScalingMetric, number>();
      for (const k of ["LOAD", "NUM_RECORDS_IN", "NUM_RECORDS_OUT", "ACCUMULATED_BUSY_TIME"] as ScalingMetric[]) {
        x = (x * 9301 + 49297) % 233280; // distinct, poorly compressible values
        m.set(k, x / 7);
      }
      metrics.put(T3 + i * 15_000, { vertexMetrics: new Map([[A, m]]), globalMetrics: null });
    }
    const state = smallState();
    const full = encodeAutoscalerData({ ...state, collectedMetrics: metrics });
    const fixed = full.get("scalingHistory")!.length + full.get("scalingTracking")!.length;
    const last20 = new TreeMap(metrics.entriesArray().slice(-20));
    const limit = fixed + serializeEvaluatedMetrics(last20).length;
    const data = encodeAutoscalerData({ ...state, collectedMetrics: metrics }, { maxBytes: limit });
    const kept = decodeAutoscalerConfigMap(encodeAutoscalerConfigMapFromData(data)).collectedMetrics!;
    // The newest samples are kept, in one contiguous tail, within the limit...
    expect(kept.keys()).toEqual(metrics.keys().slice(-kept.size));
    expect(fixed + data.get("collectedMetrics")!.length).toBeLessThanOrEqual(limit);
    expect(kept.size).toBeGreaterThanOrEqual(20);
    // ...and one sample more would not have fitted.
    const oneMore = new TreeMap(metrics.entriesArray().slice(-(kept.size + 1)));
    expect(fixed + serializeEvaluatedMetrics(oneMore).length).toBeGreaterThan(limit);
    // The untrimmed parts are untouched.
    expect(data.get("scalingHistory")).toBe(full.get("scalingHistory"));
  });

  it("stops when no sample is left", () => {
    const data = new Map([["scalingHistory", "x".repeat(50)]]);
    const history = new TreeMap<CollectedMetrics>([[T3, { vertexMetrics: new Map(), globalMetrics: null }]]);
    expect(trimHistoryToMaxCmSize(data, history, 10)).toEqual([T3]);
    expect(history.size).toBe(0);
  });
});

function encodeAutoscalerConfigMapFromData(data: Map<string, string>): string {
  return `apiVersion: v1\nkind: ConfigMap\ndata:\n${[...data].map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}\n`;
}
