import { mean, type DistributionSpec, type SumSampler } from "../../engine/distributions.ts";
import type { TaskMetrics } from "../metrics/TaskMetrics.ts";
import type { TimerGauge } from "../metrics/TimerGauge.ts";
import type { TaskState } from "../runtime/TaskRuntime.ts";
import type { FluidOperator } from "./FluidTask.ts";

/** The bundle settings of a chain's Python operator (as PythonBundling, with sums of draws). */
export interface FluidPythonConfig {
  /** The Python operator's index in the chain. */
  readonly index: number;
  /** python.fn-execution.bundle.size */
  readonly bundleSize: number;
  /** python.fn-execution.bundle.time (ms) */
  readonly bundleTimeMs: number;
  /** The Python runtime's per-element overhead and sums of its draws. */
  readonly overhead: DistributionSpec;
  readonly overheadSum: SumSampler;
}

/** What a wait is in Flink's TimerGauges. */
const IDLE = 0;
const SOFT = 1;
const HARD = 2;
type Wait = typeof IDLE | typeof SOFT | typeof HARD;

/** Fluid amounts below this are rounding noise. */
const EPSILON = 1e-9;
/** Steps of one slice's plan at most (a step is a phase: collecting, finishing, waiting); steady cycles are taken in one step. */
const MAX_STEPS = 100_000;

/**
 * A chain with a PyFlink operator in process mode, in the aggregate execution mode: the
 * flow form of Subtask's bundles (PythonBundle.ts: AbstractExternalPythonFunctionOperator,
 * Flink 1.18.1, and what it says of Beam's buffers). Records are fluid, bundles are not:
 * each slice is planned phase by phase on the task thread's timeline.
 *
 * - Collecting: the task thread takes input (what the slice brings is there at its start,
 *   as everywhere in aggregate mode), paying the operators before the Python one, and the
 *   elements join the bundle. It is idle when input runs out, soft back-pressured when its
 *   output has no room at all in the slice (the mailbox checks availability before input).
 * - The bundle is finished when it holds bundle.size elements, or at the first tick of the
 *   fixed-rate bundle.time timer (from the operator's open) at least bundle.time after the
 *   last finish (a tick is armed by the first element, so it comes strictly after it).
 * - Finishing: the task thread blocks in finishBundle, busy, while the worker does the
 *   bundle's elements one after another (the Python operator's and its successors' costs
 *   plus the runtime's overhead, per element), and emits their results as they come back;
 *   without a buffer for them it is hard back-pressured while the worker goes on. The
 *   finish ends when the worker is done and every result is written; input then resumes.
 *
 * Left out (sub-slice detail, small at a second's slice): the worker's 1 s result flush
 * (results leave as the worker returns them, not at its flush thread's ticks), input
 * arriving during the slice rather than at its start, and the TaskManager's CPU (the
 * aggregate mode refuses a Python worker whose CPU could be short: aggregateUnsupported).
 * Each finish and wait is a measurement with its own start and end, so Flink's TimerGauges
 * (and FLINK-35764's double count of measurements spanning a view update) see the same
 * intervals a record-by-record run gives them, but for those simplifications.
 */
export class FluidPython {
  private count = 0;
  private finishing = false;
  /** Elements of the bundle being finished that the worker has not done. */
  private left = 0;
  /** Results the worker returned that the task thread has not written (no buffer). */
  private pending = 0;
  private lastFinish: number;
  /** Totals since deployment: head records taken, elements returned by the worker, records written. */
  private intakeTotal = 0;
  private returnedTotal = 0;
  private emittedTotal = 0;
  private idleMs = 0;
  private busyMs = 0;
  private backpressuredMs = 0;
  private state: TaskState = "idle";
  /** This slice's costs: per head record before the Python operator, per element from it on (ms). */
  private preMs = 0;
  private workerMs = 0;
  private fromMs = 0;
  private toMs = 0;
  /** The last plan of the slice (what the network settled on). */
  private plannedIntake = 0;
  private plannedReturned = 0;
  private plannedBusy = 0;
  /** Records the last plan writes to the task's outputs. */
  plannedEmitted = 0;
  private endCount = 0;
  private endFinishing = false;
  private endLeft = 0;
  private endPending = 0;
  private endLastFinish = 0;
  /** The plan's waits: kind, start, end (ms). */
  private segKind: Uint8Array = new Uint8Array(16);
  private segStart: Float64Array = new Float64Array(16);
  private segEnd: Float64Array = new Float64Array(16);
  private segCount = 0;
  /** Records reaching operator i per head record (reach[n]: leaving the chain). */
  private readonly reach: Float64Array;
  /** Per element of the Python operator: records reaching operator i >= index (post[n]: leaving the chain). */
  private readonly post: Float64Array;
  private readonly preMean: number;
  private readonly workerMean: number;
  private readonly gauges: readonly (TimerGauge | null)[];

  constructor(
    private readonly config: FluidPythonConfig,
    private readonly chain: readonly FluidOperator[],
    private readonly metrics: TaskMetrics,
    private readonly hasOutputs: boolean,
    /** The chain's head is a task-level source (its input counts no numRecordsIn). */
    private readonly isSource: boolean,
    /** The head is a legacy SourceFunction: its waits are no idle time, its blocks hard back-pressure. */
    private readonly legacy: boolean,
    /** The operator's open (the deployment's start): the bundle timer's phase. */
    private readonly openMs: number,
  ) {
    const n = chain.length;
    const k = config.index;
    this.reach = new Float64Array(n + 1);
    this.post = new Float64Array(n + 1);
    let r = 1;
    let preMean = 0;
    for (let i = 0; i < n; i++) {
      this.reach[i] = r;
      if (i < k) preMean += r * mean(chain[i]!.spec.cost);
      r *= chain[i]!.spec.selectivity;
    }
    this.reach[n] = r;
    let e = 1;
    let workerMean = mean(config.overhead);
    for (let i = k; i < n; i++) {
      this.post[i] = e;
      workerMean += e * mean(chain[i]!.spec.cost);
      e *= chain[i]!.spec.selectivity;
    }
    this.post[n] = e;
    this.preMean = preMean;
    this.workerMean = workerMean;
    this.lastFinish = Math.floor(openMs);
    this.gauges = [legacy ? null : metrics.idleTime, legacy ? metrics.hardBackPressuredTime : metrics.softBackPressuredTime, metrics.hardBackPressuredTime];
  }

  /**
   * Draws the slice's costs, as the network draws a task's: as many records as the slice
   * holds at their mean cost, their drawn sum pricing every record of the slice.
   */
  prepare(fromMs: number, toMs: number): void {
    this.fromMs = fromMs;
    this.toMs = toMs;
    const ms = toMs - fromMs;
    const k = this.config.index;
    const chain = this.chain;
    if (this.preMean > 0) {
      const draws = Math.max(1, Math.round(ms / this.preMean));
      let drawn = 0;
      for (let i = 0; i < k; i++) drawn += chain[i]!.costSum(Math.round(draws * this.reach[i]!));
      this.preMs = drawn > 0 ? drawn / draws : this.preMean;
    } else this.preMs = 0;
    if (this.workerMean > 0) {
      const draws = Math.max(1, Math.round(ms / this.workerMean));
      let drawn = this.config.overheadSum(draws);
      for (let i = k; i < chain.length; i++) drawn += chain[i]!.costSum(Math.round(draws * this.post[i]!));
      this.workerMs = drawn > 0 ? drawn / draws : this.workerMean;
    } else this.workerMs = 0;
  }

  /** Records out of the chain per head record (the network's unit for output limits). */
  private get outPerRecord(): number {
    return this.reach[this.chain.length]!;
  }

  private wait(kind: Wait, start: number, end: number): void {
    if (end <= start) return;
    const c = this.segCount;
    if (c > 0 && this.segKind[c - 1] === kind && this.segEnd[c - 1]! >= start) {
      this.segEnd[c - 1] = end;
      return;
    }
    if (c === this.segKind.length) {
      const grow = <T extends Uint8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
      this.segKind = grow(this.segKind, new Uint8Array(2 * c));
      this.segStart = grow(this.segStart, new Float64Array(2 * c));
      this.segEnd = grow(this.segEnd, new Float64Array(2 * c));
    }
    this.segKind[c] = kind;
    this.segStart[c] = start;
    this.segEnd[c] = end;
    this.segCount = c + 1;
  }

  /** The first tick of the bundle timer at or after `ms` (strictly after, when `strict`). */
  private tickFrom(ms: number, strict: boolean): number {
    const period = Math.max(this.config.bundleTimeMs, 1);
    const n = (ms - this.openMs) / period;
    const k = strict ? Math.floor(n) + 1 : Math.ceil(n - EPSILON);
    return this.openMs + k * period;
  }

  /**
   * Plans the slice given the head records it could take (`available`: queued input plus
   * what arrives, or a source's supply) and the most its outputs take (`limitHeads`, in
   * head records as the network counts them). Returns the head records taken; sets
   * plannedEmitted. Pure but for the plan's scratch: the network may ask several times.
   */
  plan(available: number, limitHeads: number): number {
    const N = this.config.bundleSize;
    const T = this.config.bundleTimeMs;
    const to = this.toMs;
    const pre = this.preMs;
    const w = this.workerMs;
    const sPre = this.reach[this.config.index]!;
    const rOut = this.hasOutputs ? this.post[this.chain.length]! : 0;
    let t = this.fromMs;
    let count = this.count;
    let finishing = this.finishing;
    let left = this.left;
    let pending = this.pending;
    let lastFinish = this.lastFinish;
    let q = Math.max(0, available);
    let room = this.hasOutputs ? Math.max(0, limitHeads * this.outPerRecord) : Infinity;
    if (Number.isNaN(room)) room = Infinity;
    let intake = 0;
    let returned = 0;
    let emitted = 0;
    let busy = 0;
    this.segCount = 0;
    const take = (heads: number): void => {
      intake += heads;
      q -= heads;
      count += heads * sPre;
    };
    for (let step = 0; t < to && step < MAX_STEPS; step++) {
      if (finishing) {
        if (pending > 0) {
          const e = Math.min(pending, room);
          pending -= e;
          room -= e;
          emitted += e;
          if (pending > EPSILON) {
            // Blocked on a buffer until the slice ends (its room is spent).
            this.wait(HARD, t, to);
            t = to;
            break;
          }
          pending = 0;
        }
        if (left > EPSILON) {
          const work = left * w;
          const dt = Math.min(work, to - t);
          const done = work <= to - t ? left : dt / w;
          const produced = done * rOut;
          if (produced <= room) {
            emitted += produced;
            room -= produced;
            busy += dt;
          } else {
            // The room runs out part-way: the thread then waits for a buffer while the worker goes on.
            const share = room / produced;
            busy += dt * share;
            this.wait(HARD, t + dt * share, t + dt);
            emitted += room;
            pending += produced - room;
            room = 0;
          }
          left -= done;
          returned += done;
          t += dt;
          continue;
        }
        left = 0;
        if (pending > EPSILON) continue;
        // finishBundle returns: elementCount = 0, lastFinishBundleTime = now.
        finishing = false;
        count = 0;
        lastFinish = t;
        continue;
      }
      if (count >= N - EPSILON) {
        finishing = true;
        left = count;
        continue;
      }
      if (this.hasOutputs && room <= EPSILON && rOut > 0) {
        // The output has no room in this slice: the mailbox waits for it before taking input.
        this.wait(SOFT, t, to);
        t = to;
        break;
      }
      // Whole cycles (fill by count, finish) at once while nothing else can happen in them.
      if (count === 0 && sPre > 0) {
        const fillHeads = N / sPre;
        const fillMs = fillHeads * pre;
        const cycleMs = fillMs + N * w;
        if (fillMs < T && cycleMs > 0) {
          let k = Math.min((to - t) / cycleMs, q / fillHeads);
          if (rOut > 0) k = Math.min(k, room / (N * rOut));
          k = Math.floor(k + EPSILON);
          if (k >= 1) {
            intake += k * fillHeads;
            q -= k * fillHeads;
            returned += k * N;
            emitted += k * N * rOut;
            room -= k * N * rOut;
            busy += k * cycleMs;
            t += k * cycleMs;
            lastFinish = t;
            continue;
          }
        }
      }
      // A tick armed now (the first element) comes strictly after now.
      const tick = this.tickFrom(Math.max(t, lastFinish + T), count <= 0);
      if (count > 0 && tick <= t) {
        // The timer's mail comes before input that arrives at the same instant.
        finishing = true;
        left = count;
        continue;
      }
      const need = sPre > 0 ? (N - count) / sPre : Infinity;
      const canTake = Math.min(q, need);
      if (pre <= 0) {
        if (canTake > 0) {
          take(canTake);
          if (count >= N - EPSILON) continue;
        }
        if (count > 0 && tick < to) {
          this.wait(IDLE, t, tick);
          t = tick;
          finishing = true;
          left = count;
          continue;
        }
        this.wait(IDLE, t, to);
        t = to;
        break;
      }
      const tFull = t + canTake * pre;
      const tTick = count > 0 || canTake > 0 ? tick : Infinity;
      const end = Math.min(tFull, tTick, to);
      const dt = Math.max(0, end - t);
      if (dt > 0) {
        take(dt / pre);
        busy += dt;
        t = end;
      }
      if (t >= to) break;
      if ((t >= tTick || count >= N - EPSILON) && count > 0) {
        finishing = true;
        left = count;
        continue;
      }
      // Input ran out before the bundle filled.
      if (count > 0 && tick < to) {
        this.wait(IDLE, t, tick);
        t = tick;
        finishing = true;
        left = count;
        continue;
      }
      this.wait(IDLE, t, to);
      t = to;
      break;
    }
    if (t < to) busy += to - t; // MAX_STEPS reached (never in practice): the rest counts as work.
    this.plannedIntake = intake;
    this.plannedReturned = returned;
    this.plannedEmitted = emitted;
    this.plannedBusy = busy;
    this.endCount = count;
    this.endFinishing = finishing;
    this.endLeft = left;
    this.endPending = pending;
    this.endLastFinish = lastFinish;
    return intake;
  }

  /** Commits the slice's last plan to the state, the counters and the gauges. */
  apply(): void {
    const from = this.fromMs;
    const to = this.toMs;
    this.count = this.endCount;
    this.finishing = this.endFinishing;
    this.left = this.endLeft;
    this.pending = this.endPending;
    this.lastFinish = this.endLastFinish;
    this.intakeTotal += this.plannedIntake;
    this.returnedTotal += this.plannedReturned;
    this.emittedTotal += this.plannedEmitted;
    this.busyMs += this.plannedBusy;
    let idle = 0;
    let blocked = 0;
    const gauges = this.gauges;
    // A measurement running on from the last slice ends now unless this slice starts with the same wait.
    for (let g = 0; g < 3; g++) {
      const gauge = gauges[g];
      if (gauge === null || gauge === undefined || !gauge.isMeasuring()) continue;
      const continues = this.segCount > 0 && this.segStart[0]! <= from && gauges[this.segKind[0]!] === gauge;
      if (!continues) gauge.markEnd(from);
    }
    for (let s = 0; s < this.segCount; s++) {
      const kind = this.segKind[s]!;
      const start = this.segStart[s]!;
      const end = this.segEnd[s]!;
      if (kind === IDLE) idle += end - start;
      else blocked += end - start;
      const gauge = gauges[kind];
      if (gauge === null || gauge === undefined) continue;
      gauge.markStart(start);
      if (end < to) gauge.markEnd(end);
    }
    this.idleMs += idle;
    this.backpressuredMs += blocked;
    const busy = this.plannedBusy;
    this.state = busy >= idle && busy >= blocked ? "busy" : blocked > idle ? "backpressured" : "idle";
    this.updateCounters();
  }

  private updateCounters(): void {
    const m = this.metrics;
    const ops = m.operators;
    const k = this.config.index;
    const heads = this.intakeTotal;
    const elements = this.returnedTotal;
    const floor = (x: number) => Math.floor(x + 1e-9);
    if (!this.isSource) m.numRecordsIn.count = floor(heads);
    for (let i = 0; i <= k; i++) {
      // A legacy source's operator counts no input.
      if (!(i === 0 && this.legacy)) ops[i]!.numRecordsIn.count = floor(heads * this.reach[i]!);
      if (i < k) ops[i]!.numRecordsOut.count = floor(heads * this.reach[i + 1]!);
    }
    for (let i = k; i < ops.length; i++) {
      if (i > k) ops[i]!.numRecordsIn.count = floor(elements * this.post[i]!);
      ops[i]!.numRecordsOut.count = floor(elements * this.post[i + 1]!);
    }
    if (this.hasOutputs) m.numRecordsOut.count = floor(this.emittedTotal);
  }

  getState(): TaskState {
    return this.state;
  }

  timeInStates(): { idle: number; busy: number; backpressured: number } {
    return { idle: this.idleMs, busy: this.busyMs, backpressured: this.backpressuredMs };
  }

  /** Elements in the open bundle, and whether a bundle is being finished (for inspection). */
  bundle(): { count: number; finishing: boolean; left: number } {
    return { count: this.count, finishing: this.finishing, left: this.left };
  }
}
