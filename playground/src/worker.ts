/**
 * The simulation in a Web Worker: the library's ScenarioRun (src/browser.ts), advanced in
 * slices of virtual time with a progress message after each, its files kept in memory.
 * The page ends a run by terminating the worker (Cancel).
 */
import { figuresOf, parseScenario, runScenario, ScenarioError } from "../../src/browser.ts";
import type { RunRequest, WorkerReply } from "./protocol.ts";

/** Progress messages per run. */
const SLICES = 100;

interface WorkerScope {
  postMessage(message: WorkerReply): void;
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

function run(request: RunRequest): void {
  const started = performance.now();
  const scenario = parseScenario(request.file, request.text, request.overrides);
  const result = runScenario(scenario, {
    output: request.keep ? { kind: "memory" } : { kind: "none" },
    progressEveryMs: Math.max(1, Math.ceil(scenario.durationMs / SLICES)),
    onProgress: (virtualMs) => {
      if (request.keep) scope.postMessage({ kind: "progress", id: request.id, virtualMs, durationMs: scenario.durationMs });
    },
  });
  scope.postMessage({
    kind: "done",
    id: request.id,
    variant: scenario.variant,
    files: result.files,
    summary: result.summary,
    figures: figuresOf(result.summary),
    runMs: performance.now() - started,
  });
}

scope.onmessage = (event) => {
  const request = event.data;
  try {
    run(request);
  } catch (e) {
    const message = e instanceof ScenarioError ? e.message : `the run failed: ${e instanceof Error ? e.message : String(e)}`;
    scope.postMessage({ kind: "error", id: request.id, message });
  }
};
