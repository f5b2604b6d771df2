/**
 * The YAML that the operator's `YAML_MAPPER` writes: Jackson's YAMLGenerator over
 * SnakeYAML's emitter with their default settings (KubernetesAutoScalerStateStore,
 * release-1.15.0, builds it as `new ObjectMapper(yamlFactory())` + JavaTimeModule +
 * AutoScalerSerDeModule, `NON_NULL`), for the shapes the autoscaler's state takes:
 * - a document start marker: `---` then the block mapping (WRITE_DOC_START_MARKER on);
 *   an empty root mapping is `--- {}`;
 * - strings double-quoted (MINIMIZE_QUOTES off), map keys plain;
 * - numbers plain: doubles as `Double#toString` prints them (`NaN`, `Infinity` bare),
 *   `Instant` and `Duration` values as decimal seconds with nine fraction digits
 *   (WRITE_DATES_AS_TIMESTAMPS and WRITE_DURATIONS_AS_TIMESTAMPS are on by default:
 *   jackson-datatype-jsr310 `DecimalUtils.toBigDecimal`);
 * - mappings indented by two, sequences inside a mapping not indented (INDENT_ARRAYS
 *   off), empty collections in flow style (`{}`, `[]`);
 * - null values left out (`setSerializationInclusion(NON_NULL)`).
 * Not modelled: SnakeYAML folds a double-quoted string longer than 80 columns; none of
 * the state's strings (vertex ids, configuration keys) comes near that.
 */

/** A node of the tree the writer prints. */
export type YNode =
  | { readonly kind: "map"; readonly entries: readonly (readonly [string, YNode])[] }
  | { readonly kind: "seq"; readonly items: readonly YNode[] }
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "num"; readonly text: string }
  | { readonly kind: "bool"; readonly value: boolean };

export const ymap = (entries: readonly (readonly [string, YNode])[]): YNode => ({ kind: "map", entries });
export const yseq = (items: readonly YNode[]): YNode => ({ kind: "seq", items });
export const ystr = (value: string): YNode => ({ kind: "str", value });
export const ynum = (text: string): YNode => ({ kind: "num", text });
export const ybool = (value: boolean): YNode => ({ kind: "bool", value });

/** The text `ObjectMapper#writeValueAsString` gives for this tree. */
export function writeJacksonYaml(root: YNode): string {
  if (root.kind === "map" && root.entries.length > 0) return `---\n${blockMap(root.entries, 0)}`;
  if (root.kind === "seq" && root.items.length > 0) return `---\n${blockSeq(root.items, 0)}`;
  return `--- ${inline(root)}\n`;
}

function isEmptyCollection(node: YNode): boolean {
  return (node.kind === "map" && node.entries.length === 0) || (node.kind === "seq" && node.items.length === 0);
}

function inline(node: YNode): string {
  switch (node.kind) {
    case "map":
      return "{}"; // only ever called for an empty one
    case "seq":
      return "[]";
    case "str":
      return doubleQuoted(node.value);
    case "num":
      return node.text;
    case "bool":
      return node.value ? "true" : "false";
  }
}

function blockMap(entries: readonly (readonly [string, YNode])[], indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const [key, value] of entries) out += `${pad}${mappingEntry(key, value, indent)}`;
  return out;
}

/** `key: value\n` (or `key:\n` and the nested block), the key's own indentation not included. */
function mappingEntry(key: string, value: YNode, indent: number): string {
  const k = plainKeyAllowed(key) ? key : doubleQuoted(key);
  if (value.kind === "map" && value.entries.length > 0) return `${k}:\n${blockMap(value.entries, indent + 2)}`;
  if (value.kind === "seq" && value.items.length > 0) return `${k}:\n${blockSeq(value.items, indent)}`;
  return `${k}: ${inline(value)}\n`;
}

function blockSeq(items: readonly YNode[], indent: number): string {
  const pad = " ".repeat(indent);
  let out = "";
  for (const item of items) {
    if (item.kind === "map" && item.entries.length > 0) {
      const [first, ...rest] = item.entries;
      out += `${pad}- ${mappingEntry(first![0], first![1], indent + 2)}${blockMap(rest, indent + 2)}`;
    } else if (item.kind === "seq" && item.items.length > 0) {
      out += `${pad}- ${blockSeq(item.items, indent + 2).trimStart()}`;
    } else {
      out += `${pad}- ${isEmptyCollection(item) ? inline(item) : inline(item)}\n`;
    }
  }
  return out;
}

const RESERVED = new Set(
  ["false", "False", "FALSE", "n", "N", "no", "No", "NO", "null", "Null", "NULL", "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "~", ""],
);

/**
 * A key is written plain unless jackson-dataformat-yaml's `StringQuotingChecker.Default
 * #needToQuoteName` asks for quotes (a YAML 1.1 boolean or null word, something that
 * looks like a number, a control character), or SnakeYAML could not write it plain (": ",
 * " #", a leading indicator): then double-quoted.
 */
function plainKeyAllowed(key: string): boolean {
  if (RESERVED.has(key) || /^[-+]?[0-9]*(\.[0-9]*)?$/.test(key) || /[\x00-\x1f]/.test(key)) return false;
  return !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(key) && !/: |\s#|:$|\s$/.test(key);
}

/** A double-quoted YAML scalar, escaped as SnakeYAML escapes it. */
export function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).toUpperCase().padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * jackson-datatype-jsr310 `DecimalUtils.toBigDecimal(seconds, nanos)` printed by
 * BigDecimal#toString: `0.0` for zero, else the seconds and nine fraction digits.
 */
export function decimalSeconds(epochOrDurationMs: number): string {
  const ms = Math.round(epochOrDurationMs);
  if (ms === 0) return "0.0";
  const negative = ms < 0;
  const abs = Math.abs(ms);
  const seconds = Math.floor(abs / 1000);
  const nanos = (abs % 1000) * 1_000_000;
  const text = `${seconds}.${String(nanos).padStart(9, "0")}`;
  return negative ? `-${text}` : text;
}
