/**
 * What `import` can tell of two-input, join and async operators from a job's names, plan and
 * rates, and what it cannot (restDump.ts writes the scenario, these work out the figures).
 *
 * Read in Flink 1.18.1 (flink-streaming-java and flink-runtime, release-1.18.1):
 * - `KeyedStream.IntervalJoined#process` names its `IntervalJoinOperator` "Interval Join"
 *   (a two-input operator: `left.connect(right).keyBy(..).transform("Interval Join", ..)`).
 * - A window join or coGroup (`JoinedStreams#apply`, `CoGroupedStreams.WithWindow#apply`) is
 *   no two-input operator: each input is mapped to a `TaggedUnion` ("Map", chained to its
 *   upstream), the two are unioned, keyed and windowed, and the window function is a
 *   `CoGroupWindowFunction` for both (a join wraps its function in a JoinCoGroupFunction).
 *   The window operator's name is the assigner's class (`WindowOperatorBuilder#generateOperatorName`,
 *   e.g. "TumblingEventTimeWindows"); its description, which the plan's `description` holds,
 *   is `Window(<assigner>, <trigger>, [<evictor>, ]<function>)` with the assigner's
 *   toString, `TumblingEventTimeWindows(<size ms>)`. Before 1.15 the name was that description.
 * - `AsyncDataStream` names its `AsyncWaitOperator` "async wait operator", with a default
 *   capacity of 100 (`DEFAULT_QUEUE_CAPACITY`) and chaining ALWAYS (`AsyncWaitOperatorFactory`).
 * - One busy time per task (`TaskIOMetricGroup#getBusyTimePerSecond`) and one records-in
 *   counter for both inputs of a two-input task (`StreamTwoInputProcessorFactory#create`
 *   hands the head operator's counter to both inputs): no per-input figures in the REST API.
 * Isomorphic: no node: imports.
 */
import { DEFAULT_KEYS } from "../flink/partitioners.ts";

/** AsyncDataStream.DEFAULT_QUEUE_CAPACITY (Flink 1.18.1). */
export const ASYNC_DEFAULT_CAPACITY = 100;
/** The keys `import` leaves a keyed edge (the REST API does not show them): the simulator's default. */
export const IMPORT_DEFAULT_KEYS = DEFAULT_KEYS.count;

/** Whether a chained operator's name is AsyncDataStream's. */
export function isAsyncOperator(name: string): boolean {
  return name.trim().toLowerCase() === "async wait operator";
}

/** What the head of a two-input vertex is, as its name and description show. */
export type JoinKind =
  | { readonly type: "interval" }
  | { readonly type: "window"; readonly sizeMs: number; readonly assigner: string; readonly eventTime: boolean }
  /** A coGroup/join over windows the simulator does not model (sliding, session, global). */
  | { readonly type: "unmodelled-window"; readonly assigner: string };

const WINDOW_DESCRIPTION = /Window\((\w+)\(([^)]*)\),[^\n]*CoGroupWindowFunction/;

/**
 * The join a two-input vertex's head is, or undefined for a co-process (or a union): "Interval
 * Join" by name; a window join or coGroup by its `Window(..., CoGroupWindowFunction)`
 * description (in the plan from 1.15, in the name before).
 */
export function joinKindOf(headName: string, headDescription: string | undefined): JoinKind | undefined {
  if (headName.trim() === "Interval Join") return { type: "interval" };
  const m = WINDOW_DESCRIPTION.exec(headDescription ?? "") ?? WINDOW_DESCRIPTION.exec(headName);
  if (m === null) return undefined;
  const assigner = m[1]!;
  const args = m[2]!.split(",").map((a) => a.trim());
  const tumbling = /^Tumbling(Event|Processing)TimeWindows$/.exec(assigner);
  const size = Number(args[0]);
  if (tumbling === null || args.length !== 1 || !(Number.isInteger(size) && size > 0)) return { type: "unmodelled-window", assigner };
  return { type: "window", sizeMs: size, assigner, eventTime: tumbling[1] === "Event" };
}

/**
 * The head's own description: the plan's `description` is the chain's (TREE mode, the
 * default of pipeline.vertex-description-mode: a line per operator; CASCADING: joined by
 * " -> "), so its first line up to the first " -> ".
 */
export function headDescriptionOf(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const first = description.split("\n")[0]!.trim();
  return first.split(" -> ")[0]!.trim() || undefined;
}

/** One input of a two-input vertex: what its upstream writes and what the vertex reads of it. */
export interface InputRate {
  /** Records per second the vertex reads on this input, all subtasks together; undefined when not inferable. */
  readonly read: number | undefined;
  /** How it was worked out, for the comment. */
  readonly how: string;
}

/**
 * Records read per input, as the autoscaler's ScalingMetricEvaluator#computeEdgeDataRate
 * works them out (operator 1.15.0): from the upstream's numRecordsOutPerSecond when it has one
 * consumer (times the consumer's parallelism for a BROADCAST edge: every subtask reads every
 * record), else the vertex's records in less the other input's.
 */
export function inputRates(
  inputs: readonly { readonly upstreamOut: number | undefined; readonly consumers: number; readonly broadcast: boolean; readonly name: string }[],
  vertexIn: number | undefined,
  parallelism: number,
): InputRate[] {
  const direct = inputs.map((i): InputRate => {
    if (i.upstreamOut === undefined) return { read: undefined, how: `no numRecordsOutPerSecond of '${i.name}'` };
    if (i.consumers !== 1) return { read: undefined, how: `'${i.name}' feeds ${i.consumers} vertices` };
    return i.broadcast
      ? { read: i.upstreamOut * parallelism, how: `'${i.name}' writes ${fmtRate(i.upstreamOut)}/s, BROADCAST to ${parallelism} subtasks` }
      : { read: i.upstreamOut, how: `'${i.name}' writes ${fmtRate(i.upstreamOut)}/s` };
  });
  return direct.map((d, k) => {
    if (d.read !== undefined) return d;
    const other = direct[1 - k];
    if (other?.read !== undefined && vertexIn !== undefined && vertexIn >= other.read) {
      return { read: vertexIn - other.read, how: `records in ${fmtRate(vertexIn)}/s less the other input's ${fmtRate(other.read)}/s` };
    }
    return d;
  });
}

/**
 * An interval join's width (upper - lower, ms) from the pairs it emitted: with K uniform keys
 * each record of input 1 meets r2 x width / K records of input 2, so out = r1 r2 width / K
 * (docs/operators.md). Calibrated on one snapshot, given K.
 */
export function intervalWidthMs(out: number, r1: number, r2: number, keys: number): number {
  return (1000 * out * keys) / (r1 * r2);
}

/**
 * A tumbling window join's keys from the pairs it emitted: out = r1 r2 W / K, so
 * K = r1 r2 W / out (W in seconds). Calibrated on one snapshot, given the window.
 */
export function windowJoinKeys(out: number, r1: number, r2: number, sizeMs: number): number {
  return (r1 * r2 * sizeMs) / 1000 / out;
}

/**
 * The mean request latency of an async operator, from Little's law: the places taken
 * (at most `capacity`) = the rate per subtask x the mean latency. A queue-limited subtask
 * (busy throughout: AsyncWaitOperator yields, counted busy, while the queue is full) holds
 * all its places, so latency = capacity / rate; below the limit only the bound is known.
 */
export function asyncLatencyBoundMs(capacity: number, ratePerSubtask: number): number {
  return (1000 * capacity) / ratePerSubtask;
}

function fmtRate(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
