import { cdf, mean, meanCappedAt, type SumSampler } from "../../engine/distributions.ts";
import type { OperatorSpec } from "../JobGraph.ts";
import type { TaskMetrics } from "../metrics/TaskMetrics.ts";
import { UPDATE_INTERVAL_SECONDS, type TimerGauge } from "../metrics/TimerGauge.ts";
import type { TaskRuntime, TaskState } from "../runtime/TaskRuntime.ts";
import type { FluidPython } from "./FluidPython.ts";
import type { FluidSource } from "./FluidSources.ts";
import type { FluidTwoInput } from "./FluidTwoInput.ts";

/** A chained operator in aggregate mode: its spec and the sums of its costs. */
export interface FluidOperator {
  readonly spec: OperatorSpec;
  readonly costSum: SumSampler;
}

/** What one time slice gave a task: head records processed, and how the rest of the slice went. */
export interface SliceOutcome {
  /** Records taken by the chain's head (a source: emitted) in the slice. */
  readonly processed: number;
  /** A two-input head: the records it emitted in the slice (else they follow from `processed`). */
  readonly headOut?: number;
  /** ms of the slice the chain was busy with them. */
  readonly busyMs: number;
  /** The rest of the slice was spent waiting for output (true) or for input (false). */
  readonly blockedByOutput: boolean;
}

/**
 * One parallel instance of a job vertex in the aggregate execution mode: it moves records
 * by the time slice (FluidNetwork decides how many) and keeps the same metrics a
 * Subtask keeps record by record: the counters of the task and of each chained operator,
 * and idle and back-pressured time in Flink's TimerGauges.
 *
 * Within a slice a task alternates between work and short waits many times (a record
 * costs micro- to milliseconds), so a slice's waiting goes into the gauge as completed
 * measurements; a wait that fills whole slices is one measurement that runs across them,
 * begun and ended with markStart and markEnd, so that FLINK-35764's double count of a
 * measurement spanning view updates applies to it as in record mode. Short waits span an
 * update too: the one in progress when the view updater ticks. Its part before the tick
 * is counted twice; with waits coming as a share w of each cycle of `cycleMs` (input
 * arrives as the output flusher hands it over, every buffer timeout) and the tick at a
 * random point of the cycle, that part is w x cycleMs / 2 on average, w of the time:
 * w^2 x cycleMs / 2 ms per update, which the slice ending on an update adds. All of it is soft
 * back-pressure (waiting for output availability before taking input): the mailbox loop
 * checks availability before each record, so a record rarely blocks on a buffer
 * mid-way unless it emits several.
 */
export class FluidTask implements TaskRuntime {
  /** Head records processed since deployment (fractional: flows are fluid; counters report the whole part). */
  private processedTotal = 0;
  /** Records reaching each chained operator per head record (the products of the selectivities before it). */
  private readonly reach: Float64Array;
  /** Records leaving the chain per head record. */
  readonly outPerRecord: number;
  /** Mean cost of one head record through the chain, ms. */
  readonly meanCostMs: number;
  /** The CPU share of that cost (each operator's cpuShare, weighted by its mean cost). */
  readonly cpuShare: number;
  /**
   * An async operator ending the chain: the head records per ms its queue lets through,
   * Little's law's capacity / (mean latency x requests per head record), a timeout capping the
   * latency; Infinity without one.
   */
  readonly asyncRecordsPerMs: number;
  private idleMs = 0;
  private busyMs = 0;
  private backpressuredMs = 0;
  private state: TaskState = "idle";
  /** Sub-millisecond remainders not yet added to each gauge (Flink's gauges count whole ms). */
  private idleCarry = 0;
  private softCarry = 0;
  /** The chain's Python operator and its bundles (FluidPython plans and applies the slices), when it has one. */
  python: FluidPython | null = null;
  /** A two-input head: records it has emitted since deployment (fractional). */
  private headOutTotal = 0;

  constructor(
    readonly vertexId: string,
    readonly index: number,
    readonly chain: readonly FluidOperator[],
    readonly metrics: TaskMetrics,
    readonly source: FluidSource | null,
    readonly hasOutputs: boolean,
    /** The cadence at which short waits recur (the buffer timeout), ms; 0: no double count of short waits. */
    private readonly cycleMs: number,
    /** The chain's head when it is a two-input operator: its records are priced and counted per input. */
    readonly twoInput: FluidTwoInput | null = null,
  ) {
    this.reach = new Float64Array(chain.length + 1);
    let n = 1;
    let cost = 0;
    let cpuCost = 0;
    chain.forEach((op, k) => {
      this.reach[k] = n;
      cost += n * mean(op.spec.cost);
      cpuCost += n * mean(op.spec.cost) * (op.spec.cpuShare ?? 1);
      n *= op.spec.selectivity;
    });
    const last = chain[chain.length - 1]?.spec.async;
    let asyncRecordsPerMs = Infinity;
    if (last !== undefined) {
      const timeout = last.timeoutMs ?? Infinity;
      // A timed-out request is dropped: results only from those within the timeout.
      n *= timeout === Infinity ? 1 : cdf(last.latency, timeout);
      const held = meanCappedAt(last.latency, timeout) * this.reach[chain.length - 1]!;
      asyncRecordsPerMs = held > 0 ? last.capacity / held : Infinity;
    }
    this.asyncRecordsPerMs = asyncRecordsPerMs;
    this.reach[chain.length] = n;
    this.outPerRecord = n;
    this.meanCostMs = cost;
    this.cpuShare = cost > 0 ? cpuCost / cost : 0;
    if (twoInput !== null) {
      // The head's records cost by input (sliceMeanCostMs); the operators after it see the head's output.
      let m = 1;
      for (let k = 1; k < chain.length; k++) {
        this.reach[k] = m;
        m *= chain[k]!.spec.selectivity;
      }
      this.reach[chain.length] = m;
      this.outPerRecord = NaN;
    }
  }

  /** Mean cost of one head record this slice, ms (a two-input head's depends on its inputs' mix). */
  sliceMeanCostMs(): number {
    return this.twoInput === null ? this.meanCostMs : this.twoInput.meanCostMs();
  }

  /** A two-input head: records leaving the chain per record the head emits. */
  tailReach(): number {
    return this.reach[this.chain.length]!;
  }

  /** A two-input head: the drawn cost of the operators after it for `headOut` records it emitted, ms. */
  drawTailCostMs(headOut: number): number {
    let ms = 0;
    for (let k = 1; k < this.chain.length; k++) ms += this.chain[k]!.costSum(Math.round(headOut * this.reach[k]!));
    return ms;
  }

  /** The FluidNetwork moves the records: it starts and stops with the deployment, not task by task. */
  start(): void {}

  stop(): void {}

  getState(): TaskState {
    return this.python?.getState() ?? this.state;
  }

  timeInStates(): { idle: number; busy: number; backpressured: number } {
    if (this.python !== null) return this.python.timeInStates();
    return { idle: this.idleMs, busy: this.busyMs, backpressured: this.backpressuredMs };
  }

  /**
   * The ms `n` head records take through the chain, drawn as sums of each operator's
   * costs (n x reach records reach operator k, rounded to whole records).
   */
  drawCostMs(n: number, sliceMs = 0): number {
    if (this.twoInput !== null) return this.twoInput.drawCostMs(sliceMs, n);
    let ms = 0;
    const chain = this.chain;
    for (let k = 0; k < chain.length; k++) ms += chain[k]!.costSum(Math.round(n * this.reach[k]!));
    return ms;
  }

  /** Applies one slice [fromMs, toMs) to the counters, the gauges and the exact state times. */
  apply(fromMs: number, toMs: number, outcome: SliceOutcome): void {
    if (this.python !== null) {
      this.python.apply();
      return;
    }
    const sliceMs = toMs - fromMs;
    const busy = Math.min(outcome.busyMs, sliceMs);
    const waiting = sliceMs - busy;
    this.busyMs += busy;
    const m = this.metrics;
    if (this.twoInput !== null) this.countTwoInput(outcome.processed, outcome.headOut ?? 0);
    else if (outcome.processed > 0) {
      this.processedTotal += outcome.processed;
      const total = this.processedTotal;
      const ops = m.operators;
      if (this.source === null) m.numRecordsIn.count = Math.floor(total);
      for (let k = 0; k < ops.length; k++) {
        // A small tolerance, as the record path's carry has, so 0.1 x 10 is 1 and not 0.999...
        // A legacy source's operator counts no input (SourceStreamTask).
        if (k > 0 || this.source?.legacy !== true) ops[k]!.numRecordsIn.count = Math.floor(total * this.reach[k]! + 1e-9);
        ops[k]!.numRecordsOut.count = Math.floor(total * this.reach[k + 1]! + 1e-9);
      }
      if (this.hasOutputs) m.numRecordsOut.count = Math.floor(total * this.outPerRecord + 1e-9);
    }
    const idle = outcome.blockedByOutput ? 0 : waiting;
    const soft = outcome.blockedByOutput ? waiting : 0;
    this.idleMs += idle;
    this.backpressuredMs += soft;
    this.state = busy >= waiting ? "busy" : outcome.blockedByOutput ? "backpressured" : "idle";
    const atUpdate = Math.floor(toMs) % (UPDATE_INTERVAL_SECONDS * 1000) === 0;
    if (this.source?.legacy === true) {
      // A legacy source's sleep between bursts is neither idle nor back-pressured; it writes
      // without checking availability, so its waits for output are hard back-pressure.
      this.softCarry = this.gauge(m.hardBackPressuredTime, soft, this.softCarry, fromMs, toMs, atUpdate);
      return;
    }
    this.idleCarry = this.gauge(m.idleTime, idle, this.idleCarry, fromMs, toMs, atUpdate);
    this.softCarry = this.gauge(m.softBackPressuredTime, soft, this.softCarry, fromMs, toMs, atUpdate);
  }

  /** A two-input head's counters: the head reads `processed` and emits `headOut`; the chain after it sees only the latter. */
  private countTwoInput(processed: number, headOut: number): void {
    this.processedTotal += processed;
    this.headOutTotal += headOut;
    const m = this.metrics;
    const ops = m.operators;
    const read = Math.floor(this.processedTotal + 1e-9);
    m.numRecordsIn.count = read;
    ops[0]!.numRecordsIn.count = read;
    for (let k = 0; k < ops.length; k++) {
      if (k > 0) ops[k]!.numRecordsIn.count = Math.floor(this.headOutTotal * this.reach[k]! + 1e-9);
      ops[k]!.numRecordsOut.count = Math.floor(this.headOutTotal * this.reach[k + 1]! + 1e-9);
    }
    if (this.hasOutputs) m.numRecordsOut.count = Math.floor(this.headOutTotal * this.reach[ops.length]! + 1e-9);
  }

  /** Adds `ms` of the slice to `gauge`; returns the sub-millisecond carry. */
  private gauge(gauge: TimerGauge, ms: number, carry: number, fromMs: number, toMs: number, atUpdate: boolean): number {
    const sliceMs = toMs - fromMs;
    if (ms >= sliceMs) {
      // The whole slice: one measurement, started now unless it runs on from the last slice.
      gauge.markStart(fromMs);
      return carry;
    }
    if (gauge.isMeasuring()) {
      // A long wait ends early in this slice (it was waiting when the slice began).
      gauge.markEnd(fromMs + ms);
      return carry;
    }
    let exact = carry + ms;
    if (atUpdate && gauge.doublesSpanningMeasurements()) {
      const share = ms / sliceMs;
      exact += (share * share * this.cycleMs) / 2;
    }
    const whole = Math.floor(exact);
    if (whole > 0) gauge.addMeasured(whole);
    return exact - whole;
  }
}
