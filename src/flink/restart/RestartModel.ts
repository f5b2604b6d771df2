import { sampler, type DistributionSpec, type Sampler } from "../../engine/distributions.ts";
import type { RandomStreams } from "../../engine/random.ts";

/** How long each phase of a rescale takes; every phase is a seeded distribution (ms). */
export interface RestartSpec {
  /** In place (adaptive scheduler, resource requirements API). */
  readonly inPlace: {
    readonly cancel: DistributionSpec;
    /** A new TaskManager pod, only when more slots are needed. */
    readonly podStart: DistributionSpec;
    /** The adaptive scheduler waiting for resources to stabilize. */
    readonly stabilization: DistributionSpec;
    readonly restore: DistributionSpec;
    readonly deploy: DistributionSpec;
  };
  /** A full redeploy (the cluster goes down and comes up again). */
  readonly redeploy: {
    readonly shutdown: DistributionSpec;
    readonly jobManagerStart: DistributionSpec;
    readonly podStart: DistributionSpec;
    readonly restore: DistributionSpec;
    readonly deploy: DistributionSpec;
  };
  /** resourcemanager.taskmanager-timeout: an idle TaskManager is released after this long. */
  readonly taskManagerIdleTimeoutMs: number;
}

const ln = (medianMs: number, p95Ms: number): DistributionSpec => ({ kind: "lognormal", median: medianMs, p95: p95Ms });

/**
 * Defaults calibrated on the seed's log: an in-place rescale that needs one new
 * TaskManager pod takes about 14 s (1 + 6 + 5 + 0.5 + 1.5 s at the medians).
 */
export const DEFAULT_RESTART_SPEC: RestartSpec = {
  inPlace: {
    cancel: ln(1000, 2000),
    podStart: ln(6000, 10_000),
    stabilization: { kind: "constant", value: 5000 },
    restore: ln(500, 1000),
    deploy: ln(1500, 3000),
  },
  redeploy: {
    shutdown: ln(5000, 10_000),
    jobManagerStart: ln(20_000, 40_000),
    podStart: ln(6000, 10_000),
    restore: ln(500, 1000),
    deploy: ln(1500, 3000),
  },
  taskManagerIdleTimeoutMs: 30_000,
};

export type RestartKind = "in-place" | "redeploy";

/** The phases of one restart, each drawn and rounded to whole ms, in order. */
export interface RestartPlan {
  readonly kind: RestartKind;
  readonly phases: readonly { readonly name: string; readonly ms: number }[];
}

/** Draws restart phases, each phase from its own named stream. */
export class RestartModel {
  private readonly samplers = new Map<string, Sampler>();

  constructor(
    private readonly spec: RestartSpec,
    private readonly streams: RandomStreams,
  ) {}

  private draw(kind: RestartKind, phase: string, distribution: DistributionSpec): number {
    const key = `${kind}/${phase}`;
    let s = this.samplers.get(key);
    if (s === undefined) this.samplers.set(key, (s = sampler(distribution, this.streams.stream(`restart/${key}`))));
    return Math.round(s());
  }

  plan(kind: RestartKind, needsNewTaskManagers: boolean): RestartPlan {
    if (kind === "in-place") {
      const p = this.spec.inPlace;
      const phases = [
        { name: "cancel", ms: this.draw(kind, "cancel", p.cancel) },
        ...(needsNewTaskManagers ? [{ name: "podStart", ms: this.draw(kind, "podStart", p.podStart) }] : []),
        { name: "stabilization", ms: this.draw(kind, "stabilization", p.stabilization) },
        { name: "restore", ms: this.draw(kind, "restore", p.restore) },
        { name: "deploy", ms: this.draw(kind, "deploy", p.deploy) },
      ];
      return { kind, phases };
    }
    const p = this.spec.redeploy;
    return {
      kind,
      phases: [
        { name: "shutdown", ms: this.draw(kind, "shutdown", p.shutdown) },
        { name: "jobManagerStart", ms: this.draw(kind, "jobManagerStart", p.jobManagerStart) },
        { name: "podStart", ms: this.draw(kind, "podStart", p.podStart) },
        { name: "restore", ms: this.draw(kind, "restore", p.restore) },
        { name: "deploy", ms: this.draw(kind, "deploy", p.deploy) },
      ],
    };
  }
}
