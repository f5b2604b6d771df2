import type { KeyedStateSpec } from "./state/KeyedState.ts";
import { md5Hex } from "./md5.ts";
import type { DistributionSpec } from "../engine/distributions.ts";
import { computeDefaultMaxParallelism } from "./keyGroups.ts";
import type { KeyDistribution, ShipStrategy } from "./partitioners.ts";
import type { LoadProfileSpec, NoiseSpec } from "./sources/LoadProfile.ts";

/**
 * A datagen source: the load's rate (rows-per-second) in total, split evenly over the
 * source's subtasks. `datagen` is the Table/SQL connector (a legacy SourceFunction, as in
 * Flink 1.18); `datastream-datagen` the DataStream API's FLIP-27 DataGeneratorSource with
 * a rate limiter.
 */
export interface DatagenSourceSpec {
  readonly connector: "datagen" | "datastream-datagen";
  readonly load: LoadProfileSpec;
  readonly noise: NoiseSpec | undefined;
}

/** A Kafka source reading a topic whose producers write at the load's rate. */
export interface KafkaSourceSpec {
  readonly connector: "kafka";
  readonly topic: string;
  readonly partitions: number;
  readonly load: LoadProfileSpec;
  readonly noise: NoiseSpec | undefined;
  /** Records waiting in the topic at the start, spread evenly over the partitions. */
  readonly initialBacklog: number;
  /** The most a source subtask fetches per second (undefined: no limit but its processing cost). */
  readonly maxRecordsPerSecond: number | undefined;
  /**
   * Time per fetch (one KafkaConsumer#poll on the split fetcher's own thread), ms; undefined:
   * fetches are free and records go straight from the topic to the task (the model before
   * fetch costs, kept byte for byte). See docs/operators.md, "Kafka fetch cost".
   */
  readonly fetchCost?: DistributionSpec | undefined;
  /** max.poll.records: the most records one fetch returns (Kafka consumer default 500). */
  readonly maxPollRecords?: number | undefined;
}

export type SourceSpec = DatagenSourceSpec | KafkaSourceSpec;

export type OperatorKind = "source" | "operator" | "sink";

/** What records of one input of a two-input operator cost, and what they emit (a co-process). */
export interface InputSpec {
  /** Processing time per record of this input, ms. */
  readonly cost: DistributionSpec;
  /** Records emitted per record of this input (ignored by a join, whose output follows from its window). */
  readonly selectivity: number;
}

/**
 * A keyed join of the operator's two inputs (input 1 is the first of its input edges in
 * the scenario, input 2 the second). `window`: a tumbling processing-time window join
 * (DataStream#join ... window(TumblingProcessingTimeWindows.of(size))) emitting every
 * pair of records with the same key in a window at the window's end. `interval`:
 * KeyedStream#intervalJoin(...).between(lower, upper), pairing a record of input 1 at t
 * with the records of input 2 in [t + lower, t + upper], emitted as the later one arrives.
 */
export type JoinSpec =
  | { readonly type: "window"; readonly sizeMs: number }
  | { readonly type: "interval"; readonly lowerMs: number; readonly upperMs: number };

/** One operator of the stream graph, before chaining. */
export interface OperatorSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: OperatorKind;
  /** Processing time per input record (per emitted record for a source), in ms. */
  readonly cost: DistributionSpec;
  /** Records emitted per record received (1 for a map, < 1 for a filter); 0 for a sink. */
  readonly selectivity: number;
  readonly parallelism: number | undefined;
  readonly maxParallelism: number | undefined;
  /** false: never chain this operator to its predecessor (disableChaining / startNewChain). */
  readonly chaining: boolean;
  /** A fixed JobVertexID for the vertex this operator heads (32 hex digits). */
  readonly vertexId: string | undefined;
  readonly source: SourceSpec | undefined;
  /**
   * The share of `cost` (and of a Python operator's overhead) spent on a CPU, 0..1: 1 (the
   * default) for ordinary code, 0 for waiting such as time.sleep. Only CPU time competes for
   * the TaskManager's cores.
   */
  readonly cpuShare?: number | undefined;
  /** Runs in a Python worker (PyFlink process mode), with this per-element runtime overhead (ms). */
  readonly python?: { readonly overhead: DistributionSpec } | undefined;
  /** Keyed state held by this operator (restored after every restart), if any. */
  readonly state?: KeyedStateSpec | undefined;
  /**
   * A two-input operator: per input, keyed by the upstream operator's id, its cost and
   * selectivity (in the order of its input edges). Undefined for a one-input operator.
   */
  readonly inputs?: ReadonlyArray<{ readonly from: string } & InputSpec> | undefined;
  /** A join of the two inputs, whose output follows from both input rates, its window and the keys. */
  readonly join?: JoinSpec | undefined;
  /** An async I/O operator (AsyncWaitOperator): `cost` is then the CPU of each asyncInvoke. */
  readonly async?: AsyncIoSpec | undefined;
}

/**
 * AsyncDataStream.orderedWait / unorderedWait (Flink 1.18.1 AsyncWaitOperator): at most
 * `capacity` requests in flight or waiting to be emitted, each taking a latency draw.
 */
export interface AsyncIoSpec {
  readonly capacity: number;
  /** Time from asyncInvoke to the result, ms (wall time: no CPU). */
  readonly latency: DistributionSpec;
  readonly ordered: boolean;
  /** ms; undefined: no timeout (a timeout of 0 in the API). */
  readonly timeoutMs: number | undefined;
  /**
   * What a timed-out request does. Only `drop` is modelled: a timeout() overridden to
   * complete the future with no result. Flink's default timeout() completes exceptionally
   * and fails the job, which the simulator does not model (the scenario parser refuses it).
   */
  readonly onTimeout: "drop";
}

export interface EdgeSpec {
  readonly from: string;
  readonly to: string;
  readonly shipStrategy: ShipStrategy;
  readonly keys: KeyDistribution | undefined;
}

export interface JobSpec {
  readonly name: string;
  readonly operators: readonly OperatorSpec[];
  readonly edges: readonly EdgeSpec[];
}

/** An operator chain: what Flink deploys as one task per parallel instance. */
export interface JobVertex {
  readonly id: string;
  readonly name: string;
  readonly operators: readonly OperatorSpec[];
  readonly isSource: boolean;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly slotSharingGroup: string;
}

export interface JobEdge {
  readonly source: JobVertex;
  readonly target: JobVertex;
  /** The operators the edge joins (the source vertex's tail, the target vertex's head). */
  readonly from: string;
  readonly to: string;
  readonly shipStrategy: ShipStrategy;
  readonly keys: KeyDistribution | undefined;
}

export interface JobGraph {
  readonly name: string;
  /** In topological order: sources first. */
  readonly vertices: readonly JobVertex[];
  readonly edges: readonly JobEdge[];
}

/** Settings that shape the job graph, from the Flink configuration. */
export interface JobGraphOptions {
  readonly defaultParallelism: number;
  /** pipeline.max-parallelism, if set. */
  readonly maxParallelism: number | undefined;
  /** pipeline.jobvertex-parallelism-overrides: JobVertexID -> parallelism. */
  readonly parallelismOverrides: ReadonlyMap<string, number>;
}

/** A JobVertexID for a vertex name: 32 hex digits, stable for the same name. */
export function deriveVertexId(name: string): string {
  return md5Hex(name);
}

/** Operators in topological order (Kahn), ties by declaration order; throws on a cycle. */
export function topologicalOrder(job: JobSpec): OperatorSpec[] {
  const indegree = new Map(job.operators.map((o) => [o.id, 0]));
  for (const e of job.edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const ordered: OperatorSpec[] = [];
  const done = new Set<string>();
  while (ordered.length < job.operators.length) {
    const next = job.operators.find((o) => !done.has(o.id) && indegree.get(o.id) === 0);
    if (next === undefined) throw new Error("the job graph has a cycle");
    ordered.push(next);
    done.add(next.id);
    for (const e of job.edges) if (e.from === next.id) indegree.set(e.to, indegree.get(e.to)! - 1);
  }
  return ordered;
}

/**
 * Builds job vertices by chaining, as StreamingJobGraphGenerator does for the cases we
 * model: an operator joins its predecessor's chain when the edge is FORWARD, it has no
 * other input, the predecessor has no other output, both have the same parallelism,
 * chaining is not disabled, and it is not an async operator behind a legacy source.
 * Parallelism overrides apply per JobVertexID afterwards, as the
 * `pipeline.jobvertex-parallelism-overrides` option does.
 */
export function buildJobGraph(job: JobSpec, options: JobGraphOptions): JobGraph {
  const ordered = topologicalOrder(job);
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  for (const e of job.edges) {
    outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
    inDegree.set(e.to, (inDegree.get(e.to) ?? 0) + 1);
  }
  const parallelismOf = (o: OperatorSpec) => o.parallelism ?? options.defaultParallelism;

  const chainOf = new Map<string, OperatorSpec[]>();
  const chains: OperatorSpec[][] = [];
  for (const op of ordered) {
    const input = job.edges.find((e) => e.to === op.id);
    const predecessor = input === undefined ? undefined : job.operators.find((o) => o.id === input.from)!;
    const chainable =
      input !== undefined &&
      predecessor !== undefined &&
      op.chaining &&
      input.shipStrategy === "FORWARD" &&
      inDegree.get(op.id) === 1 &&
      outDegree.get(predecessor.id) === 1 &&
      parallelismOf(predecessor) === parallelismOf(op) &&
      // A yielding operator (AsyncWaitOperatorFactory) never chains to a legacy source's chain
      // (StreamingJobGraphGenerator#areOperatorsChainable, Flink 1.18.1).
      !(op.async !== undefined && chainOf.get(predecessor.id)![0]!.source?.connector === "datagen");
    if (chainable) {
      const chain = chainOf.get(predecessor.id)!;
      chain.push(op);
      chainOf.set(op.id, chain);
    } else {
      const chain = [op];
      chains.push(chain);
      chainOf.set(op.id, chain);
    }
  }

  const vertexOfChain = new Map<OperatorSpec[], JobVertex>();
  const vertices = chains.map((operators) => {
    const head = operators[0]!;
    const name = operators.map((o) => o.name).join(" -> ");
    const id = head.vertexId ?? deriveVertexId(name);
    const configured = parallelismOf(head);
    const parallelism = options.parallelismOverrides.get(id) ?? configured;
    const declaredMax = operators.map((o) => o.maxParallelism).find((m) => m !== undefined) ?? options.maxParallelism;
    const vertex: JobVertex = {
      id,
      name,
      operators,
      isSource: head.kind === "source",
      parallelism,
      maxParallelism: declaredMax ?? computeDefaultMaxParallelism(configured),
      slotSharingGroup: "default",
    };
    vertexOfChain.set(operators, vertex);
    return vertex;
  });

  const edges: JobEdge[] = job.edges
    .filter((e) => chainOf.get(e.from) !== chainOf.get(e.to))
    .map((e) => ({
      source: vertexOfChain.get(chainOf.get(e.from)!)!,
      target: vertexOfChain.get(chainOf.get(e.to)!)!,
      from: e.from,
      to: e.to,
      shipStrategy: e.shipStrategy,
      keys: e.keys,
    }));
  return { name: job.name, vertices, edges };
}
