/**
 * The real-data commands: `init` (a simulation: skeleton for a FlinkDeployment), `import`
 * (a running job's REST API or a dump of it into a scenario) and `calibrate` (an operator
 * log into a reconcile cadence and restart model). Each prints one line and exits 2 on
 * bad input, and writes its file whole or not at all.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { calibrationJson, calibrationText, simulationSnippet } from "../src/ingest/calibrationReport.ts";
import { calibrateOperatorLog, OperatorLogError } from "../src/ingest/operatorLog.ts";
import { RestImportError } from "../src/ingest/RestImportError.ts";
import { importJob } from "../src/node/importJob.ts";
import { InitError, simulationSkeleton } from "../src/scenario/initSkeleton.ts";
import { fetchRestSnapshot, type RestSnapshot } from "../src/ingest/restDump.ts";
import { replay, ReplayError, replayJson, replayTable } from "../src/ingest/replay.ts";
import { folderRestSource } from "../src/node/restFolder.ts";
import { ConfigMapDecodeError } from "../src/operator/state/autoscalerConfigMap.ts";
import { INGEST_HELP } from "./help.ts";
import { parseSetEntries } from "./setOptions.ts";
import { userPath } from "./paths.ts";

class UsageError extends Error {}

function fail(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return 2;
}

/** Writes through a temporary file beside the target: a reader sees nothing or the whole file. */
function writeWhole(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

type Options = Record<string, { readonly type: "string" | "boolean"; readonly short?: string }>;

/** parseArgs with --help added; its errors become UsageErrors. */
function parse<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: "boolean", short: "h" } } as T & { help: { type: "boolean"; short: "h" } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `init <deployment.yaml> [--out FILE]`: the deployment with a commented simulation: skeleton that runs as written. */
function runInit(argv: string[]): number {
  const { positionals, values } = parse(argv, { out: { type: "string" }, force: { type: "boolean" } } as const);
  if (values.help === true) return help();
  if (positionals.length !== 1) throw new UsageError(`init needs one FlinkDeployment file, got ${positionals.length}`);
  const file = userPath(positionals[0]!);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return fail(`${file}: no such file (init needs the FlinkDeployment YAML)`);
  }
  let scenario: string;
  try {
    scenario = simulationSkeleton(text, file);
  } catch (e) {
    if (e instanceof InitError) return fail(e.message);
    throw e;
  }
  if (typeof values.out !== "string") {
    process.stdout.write(scenario);
    return 0;
  }
  const out = userPath(values.out);
  if (existsSync(out) && values.force !== true) return fail(`${out}: exists; choose another --out or add --force`);
  writeWhole(out, scenario);
  process.stderr.write(`wrote ${out}: fill in its simulation: block (each number says where to read it on a running job), then npm run sim -- ${out}\n`);
  return 0;
}

/** `import <dump folder | url> --deployment FILE [--job ID] [--out FILE]`. */
async function runImport(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, { deployment: { type: "string" }, job: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, quiet: { type: "boolean" } } as const);
  if (values.help === true) return help();
  if (positionals.length !== 1) throw new UsageError(`import needs one dump folder or JobManager URL, got ${positionals.length}`);
  if (typeof values.deployment !== "string") throw new UsageError("import needs --deployment <FlinkDeployment.yaml> (the deployment the job runs as)");
  const input = /^https?:\/\//.test(positionals[0]!) ? positionals[0]! : userPath(positionals[0]!);
  const out = typeof values.out === "string" ? userPath(values.out) : undefined;
  if (out !== undefined && existsSync(out) && values.force !== true) return fail(`${out}: exists; choose another --out or add --force`);
  try {
    const result = await importJob({ input, deploymentFile: userPath(values.deployment), jobId: typeof values.job === "string" ? values.job : undefined });
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    if (out === undefined) {
      process.stdout.write(result.yaml);
    } else {
      writeWhole(out, result.yaml);
      if (values.quiet !== true) process.stderr.write(`wrote ${out} (job ${result.jobName}, ${result.jobId}); run it with npm run sim -- ${out}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof RestImportError) return fail(e.message);
    throw e;
  }
}

/** `calibrate <operator log> [--deployment NAME] [--json] [--snippet]`. */
function runCalibrate(argv: string[]): number {
  const { positionals, values } = parse(argv, { deployment: { type: "string" }, json: { type: "boolean" } } as const);
  if (values.help === true) return help();
  if (positionals.length !== 1) throw new UsageError(`calibrate needs one operator log file, got ${positionals.length}`);
  const file = userPath(positionals[0]!);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return fail(`${file}: no such file (calibrate needs the operator's log, e.g. kubectl logs deploy/flink-kubernetes-operator > operator.log)`);
  }
  try {
    const calibrations = calibrateOperatorLog(text, { source: file, ...(typeof values.deployment === "string" ? { deployment: values.deployment } : {}) });
    if (values.json === true) {
      const json = calibrations.length === 1 ? calibrationJson(calibrations[0]!) : calibrations.map(calibrationJson);
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      process.stdout.write(calibrations.map((c) => `${calibrationText(c)}\n${simulationSnippet(c)}`).join("\n"));
    }
    return 0;
  } catch (e) {
    if (e instanceof OperatorLogError) return fail(e.message);
    throw e;
  }
}

/** `replay <configmap.yaml> --deployment FILE [--rest DIR] [--set K=V ...] [--grid K=V1,V2 ...] [--json]`. */
async function runReplay(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv, {
    deployment: { type: "string" },
    rest: { type: "string" },
    set: { type: "string", multiple: true },
    grid: { type: "string", multiple: true },
    json: { type: "boolean" },
  } as const);
  if (values.help === true) return help();
  if (positionals.length !== 1) throw new UsageError(`replay needs one ConfigMap file, got ${positionals.length}`);
  if (typeof values.deployment !== "string") throw new UsageError("replay needs --deployment <FlinkDeployment.yaml> (its flinkConfiguration is the autoscaler's)");
  const set = parseSetEntries(values.set ?? [], (m) => new UsageError(m));
  const grid = (values.grid ?? []).map((g) => {
    const eq = g.indexOf("=");
    const values = eq < 0 ? [] : g.slice(eq + 1).split(",").map((v) => v.trim()).filter((v) => v !== "");
    if (eq <= 0 || values.length === 0) throw new UsageError(`--grid expects KEY=V1,V2,..., got '${g}'`);
    return { key: g.slice(0, eq).trim(), values };
  });
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new ReplayError(`${file}: no such file (${what})`);
    }
  };
  try {
    const configMapFile = userPath(positionals[0]!);
    const deploymentFile = userPath(values.deployment);
    const configMap = read(configMapFile, "replay needs the ConfigMap: kubectl get configmap autoscaler-<name> -o yaml > configmap.yaml");
    const deployment = read(deploymentFile, "replay needs the FlinkDeployment YAML");
    let rest: RestSnapshot | undefined;
    if (typeof values.rest === "string") {
      const dir = userPath(values.rest);
      if (!existsSync(dir)) throw new ReplayError(`${dir}: no such folder (--rest needs a dump saved by scripts/flink-rest-dump.sh)`);
      rest = await fetchRestSnapshot(folderRestSource(dir), { origin: dir });
    }
    const result = replay({ configMap, configMapSource: configMapFile, deployment, deploymentSource: deploymentFile, ...(rest !== undefined ? { rest } : {}), set, grid });
    // Nothing could be evaluated (a bad --set value, say): that is bad input, not a result.
    const failed = result.configurations.filter((c) => c.error !== undefined);
    if (failed.length === result.configurations.length) return fail(`${configMapFile}: ${failed[0]!.error!}`);
    process.stdout.write(values.json === true ? `${JSON.stringify(replayJson(result), null, 2)}\n` : replayTable(result));
    return 0;
  } catch (e) {
    if (e instanceof ReplayError || e instanceof ConfigMapDecodeError || e instanceof RestImportError) return fail(e.message);
    throw e;
  }
}

function help(): number {
  process.stdout.write(INGEST_HELP);
  return 0;
}

/** Runs `init`, `import` or `calibrate` (argv[0]); 0 done, 2 bad input. */
export async function runIngestCommand(argv: string[]): Promise<number> {
  try {
    if (argv[0] === "init") return runInit(argv.slice(1));
    if (argv[0] === "import") return await runImport(argv.slice(1));
    if (argv[0] === "replay") return await runReplay(argv.slice(1));
    return runCalibrate(argv.slice(1));
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message} (npm run sim -- ${argv[0]} --help for usage)`);
    throw e;
  }
}
