/**
 * Where in the text a ScenarioError points: its path (`spec.job.parallelism`,
 * `simulation.job.edges[1].to`, `spec.flinkConfiguration["a.b"]`) looked up in the YAML
 * document, or the line and column a YAML syntax error names. A path that does not exist
 * in the text (a missing field) points at its nearest ancestor that does; a path that is
 * no place in the file (`--variant`, a whole-file problem) at the first line.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";

export interface TextRange {
  readonly from: number;
  readonly to: number;
}

/** `a.b[1]["c.d"]` -> ["a", "b", 1, "c.d"]; undefined when the path is not one (an option such as --variant). */
export function pathKeys(path: string): (string | number)[] | undefined {
  if (path === "" || path.startsWith("--")) return undefined;
  const keys: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < path.length) {
    token.lastIndex = at;
    const m = token.exec(path);
    if (m === null) return keys.length === 0 ? undefined : keys;
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else keys.push(JSON.parse(m[3]!) as string);
    at = token.lastIndex;
  }
  return keys;
}

/** Offset of line `line` (from 1), column `col` (from 1). */
function offsetOf(text: string, line: number, col: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, col - 1));
}

function lineRange(text: string, offset: number): TextRange {
  const from = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  return { from, to: end < 0 ? text.length : end };
}

const rangeOf = (node: YamlNode | null | undefined): TextRange | undefined => (node?.range ? { from: node.range[0], to: node.range[1] } : undefined);

/** The range a problem at `path` of the scenario text points to. */
export function locateError(text: string, path: string, problem: string): TextRange {
  const syntax = /\(line (\d+), column (\d+)\)/.exec(problem);
  if (path === "" && syntax !== null) return lineRange(text, offsetOf(text, Number(syntax[1]), Number(syntax[2])));
  const keys = pathKeys(path);
  const doc = parseDocument(text);
  if (keys === undefined || doc.errors.length > 0) return lineRange(text, 0);
  let node: unknown = doc.contents;
  // `key: value` when the value is a scalar, the key alone when it is a mapping or list (the line reads "edges:").
  let best: TextRange = rangeOf(doc.contents) ?? { from: 0, to: 0 };
  for (const key of keys) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (pair === undefined) break;
      const value = pair.value as YamlNode | null;
      const keyRange = rangeOf(pair.key as YamlNode);
      const valueRange = isScalar(value) ? rangeOf(value) : undefined;
      best = keyRange !== undefined && valueRange !== undefined ? { from: keyRange.from, to: valueRange.to } : (keyRange ?? best);
      node = value;
    } else if (isSeq(node) && typeof key === "number" && node.items[key] !== undefined) {
      const item = node.items[key] as YamlNode;
      best = rangeOf(item) ?? best;
      node = item;
    } else break;
  }
  // A mapping's range covers lines below it: point at its first line only.
  const line = lineRange(text, best.from);
  return best.to > line.to ? { from: best.from, to: line.to } : best.to > best.from ? best : line;
}
