import { NotReadyException } from "../exceptions/NotReadyException.ts";
import { FINISHED_METRICS, type IOMetrics } from "./IOMetrics.ts";
import { shipStrategyOf, type ShipStrategy } from "./ShipStrategy.ts";
import { VertexInfo } from "./VertexInfo.ts";

/** The job plan as Flink's REST API returns it (the fields JobTopology reads). */
export interface JsonPlan {
  readonly nodes?: readonly {
    readonly id: string;
    readonly parallelism: number;
    readonly inputs?: readonly { readonly id: string; readonly ship_strategy: string }[];
  }[];
}

/**
 * The job's vertices, their edges with ship strategies, slot sharing groups and finished
 * vertices, and a topological order (JobTopology). Vertices keep the order they were
 * given in (upstream: HashMap order).
 */
export class JobTopology {
  readonly vertexInfos: Map<string, VertexInfo>;
  readonly slotSharingGroupMapping: Map<string, Set<string>>;
  readonly finishedVertices: Set<string>;
  readonly verticesInTopologicalOrder: string[];

  constructor(vertexInfo: Iterable<VertexInfo>) {
    const infos = [...vertexInfo];
    this.vertexInfos = new Map();
    for (const v of infos) this.vertexInfos.set(v.id, v);
    const vertexOutputs = new Map<string, Map<string, ShipStrategy>>();
    this.slotSharingGroupMapping = new Map();
    this.finishedVertices = new Set();
    for (const info of infos) {
      if (!vertexOutputs.has(info.id)) vertexOutputs.set(info.id, new Map());
      for (const [inputId, shipStrategy] of info.inputs) {
        if (!vertexOutputs.has(inputId)) vertexOutputs.set(inputId, new Map());
        vertexOutputs.get(inputId)!.set(info.id, shipStrategy);
      }
      if (info.slotSharingGroupId !== null) {
        if (!this.slotSharingGroupMapping.has(info.slotSharingGroupId)) this.slotSharingGroupMapping.set(info.slotSharingGroupId, new Set());
        this.slotSharingGroupMapping.get(info.slotSharingGroupId)!.add(info.id);
      }
      if (info.finished) this.finishedVertices.add(info.id);
    }
    for (const [v, outputs] of vertexOutputs) this.vertexInfos.get(v)?.setOutputs(outputs);
    this.verticesInTopologicalOrder = this.returnVerticesInTopologicalOrder();
  }

  get(jvi: string): VertexInfo {
    const v = this.vertexInfos.get(jvi);
    if (v === undefined) throw new Error(`No vertex ${jvi} in the topology`);
    return v;
  }

  getVertexInfos(): Map<string, VertexInfo> {
    return this.vertexInfos;
  }

  getVerticesInTopologicalOrder(): string[] {
    return this.verticesInTopologicalOrder;
  }

  getFinishedVertices(): Set<string> {
    return this.finishedVertices;
  }

  getSlotSharingGroupMapping(): Map<string, Set<string>> {
    return this.slotSharingGroupMapping;
  }

  isSource(jobVertexID: string): boolean {
    return this.get(jobVertexID).inputs.size === 0;
  }

  /** Kahn's algorithm level by level, as upstream. */
  private returnVerticesInTopologicalOrder(): string[] {
    const sorted: string[] = [];
    const remainingInputs = new Map<string, string[]>();
    for (const [id, v] of this.vertexInfos) remainingInputs.set(id, [...v.inputs.keys()]);
    while (remainingInputs.size > 0) {
      const zeroIndegree: string[] = [];
      for (const [v, inputs] of remainingInputs) if (inputs.length === 0) zeroIndegree.push(v);
      if (zeroIndegree.length === 0) throw new Error("The job topology has a cycle");
      for (const v of zeroIndegree) {
        remainingInputs.delete(v);
        for (const o of this.vertexInfos.get(v)!.outputs.keys()) {
          const inputs = remainingInputs.get(o);
          if (inputs !== undefined) inputs.splice(inputs.indexOf(v), 1);
        }
      }
      sorted.push(...zeroIndegree);
    }
    return sorted;
  }

  /** JobTopology.fromJsonPlan. */
  static fromJsonPlan(
    jsonPlan: string | JsonPlan,
    slotSharingGroupIdMap: ReadonlyMap<string, string>,
    maxParallelismMap: ReadonlyMap<string, number>,
    metrics: ReadonlyMap<string, IOMetrics>,
    finishedVertices: ReadonlySet<string>,
  ): JobTopology {
    const plan: JsonPlan = typeof jsonPlan === "string" ? (JSON.parse(jsonPlan) as JsonPlan) : jsonPlan;
    const nodes = plan.nodes;
    if (nodes === undefined || nodes.length === 0) throw new NotReadyException("No nodes found in the plan, job is not ready yet");
    const vertexInfo: VertexInfo[] = [];
    for (const node of nodes) {
      const vertexId = node.id;
      const inputs = new Map<string, ShipStrategy>();
      const finished = finishedVertices.has(vertexId);
      vertexInfo.push(
        new VertexInfo(
          vertexId,
          slotSharingGroupIdMap.get(vertexId) ?? null,
          inputs,
          node.parallelism,
          maxParallelismMap.get(vertexId)!,
          finished,
          finished ? FINISHED_METRICS : (metrics.get(vertexId) ?? null),
        ),
      );
      for (const input of node.inputs ?? []) inputs.set(input.id, shipStrategyOf(input.ship_strategy));
    }
    return new JobTopology(vertexInfo);
  }
}
