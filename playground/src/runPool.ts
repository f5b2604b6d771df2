/**
 * Runs on Web Workers: each request on a worker of its own (variants side by side) or on
 * a pool of `size` workers taking requests in turn (a sweep). cancel() terminates them all.
 */
import type { RunRequest, WorkerReply } from "./protocol.ts";

export type DoneReply = Extract<WorkerReply, { kind: "done" }>;

export class RunCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

export class RunPool {
  private readonly workers: Worker[] = [];
  private cancelled = false;
  private fail: ((e: Error) => void)[] = [];

  constructor(private readonly workerUrl: URL) {}

  /** Runs every request, at most `size` at once; `onProgress` hears each progress message, `onDone` each result. */
  async runAll(requests: readonly Omit<RunRequest, "kind" | "id">[], size: number, onProgress: (index: number, virtualMs: number, durationMs: number) => void, onDone: (index: number, reply: DoneReply) => void): Promise<DoneReply[]> {
    const results: DoneReply[] = new Array(requests.length);
    let next = 0;
    const lane = async () => {
      const worker = new Worker(this.workerUrl, { type: "module", name: "simulation" });
      this.workers.push(worker);
      try {
        while (next < requests.length && !this.cancelled) {
          const index = next++;
          const reply = await this.one(worker, { kind: "run", id: index, ...requests[index]! }, (v, d) => onProgress(index, v, d));
          results[index] = reply;
          onDone(index, reply);
        }
      } finally {
        worker.terminate();
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(size, requests.length)) }, lane));
    if (this.cancelled) throw new RunCancelled();
    return results;
  }

  private one(worker: Worker, request: RunRequest, onProgress: (virtualMs: number, durationMs: number) => void): Promise<DoneReply> {
    return new Promise((resolve, reject) => {
      this.fail.push(reject);
      worker.onmessage = (e: MessageEvent<WorkerReply>) => {
        const reply = e.data;
        if (reply.id !== request.id) return;
        if (reply.kind === "progress") onProgress(reply.virtualMs, reply.durationMs);
        else if (reply.kind === "error") reject(new Error(reply.message));
        else resolve(reply);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`the simulation's worker failed: ${e.message}`));
      };
      worker.postMessage(request);
    });
  }

  /** Stops every run at once: the workers are terminated, runAll rejects with RunCancelled. */
  cancel(): void {
    this.cancelled = true;
    for (const w of this.workers) w.terminate();
    for (const f of this.fail) f(new RunCancelled());
    this.fail = [];
  }
}
