/**
 * Why a REST dump or a live JobManager could not be imported: one line that says where
 * (a file of the dump, a URL, the deployment file) and what is wrong. The command line
 * prints `message` and exits with code 2, writing nothing.
 */
export type RestImportProblem =
  /** The dump has no file for a GET (or the server answered 404). */
  | "missing"
  /** The file or response is not JSON, or JSON cut short. */
  | "malformed"
  /** JSON, but not the Flink response expected there (another API, another job, no plan). */
  | "foreign"
  /** The JobManager cannot be reached (refused, timed out, DNS), after the retries. */
  | "unreachable"
  /** The request or the deployment cannot be used as given (no running job, several, a bad FlinkDeployment). */
  | "invalid";

export class RestImportError extends Error {
  constructor(
    /** A file of the dump, a URL or the deployment file. */
    readonly where: string,
    readonly problem: string,
    readonly kind: RestImportProblem,
  ) {
    super(`${where}: ${problem}`);
    this.name = "RestImportError";
  }
}
