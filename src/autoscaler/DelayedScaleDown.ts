/** A scale down recommended at `triggerTime`. */
export class RecommendedParallelism {
  constructor(
    readonly triggerTime: number,
    readonly parallelism: number,
    readonly outsideUtilizationBound: boolean,
  ) {}

  getTriggerTime(): number {
    return this.triggerTime;
  }
  getParallelism(): number {
    return this.parallelism;
  }
  isOutsideUtilizationBound(): boolean {
    return this.outsideUtilizationBound;
  }
}

/**
 * A vertex's pending scale down: when it was first triggered, and the recommendations
 * since, kept as a decreasing sequence so the first one is the window's maximum.
 */
export class VertexDelayedScaleDownInfo {
  readonly recommendedParallelisms: RecommendedParallelism[];

  constructor(
    readonly firstTriggerTime: number,
    recommendedParallelisms: RecommendedParallelism[] = [],
  ) {
    this.recommendedParallelisms = recommendedParallelisms;
  }

  getFirstTriggerTime(): number {
    return this.firstTriggerTime;
  }

  recordRecommendedParallelism(triggerTime: number, parallelism: number, outsideUtilizationBound: boolean): void {
    const list = this.recommendedParallelisms;
    while (list.length > 0 && list[list.length - 1]!.parallelism <= parallelism) list.pop();
    list.push(new RecommendedParallelism(triggerTime, parallelism, outsideUtilizationBound));
  }

  /** The largest recommendation triggered at or after `windowStartTime`. */
  getMaxRecommendedParallelism(windowStartTime: number): RecommendedParallelism {
    const list = this.recommendedParallelisms;
    while (list.length > 0 && list[0]!.triggerTime < windowStartTime) list.shift();
    const max = list[0];
    if (max === undefined) {
      throw new Error("The getMaxRecommendedParallelism should be called after triggering a scale down, it may be a bug.");
    }
    return max;
  }
}

/** The pending scale downs of all vertices (DelayedScaleDown). */
export class DelayedScaleDown {
  readonly delayedVertices = new Map<string, VertexDelayedScaleDownInfo>();
  private updated = false;

  getDelayedVertices(): Map<string, VertexDelayedScaleDownInfo> {
    return this.delayedVertices;
  }

  isUpdated(): boolean {
    return this.updated;
  }

  triggerScaleDown(vertex: string, triggerTime: number, parallelism: number, outsideUtilizationBound: boolean): VertexDelayedScaleDownInfo {
    this.updated = true;
    let info = this.delayedVertices.get(vertex);
    if (info === undefined) {
      info = new VertexDelayedScaleDownInfo(triggerTime);
      this.delayedVertices.set(vertex, info);
    }
    info.recordRecommendedParallelism(triggerTime, parallelism, outsideUtilizationBound);
    return info;
  }

  clearVertex(vertex: string): void {
    if (this.delayedVertices.delete(vertex)) this.updated = true;
  }

  clearAll(): void {
    if (this.delayedVertices.size === 0) return;
    this.delayedVertices.clear();
    this.updated = true;
  }
}
