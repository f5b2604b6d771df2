/**
 * Nested `flinkConfiguration` flattened as the operator does it.
 *
 * Upstream: flink-kubernetes-operator-api, `ConfigObjectNode#asFlatMap` and its
 * `flattenHelper` (release-1.15.0,
 * flink-kubernetes-operator-api/src/main/java/org/apache/flink/kubernetes/operator/api/spec/ConfigObjectNode.java):
 * - an object's fields are joined to their parent's key with ".";
 * - an array becomes its elements' text joined by ";" (an empty array adds nothing,
 *   since the loop over its elements never runs);
 * - any other node is stored as `JsonNode#asText()`.
 * Later keys overwrite earlier ones (a HashMap put in document order), so
 * `a.b: 1` followed by `a: {b: 2}` gives `a.b = 2`.
 *
 * Two departures, both at the edges: a number is printed as JavaScript prints it (the
 * YAML parser has already turned `1.0` into 1, where Jackson would keep "1.0"), and a
 * top-level null stays null, so that the scenario schema's own error names it (the
 * operator would store the text "null", as it does here for a nested null).
 */
export function flattenFlinkConfiguration(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const flat: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined) flat[key] = child;
    else flattenHelper(child, key, flat);
  }
  return flat;
}

function flattenHelper(node: unknown, parentKey: string, flat: Record<string, unknown>): void {
  if (isPlainObject(node)) {
    for (const [key, child] of Object.entries(node)) {
      flattenHelper(child, parentKey === "" ? key : `${parentKey}.${key}`, flat);
    }
  } else if (Array.isArray(node)) {
    if (node.length > 0) flat[parentKey] = node.map(asText).join(";");
  } else {
    flat[parentKey] = asText(node);
  }
}

/** JsonNode#asText: a container's text is "", null's is "null". */
function asText(node: unknown): string {
  if (node === null || node === undefined) return "null";
  if (typeof node === "string") return node;
  if (typeof node === "number" || typeof node === "boolean" || typeof node === "bigint") return String(node);
  return "";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
