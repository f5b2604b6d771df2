import type { RestSource } from "../ingest/restDump.ts";
import { RestImportError } from "../ingest/RestImportError.ts";
import { parseJson } from "./restFolder.ts";

/** How the live client waits and retries. */
export interface HttpRestOptions {
  /** Per request, connection and body included (default 10 s). */
  readonly timeoutMs?: number;
  /** Attempts after the first when the JobManager cannot be reached, times out or answers 5xx (default 3). */
  readonly retries?: number;
  /** The first wait before a retry; each next one doubles (default 500 ms: 0.5, 1, 2 s). */
  readonly backoffMs?: number;
  /** Injected for tests; default: the global fetch (Node 20's undici). */
  readonly fetch?: typeof fetch;
  /** Injected for tests; default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error code under a fetch failure (undici wraps ECONNREFUSED, ENOTFOUND, ... in `cause`). */
function causeOf(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return "timed out";
    const cause = (e as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: unknown }).code;
      return typeof code === "string" ? code : cause.message;
    }
    return e.message;
  }
  return String(e);
}

/**
 * A RestSource over a live JobManager (`http://jobmanager:8081`, a `kubectl port-forward`,
 * or the operator's REST service): GET with a timeout, retries with exponential backoff
 * on connection errors, timeouts and 5xx, and one-line errors (unreachable after N
 * attempts, HTTP 404 as a missing answer, a body that is not JSON).
 */
export function httpRestSource(baseUrl: string, options: HttpRestOptions = {}): RestSource {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new RestImportError(baseUrl, "is not a URL (expected http://host:port)", "invalid");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new RestImportError(baseUrl, `is not an http(s) URL`, "invalid");
  const root = base.href.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleepMs;
  const locate = (path: string) => `${root}${path.startsWith("/") ? path : `/${path}`}`;

  async function get(path: string): Promise<unknown> {
    const url = locate(path);
    let lastProblem = "";
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
      let response: Response;
      try {
        response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json" } });
      } catch (e) {
        const cause = causeOf(e);
        lastProblem = cause === "timed out" ? `timed out after ${timeoutMs} ms` : `cannot connect (${cause})`;
        continue;
      }
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        lastProblem = `the answer broke off (${causeOf(e)})`;
        continue;
      }
      if (response.status >= 500) {
        lastProblem = `HTTP ${response.status}${flinkErrors(text)}`;
        continue;
      }
      if (response.status === 404) throw new RestImportError(url, `HTTP 404${flinkErrors(text)}: no such job, vertex or endpoint`, "missing");
      if (response.status !== 200) throw new RestImportError(url, `HTTP ${response.status}${flinkErrors(text)}`, "invalid");
      return parseJson(url, text);
    }
    throw new RestImportError(url, `unreachable: ${lastProblem}, ${retries + 1} attempts`, "unreachable");
  }
  return { origin: root, locate, get };
}

/** Flink's REST errors come as {"errors": ["..."]}: the first line of the first one. */
function flinkErrors(text: string): string {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && "errors" in body) {
      const errors = (body as { errors: unknown }).errors;
      if (Array.isArray(errors) && typeof errors[0] === "string") return ` (${errors[0].split("\n")[0]!.slice(0, 200)})`;
    }
  } catch {
    // not JSON: no detail
  }
  return "";
}

/** A JobManager URL rather than a dump folder? (what `import <dump folder | url>` decides by) */
export function isRestUrl(arg: string): boolean {
  return /^https?:\/\//i.test(arg);
}
