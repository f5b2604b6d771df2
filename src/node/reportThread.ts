import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ReportInputError } from "../report/runFiles.ts";
import type { ReportReply } from "./reportWorker.ts";

/**
 * The command line's reports, drawn on a worker thread that loads the chart libraries
 * (vega, vega-lite: a quarter of a second) while the run goes on in the main thread, so
 * that on a machine with a second core the process ends that much sooner. The pages come
 * back to the main thread, which writes them: a Ctrl-C, answered at once while the main
 * thread waits, never finds the worker writing into the staging folder it removes.
 */
export class ReportThread {
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("error", (e) => (this.failure = e));
  }

  /** Starts the thread; undefined when it cannot be (the caller then draws in its own thread). */
  static start(): ReportThread | undefined {
    const url = workerModule();
    if (url === undefined) return undefined;
    try {
      return new ReportThread(new Worker(new URL(url)));
    } catch {
      return undefined;
    }
  }

  /**
   * The reports of `dir` (folderReports' drawReports, on the thread); rejects as drawReports
   * would; undefined when the thread itself failed (the caller then draws them in its own).
   */
  draw(dir: string): Promise<[string, string][] | undefined> {
    if (this.failure !== undefined) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onFailure = () => resolve(undefined);
      this.worker.once("error", onFailure);
      this.worker.once("exit", onFailure);
      this.worker.once("message", (reply: ReportReply) => {
        this.worker.off("error", onFailure);
        this.worker.off("exit", onFailure);
        if (reply.ok) resolve(reply.drawn);
        else reject(reply.inputError ? new ReportInputError(reply.message) : new Error(reply.message));
      });
      this.worker.postMessage({ dir });
    });
  }

  /** Stops the thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker's module: dist/reportWorker.mjs when compiled, a tsx bootstrap from the TypeScript sources (see sweep/pool.ts). */
function workerModule(): string | undefined {
  const here = import.meta.url;
  if (here.endsWith(".ts")) return new URL("./reportWorkerSource.mjs", here).href;
  for (const candidate of ["./reportWorker.mjs", "../reportWorker.mjs"]) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url.href;
  }
  return undefined;
}
