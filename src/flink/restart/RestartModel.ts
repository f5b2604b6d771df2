import { sampler, type DistributionSpec, type Sampler } from "../../engine/distributions.ts";
import type { AdaptiveSchedulerSettings } from "./AdaptiveRescale.ts";
import type { RandomStreams } from "../../engine/random.ts";

/** How long each phase of a rescale takes; every phase is a seeded distribution (ms). */
export interface RestartSpec {
  /** In place (adaptive scheduler, resource requirements API). */
  readonly inPlace: {
    readonly cancel: DistributionSpec;
    /** Each new TaskManager pod, from the requirements update until its slot is offered (drawn per pod). */
    readonly podStart: DistributionSpec;
    /** Tasks DEPLOYING and INITIALIZING (state restore) after the job is RUNNING again. */
    readonly restore: DistributionSpec;
    readonly deploy: DistributionSpec;
  };
  /** jobmanager.adaptive-scheduler.resource-stabilization-timeout (10 s). */
  readonly resourceStabilizationTimeoutMs: number;
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
  /**
   * When the adaptive scheduler restarts a running job for a rescale, by Flink version
   * (AdaptiveRescale.ts); absent: 1.18's (at once). With keyed state, the restore phases
   * above are replaced by the state's download (src/flink/state/KeyedState.ts).
   */
  readonly adaptiveScheduler?: AdaptiveSchedulerSettings;
}

const ln = (medianMs: number, p95Ms: number): DistributionSpec => ({ kind: "lognormal", median: medianMs, p95: p95Ms });

/**
 * Defaults: an in-place rescale waits for its new TaskManager pods (on EKS with the image
 * cached, about 11 s from the resource request to a registered TaskManager, rarely over
 * 13 s), then cancels the tasks (about 1 s) and is RUNNING again: 12 s from decision to
 * RUNNING at the medians, so that the largest of a run's five or so restarts is about the
 * seed's PT14S. Deploying and restoring the tasks follows the RUNNING timestamp.
 */
export const DEFAULT_RESTART_SPEC: RestartSpec = {
  inPlace: {
    cancel: ln(1000, 2000),
    podStart: ln(11_000, 13_000),
    restore: ln(500, 1000),
    deploy: ln(1500, 3000),
  },
  resourceStabilizationTimeoutMs: 10_000,
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

/** The phases of one restart, each drawn and rounded to whole ms, in order (an in-place rescale adds them as they happen). */
export interface RestartPlan {
  readonly kind: RestartKind;
  readonly phases: { readonly name: string; readonly ms: number }[];
}

/** Draws restart phases, each phase from its own named stream. */
export class RestartModel {
  private readonly samplers = new Map<string, Sampler>();

  constructor(
    readonly spec: RestartSpec,
    private readonly streams: RandomStreams,
  ) {}

  /** One draw of a phase, rounded to whole ms, from the stream `restart/<kind>/<phase>`. */
  draw(kind: RestartKind, phase: string, distribution: DistributionSpec): number {
    const key = `${kind}/${phase}`;
    let s = this.samplers.get(key);
    if (s === undefined) this.samplers.set(key, (s = sampler(distribution, this.streams.stream(`restart/${key}`))));
    return Math.round(s());
  }

  /** The phases of a redeploy, in order. */
  planRedeploy(): RestartPlan {
    const kind = "redeploy";
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
