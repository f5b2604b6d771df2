import { SweepError } from "./SweepError.ts";

/** One dimension of a sweep: a --set key (or `variant`) and the values it takes, in order. */
export interface GridAxis {
  readonly key: string;
  readonly values: readonly string[];
}

/** One point of the grid: a value per axis, in axis order. `index` counts from 0; files number cells from 1. */
export interface Cell {
  readonly index: number;
  readonly values: readonly string[];
}

/** The axis that picks a scenario variant instead of setting a key. */
export const VARIANT_AXIS = "variant";

/**
 * Splits at commas outside braces, brackets and quotes, so that a flow value keeps its
 * commas: `cost=1s,{distribution: uniform, min: 1s, max: 3s}` is two values.
 */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** `--grid KEY=V1,V2,...` as an axis; a malformed one is a SweepError. */
export function parseGridArg(arg: string): GridAxis {
  const eq = arg.indexOf("=");
  const key = arg.slice(0, Math.max(eq, 0)).trim();
  if (eq <= 0 || key === "") throw new SweepError(`--grid expects KEY=V1,V2,..., got '${arg}'`);
  return gridAxis(key, splitTopLevel(arg.slice(eq + 1)));
}

/** An axis from a key and its values (the library's `{key: values}`), each value given once and not empty. */
export function gridAxis(key: string, values: readonly string[]): GridAxis {
  if (key.trim() === "") throw new SweepError("--grid: a key may not be empty");
  if (values.length === 0 || values.some((v) => v.trim() === "")) throw new SweepError(`--grid ${key}: an empty value in '${values.join(",")}'`);
  const dup = values.find((v, i) => values.indexOf(v) !== i);
  if (dup !== undefined) throw new SweepError(`--grid ${key}: the value '${dup}' is given twice`);
  return { key: key.trim(), values: values.map((v) => v.trim()) };
}

/** Axes checked against each other and the fixed settings: each key once, no key both fixed and swept. */
export function checkAxes(axes: readonly GridAxis[], set: Readonly<Record<string, string>>): void {
  axes.forEach((a, i) => {
    if (axes.findIndex((b) => b.key === a.key) !== i) throw new SweepError(`--grid ${a.key} is given twice; list all its values in one --grid`);
    if (a.key in set) throw new SweepError(`--grid ${a.key}: --set fixes the same key; drop one of them`);
    if (a.key === "simulation.seed") throw new SweepError("--grid simulation.seed: the seeds are --seed and --replications, the same in every cell");
    if (a.key === "simulation.duration") throw new SweepError("--grid simulation.duration: runs of different lengths do not compare; use --duration");
  });
}

/** The grid's cartesian product, the first axis varying slowest (an empty grid is one cell). */
export function cellsOf(axes: readonly GridAxis[]): Cell[] {
  let combos: string[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, v]));
  return combos.map((values, index) => ({ index, values }));
}

/** "key=value,key=value": how messages name a cell. */
export function cellLabel(axes: readonly GridAxis[], cell: Cell): string {
  return axes.length === 0 ? "the one cell" : axes.map((a, i) => `${a.key}=${cell.values[i]}`).join(",");
}

/**
 * The baseline cell's index: `undefined` is the first cell; a number is the cell's number
 * in cells.csv (from 1); `KEY=VALUE[,KEY=VALUE]` is the one cell with those values.
 */
export function resolveBaseline(spec: string | number | undefined, axes: readonly GridAxis[], cells: readonly Cell[]): number {
  if (spec === undefined) return 0;
  if (typeof spec === "number" || /^\d+$/.test(spec.trim())) {
    const n = Number(spec);
    if (!(n >= 1 && n <= cells.length)) throw new SweepError(`--baseline ${spec}: there are ${cells.length} cell(s), numbered 1..${cells.length}`);
    return n - 1;
  }
  const wanted = splitTopLevel(spec).map((pair) => {
    const eq = pair.indexOf("=");
    const key = pair.slice(0, Math.max(eq, 0)).trim();
    const axis = axes.findIndex((a) => a.key === key);
    if (eq <= 0 || axis < 0) throw new SweepError(`--baseline ${spec}: expected a cell number or KEY=VALUE pairs of the grid's keys (${axes.map((a) => a.key).join(", ") || "none"})`);
    return { axis, value: pair.slice(eq + 1).trim() };
  });
  const matches = cells.filter((c) => wanted.every((w) => c.values[w.axis] === w.value));
  if (matches.length !== 1) {
    throw new SweepError(`--baseline ${spec}: ${matches.length === 0 ? "no cell has these values" : `${matches.length} cells match; name a value of every key`}`);
  }
  return matches[0]!.index;
}

/** A slice of the runs: shard `index` (from 1) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `I/N` as a shard, 1 <= I <= N. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = m === null ? undefined : { index: Number(m[1]), count: Number(m[2]) };
  if (shard === undefined || !(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count)) {
    throw new SweepError(`--shard expects I/N with 1 <= I <= N (shard I of N), got '${text}'`);
  }
  return shard;
}

/**
 * The shard named by a Kubernetes Indexed Job: JOB_COMPLETION_INDEX (from 0, set by
 * Kubernetes in every pod) and SWEEP_SHARD_COUNT (the Job's completions, which Kubernetes
 * does not expose, so the manifest sets it). Undefined outside such a Job.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): Shard | undefined {
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.SWEEP_SHARD_COUNT;
  if (index === undefined && count === undefined) return undefined;
  if (index === undefined || count === undefined) {
    throw new SweepError(`${index === undefined ? "SWEEP_SHARD_COUNT is set but JOB_COMPLETION_INDEX is not" : "JOB_COMPLETION_INDEX is set but SWEEP_SHARD_COUNT (the Job's completions) is not"}; set both, or neither`);
  }
  if (!/^\d+$/.test(index.trim())) throw new SweepError(`JOB_COMPLETION_INDEX expects a whole number from 0, got '${index}'`);
  if (!/^\d+$/.test(count.trim()) || Number(count) < 1) throw new SweepError(`SWEEP_SHARD_COUNT expects a whole number from 1, got '${count}'`);
  if (Number(index) >= Number(count)) throw new SweepError(`JOB_COMPLETION_INDEX=${index} is not below SWEEP_SHARD_COUNT=${count} (indexes count from 0)`);
  return { index: Number(index) + 1, count: Number(count) };
}

/** The runs (indexes into cell-major, seed-minor order) a shard does: every count-th, from index - 1. */
export function runsOfShard(total: number, shard: Shard | undefined): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  return shard === undefined ? all : all.filter((i) => i % shard.count === shard.index - 1);
}
