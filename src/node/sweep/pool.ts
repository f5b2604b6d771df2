import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setImmediate as yieldToEvents } from "node:timers/promises";
// The named export: the compiled command requires tinypool (an ES module) from CommonJS, where the default export is not the class.
import { Tinypool } from "tinypool";
import runTask, { type RunTask, type RunTaskResult } from "./worker.ts";

/** Where a sweep's runs execute: in this thread (--jobs 1) or on worker threads. */
export interface RunPool {
  run(task: RunTask): Promise<RunTaskResult>;
  /** Stops the workers; runs not started are dropped. */
  close(): Promise<void>;
}

/**
 * The worker's module: compiled, dist/worker.mjs (beside the entry points; this module may
 * be bundled into dist/chunks/); from the TypeScript sources (vitest, tsx), a bootstrap that
 * compiles worker.ts in the worker thread, which does not inherit its parent's loader.
 */
function workerModule(): string {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return new URL("./workerSource.mjs", here).href;
  for (const candidate of ["./worker.mjs", "../worker.mjs"]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  throw new Error(`the sweep's worker (worker.mjs) is missing beside ${fileURLToPath(here)}; rebuild with node sim/build.mjs`);
}

/** Runs one at a time in this thread, yielding between runs so that signals and progress get through. */
function inThisThread(): RunPool {
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(task) {
      const result = queue.then(async () => {
        await yieldToEvents();
        if (closed) throw new Error("the sweep was stopped");
        return runTask(task);
      });
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      closed = true;
    },
  };
}

/**
 * tinypool over `jobs` worker threads, all started at once. (Chosen over piscina: a no-op
 * task's round trip measured 101 µs against 158 to 250 µs on this project's two cores, and
 * it has no dependencies; see README, Sweeps.)
 */
function onWorkers(jobs: number): RunPool {
  // Two tasks per worker: the next run waits in the worker's queue, so a worker never idles
  // on the main thread (busy or descheduled) between runs; they still run one at a time.
  const pool = new Tinypool({ filename: workerModule(), minThreads: jobs, maxThreads: jobs, idleTimeout: 0, concurrentTasksPerWorker: 2 });
  return {
    run: (task) => pool.run(task) as Promise<RunTaskResult>,
    close: () => pool.destroy(),
  };
}

/** A pool for `jobs` parallel runs: this thread for 1, worker threads for more. */
export function createPool(jobs: number): RunPool {
  return jobs <= 1 ? inThisThread() : onWorkers(jobs);
}
