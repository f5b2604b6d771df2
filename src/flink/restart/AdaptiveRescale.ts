/**
 * When the adaptive scheduler's Executing state restarts a running job to change its
 * parallelism, per Flink version. Three policies, each ported from its release's source:
 *
 * - `immediate` (1.18): Executing#onNewResourcesAvailable / onNewResourceRequirements call
 *   maybeRescale at once; it restarts when EnforceMinimalIncreaseRescalingController says so
 *   (a vertex shrinks, or grows by at least jobmanager.adaptive-scheduler.min-parallelism-increase,
 *   default 1). flink-runtime scheduler/adaptive/Executing.java and
 *   scalingpolicy/EnforceMinimalIncreaseRescalingController.java, release-1.18.1
 *   (liboshuai01/flink-1.18-note, first commit, pom 1.18-SNAPSHOT: no scaling-interval keys).
 * - `cooldown` (1.19, 1.20; FLIP-322, FLINK-21883): Executing#rescaleWhenCooldownPeriodIsOver:
 *   if more than scaling-interval.min (30 s) passed since the last rescale (the Executing
 *   state's creation, `Instant.now()` in Executing.Factory#getState) it calls maybeRescale;
 *   otherwise, unless one is already scheduled, it schedules maybeRescale scaling-interval.min
 *   from NOW ("resetting the cooldown period"): a request 10 s after a rescale is looked at
 *   40 s after it, not 30 s. maybeRescale restarts if shouldRescale; else, with
 *   scaling-interval.max set (no default), it schedules forceRescale (any change) that much
 *   later. Read in Executing.java and AdaptiveScheduler.java (Settings#of) of 1.19 at the
 *   release-1.19 branch point (apache/flink 03b45844, the parent of "Update version to
 *   1.20-SNAPSHOT", pom 1.19-SNAPSHOT) and of the 1.20.1 source tree (pom 1.20.1; its
 *   Executing.java is identical to release-1.20 at bf393918, Sept 2024): the rescale code is
 *   the same in both, only failure labels differ. JobManagerOptions there: scaling-interval.min
 *   30 s, .max no default, min-parallelism-increase 1.
 * - `checkpoint` (2.0, 2.1, 2.2; FLIP-461 rescale on checkpoints, FLIP-472 renamed timeouts):
 *   DefaultStateTransitionManager's phases Cooldown -> Idling | Stabilizing -> Stabilized ->
 *   Transitioning. Cooldown lasts executing.cooldown-after-rescaling (30 s, was
 *   scaling-interval.min) from the Executing state's creation; a change with sufficient
 *   resources starts Stabilizing, where a completed checkpoint (onTrigger) or
 *   rescale-trigger.max-delay after the last change rescales if the desired resources are
 *   there; after executing.resource-stabilization-timeout (60 s, replaced scaling-interval.max)
 *   Stabilized rescales on the next trigger with sufficient resources.
 *   min-parallelism-increase is deprecated and unused (JobManagerOptions: "It's not used
 *   anymore"; AdaptiveScheduler only warns). rescale-trigger.max-delay has no default value:
 *   AdaptiveScheduler.Settings#of takes checkpoint interval x (max-checkpoint-failures + 1)
 *   with checkpointing enabled, else 0. Read at the release-2.0 branch point (apache/flink
 *   dccb7821, the parent of "Update version to 2.1-SNAPSHOT", Jan 2025, pom 2.0-SNAPSHOT):
 *   DefaultStateTransitionManager.java, Executing.java, AdaptiveScheduler.java,
 *   JobManagerOptions.java. 2.1: master f6120134 (June 2025, 2.1-SNAPSHOT, before the 2.1
 *   branch) has the same DefaultStateTransitionManager; 2.2: no release source found, the
 *   stored apache/flink DefaultStateTransitionManager (6dfa8c04, release unknown) has the
 *   same phases. Not modelled: Executing#onFailedCheckpoint (max-checkpoint-failures failed
 *   checkpoints after a change also trigger).
 */
export type RescalePolicy =
  | { readonly kind: "immediate" }
  | { readonly kind: "cooldown"; readonly scalingIntervalMinMs: number; readonly scalingIntervalMaxMs: number | null }
  | {
      readonly kind: "checkpoint";
      readonly cooldownMs: number;
      readonly stabilizationTimeoutMs: number;
      readonly maxTriggerDelayMs: number;
      readonly maxCheckpointFailures: number;
    };

export interface AdaptiveSchedulerSettings {
  readonly policy: RescalePolicy;
  /** jobmanager.adaptive-scheduler.min-parallelism-increase (1.x, default 1; 1 in 2.x, where the key is gone). */
  readonly minParallelismIncrease: number;
}

export const FLINK_1_18_ADAPTIVE_SCHEDULER: AdaptiveSchedulerSettings = { policy: { kind: "immediate" }, minParallelismIncrease: 1 };

/** What a rescale gate asks of the job (Executing's context in Flink). */
export interface RescaleContext {
  readonly now: () => number;
  /** Runs `action` after `delayMs`; the returned function cancels it. */
  readonly schedule: (delayMs: number, action: () => void) => () => void;
  /** AdaptiveScheduler#shouldRescale(executionGraph, force): the slots at hand change the parallelism (min increase unless forced). */
  readonly shouldRescale: (force: boolean) => boolean;
  /** Executing#hasSufficientResources (2.x): the parallelism would change with the slots at hand. */
  readonly hasSufficientResources: () => boolean;
  /** Executing#hasDesiredResources (2.x): the parallelism would change and every desired slot is there. */
  readonly hasDesiredResources: () => boolean;
  /** goToRestarting: cancel the tasks and schedule the job again. */
  readonly transition: () => void;
}

/** The rescale decisions of one Executing state (a new one each time the job runs again). */
export interface RescaleGate {
  /** New slots, or new resource requirements (the operator's PUT /jobs/:id/resource-requirements). */
  onChange(): void;
  /** A checkpoint completed (2.x's onTrigger); ignored before 2.0. */
  onTrigger(): void;
  /** The Executing state is left: pending timers die with it (runIfState). */
  close(): void;
}

/** EnforceMinimalIncreaseRescalingController#shouldRescale (release-1.18.1): any vertex shrinks, or grows by >= minIncrease. */
export function enforceMinimalIncrease(
  current: ReadonlyMap<string, number>,
  next: ReadonlyMap<string, number>,
  minIncrease: number,
): boolean {
  for (const [vertex, p] of current) {
    const change = (next.get(vertex) ?? p) - p;
    if (change < 0 || change >= minIncrease) return true;
  }
  return false;
}

export function createRescaleGate(policy: RescalePolicy, ctx: RescaleContext): RescaleGate {
  switch (policy.kind) {
    case "immediate":
      return new ImmediateGate(ctx);
    case "cooldown":
      return new CooldownGate(ctx, policy.scalingIntervalMinMs, policy.scalingIntervalMaxMs);
    case "checkpoint":
      return new TransitionManagerGate(ctx, policy.cooldownMs, policy.stabilizationTimeoutMs, policy.maxTriggerDelayMs);
  }
}

/** Keeps a state's timers, so that they die with it. */
class Timers {
  private readonly cancels = new Set<() => void>();
  private closed = false;
  constructor(private readonly ctx: RescaleContext) {}
  schedule(delayMs: number, action: () => void): void {
    if (this.closed) return;
    const cancel = this.ctx.schedule(Math.max(0, delayMs), () => {
      this.cancels.delete(cancel);
      if (!this.closed) action();
    });
    this.cancels.add(cancel);
  }
  close(): void {
    this.closed = true;
    for (const c of this.cancels) c();
    this.cancels.clear();
  }
  get isClosed(): boolean {
    return this.closed;
  }
}

/** 1.18: restart as soon as the slots at hand change the parallelism. */
class ImmediateGate implements RescaleGate {
  private closed = false;
  constructor(private readonly ctx: RescaleContext) {}
  onChange(): void {
    if (!this.closed && this.ctx.shouldRescale(false)) this.ctx.transition();
  }
  onTrigger(): void {}
  close(): void {
    this.closed = true;
  }
}

/** 1.19 / 1.20: Executing's cooldown (scaling-interval.min) and forced rescale (scaling-interval.max). */
class CooldownGate implements RescaleGate {
  private readonly timers: Timers;
  private readonly lastRescale: number;
  private rescaleScheduled = false;

  constructor(
    private readonly ctx: RescaleContext,
    private readonly minMs: number,
    private readonly maxMs: number | null,
  ) {
    this.timers = new Timers(ctx);
    this.lastRescale = ctx.now();
    // Executing's constructor: runIfState(this, this::rescaleWhenCooldownPeriodIsOver, ZERO).
    this.timers.schedule(0, () => this.rescaleWhenCooldownPeriodIsOver());
  }

  onChange(): void {
    if (!this.timers.isClosed) this.rescaleWhenCooldownPeriodIsOver();
  }

  onTrigger(): void {}

  close(): void {
    this.timers.close();
  }

  private timeSinceLastRescale(): number {
    return this.ctx.now() - this.lastRescale;
  }

  private rescaleWhenCooldownPeriodIsOver(): void {
    if (this.timeSinceLastRescale() > this.minMs) {
      this.maybeRescale();
    } else if (!this.rescaleScheduled) {
      this.rescaleScheduled = true;
      this.timers.schedule(this.minMs, () => this.maybeRescale());
    }
  }

  private maybeRescale(): void {
    this.rescaleScheduled = false;
    if (this.ctx.shouldRescale(false)) {
      this.close();
      this.ctx.transition();
    } else if (this.maxMs !== null) {
      if (this.timeSinceLastRescale() > this.maxMs) this.forceRescale();
      else this.timers.schedule(this.maxMs, () => this.forceRescale());
    }
  }

  private forceRescale(): void {
    if (this.ctx.shouldRescale(true)) {
      this.close();
      this.ctx.transition();
    }
  }
}

type Phase =
  | { readonly name: "Cooldown"; firstChange: number | null }
  | { readonly name: "Idling" }
  | { readonly name: "Stabilizing"; onChangeTs: number; evaluationScheduled: boolean }
  | { readonly name: "Stabilized" }
  | { readonly name: "Transitioning" };

/** 2.x: DefaultStateTransitionManager (the phases and their timers, runIfPhase). */
class TransitionManagerGate implements RescaleGate {
  private readonly timers: Timers;
  private phase: Phase;

  constructor(
    private readonly ctx: RescaleContext,
    cooldownMs: number,
    private readonly stabilizationMs: number,
    private readonly maxTriggerDelayMs: number,
  ) {
    this.timers = new Timers(ctx);
    const phase: Phase = { name: "Cooldown", firstChange: null };
    this.phase = phase;
    const lastRescale = ctx.now();
    this.scheduleRelativelyTo(phase, lastRescale, cooldownMs, () => {
      if (phase.firstChange === null) this.phase = { name: "Idling" };
      else this.progressToStabilizing(phase.firstChange);
    });
    // Executing's constructor (2.0): runIfState(ZERO) calls onChange, then onTrigger. The
    // trigger is lost in Cooldown, but with a cooldown of 0 it finds Stabilizing and rescales
    // at once if the desired resources are there.
    this.timers.schedule(0, () => {
      this.onChange();
      this.onTrigger();
    });
  }

  /** The phase's name, for tests. */
  get phaseName(): Phase["name"] {
    return this.phase.name;
  }

  onChange(): void {
    const phase = this.phase;
    switch (phase.name) {
      case "Cooldown":
        if (this.ctx.hasSufficientResources() && phase.firstChange === null) phase.firstChange = this.ctx.now();
        return;
      case "Idling":
        if (this.ctx.hasSufficientResources()) this.progressToStabilizing(this.ctx.now());
        return;
      case "Stabilizing":
        phase.onChangeTs = this.ctx.now();
        this.scheduleTransitionEvaluation(phase);
        return;
      default:
        return;
    }
  }

  onTrigger(): void {
    const phase = this.phase;
    if (phase.name === "Stabilizing") {
      if (this.ctx.hasDesiredResources()) this.triggerTransition();
    } else if (phase.name === "Stabilized") {
      if (this.ctx.hasSufficientResources()) this.triggerTransition();
      else this.phase = { name: "Idling" };
    }
  }

  close(): void {
    this.timers.close();
  }

  private progressToStabilizing(firstChange: number): void {
    const phase: Phase = { name: "Stabilizing", onChangeTs: firstChange, evaluationScheduled: false };
    this.phase = phase;
    this.scheduleRelativelyTo(phase, firstChange, this.stabilizationMs, () => this.progressToStabilized(firstChange));
    this.scheduleTransitionEvaluation(phase);
  }

  private progressToStabilized(firstChange: number): void {
    const phase: Phase = { name: "Stabilized" };
    this.phase = phase;
    this.scheduleRelativelyTo(phase, firstChange, this.maxTriggerDelayMs, () => this.onTrigger());
  }

  private scheduleTransitionEvaluation(phase: Extract<Phase, { name: "Stabilizing" }>): void {
    if (phase.evaluationScheduled) return;
    phase.evaluationScheduled = true;
    this.scheduleRelativelyTo(phase, phase.onChangeTs, this.maxTriggerDelayMs, () => {
      phase.evaluationScheduled = false;
      if (this.ctx.hasDesiredResources()) this.triggerTransition();
    });
  }

  private triggerTransition(): void {
    this.phase = { name: "Transitioning" };
    this.close();
    this.ctx.transition();
  }

  /** Phase#scheduleRelativelyTo: the timeout left since `start` (0 when passed), run only while `phase` is current. */
  private scheduleRelativelyTo(phase: Phase, start: number, timeoutMs: number, action: () => void): void {
    const left = timeoutMs - (this.ctx.now() - start);
    this.timers.schedule(Math.max(0, left), () => {
      if (this.phase === phase) action();
    });
  }
}
