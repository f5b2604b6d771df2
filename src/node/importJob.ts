import { readFileSync } from "node:fs";
import { importRest, type ImportResult } from "../ingest/restDump.ts";
import { RestImportError } from "../ingest/RestImportError.ts";
import { folderRestSource } from "./restFolder.ts";
import { httpRestSource, isRestUrl, type HttpRestOptions } from "./restHttp.ts";

export interface ImportJobRequest {
  /** A dump folder or a JobManager URL (http://jobmanager:8081). */
  readonly input: string;
  /** The user's FlinkDeployment YAML file. */
  readonly deploymentFile: string;
  /** --job: the JobID (default: the only RUNNING job). */
  readonly jobId?: string | undefined;
  /** Timeouts and retries of the live client. */
  readonly http?: HttpRestOptions;
}

/**
 * `import <dump folder | url> --deployment <file> [--job ID]`: reads the deployment and
 * the job's REST answers and returns the scenario text and its warnings. Writes nothing:
 * the caller writes `yaml` (--out, or stdout) and the warnings (stderr). Every problem is
 * a RestImportError: print its message, exit 2.
 */
export async function importJob(request: ImportJobRequest): Promise<ImportResult> {
  let deploymentText: string;
  try {
    deploymentText = readFileSync(request.deploymentFile, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RestImportError(request.deploymentFile, code === "ENOENT" ? "no such file (--deployment: the FlinkDeployment YAML)" : code === "EISDIR" ? "is a folder, not a FlinkDeployment YAML file" : `cannot be read (${code})`, "invalid");
  }
  const source = isRestUrl(request.input) ? httpRestSource(request.input, request.http) : folderRestSource(request.input);
  return importRest(source, { deploymentText, deploymentFile: request.deploymentFile, jobId: request.jobId });
}
