import { DurationFormatError, parseDuration } from "../core/duration.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import type { EdgeSpec, InputSpec, JoinSpec } from "../flink/JobGraph.ts";
import { DEFAULT_KEYS } from "../flink/partitioners.ts";
import type { DistributionDocument, OperatorDocument } from "./schema.ts";
import { suggestion } from "./ScenarioError.ts";

type Fail = (path: readonly PropertyKey[], message: string) => never;

/** What a two-input operator resolves to: its inputs in the order of its input edges, and its join. */
export interface TwoInput {
  readonly inputs: ReadonlyArray<{ readonly from: string } & InputSpec>;
  readonly join: JoinSpec | undefined;
}

/**
 * simulation.job.operators[i].inputs and .join: a two-input operator (TwoInputStreamTask)
 * has exactly two input edges; its inputs are those edges' upstream operators, input 1
 * being the first of them in `edges:`. A join keys both inputs alike (HASH edges with the
 * same keys) and has no selectivity: its output follows from its window and the keys.
 * Undefined for an operator with neither `inputs` nor `join`.
 */
export function twoInputAt(
  o: OperatorDocument,
  path: readonly PropertyKey[],
  kind: string,
  edges: readonly EdgeSpec[],
  cost: DistributionSpec,
  selectivity: number,
  distributionAt: (path: readonly PropertyKey[], d: DistributionDocument | undefined) => DistributionSpec,
  fail: Fail,
): TwoInput | undefined {
  if (o.inputs === undefined && o.join === undefined) return undefined;
  const field = o.join !== undefined ? "join" : "inputs";
  const what = o.join !== undefined ? "a join" : "a two-input operator";
  if (kind !== "operator") fail([...path, field], `only an operator of kind operator can have two inputs (this one is kind ${kind})`);
  if (o.python !== undefined && o.python !== false) fail([...path, "python"], `${what} runs in Java; a Python operator cannot have two inputs`);
  const inputEdges = edges.filter((e) => e.to === o.id);
  if (inputEdges.length !== 2) {
    const list = inputEdges.map((e) => e.from).join(", ");
    fail([...path, field], `${what} needs exactly two input edges; '${o.id}' has ${inputEdges.length}${list ? ` (from ${list})` : ""}`);
  }
  const froms = inputEdges.map((e) => e.from);
  for (const name of Object.keys(o.inputs ?? {})) {
    if (!froms.includes(name)) fail([...path, "inputs", name], `'${name}' is not an input of '${o.id}'${suggestion(name, froms)}; its inputs are ${froms.join(" and ")}`);
  }
  if (o.join !== undefined) {
    if (o.selectivity !== undefined) fail([...path, "selectivity"], "a join's output follows from its window, both input rates and the keys; leave selectivity out");
    for (const name of froms) {
      if (o.inputs?.[name]?.selectivity !== undefined) fail([...path, "inputs", name, "selectivity"], "a join's output follows from its window, both input rates and the keys; leave selectivity out");
    }
    inputEdges.forEach((e) => {
      if (e.shipStrategy !== "HASH") fail([...path, "join"], `a join's inputs are keyed: edge ${e.from} -> ${o.id} is ${e.shipStrategy}, it must be HASH (keyBy)`);
    });
    const [a, b] = inputEdges as [EdgeSpec, EdgeSpec];
    const keysOf = (e: EdgeSpec) => `${(e.keys ?? DEFAULT_KEYS).count} keys, skew ${(e.keys ?? DEFAULT_KEYS).skew}`;
    if (keysOf(a) !== keysOf(b)) {
      fail([...path, "join"], `both inputs of a join are keyed alike: ${a.from} -> ${o.id} has ${keysOf(a)}, ${b.from} -> ${o.id} has ${keysOf(b)}`);
    }
  }
  const inputs = froms.map((from) => {
    const d = o.inputs?.[from];
    return {
      from,
      cost: d?.cost === undefined ? cost : distributionAt([...path, "inputs", from, "cost"], d.cost),
      selectivity: d?.selectivity ?? selectivity,
    };
  });
  return { inputs, join: o.join === undefined ? undefined : joinAt(o.join, [...path, "join"], fail) };
}

function joinAt(d: NonNullable<OperatorDocument["join"]>, path: readonly PropertyKey[], fail: Fail): JoinSpec {
  if (d.type === "window") {
    const sizeMs = signedDuration(d.size, [...path, "size"], fail);
    if (!(sizeMs > 0)) fail([...path, "size"], "a window's size must be greater than 0");
    return { type: "window", sizeMs };
  }
  const lowerMs = signedDuration(d.lower, [...path, "lower"], fail);
  const upperMs = signedDuration(d.upper, [...path, "upper"], fail);
  if (upperMs < lowerMs) fail([...path, "upper"], `must not be below lower (${d.lower}); KeyedStream.IntervalJoin#between needs lower <= upper`);
  return { type: "interval", lowerMs, upperMs };
}

/** A duration that may be negative (`-5s`); a bare number is milliseconds. */
function signedDuration(value: string | number, path: readonly PropertyKey[], fail: Fail): number {
  if (typeof value === "number") return value;
  const text = value.trim();
  const negative = text.startsWith("-");
  try {
    const ms = parseDuration(negative ? text.slice(1) : text);
    return negative ? -ms : ms;
  } catch (e) {
    if (e instanceof DurationFormatError) fail(path, e.message);
    throw e;
  }
}
