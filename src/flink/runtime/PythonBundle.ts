import type { Sampler } from "../../engine/distributions.ts";

/**
 * A PyFlink operator in process mode, as Flink 1.18 runs it (flink-python
 * AbstractPythonFunctionOperator, AbstractExternalPythonFunctionOperator): elements join
 * the current bundle as they arrive; the Python worker gets them only when the bundle is
 * finished (after `bundleSize` elements, or at the first tick of the fixed-rate
 * `bundleTimeMs` timer at least that long after the last finish), and the task thread
 * blocks in finishBundle until the worker has processed all of them.
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
}

/** The bundle of one Python subtask: its elements, the timer's state and the worker's progress. */
export class PythonBundle {
  /** elementCount */
  count = 0;
  /** Per element: the worker's time for it (ms). */
  readonly costs: number[] = [];
  /** Per element: the CPU share of the worker's time for it. */
  readonly shares: number[] = [];
  /** Per element, per operator from the Python one to the chain's end: records in, records out. */
  readonly io: number[] = [];
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
  returned = 0;

  constructor(
    readonly config: PythonBundling,
    chainLength: number,
    readonly openMs: number,
  ) {
    this.width = chainLength - config.index;
    this.lastFinishBundleTime = Math.floor(openMs);
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

  /** invokeFinishBundle's end: elementCount = 0, lastFinishBundleTime = now. */
  finished(nowMs: number): void {
    this.finishing = false;
    this.count = 0;
    this.costs.length = 0;
    this.shares.length = 0;
    this.io.length = 0;
    this.lastFinishBundleTime = Math.floor(nowMs);
  }
}
