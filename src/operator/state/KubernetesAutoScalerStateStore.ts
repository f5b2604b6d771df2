import { gunzipSync, gzipSync, strToU8 } from "fflate";
import { parse as parseYaml } from "yaml";
import { parseDuration } from "../../core/duration.ts";
import { DelayedScaleDown, RecommendedParallelism, VertexDelayedScaleDownInfo } from "../../autoscaler/DelayedScaleDown.ts";
import type { CollectedMetrics } from "../../autoscaler/metrics/CollectedMetrics.ts";
import { EvaluatedScalingMetric } from "../../autoscaler/metrics/EvaluatedScalingMetric.ts";
import { SCALING_METRICS, type ScalingMetric } from "../../autoscaler/metrics/ScalingMetric.ts";
import { ScalingRecord } from "../../autoscaler/ScalingRecord.ts";
import { ScalingSummary } from "../../autoscaler/ScalingSummary.ts";
import { ScalingTracking } from "../../autoscaler/ScalingTracking.ts";
import type { ConfigChanges } from "../../autoscaler/state/AutoScalerStateStore.ts";
import { instantToString, javaDoubleToString } from "../../autoscaler/utils/JavaCompat.ts";
import { TreeMap } from "../../autoscaler/utils/TreeMap.ts";
import { deserializeJobVertexIdKey, serializeJobVertexIdKey, StateFormatError } from "./AutoScalerSerDeModule.ts";
import { decimalSeconds, type YNode, ybool, ymap, ynum, yseq, ystr, writeJacksonYaml } from "./jacksonYaml.ts";
import { javaHashMapOrder, jobVertexIdHashCode, stringHashCode } from "./javaHashMapOrder.ts";

/*
 * The serialization of KubernetesAutoScalerStateStore (flink-kubernetes-operator,
 * release-1.15.0, autoscaler/state/KubernetesAutoScalerStateStore.java): the data keys,
 * what each holds and how it is encoded, and trimHistoryToMaxCmSize.
 */

export const SCALING_HISTORY_KEY = "scalingHistory";
export const SCALING_TRACKING_KEY = "scalingTracking";
export const COLLECTED_METRICS_KEY = "collectedMetrics";
export const PARALLELISM_OVERRIDES_KEY = "parallelismOverrides";
export const CONFIG_OVERRIDES_KEY = "configOverrides";
export const DELAYED_SCALE_DOWN = "delayedScaleDown";
export const MAX_CM_BYTES = 1_000_000;

/** Every data key operator 1.15.0 writes. */
export const STATE_KEYS: readonly string[] = [
  COLLECTED_METRICS_KEY,
  CONFIG_OVERRIDES_KEY,
  DELAYED_SCALE_DOWN,
  PARALLELISM_OVERRIDES_KEY,
  SCALING_HISTORY_KEY,
  SCALING_TRACKING_KEY,
];

const METRIC_NAMES = Object.keys(SCALING_METRICS) as ScalingMetric[];
const METRIC_ORDINAL = new Map(METRIC_NAMES.map((m, i) => [m, i]));

// ---------------------------------------------------------------------------------------
// gzip + base64 (compress / decompress)

/**
 * `compress`: UTF-8 bytes through java.util.zip.GZIPOutputStream, then
 * Base64.getEncoder(). The gzip header is written as JDK 17 writes it (no mtime, XFL 0,
 * OS 255); the deflate stream is fflate's, so the bytes can differ from the JDK's zlib
 * while the text inside is the same.
 */
export function compress(original: string): string {
  const gz = gzipSync(strToU8(original), { level: 6, mtime: 0 });
  gz[8] = 0;
  gz[9] = 255;
  return bytesToBase64(gz);
}

/**
 * `decompress`. Upstream falls back to treating undecodable data as uncompressed YAML
 * (a migration path from operator versions before compression) and then discards what
 * Jackson cannot read; here corrupt base64 or gzip is an error naming the key.
 */
export function decompress(compressed: string, key: string): string {
  const text = compressed.replace(/\s+/g, "");
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    if (/^---|^[{A-Za-z0-9_"]+:/.test(compressed.trim())) {
      throw new StateFormatError(`data.${key}`, "holds plain YAML, not gzip+base64: written by an operator before 1.7, not the 1.15.0 layout");
    }
    throw new StateFormatError(`data.${key}`, "is not valid base64 (corrupt or truncated)");
  }
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(text);
  } catch {
    throw new StateFormatError(`data.${key}`, "is not valid base64 (corrupt or truncated)");
  }
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new StateFormatError(`data.${key}`, "is base64 but not gzip data (no gzip header)");
  }
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes);
  } catch (e) {
    throw new StateFormatError(`data.${key}`, `gzip data is corrupt or truncated (${e instanceof Error ? e.message : String(e)})`);
  }
  // GZIPInputStream checks the trailer (CRC-32 and length of the data); fflate does not.
  const n = bytes.length;
  const trailerCrc = (bytes[n - 8]! | (bytes[n - 7]! << 8) | (bytes[n - 6]! << 16) | (bytes[n - 5]! << 24)) >>> 0;
  const trailerSize = (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  if (trailerSize !== out.length % 0x100000000 || trailerCrc !== crc32(out)) {
    throw new StateFormatError(`data.${key}`, "gzip data is corrupt or truncated (CRC or length in its trailer does not match)");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(out);
  } catch {
    throw new StateFormatError(`data.${key}`, "gzip data does not hold UTF-8 text");
  }
}

let CRC_TABLE: Uint32Array | undefined;

/** CRC-32 (the gzip trailer's, polynomial 0xEDB88320). */
function crc32(data: Uint8Array): number {
  if (CRC_TABLE === undefined) {
    CRC_TABLE = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------
// Serialization (Jackson's view of the state classes)

/** Map<ScalingMetric, V> entries in the enum's declaration order (upstream's HashMap order is the JVM's identity hashes). */
function metricEntries<V>(m: ReadonlyMap<ScalingMetric, V>): [ScalingMetric, V][] {
  return [...m.entries()].sort((a, b) => METRIC_ORDINAL.get(a[0])! - METRIC_ORDINAL.get(b[0])!);
}

/** Map<JobVertexID, V> entries in a fresh java.util.HashMap's order. */
function vertexEntries<V>(m: ReadonlyMap<string, V>): [string, V][] {
  return javaHashMapOrder([...m.keys()], jobVertexIdHashCode).map((k) => [serializeJobVertexIdKey(k), m.get(k)!]);
}

const dbl = (x: number): YNode => ynum(javaDoubleToString(x));

function metricMap(m: ReadonlyMap<ScalingMetric, number>): YNode {
  return ymap(metricEntries(m).map(([k, v]) => [k, dbl(v)] as const));
}

/** serializeEvaluatedMetrics: SortedMap<Instant, CollectedMetrics>. */
export function evaluatedMetricsYaml(metrics: TreeMap<CollectedMetrics>): string {
  return writeJacksonYaml(
    ymap(
      metrics.entriesArray().map(([t, cm]) => {
        const fields: [string, YNode][] = [["vertexMetrics", ymap(vertexEntries(cm.vertexMetrics).map(([v, m]) => [v, metricMap(m)] as const))]];
        if (cm.globalMetrics !== null) fields.push(["globalMetrics", metricMap(cm.globalMetrics)]);
        return [instantToString(t), ymap(fields)] as const;
      }),
    ),
  );
}

export function serializeEvaluatedMetrics(metrics: TreeMap<CollectedMetrics>): string {
  return compress(evaluatedMetricsYaml(metrics));
}

/** serializeScalingHistory: Map<JobVertexID, SortedMap<Instant, ScalingSummary>>. */
export function scalingHistoryYaml(history: ReadonlyMap<string, TreeMap<ScalingSummary>>): string {
  return writeJacksonYaml(
    ymap(
      vertexEntries(history).map(([v, byTime]) => [
        v,
        ymap(
          byTime.entriesArray().map(([t, s]) => [
            instantToString(t),
            ymap([
              ["currentParallelism", ynum(String(s.currentParallelism))],
              ["newParallelism", ynum(String(s.newParallelism))],
              ["metrics", ymap(metricEntries(s.metrics).map(([k, e]) => [k, ymap([["current", dbl(e.current)], ["average", dbl(e.average)]])] as const))],
            ]),
          ] as const),
        ),
      ] as const),
    ),
  );
}

export function serializeScalingHistory(history: ReadonlyMap<string, TreeMap<ScalingSummary>>): string {
  return compress(scalingHistoryYaml(history));
}

/** serializeScalingTracking: `scalingRecords`, restartDuration as decimal seconds (left out while null). */
export function scalingTrackingYaml(tracking: ScalingTracking): string {
  return writeJacksonYaml(
    ymap([
      [
        "scalingRecords",
        ymap(
          tracking.scalingRecords.entriesArray().map(([t, r]) => [
            instantToString(t),
            ymap(r.restartDuration === null ? [] : [["restartDuration", ynum(decimalSeconds(r.restartDuration))]]),
          ] as const),
        ),
      ],
    ]),
  );
}

export function serializeScalingTracking(tracking: ScalingTracking): string {
  return compress(scalingTrackingYaml(tracking));
}

/**
 * serializeParallelismOverrides: Flink's `ConfigurationUtils.convertValue(map, String.class)`,
 * `k:v` joined by ',' (a key or value holding ':' or ',' would be single-quoted; ids and
 * numbers never do), in the HashMap<String, String>'s order.
 */
export function serializeParallelismOverrides(overrides: ReadonlyMap<string, string>): string {
  return javaHashMapOrder([...overrides.keys()], stringHashCode)
    .map((k) => escapeWithSingleQuote(`${escapeWithSingleQuote(k, ":")}:${escapeWithSingleQuote(overrides.get(k)!, ":")}`, ","))
    .join(",");
}

/** StructuredOptionsSplitter.escapeWithSingleQuote: quote when the string holds a delimiter or a quote. */
function escapeWithSingleQuote(s: string, ...chars: string[]): string {
  if (s.length === 0) return s;
  if ([...chars, "'", '"'].some((c) => s.includes(c))) return `'${s.replace(/'/g, "''")}'`;
  return s;
}

/** serializeConfigOverrides: ConfigChanges' `overrides` (Map) and `removals` (Set), plain YAML. */
export function serializeConfigOverrides(changes: ConfigChanges): string {
  const keys = Object.keys(changes.overrides);
  return writeJacksonYaml(
    ymap([
      ["overrides", ymap(javaHashMapOrder(keys, stringHashCode).map((k) => [k, ystr(changes.overrides[k]!)] as const))],
      ["removals", yseq(javaHashMapOrder([...new Set(changes.removals)], stringHashCode).map(ystr))],
    ]),
  );
}

/** serializeDelayedScaleDown: `delayedVertices`, trigger times as decimal epoch seconds, plain YAML. */
export function serializeDelayedScaleDown(delayed: DelayedScaleDown): string {
  return writeJacksonYaml(
    ymap([
      [
        "delayedVertices",
        ymap(
          vertexEntries(delayed.getDelayedVertices()).map(([v, info]) => [
            v,
            ymap([
              ["firstTriggerTime", ynum(decimalSeconds(info.firstTriggerTime))],
              [
                "recommendedParallelisms",
                yseq(
                  info.recommendedParallelisms.map((r) =>
                    ymap([
                      ["triggerTime", ynum(decimalSeconds(r.triggerTime))],
                      ["parallelism", ynum(String(r.parallelism))],
                      ["outsideUtilizationBound", ybool(r.outsideUtilizationBound)],
                    ]),
                  ),
                ),
              ],
            ]),
          ] as const),
        ),
      ],
    ]),
  );
}

// ---------------------------------------------------------------------------------------
// Deserialization (YAML_MAPPER.readValue with Jackson's defaults: unknown properties fail)

type Tree = string | Tree[] | { [k: string]: Tree } | null;

/** YAML read with every scalar kept as its text (the failsafe schema): types come from the class, as in Jackson. */
function readTree(yamlText: string, key: string): Tree {
  try {
    return parseYaml(yamlText, { schema: "failsafe", uniqueKeys: false }) as Tree;
  } catch (e) {
    throw new StateFormatError(`data.${key}`, `is not YAML (${(e instanceof Error ? e.message : String(e)).split("\n")[0]})`);
  }
}

function asMap(node: Tree, where: string): Record<string, Tree> {
  if (node === null || node === "") return {};
  if (typeof node !== "object" || Array.isArray(node)) throw new StateFormatError(where, `expected a mapping, got ${describe(node)}`);
  return node;
}

function asList(node: Tree, where: string): Tree[] {
  if (node === null || node === "") return [];
  if (!Array.isArray(node)) throw new StateFormatError(where, `expected a list, got ${describe(node)}`);
  return node;
}

function asText(node: Tree, where: string): string {
  if (typeof node !== "string") throw new StateFormatError(where, `expected a scalar, got ${describe(node)}`);
  return node;
}

function describe(node: Tree): string {
  if (node === null) return "nothing";
  if (typeof node === "string") return `'${node.length > 40 ? `${node.slice(0, 40)}...` : node}'`;
  return Array.isArray(node) ? "a list" : "a mapping";
}

/** Fields of a bean: Jackson fails on a property the class does not have (FAIL_ON_UNKNOWN_PROPERTIES). */
function beanFields(node: Tree, where: string, className: string, known: readonly string[]): Record<string, Tree> {
  const m = asMap(node, where);
  for (const k of Object.keys(m)) {
    if (!known.includes(k)) {
      throw new StateFormatError(
        `${where}.${k}`,
        `${className} of operator 1.15.0 has no field '${k}' (it has ${known.join(", ")}): a ConfigMap of another operator version?`,
      );
    }
  }
  return m;
}

/** A Java double as Jackson reads it: numbers, NaN, Infinity, -Infinity. */
function parseDouble(node: Tree, where: string): number {
  const t = asText(node, where).trim();
  if (t === "NaN" || t === ".nan" || t === ".NaN") return NaN;
  if (t === "Infinity" || t === "+Infinity" || t === ".inf") return Infinity;
  if (t === "-Infinity" || t === "-.inf") return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) throw new StateFormatError(where, `'${t}' is not a number`);
  return Number(t);
}

function parseInt32(node: Tree, where: string): number {
  const t = asText(node, where).trim();
  if (!/^[-+]?\d+$/.test(t)) throw new StateFormatError(where, `'${t}' is not an integer`);
  return Number(t);
}

function parseBoolean(node: Tree, where: string): boolean {
  const t = asText(node, where).trim().toLowerCase();
  if (t === "true") return true;
  if (t === "false") return false;
  throw new StateFormatError(where, `'${t}' is not a boolean`);
}

const ISO_INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;

/** An Instant map key (InstantKeyDeserializer: ISO-8601), to epoch ms (sub-millisecond digits dropped). */
function parseInstantKey(key: string, where: string): number {
  const m = ISO_INSTANT.exec(key);
  if (m === null) throw new StateFormatError(where, `'${key}' is not an ISO-8601 instant (e.g. 2024-05-16T17:17:32.590Z)`);
  const ms = Date.parse(`${m[1]}.${(m[2] ?? "").padEnd(3, "0").slice(0, 3)}Z`);
  if (Number.isNaN(ms)) throw new StateFormatError(where, `'${key}' is not a valid instant`);
  return ms;
}

/** Decimal seconds (seconds.nanos) as ms, the sub-millisecond digits dropped. */
function decimalSecondsToMs(t: string, where: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(t);
  if (m === null) throw new StateFormatError(where, `'${t}' is not a number of seconds`);
  const ms = Number(m[2]) * 1000 + Number((m[3] ?? "").padEnd(3, "0").slice(0, 3));
  return m[1] === "-" ? -ms : ms;
}

/** An Instant value (InstantDeserializer): decimal epoch seconds as written, or an ISO-8601 text. */
function parseInstantValue(node: Tree, where: string): number {
  const t = asText(node, where).trim();
  return ISO_INSTANT.test(t) ? parseInstantKey(t, where) : decimalSecondsToMs(t, where);
}

/** A Duration value (DurationDeserializer): decimal seconds as written, or ISO-8601 (PT14S). */
function parseDurationValue(node: Tree, where: string): number {
  const t = asText(node, where).trim();
  if (/^[-+]?P/i.test(t)) {
    try {
      return parseDuration(t);
    } catch {
      throw new StateFormatError(where, `'${t}' is not a duration`);
    }
  }
  return decimalSecondsToMs(t, where);
}

function parseMetricKey(key: string, where: string): ScalingMetric {
  if (!METRIC_ORDINAL.has(key as ScalingMetric)) {
    throw new StateFormatError(where, `'${key}' is not a ScalingMetric of operator 1.15.0: a ConfigMap of another operator version?`);
  }
  return key as ScalingMetric;
}

function parseMetricMap(node: Tree, where: string): Map<ScalingMetric, number> {
  const out = new Map<ScalingMetric, number>();
  for (const [k, v] of Object.entries(asMap(node, where))) out.set(parseMetricKey(k, `${where}.${k}`), parseDouble(v, `${where}.${k}`));
  return out;
}

/** deserializeEvaluatedMetrics. */
export function deserializeEvaluatedMetrics(serialized: string): TreeMap<CollectedMetrics> {
  const where = `data.${COLLECTED_METRICS_KEY}`;
  const out = new TreeMap<CollectedMetrics>();
  for (const [t, cmNode] of Object.entries(asMap(readTree(decompress(serialized, COLLECTED_METRICS_KEY), COLLECTED_METRICS_KEY), where))) {
    const at = `${where}[${t}]`;
    const f = beanFields(cmNode, at, "CollectedMetrics", ["vertexMetrics", "globalMetrics"]);
    const vertexMetrics = new Map<string, Map<ScalingMetric, number>>();
    for (const [v, m] of Object.entries(asMap(f["vertexMetrics"] ?? null, `${at}.vertexMetrics`))) {
      vertexMetrics.set(deserializeJobVertexIdKey(v, `${at}.vertexMetrics`), parseMetricMap(m, `${at}.vertexMetrics.${v}`));
    }
    const globalMetrics = f["globalMetrics"] === undefined || f["globalMetrics"] === null ? null : parseMetricMap(f["globalMetrics"], `${at}.globalMetrics`);
    out.put(parseInstantKey(t, where), { vertexMetrics, globalMetrics });
  }
  return out;
}

/** deserializeScalingHistory. */
export function deserializeScalingHistory(serialized: string): Map<string, TreeMap<ScalingSummary>> {
  const where = `data.${SCALING_HISTORY_KEY}`;
  const out = new Map<string, TreeMap<ScalingSummary>>();
  for (const [v, byTime] of Object.entries(asMap(readTree(decompress(serialized, SCALING_HISTORY_KEY), SCALING_HISTORY_KEY), where))) {
    const vertex = deserializeJobVertexIdKey(v, where);
    const history = new TreeMap<ScalingSummary>();
    for (const [t, s] of Object.entries(asMap(byTime, `${where}.${v}`))) {
      const at = `${where}.${v}[${t}]`;
      const f = beanFields(s, at, "ScalingSummary", ["currentParallelism", "newParallelism", "metrics"]);
      const metrics = new Map<ScalingMetric, EvaluatedScalingMetric>();
      for (const [k, e] of Object.entries(asMap(f["metrics"] ?? null, `${at}.metrics`))) {
        const ef = beanFields(e, `${at}.metrics.${k}`, "EvaluatedScalingMetric", ["current", "average"]);
        metrics.set(
          parseMetricKey(k, `${at}.metrics.${k}`),
          new EvaluatedScalingMetric(
            ef["current"] === undefined ? 0 : parseDouble(ef["current"], `${at}.metrics.${k}.current`),
            ef["average"] === undefined ? 0 : parseDouble(ef["average"], `${at}.metrics.${k}.average`),
          ),
        );
      }
      const current = f["currentParallelism"] === undefined ? 0 : parseInt32(f["currentParallelism"], `${at}.currentParallelism`);
      const next = f["newParallelism"] === undefined ? 0 : parseInt32(f["newParallelism"], `${at}.newParallelism`);
      if (current === next) throw new StateFormatError(at, `currentParallelism equals newParallelism (${current}): not a scaling`);
      history.put(parseInstantKey(t, at), new ScalingSummary(current, next, metrics));
    }
    out.set(vertex, history);
  }
  return out;
}

/** deserializeScalingTracking. */
export function deserializeScalingTracking(serialized: string): ScalingTracking {
  const where = `data.${SCALING_TRACKING_KEY}`;
  const f = beanFields(readTree(decompress(serialized, SCALING_TRACKING_KEY), SCALING_TRACKING_KEY), where, "ScalingTracking", ["scalingRecords"]);
  const tracking = new ScalingTracking();
  for (const [t, r] of Object.entries(asMap(f["scalingRecords"] ?? null, `${where}.scalingRecords`))) {
    const at = `${where}.scalingRecords[${t}]`;
    const rf = beanFields(r, at, "ScalingRecord", ["restartDuration"]);
    const d = rf["restartDuration"];
    tracking.addScalingRecord(parseInstantKey(t, at), new ScalingRecord(d === undefined || d === null ? null : parseDurationValue(d, `${at}.restartDuration`)));
  }
  return tracking;
}

/** deserializeParallelismOverrides: ConfigurationUtils.convertValue(text, Map.class). */
export function deserializeParallelismOverrides(serialized: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of splitEscaped(serialized, ",")) {
    if (entry.trim() === "") continue;
    const kv = splitEscaped(entry, ":");
    if (kv.length !== 2) throw new StateFormatError(`data.${PARALLELISM_OVERRIDES_KEY}`, `'${entry}' is not a key:value pair`);
    out.set(kv[0]!.trim(), kv[1]!.trim());
  }
  return out;
}

/** StructuredOptionsSplitter.splitEscaped: split on `delimiter` outside single or double quotes, quotes removed. */
function splitEscaped(s: string, delimiter: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote !== null) {
      if (c === quote) {
        if (s[i + 1] === quote) {
          cur += c;
          i++;
        } else quote = null;
      } else cur += c;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === delimiter) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** deserializeConfigOverrides. */
export function deserializeConfigOverrides(serialized: string): ConfigChanges {
  const where = `data.${CONFIG_OVERRIDES_KEY}`;
  const f = beanFields(readTree(serialized, CONFIG_OVERRIDES_KEY), where, "ConfigChanges", ["overrides", "removals"]);
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(asMap(f["overrides"] ?? null, `${where}.overrides`))) overrides[k] = asText(v, `${where}.overrides.${k}`);
  const removals = asList(f["removals"] ?? null, `${where}.removals`).map((r, i) => asText(r, `${where}.removals[${i}]`));
  return { overrides, removals };
}

/** deserializeDelayedScaleDown. */
export function deserializeDelayedScaleDown(serialized: string): DelayedScaleDown {
  const where = `data.${DELAYED_SCALE_DOWN}`;
  const f = beanFields(readTree(serialized, DELAYED_SCALE_DOWN), where, "DelayedScaleDown", ["delayedVertices"]);
  const out = new DelayedScaleDown();
  for (const [v, info] of Object.entries(asMap(f["delayedVertices"] ?? null, `${where}.delayedVertices`))) {
    const at = `${where}.delayedVertices.${v}`;
    const vf = beanFields(info, at, "VertexDelayedScaleDownInfo", ["firstTriggerTime", "recommendedParallelisms"]);
    const recs = asList(vf["recommendedParallelisms"] ?? null, `${at}.recommendedParallelisms`).map((r, i) => {
      const rat = `${at}.recommendedParallelisms[${i}]`;
      const rf = beanFields(r, rat, "RecommendedParallelism", ["triggerTime", "parallelism", "outsideUtilizationBound"]);
      if (rf["triggerTime"] === undefined) throw new StateFormatError(`${rat}.triggerTime`, "is missing (it is @Nonnull)");
      return new RecommendedParallelism(
        parseInstantValue(rf["triggerTime"], `${rat}.triggerTime`),
        rf["parallelism"] === undefined ? 0 : parseInt32(rf["parallelism"], `${rat}.parallelism`),
        rf["outsideUtilizationBound"] === undefined ? false : parseBoolean(rf["outsideUtilizationBound"], `${rat}.outsideUtilizationBound`),
      );
    });
    const first = vf["firstTriggerTime"];
    if (first === undefined || first === null) throw new StateFormatError(`${at}.firstTriggerTime`, "is missing");
    out.getDelayedVertices().set(deserializeJobVertexIdKey(v, at), new VertexDelayedScaleDownInfo(parseInstantValue(first, `${at}.firstTriggerTime`), recs));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// trimHistoryToMaxCmSize

/**
 * trimHistoryToMaxCmSize: while the three compressed entries' lengths (characters of
 * base64) add up to more than `maxBytes`, drop the oldest metric sample and compress the
 * rest again. Mutates `data` and `metricHistory`; returns the instants removed (upstream
 * logs "Trimming metric history by removing {}" for each).
 */
export function trimHistoryToMaxCmSize(data: Map<string, string>, metricHistory: TreeMap<CollectedMetrics>, maxBytes: number = MAX_CM_BYTES): number[] {
  const len = (k: string) => data.get(k)?.length ?? 0;
  const scalingHistorySize = len(SCALING_HISTORY_KEY);
  const scalingTrackingSize = len(SCALING_TRACKING_KEY);
  let metricHistorySize = len(COLLECTED_METRICS_KEY);
  const removed: number[] = [];
  while (scalingHistorySize + metricHistorySize + scalingTrackingSize > maxBytes) {
    if (metricHistory.isEmpty()) break;
    const first = metricHistory.pollFirstEntry()!;
    removed.push(first[0]);
    const compressed = serializeEvaluatedMetrics(metricHistory);
    data.set(COLLECTED_METRICS_KEY, compressed);
    metricHistorySize = compressed.length;
  }
  return removed;
}
