import type { Environment } from "../../engine/Environment.ts";
import type { Sampler } from "../../engine/distributions.ts";
import type { OperatorSpec } from "../JobGraph.ts";
import type { TaskMetrics } from "../metrics/TaskMetrics.ts";
import type { InputChannel, InputGate } from "../network/InputGate.ts";
import type { ResultPartition } from "../network/ResultPartition.ts";
import type { ChannelSelector } from "../partitioners.ts";
import type { SourceReader } from "../sources/SourceReader.ts";

export type TaskState = "idle" | "busy" | "backpressured";

/** One output of a subtask: a result partition and the partitioner choosing its channel. */
export interface TaskOutput {
  readonly partition: ResultPartition;
  readonly selector: ChannelSelector;
}

/** A chained operator as a subtask runs it. */
export interface ChainedOperator {
  readonly spec: OperatorSpec;
  readonly cost: Sampler;
  /** Fractional output carried over between records (selectivity as a running quotient). */
  carry: number;
}

/**
 * One parallel instance of a job vertex (a StreamTask and its mailbox loop, record by
 * record): back-pressured while its output is unavailable or a record cannot get a
 * buffer, idle while it has no input (a source: while its rate limiter makes it wait),
 * busy while its chain processes a record. Output availability is checked before the
 * next input is taken, as the mailbox loop does.
 */
export class Subtask {
  private state: TaskState = "idle";
  /** Exact ms spent in each state before `stateSince` (plain fields: a keyed update was a measurable cost per record). */
  private idleMs = 0;
  private busyMs = 0;
  private backpressuredMs = 0;
  private stateSince: number;
  private wakeScheduled = false;
  /** Cancelled: pending events of this task do nothing. */
  private stopped = false;
  private waitingForTimer = false;

  private slice: InputChannel | null = null;
  private sliceRemaining = 0;

  /** Per chained operator: records in and out of the record in process. */
  private readonly pendingIn: Int32Array;
  private readonly pendingOut: Int32Array;
  private pendingEmits = 0;
  private pendingOutput = 0;
  private pendingChannel = -1;
  private flushScheduled = false;
  /**
   * With whole selectivities and constant costs every record yields the same counts
   * (pendingIn/pendingOut, set once) and the same cost; NaN when the chain is not like
   * that and beginRecord works each record out.
   */
  private readonly fixedCost: number;

  constructor(
    private readonly env: Environment,
    readonly vertexId: string,
    readonly index: number,
    readonly taskManager: number,
    readonly chain: readonly ChainedOperator[],
    readonly metrics: TaskMetrics,
    readonly gate: InputGate | null,
    readonly outputs: readonly TaskOutput[],
    private readonly source: SourceReader | null,
    private readonly bufferTimeoutMs: number,
  ) {
    this.stateSince = env.now;
    this.pendingIn = new Int32Array(chain.length);
    this.pendingOut = new Int32Array(chain.length);
    const constantCosts = chain.map((op) => (op.spec.cost.kind === "constant" ? op.spec.cost.value : NaN));
    const fixed = chain.every((op, i) => Number.isInteger(op.spec.selectivity) && !Number.isNaN(constantCosts[i]));
    let fixedCost = NaN;
    if (fixed) {
      fixedCost = 0;
      let n = 1;
      chain.forEach((op, i) => {
        this.pendingIn[i] = n;
        // One record at a time, as the general path adds them, so the sum is the same to the last bit.
        for (let k = 0; k < n; k++) fixedCost += constantCosts[i]!;
        n *= op.spec.selectivity;
        this.pendingOut[i] = n;
      });
    }
    this.fixedCost = fixedCost;
    if (gate !== null) gate.owner = { onInputAvailable: () => this.wake() };
    if (source !== null) source.onAvailable = () => this.wake();
    for (const output of outputs) {
      output.partition.owner = {
        onBufferRecycled: () => {
          if (this.state === "backpressured") this.wake();
        },
      };
    }
    metrics.idleTime.markStart(env.now);
  }

  /** Starts processing (a source starts producing). */
  start(): void {
    this.wake();
  }

  getState(): TaskState {
    return this.state;
  }

  /** Exact ms spent in each state so far (for conservation checks; Flink's gauges round). */
  timeInStates(): { idle: number; busy: number; backpressured: number } {
    const t = { idle: this.idleMs, busy: this.busyMs, backpressured: this.backpressuredMs };
    t[this.state] += this.env.now - this.stateSince;
    return t;
  }

  /** The channel whose slice is being read and how many of its records are left. */
  currentSlice(): { channel: InputChannel | null; remaining: number } {
    return { channel: this.slice, remaining: this.sliceRemaining };
  }

  private setState(next: TaskState): void {
    if (next === this.state) return;
    const now = this.env.now;
    const spent = now - this.stateSince;
    if (this.state === "idle") this.idleMs += spent;
    else if (this.state === "busy") this.busyMs += spent;
    else this.backpressuredMs += spent;
    this.stateSince = now;
    if (this.state === "idle") this.metrics.idleTime.markEnd(now);
    else if (this.state === "backpressured") this.metrics.backPressuredTime.markEnd(now);
    if (next === "idle") this.metrics.idleTime.markStart(now);
    else if (next === "backpressured") this.metrics.backPressuredTime.markStart(now);
    this.state = next;
  }

  /** Cancels the task (a restart): it processes nothing more; its pending events become no-ops. */
  stop(): void {
    this.stopped = true;
  }

  private wake(): void {
    if (this.stopped || this.wakeScheduled || this.state === "busy" || this.waitingForTimer) return;
    this.wakeScheduled = true;
    this.env.schedule(0, this.step);
  }

  private readonly step = (): void => {
    this.wakeScheduled = false;
    if (this.stopped) return;
    for (;;) {
      if (this.pendingEmits > 0 && !this.emitPending()) {
        this.setState("backpressured");
        return;
      }
      if (!this.outputAvailable()) {
        this.setState("backpressured");
        return;
      }
      if (!this.takeInput()) return;
      const cost = this.beginRecord();
      if (cost > 0) {
        this.setState("busy");
        this.env.schedule(cost, this.completeRecord);
        return;
      }
      this.finishRecord();
    }
  };

  private readonly completeRecord = (): void => {
    if (this.stopped) return;
    this.finishRecord();
    this.step(); // every path of the step sets the next state
  };

  private outputAvailable(): boolean {
    for (const o of this.outputs) if (!o.partition.isAvailable()) return false;
    return true;
  }

  /** Takes the next input record (a source: the next permit); false when it must wait. */
  private takeInput(): boolean {
    if (this.source !== null) {
      const wait = this.source.poll(this.env.now);
      if (wait <= 0) return true;
      this.setState("idle");
      // Infinity: nothing to read until the reader says so (onAvailable wakes the task).
      if (wait !== Infinity) {
        this.waitingForTimer = true;
        this.env.schedule(wait, this.onPermit);
      }
      return false;
    }
    if (this.sliceRemaining === 0) {
      const next = this.gate!.pollNext();
      if (next === null) {
        this.setState("idle");
        return false;
      }
      this.slice = next.channel;
      this.sliceRemaining = next.count;
    }
    const channel = this.slice!;
    channel.delivered++;
    if (--this.sliceRemaining === 0) {
      this.slice = null;
      channel.releaseSlice();
    }
    this.metrics.numRecordsIn.inc();
    return true;
  }

  private readonly onPermit = (): void => {
    if (this.stopped) return;
    this.waitingForTimer = false;
    this.step();
  };

  /** Runs the record through the chain's bookkeeping and returns its processing time. */
  private beginRecord(): number {
    if (this.fixedCost === this.fixedCost) {
      // Not NaN: the counts are set, the cost known.
      this.metrics.operators[0]!.numRecordsIn.inc(1);
      return this.fixedCost;
    }
    let n = 1;
    let cost = 0;
    const chain = this.chain;
    for (let i = 0; i < chain.length; i++) {
      const op = chain[i]!;
      this.pendingIn[i] = n;
      for (let k = 0; k < n; k++) cost += op.cost();
      const exact = op.carry + n * op.spec.selectivity;
      const out = Math.floor(exact + 1e-9);
      op.carry = exact - out;
      this.pendingOut[i] = out;
      n = out;
    }
    // The head operator counts its input when it receives the record.
    this.metrics.operators[0]!.numRecordsIn.inc(this.pendingIn[0]!);
    return cost;
  }

  private finishRecord(): void {
    const ops = this.metrics.operators;
    for (let i = 0; i < ops.length; i++) {
      if (i > 0) ops[i]!.numRecordsIn.inc(this.pendingIn[i]!);
      ops[i]!.numRecordsOut.inc(this.pendingOut[i]!);
    }
    this.pendingEmits = this.outputs.length > 0 ? this.pendingOut[this.chain.length - 1]! : 0;
    if (this.pendingEmits > 0) this.emitPending();
  }

  /** Writes pending records to every output; false when a buffer is missing. */
  private emitPending(): boolean {
    const outputs = this.outputs;
    while (this.pendingEmits > 0) {
      while (this.pendingOutput < outputs.length) {
        const output = outputs[this.pendingOutput]!;
        if (this.pendingChannel < 0) this.pendingChannel = output.selector.selectChannel();
        const subpartition = output.partition.subpartitions[this.pendingChannel]!;
        if (!subpartition.write()) return false;
        if (this.bufferTimeoutMs === 0) subpartition.flush();
        // A record left in a buffer that is not full waits for the output flusher.
        else if (!this.flushScheduled && subpartition.hasOpenBuffer()) this.scheduleFlush();
        this.pendingChannel = -1;
        this.pendingOutput++;
      }
      this.pendingOutput = 0;
      this.pendingEmits--;
      this.metrics.numRecordsOut.inc();
    }
    return true;
  }

  /** The output flusher: flushes every buffer-timeout on a fixed grid, only while there is unflushed data. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.bufferTimeoutMs <= 0) return;
    this.flushScheduled = true;
    const period = this.bufferTimeoutMs;
    const start = this.metrics.startMs;
    const nextTick = start + (Math.floor((this.env.now - start) / period) + 1) * period;
    this.env.scheduleAt(nextTick, this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.stopped) return;
    for (const o of this.outputs) o.partition.flushAll();
  };
}
