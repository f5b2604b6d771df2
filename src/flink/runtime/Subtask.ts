import type { Environment } from "../../engine/Environment.ts";
import type { Sampler } from "../../engine/distributions.ts";
import type { OperatorSpec } from "../JobGraph.ts";
import type { TaskMetrics } from "../metrics/TaskMetrics.ts";
import type { InputChannel, InputGate } from "../network/InputGate.ts";
import type { ResultPartition } from "../network/ResultPartition.ts";
import type { ChannelSelector } from "../partitioners.ts";
import type { SourceReader } from "../sources/SourceReader.ts";
import { directRunner, type CpuRunner } from "../cpu/CpuScheduler.ts";
import { PythonBundle, type PythonBundling } from "./PythonBundle.ts";
import type { TwoInputHead } from "./TwoInputHead.ts";
import { AsyncWaitQueue, type AsyncIo } from "./AsyncWaitQueue.ts";
import type { ThreadSleep } from "./ThreadSleep.ts";

import type { TaskRuntime, TaskState } from "./TaskRuntime.ts";

export type { TaskState };

/**
 * Which of Flink's TimerGauges runs in a state: idle, soft back-pressure (waiting for
 * output availability), hard back-pressure (blocked requesting a buffer), or none (busy,
 * and a legacy source's sleep between bursts, which Flink measures as neither).
 */
type Gauge = "idle" | "soft" | "hard" | "none";

/** One output of a subtask: a result partition and the partitioner choosing its channel. */
export interface TaskOutput {
  readonly partition: ResultPartition;
  readonly selector: ChannelSelector;
  /** BROADCAST: every record goes to every channel, in index order (the selector is not asked). */
  readonly broadcast?: boolean;
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
export class Subtask implements TaskRuntime {
  private state: TaskState = "idle";
  private gauge: Gauge = "idle";
  /** Exact ms spent in each state before `stateSince` (plain fields: a keyed update was a measurable cost per record). */
  private idleMs = 0;
  private busyMs = 0;
  private backpressuredMs = 0;
  private stateSince: number;
  /** Input or a buffer arriving before the task has started waits for its start. */
  private started = false;
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
  /** The CPU share of `fixedCost` (the chain's operators' cpuShare, weighted by cost). */
  private readonly fixedShare: number;
  /** The CPU share of the record beginRecord last priced. */
  private recordShare = 1;
  /** A legacy SourceFunction (SourceStreamTask): emits without checking output availability, counts no input. */
  private readonly legacySource: boolean;

  /** The Python operator's bundle, when the chain has one. */
  private readonly py: PythonBundle | null;
  /** The input (0 or 1) of the record taken last: a two-input head prices and counts by it. */
  private recordInput = 0;
  /** A window join's window has ended: its results are emitted before the next input (a timer mail). */
  private windowDue = false;
  /** The async I/O operator's queue, when the chain ends with one. */
  private readonly asyncQueue: AsyncWaitQueue | null;
  /** Elements for the async operator not yet in its queue (the task thread waits in addToWorkQueue). */
  private pendingPuts = 0;
  /** A record's processing is running on the CPU (its completion continues the loop). */
  private recordRunning = false;

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
    python: PythonBundling | null = null,
    /** The TaskManager's CPU, shared with its other threads. */
    private readonly cpu: CpuRunner = directRunner(env),
    /** The chain's head when it is a two-input operator (a join or co-process). */
    private readonly twoInput: TwoInputHead | null = null,
    /** The async I/O operator ending the chain, if any. */
    asyncIo: AsyncIo | null = null,
    /** How a source's thread sleeps for a timed wait (null: it wakes at the exact time). */
    private readonly sleep: ThreadSleep | null = null,
  ) {
    // The task runs from its own start (metrics.startMs, at or after its deployment).
    this.stateSince = metrics.startMs;
    this.asyncQueue = asyncIo === null ? null : new AsyncWaitQueue(env, asyncIo, this.onAsyncResult);
    this.legacySource = source?.legacy === true;
    this.py = python === null ? null : new PythonBundle(python, chain.length, metrics.startMs);
    this.pendingIn = new Int32Array(chain.length);
    this.pendingOut = new Int32Array(chain.length);
    const constantCosts = chain.map((op) => (op.spec.cost.kind === "constant" ? op.spec.cost.value : NaN));
    const fixed = python === null && twoInput === null && chain.every((op, i) => Number.isInteger(op.spec.selectivity) && !Number.isNaN(constantCosts[i]));
    let fixedCost = NaN;
    let cpuCost = 0;
    if (fixed) {
      fixedCost = 0;
      let n = 1;
      chain.forEach((op, i) => {
        this.pendingIn[i] = n;
        // One record at a time, as the general path adds them, so the sum is the same to the last bit.
        for (let k = 0; k < n; k++) fixedCost += constantCosts[i]!;
        cpuCost += n * constantCosts[i]! * (op.spec.cpuShare ?? 1);
        n *= op.spec.selectivity;
        this.pendingOut[i] = n;
      });
    }
    this.fixedCost = fixedCost;
    this.fixedShare = fixedCost > 0 ? cpuCost / fixedCost : 0;
    if (gate !== null) gate.owner = { onInputAvailable: () => this.wake() };
    if (source !== null) source.onAvailable = () => this.wake();
    for (const output of outputs) {
      output.partition.owner = {
        onBufferRecycled: () => {
          if (this.state === "backpressured") this.wake();
        },
      };
    }
    if (this.legacySource) this.gauge = "none";
    else metrics.idleTime.markStart(metrics.startMs);
  }

  /** Starts processing (a source starts producing). */
  start(): void {
    this.started = true;
    if (this.twoInput?.join?.type === "window") {
      // A window restored from before a restart whose end has passed fires first.
      if (this.twoInput.windowOverdue(this.env.now)) this.windowDue = true;
      this.scheduleWindowEnd(this.twoInput.join.sizeMs);
    }
    this.wake();
  }

  /**
   * The processing-time trigger of a tumbling window join: windows are aligned to
   * multiples of their size (TimeWindow#getWindowStartWithOffset with offset 0) and their
   * timer comes to the task as a mail. (Flink fires at the window's maxTimestamp, its
   * end minus 1 ms; we fire at the end, so a window holds what arrived in [start, end).)
   */
  private scheduleWindowEnd(sizeMs: number): void {
    const end = (Math.floor(this.env.now / sizeMs) + 1) * sizeMs;
    this.env.scheduleAt(end, () => {
      if (this.stopped) return;
      this.windowDue = true;
      this.scheduleWindowEnd(sizeMs);
      this.wake();
    });
  }

  /**
   * The bundle timer is Flink's scheduleAtFixedRate(bundle time) from the operator's open,
   * whose mail runs checkInvokeFinishBundleByTime on the task thread. A tick finds nothing
   * to do unless the bundle has elements and its time is up, so only that tick is
   * scheduled (one event per bundle instead of one a second per subtask); a tick that
   * comes while the thread is busy waits as a mail.
   */
  private scheduleBundleTick(py: PythonBundle): void {
    if (py.tickScheduled) return;
    py.tickScheduled = true;
    this.env.scheduleAt(py.nextUsefulTick(this.env.now), this.onBundleTick);
  }

  private readonly onBundleTick = (): void => {
    const py = this.py!;
    py.tickScheduled = false;
    if (this.stopped) return;
    py.timerMail = true;
    this.wake();
  };

  /** The async operator's queue (read-only use: tests), when the chain ends with one. */
  asyncWaitQueue(): Readonly<AsyncWaitQueue> | null {
    return this.asyncQueue;
  }

  /** The Python operator's bundle (read-only use: docs and tests), when the chain has one. */
  pythonBundle(): Readonly<PythonBundle> | null {
    return this.py;
  }

  getState(): TaskState {
    return this.state;
  }

  /** A legacy source writes without checking availability: only its buffer pool bounds it. */
  isLegacySource(): boolean {
    return this.legacySource;
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

  private setState(next: TaskState, gauge: Gauge = next === "busy" ? "none" : next === "idle" ? (this.legacySource ? "none" : "idle") : "soft"): void {
    const now = this.env.now;
    if (next !== this.state) {
      const spent = now - this.stateSince;
      if (this.state === "idle") this.idleMs += spent;
      else if (this.state === "busy") this.busyMs += spent;
      else this.backpressuredMs += spent;
      this.stateSince = now;
      this.state = next;
    }
    if (gauge === this.gauge) return;
    const m = this.metrics;
    if (this.gauge === "idle") m.idleTime.markEnd(now);
    else if (this.gauge === "soft") m.softBackPressuredTime.markEnd(now);
    else if (this.gauge === "hard") m.hardBackPressuredTime.markEnd(now);
    if (gauge === "idle") m.idleTime.markStart(now);
    else if (gauge === "soft") m.softBackPressuredTime.markStart(now);
    else if (gauge === "hard") m.hardBackPressuredTime.markStart(now);
    this.gauge = gauge;
  }

  /** Cancels the task (a restart): it processes nothing more; its pending events become no-ops. */
  stop(): void {
    this.stopped = true;
  }

  private wake(): void {
    if (this.stopped || !this.started || this.wakeScheduled || this.state === "busy" || this.waitingForTimer) return;
    this.wakeScheduled = true;
    this.env.schedule(0, this.step);
  }

  private readonly step = (): void => {
    this.wakeScheduled = false;
    if (this.stopped) return;
    for (;;) {
      if (this.pendingEmits > 0 && !this.emitPending()) {
        this.setState("backpressured", "hard");
        return;
      }
      if (this.asyncQueue !== null && this.runAsyncMails(this.asyncQueue)) return;
      if (this.py !== null && this.runPythonMails(this.py)) return;
      if (this.windowDue) {
        // A timer mail runs whether or not the output is available; emitting may then block.
        this.windowDue = false;
        const cost = this.beginWindowFire();
        if (cost > 0) {
          this.setState("busy");
          this.cpu.run(cost, this.recordShare, this.completeRecord);
          return;
        }
        this.finishRecord();
        continue;
      }
      // A legacy source thread emits without asking; a mailbox task waits for output availability.
      if (!this.legacySource && !this.outputAvailable()) {
        this.setState("backpressured", "soft");
        return;
      }
      if (!this.takeInput()) return;
      const cost = this.beginRecord();
      if (cost > 0) {
        this.setState("busy");
        this.recordRunning = true;
        this.cpu.run(cost, this.recordShare, this.completeRecord);
        return;
      }
      this.finishRecord();
    }
  };

  private readonly completeRecord = (): void => {
    this.recordRunning = false;
    if (this.stopped) return;
    this.finishRecord();
    this.step(); // every path of the step sets the next state
  };

  /**
   * The async operator's part of the loop (AsyncWaitOperator, Flink 1.18.1): result mails
   * emit every completed entry the queue lets go (outputCompletedElement, one mail after
   * another), then elements not yet in the queue go in. True when the task thread is now
   * blocked: on an output buffer (hard back-pressure), or in addToWorkQueue with a full queue.
   *
   * What that wait is: addToWorkQueue loops on tryPut and MailboxExecutor#yield, which blocks
   * in TaskMailbox#take inside processElement (MailboxExecutorImpl, flink-streaming-java
   * release-1.18.1). No suspension timer runs there: MailboxProcessor starts the idle or
   * back-pressure timer only when the default action is suspended (StreamTask#processInput:
   * output unavailable -> softBackPressuredTime, input unavailable -> idleTime), and
   * TaskIOMetricGroup#getBusyTimePerSecond is 1000 - idle - back-pressured. So a subtask
   * waiting for results with a full queue is BUSY, and the autoscaler's true processing rate
   * for it is about its throughput, capacity / mean latency. With room in the queue and no
   * input it is idle: below that throughput its busy time is the invocations' CPU alone and
   * its true processing rate looks far higher than what the queue allows.
   */
  private runAsyncMails(queue: AsyncWaitQueue): boolean {
    if (!this.emitAsyncResults(queue)) {
      this.setState("backpressured", "hard");
      return true;
    }
    while (this.pendingPuts > 0 && !queue.isFull()) {
      queue.put();
      this.pendingPuts--;
    }
    if (this.pendingPuts > 0) {
      this.setState("busy");
      return true;
    }
    return false;
  }

  /** Emits the results the queue lets go; false when a buffer is missing (the rest wait in pendingEmits). */
  private emitAsyncResults(queue: AsyncWaitQueue): boolean {
    const op = this.metrics.operators[this.chain.length - 1]!;
    for (;;) {
      const results = queue.pollCompleted();
      if (results < 0) return true;
      op.numRecordsOut.inc(results);
      if (this.outputs.length === 0) continue;
      this.pendingEmits += results;
      if (!this.emitPending()) return false;
    }
  }

  /**
   * A request completed: its mail runs when the task thread takes mails (between records,
   * while idle, back-pressured, or yielding in addToWorkQueue); a thread blocked on a buffer
   * goes on when one is recycled.
   */
  private readonly onAsyncResult = (): void => {
    if (this.stopped || this.recordRunning) return;
    if (this.state === "backpressured" && this.gauge === "hard") return;
    if (this.waitingForTimer) {
      // A source waiting for its next permit takes the mail now; a missing buffer leaves the rest pending.
      this.emitAsyncResults(this.asyncQueue!);
      return;
    }
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    this.env.schedule(0, this.step);
  };

  /**
   * The Python operator's part of the mailbox loop, before the default action: waiting in
   * finishBundle, finishing a full bundle, or the bundle timer's mail. True when the task
   * thread is now blocked in finishBundle.
   */
  private runPythonMails(py: PythonBundle): boolean {
    if (py.finishing) {
      if (py.returned < py.count) {
        this.setState("busy");
        return true;
      }
      py.finished(this.env.now);
    }
    if (py.finishDue) {
      // checkInvokeFinishBundleByCount, right after the element that filled the bundle.
      py.finishDue = false;
      if (this.startFinishBundle(py)) return true;
    }
    if (py.timerMail) {
      py.timerMail = false;
      if (py.count > 0) {
        if (py.timeIsUp(this.env.now) && this.startFinishBundle(py)) return true;
        this.scheduleBundleTick(py);
      }
    }
    return false;
  }

  /**
   * invokeFinishBundle (AbstractExternalPythonFunctionOperator, release-1.18.1): the
   * worker gets the bundle (Beam flushes its 1 MB outbound buffer only now) and processes
   * the elements one after another; the task thread waits, emitting each element's
   * results as they come back. False when the bundle is empty.
   */
  private startFinishBundle(py: PythonBundle): boolean {
    if (py.count === 0) return false;
    py.finishing = true;
    py.returned = 0;
    this.setState("busy");
    this.cpu.run(py.costs[0]!, py.shares[0]!, this.onResult);
    return true;
  }

  /**
   * The worker ends one element and goes on with the next regardless of the task thread;
   * the results it has sent (PythonBundle#resultsSent) are emitted on the task thread.
   */
  private readonly onResult = (): void => {
    if (this.stopped) return;
    const py = this.py!;
    const from = py.delivered;
    py.returned++;
    const to = py.resultsSent(this.env.now);
    const ops = this.metrics.operators;
    const k = py.config.index;
    const w = py.width;
    for (let j = from; j < to; j++) {
      for (let i = 0; i < w; i++) {
        if (i > 0) ops[k + i]!.numRecordsIn.inc(py.io[(j * w + i) * 2]!);
        ops[k + i]!.numRecordsOut.inc(py.io[(j * w + i) * 2 + 1]!);
      }
      if (this.outputs.length > 0) this.pendingEmits += py.io[(j * w + w - 1) * 2 + 1]!;
    }
    if (py.returned < py.count) this.cpu.run(py.costs[py.returned]!, py.shares[py.returned]!, this.onResult);
    if (to === from) return;
    // A task thread blocked on an output buffer emits these results once it gets one.
    if (this.state !== "backpressured") this.step();
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
        this.env.schedule(this.sleep === null ? wait : this.sleep.duration(wait), this.onPermit);
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
    this.recordInput = channel.input;
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
      if (!this.legacySource) this.metrics.operators[0]!.numRecordsIn.inc(1);
      this.recordShare = this.fixedShare;
      return this.fixedCost;
    }
    let n = 1;
    let cost = 0;
    const chain = this.chain;
    const py = this.py;
    const k = py === null ? chain.length : py.config.index;
    let workerCost = 0;
    let cpuCost = 0;
    let workerCpu = 0;
    const head = this.twoInput;
    for (let i = 0; i < chain.length; i++) {
      const op = chain[i]!;
      this.pendingIn[i] = n;
      let c = 0;
      let out: number;
      if (i === 0 && head !== null) {
        // A two-input head: the record's input decides its cost and what it emits.
        c = head.cost(this.recordInput);
        out = head.onRecord(this.recordInput, this.env.now);
      } else {
        for (let j = 0; j < n; j++) c += op.cost();
        if (i === k) for (let j = 0; j < n; j++) c += py!.config.overhead();
        const exact = op.carry + n * op.spec.selectivity;
        out = Math.floor(exact + 1e-9);
        op.carry = exact - out;
      }
      this.pendingOut[i] = out;
      // From the Python operator on, work waits for the bundle to finish (operators chained
      // after it run on the task thread as results come back; their cost is added here).
      const share = op.spec.cpuShare ?? 1;
      if (i < k) {
        cost += c;
        cpuCost += c * share;
      } else {
        workerCost += c;
        workerCpu += c * share;
        py!.addIo(n, out);
      }
      n = out;
    }
    if (py !== null) {
      py.addElement(workerCost, workerCost > 0 ? workerCpu / workerCost : 0);
    }
    this.recordShare = cost > 0 ? cpuCost / cost : 0;
    // The head operator counts its input when it receives the record; a legacy source has none.
    if (!this.legacySource) this.metrics.operators[0]!.numRecordsIn.inc(this.pendingIn[0]!);
    return cost;
  }

  /**
   * A window join's window ended: its pairs leave the join (which took no input for them)
   * and go through the operators chained after it, whose cost is the fire's processing time.
   */
  private beginWindowFire(): number {
    const chain = this.chain;
    let n = this.twoInput!.fireWindow();
    this.pendingIn[0] = 0;
    this.pendingOut[0] = n;
    let cost = 0;
    let cpuCost = 0;
    for (let i = 1; i < chain.length; i++) {
      const op = chain[i]!;
      this.pendingIn[i] = n;
      let c = 0;
      for (let j = 0; j < n; j++) c += op.cost();
      const exact = op.carry + n * op.spec.selectivity;
      const out = Math.floor(exact + 1e-9);
      op.carry = exact - out;
      this.pendingOut[i] = out;
      cost += c;
      cpuCost += c * (op.spec.cpuShare ?? 1);
      n = out;
    }
    this.recordShare = cost > 0 ? cpuCost / cost : 0;
    return cost;
  }

  private finishRecord(): void {
    const ops = this.metrics.operators;
    if (this.asyncQueue !== null) {
      // The async operator ends the chain: its elements go into its queue, results come later.
      const k = this.chain.length - 1;
      for (let i = 0; i < k; i++) {
        if (i > 0) ops[i]!.numRecordsIn.inc(this.pendingIn[i]!);
        ops[i]!.numRecordsOut.inc(this.pendingOut[i]!);
      }
      if (k > 0) ops[k]!.numRecordsIn.inc(this.pendingIn[k]!);
      this.pendingPuts += this.pendingIn[k]!;
      return;
    }
    const py = this.py;
    if (py !== null) {
      const k = py.config.index;
      for (let i = 0; i < k; i++) {
        if (i > 0) ops[i]!.numRecordsIn.inc(this.pendingIn[i]!);
        ops[i]!.numRecordsOut.inc(this.pendingOut[i]!);
      }
      if (k > 0) ops[k]!.numRecordsIn.inc(this.pendingIn[k]!);
      // elementCount++ and checkInvokeFinishBundleByCount (one element per record reaching the operator).
      if (py.count++ === 0) this.scheduleBundleTick(py);
      if (py.count >= py.config.bundleSize) py.finishDue = true;
      return;
    }
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
        if (output.broadcast === true) {
          // RecordWriter#broadcastEmit: the record into every channel; resumes at the channel that had no buffer.
          const subpartitions = output.partition.subpartitions;
          if (this.pendingChannel < 0) this.pendingChannel = 0;
          while (this.pendingChannel < subpartitions.length) {
            const subpartition = subpartitions[this.pendingChannel]!;
            if (!subpartition.write()) return false;
            if (this.bufferTimeoutMs === 0) subpartition.flush();
            else if (!this.flushScheduled && subpartition.hasOpenBuffer()) this.scheduleFlush();
            this.pendingChannel++;
          }
          this.pendingChannel = -1;
          this.pendingOutput++;
          continue;
        }
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
