import { parse as parseYaml } from "yaml";
import { formatPath, ScenarioError, suggestion } from "./ScenarioError.ts";

/**
 * `--set` keys that address the scenario document rather than `spec.flinkConfiguration`:
 * a path from `simulation` or `spec`, with `.key`, `[3]` (a list index) and `[id]` (the
 * list entry whose `id` is that, e.g. `simulation.job.operators[map].cost`). Every other
 * key is a Flink configuration key, as it always was.
 */
export function isDocumentPath(key: string): boolean {
  return /^(simulation|spec|metadata|apiVersion|kind)(\.|\[|$)/.test(key);
}

type Segment = { readonly key: string } | { readonly index: number } | { readonly id: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** The segments of a document path, or a ScenarioError naming what is malformed. */
export function parsePath(file: string, key: string): Segment[] {
  const fail = (problem: string): never => {
    throw new ScenarioError(file, `--set ${key}`, problem);
  };
  const segments: Segment[] = [];
  let rest = key;
  while (rest !== "") {
    if (rest.startsWith("[")) {
      const end = rest.indexOf("]");
      if (end < 0) fail("a '[' without its ']'");
      const inside = rest.slice(1, end).trim();
      if (inside === "") fail("an empty [] (write [0] for the first entry, or [id] for the entry with that id)");
      segments.push(/^\d+$/.test(inside) ? { index: Number(inside) } : { id: inside });
      rest = rest.slice(end + 1);
    } else {
      if (segments.length > 0) {
        if (!rest.startsWith(".")) fail(`expected '.' or '[' before '${rest}'`);
        rest = rest.slice(1);
      }
      const name = IDENTIFIER.exec(rest)?.[0];
      if (name === undefined) fail(`'${rest}' is not a key (letters, digits, '_' and '-')`);
      segments.push({ key: name! });
      rest = rest.slice(name!.length);
    }
  }
  return segments;
}

/**
 * A --set value as the scenario file would hold it: a flow mapping or list (`{distribution:
 * uniform, min: 1s, max: 3s}`), a number or a boolean as YAML reads them, else the text
 * itself (`1kb`, `2ms`, `Orders: v2`), so that a value is never surprised into a mapping.
 */
export function parseValue(file: string, key: string, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return parseYaml(trimmed);
    } catch (e) {
      throw new ScenarioError(file, `--set ${key}`, `'${trimmed}' is not a YAML flow value: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  let scalar: unknown;
  try {
    scalar = parseYaml(trimmed);
  } catch {
    return trimmed;
  }
  return typeof scalar === "number" || typeof scalar === "boolean" ? scalar : trimmed;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Paths --set may not reach, and why. */
function refused(segments: readonly Segment[]): string | undefined {
  const [first, second] = segments.map((s) => ("key" in s ? s.key : undefined));
  if (first === "metadata" || first === "apiVersion" || first === "kind") return "the deployment's identity cannot be set; only spec.* and simulation.* paths and Flink keys";
  if (first === "spec" && second === "flinkConfiguration") return "set a Flink key by its name alone: --set job.autoscaler.restart.time=1m";
  if (first === "simulation" && second === "variants") return "a variant cannot be changed from the command line; set the keys it sets instead";
  if (segments.length < 2) return "name a key inside it, e.g. simulation.recordSize";
  return undefined;
}

/**
 * The scenario document with every document path of `set` given its value (the document
 * is copied, not changed). Returns the concrete path each key set (ids resolved to
 * indexes, `simulation.job.operators[1].cost`), so that errors the value causes later can
 * be traced to --set. A path through something that is not a mapping or list, an index
 * past a list's end or an id no entry has is a ScenarioError naming the key.
 */
export function applyDocumentPaths(file: string, doc: unknown, set: Readonly<Record<string, string>>): { doc: unknown; paths: string[] } {
  const copy: unknown = structuredClone(doc);
  const paths: string[] = [];
  for (const [key, text] of Object.entries(set)) {
    if (!isDocumentPath(key)) continue;
    const segments = parsePath(file, key);
    const fail = (problem: string): never => {
      throw new ScenarioError(file, `--set ${key}`, problem);
    };
    const why = refused(segments);
    if (why !== undefined) fail(why);
    const concrete: (string | number)[] = [];
    let node: unknown = copy;
    segments.forEach((segment, i) => {
      const last = i === segments.length - 1;
      const here = formatPath(concrete) || "the document";
      if ("key" in segment) {
        if (node === null || typeof node !== "object" || Array.isArray(node)) fail(`${here} is ${describe(node)}, not a mapping, so it has no '${segment.key}'`);
        const map = node as Record<string, unknown>;
        concrete.push(segment.key);
        if (last) map[segment.key] = parseValue(file, key, text);
        // A missing mapping on the way is created; the schema then says whether it may be there.
        else node = map[segment.key] ??= {};
        return;
      }
      if (!Array.isArray(node)) fail(`${here} is ${describe(node)}, not a list, so it has no entry [${"index" in segment ? segment.index : segment.id}]`);
      const list = node as unknown[];
      let index: number;
      if ("index" in segment) {
        index = segment.index;
        if (index >= list.length) fail(`${here} has ${list.length} entr${list.length === 1 ? "y" : "ies"}, so no [${index}]`);
      } else {
        const ids = list.map((e) => (e !== null && typeof e === "object" && "id" in e ? String((e as { id: unknown }).id) : undefined));
        index = ids.indexOf(segment.id);
        const known = ids.filter((x): x is string => x !== undefined);
        if (index < 0) fail(`no entry of ${here} has the id '${segment.id}'${suggestion(segment.id, known)}${known.length > 0 ? `; its ids: ${known.join(", ")}` : ""}`);
      }
      concrete.push(index);
      if (last) list[index] = parseValue(file, key, text);
      else node = list[index];
    });
    paths.push(formatPath(concrete));
  }
  return { doc: copy, paths };
}

/** The Flink configuration keys of `set`: those that are no document path. */
export function flinkKeys(set: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(set ?? {}).filter(([k]) => !isDocumentPath(k)));
}

/** `err` with "(from --set)" after its field when one of `paths` (or a path inside one) caused it. */
export function tracedToSet(err: ScenarioError, paths: readonly string[]): ScenarioError {
  const from = paths.some((p) => err.path === p || err.path.startsWith(`${p}.`) || err.path.startsWith(`${p}[`));
  return from ? new ScenarioError(err.file, `${err.path} (from --set)`, err.problem) : err;
}

/** A --set of simulation.seed or simulation.duration beside the flag that sets the same is an error, not a silent loser. */
export function flagConflict(file: string, set: Readonly<Record<string, string>>, flags: { readonly seed?: number | undefined; readonly duration?: string | undefined }): void {
  for (const [key, flag, given] of [["simulation.seed", "--seed", flags.seed], ["simulation.duration", "--duration", flags.duration]] as const) {
    if (key in set && given !== undefined) throw new ScenarioError(file, `--set ${key}`, `${flag} sets it too; give one of them`);
  }
}
