import type { IOMetrics } from "./IOMetrics.ts";
import type { ShipStrategy } from "./ShipStrategy.ts";

/** What the autoscaler knows of one job vertex (VertexInfo). JobVertexIDs are hex strings. */
export class VertexInfo {
  outputs: Map<string, ShipStrategy> = new Map();
  numSourcePartitions = 0;

  constructor(
    readonly id: string,
    readonly slotSharingGroupId: string | null,
    readonly inputs: Map<string, ShipStrategy>,
    readonly parallelism: number,
    readonly maxParallelism: number,
    readonly finished: boolean,
    public ioMetrics: IOMetrics | null,
  ) {}

  /** The test constructor upstream offers: no slot sharing group, not finished. */
  static of(id: string, inputs: Map<string, ShipStrategy>, parallelism: number, maxParallelism: number, ioMetrics: IOMetrics | null = null): VertexInfo {
    return new VertexInfo(id, null, inputs, parallelism, maxParallelism, false, ioMetrics);
  }

  getId(): string {
    return this.id;
  }
  getInputs(): Map<string, ShipStrategy> {
    return this.inputs;
  }
  getOutputs(): Map<string, ShipStrategy> {
    return this.outputs;
  }
  setOutputs(outputs: Map<string, ShipStrategy>): void {
    this.outputs = outputs;
  }
  getParallelism(): number {
    return this.parallelism;
  }
  getMaxParallelism(): number {
    return this.maxParallelism;
  }
  getNumSourcePartitions(): number {
    return this.numSourcePartitions;
  }
  setNumSourcePartitions(n: number): void {
    this.numSourcePartitions = n;
  }
  isFinished(): boolean {
    return this.finished;
  }
  getIoMetrics(): IOMetrics | null {
    return this.ioMetrics;
  }
}
