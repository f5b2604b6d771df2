import type { Sampler } from "../../engine/distributions.ts";

/**
 * A PyFlink operator in process mode, as Flink 1.18 runs it (flink-python
 * AbstractPythonFunctionOperator, AbstractExternalPythonFunctionOperator): elements join
 * the current bundle as they arrive; the Python worker gets them only when the bundle is
 * finished (after `bundleSize` elements, or at the first tick of the fixed-rate
 * `bundleTimeMs` timer at least that long after the last finish), and the task thread
 * blocks in finishBundle until the worker has processed all of them.
 *
 * Verified in the sources (Flink 1.18.1, Beam 2.43 as flink-python pins it):
 * - processElement (AbstractExternalOneInputPythonFunctionOperator) serializes the element
 *   and hands it to BeamPythonFunctionRunner#process, whose receiver is Beam's
 *   BeamFnDataOutboundAggregator: it sends only past 1,000,000 buffered bytes
 *   (DEFAULT_BUFFER_LIMIT_BYTES) and has no timed flush (DEFAULT_BUFFER_LIMIT_TIME_MS -1;
 *   flink-python's DefaultJobBundleFactory passes no data_buffer_* experiment). A bundle
 *   of at most 1000 small elements therefore reaches the worker whole, when finishBundle
 *   closes the RemoteBundle (SdkHarnessClient.ActiveBundle#close).
 * - invokeFinishBundle runs the close on a helper thread; the task thread loops on
 *   takeResult() until the worker has answered, inside a mail or processElement: neither
 *   idle nor back-pressured in Flink's TimerGauges, so busy (back-pressured only while an
 *   emitted result waits for an output buffer).
 * - The worker (Beam's SDK harness, one bundle at a time per operator) runs the elements
 *   one after another; PyFlink's BeamTimeBasedOutputStream (pyflink/fn_execution/beam/
 *   beam_stream_slow.py, 1.18.1) sends its results when an element ends after its 1 s
 *   PeriodicThread has raised the flush flag (maybe_flush), Beam's own 10 MB threshold
 *   aside; the bundle's end sends the rest. `resultFlushMs` is that period.
 */
export interface PythonBundling {
  /** The Python operator's index in the chain. */
  readonly index: number;
  /** python.fn-execution.bundle.size */
  readonly bundleSize: number;
  /** python.fn-execution.bundle.time (ms) */
  readonly bundleTimeMs: number;
  /** Per-element cost of the Python runtime on top of the function body (ms). */
  readonly overhead: Sampler;
  /**
   * The worker's result flush period: BeamTimeBasedOutputStream's PeriodicThread(1) in
   * PyFlink 1.18.1 (not configurable). Default 1000.
   */
  readonly resultFlushMs?: number;
}

/** The bundle of one Python subtask: its elements, the timer's state and the worker's progress. */
export class PythonBundle {
  /** elementCount */
  count = 0;
  /** Per element: the worker's time for it (ms). Entries from `count` on are left from earlier bundles. */
  readonly costs: number[] = [];
  /** Per element: the CPU share of the worker's time for it. */
  readonly shares: number[] = [];
  /** Per element, per operator from the Python one to the chain's end: records in, records out. */
  readonly io: number[] = [];
  /**
   * Entries of costs/shares and of io written in this bundle. The arrays keep their storage
   * from bundle to bundle: emptying them with `length = 0` freed it, and regrowing it was a
   * tenth of the seed's garbage (a bundle a second).
   */
  private elementsAdded = 0;
  private ioAdded = 0;
  /** Operators from the Python one to the chain's end. */
  readonly width: number;
  lastFinishBundleTime: number;
  /** A bundle-timer mail waits for the task thread. */
  timerMail = false;
  tickScheduled = false;
  /** checkInvokeFinishBundleByCount found the bundle full. */
  finishDue = false;
  /** In finishBundle: the worker has returned `returned` elements' results. */
  finishing = false;
  /** Elements the worker has finished in this bundle. */
  returned = 0;
  /** Of those, the elements whose results the worker has sent to the task thread. */
  delivered = 0;
  /** The flush thread's tick (counted from open) at which its flag was last cleared by a flush. */
  private flagClearedTick = 0;
  /** The flush thread's period (ms). */
  private readonly flushPeriodMs: number;

  constructor(
    readonly config: PythonBundling,
    chainLength: number,
    readonly openMs: number,
  ) {
    this.width = chainLength - config.index;
    this.lastFinishBundleTime = Math.floor(openMs);
    this.flushPeriodMs = Math.max(config.resultFlushMs ?? 1000, 1);
  }

  /**
   * The worker has finished element `returned - 1` at `nowMs`: how many elements' results
   * it has sent so far. NetworkOutputProcessor#process_outputs calls maybe_flush after each
   * element: it flushes (and clears the flag) when a tick of the 1 s PeriodicThread came
   * since the flag was last cleared; the bundle's last element is sent at its end anyway
   * (DataOutputOperation#finish closes the stream). The thread's ticks are taken from the
   * operator's open (PyFlink starts it when the worker builds the operation: a phase the
   * sources do not pin down further).
   */
  resultsSent(nowMs: number): number {
    const tick = Math.floor((nowMs - this.openMs) / this.flushPeriodMs);
    if (tick > this.flagClearedTick) {
      this.flagClearedTick = tick;
      this.delivered = this.returned;
    } else if (this.returned === this.count) this.delivered = this.returned;
    return this.delivered;
  }

  /** checkInvokeFinishBundleByTime's condition at `nowMs`. */
  timeIsUp(nowMs: number): boolean {
    return Math.floor(nowMs) - this.lastFinishBundleTime >= this.config.bundleTimeMs;
  }

  /**
   * The first tick of the fixed-rate timer (scheduleAtFixedRate from the operator's open)
   * after `nowMs` at which the bundle's time is up: the ticks before it find nothing to do.
   */
  nextUsefulTick(nowMs: number): number {
    const period = Math.max(this.config.bundleTimeMs, 1);
    const afterNow = Math.floor((nowMs - this.openMs) / period) + 1;
    const due = Math.ceil((this.lastFinishBundleTime + this.config.bundleTimeMs - this.openMs) / period);
    return this.openMs + Math.max(afterNow, due) * period;
  }

  /** An element's worker time and its CPU share, in arrival order. */
  addElement(cost: number, share: number): void {
    this.costs[this.elementsAdded] = cost;
    this.shares[this.elementsAdded] = share;
    this.elementsAdded++;
  }

  /** One operator's records in and out for the element being added, from the Python operator on. */
  addIo(recordsIn: number, recordsOut: number): void {
    this.io[this.ioAdded++] = recordsIn;
    this.io[this.ioAdded++] = recordsOut;
  }

  /** invokeFinishBundle's end: elementCount = 0, lastFinishBundleTime = now. */
  finished(nowMs: number): void {
    this.finishing = false;
    this.delivered = 0;
    this.count = 0;
    this.elementsAdded = 0;
    this.ioAdded = 0;
    this.lastFinishBundleTime = Math.floor(nowMs);
  }
}
