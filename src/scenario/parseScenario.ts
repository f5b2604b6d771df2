/** Scenario text -> a validated document -> the chosen variant, resolved (isomorphic: the file system is reached only through ScenarioFiles). */
import { parseDocument } from "yaml";
import { ScenarioError, suggestion } from "./ScenarioError.ts";
import { missingSimulationMessage } from "./initSkeleton.ts";
import { scenarioSchema, type ScenarioDocument } from "./schema.ts";
import { applyDocumentPaths, flagConflict, tracedToSet } from "./overrides.ts";
import { zodIssueToError } from "./scenarioErrors.ts";
import { resolve } from "./resolveScenario.ts";
import { NO_SCENARIO_FILES, type ScenarioFiles } from "./ScenarioFiles.ts";
import type { Scenario, ScenarioOverrides } from "./Scenario.ts";

/** Parses and validates scenario text; `file` names it in error messages. */
export function parseScenario(file: string, text: string, overrides: ScenarioOverrides = {}, files: ScenarioFiles = NO_SCENARIO_FILES): Scenario {
  return parseScenarioAndVariants(file, text, overrides, files).scenario;
}

/**
 * A document is validated once per run: zod's eval-compiled fast path (jitless: false)
 * costs more to compile than it saves on one parse (measured: ~7 ms CPU of a start).
 */
const ONE_PARSE = { jitless: true } as const;

/** parseScenario, and the names of the variants its document defines. */
function parseScenarioAndVariants(file: string, text: string, overrides: ScenarioOverrides, files: ScenarioFiles): { scenario: Scenario; names: string[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const where = err.linePos?.[0] ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : "";
    throw new ScenarioError(file, "", `is not valid YAML${where ? ` (${where})` : ""}: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // yaml refuses aliases that expand beyond maxAliasCount (a "billion laughs" document).
    if (e instanceof ReferenceError) throw new ScenarioError(file, "", `is not a usable YAML document: ${e.message}`);
    throw e;
  }
  if (data === null || data === undefined) throw new ScenarioError(file, "", "is empty; expected a FlinkDeployment with a simulation: block");
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new ScenarioError(file, "", "is not a YAML mapping; expected a FlinkDeployment with a simulation: block");
  }
  const record = data as Record<string, unknown>;
  // (A key close to `simulation` is a typo, which the schema's message names instead.)
  if (record.kind === "FlinkDeployment" && !("simulation" in record) && suggestion("simulation", Object.keys(record)) === "") {
    // A deployment as users have it: point to the two ways of adding what a cluster does not say.
    throw new ScenarioError(file, "", missingSimulationMessage(file).slice(file.length + 2));
  }
  const parsed = scenarioSchema.safeParse(data, ONE_PARSE);
  if (!parsed.success) throw zodIssueToError(file, data, parsed.error.issues);
  const names = variantNames(parsed.data);
  const variant = overrides.variant ?? names[0]!;
  if (!names.includes(variant)) {
    throw new ScenarioError(file, "--variant", `'${variant}' is not a variant of this scenario${suggestion(variant, names)}; it has ${names.join(", ")}`);
  }
  return { scenario: resolveWithSets(file, withVariant(parsed.data, variant), overrides, variant, files), names };
}

/** --set's document paths applied over the variant and checked as the file is; their errors say "(from --set)". */
function resolveWithSets(file: string, doc: ScenarioDocument, overrides: ScenarioOverrides, variant: string, files: ScenarioFiles): Scenario {
  const set = overrides.set ?? {};
  flagConflict(file, set, overrides);
  const { doc: changed, paths } = applyDocumentPaths(file, doc, set);
  if (paths.length === 0) return resolve(file, doc, overrides, variant, files);
  try {
    const checked = scenarioSchema.safeParse(changed, ONE_PARSE);
    if (!checked.success) throw zodIssueToError(file, changed, checked.error.issues);
    return resolve(file, checked.data, overrides, variant, files);
  } catch (e) {
    if (e instanceof ScenarioError) throw tracedToSet(e, paths);
    throw e;
  }
}

/** The variants a scenario file defines, in file order; ["default"] when it defines none. */
export function variantNames(doc: ScenarioDocument): string[] {
  const names = Object.keys(doc.simulation.variants ?? {});
  return names.length === 0 ? ["default"] : names;
}

/** Every variant of a scenario's text, each resolved (the same seed for all: common random numbers). */
export function parseScenarioVariants(file: string, text: string, overrides: ScenarioOverrides = {}, files: ScenarioFiles = NO_SCENARIO_FILES): Scenario[] {
  // The first variant's parse gives the names: the text is parsed and validated once for them.
  const { scenario: first, names: defined } = parseScenarioAndVariants(file, text, overrides, files);
  const names = overrides.variant !== undefined ? [overrides.variant] : defined;
  return names.map((name) => (name === first.variant ? first : parseScenario(file, text, { ...overrides, variant: name }, files)));
}

/** The document with a variant's overrides merged in. */
function withVariant(doc: ScenarioDocument, name: string): ScenarioDocument {
  const v = doc.simulation.variants?.[name];
  if (v === undefined) return doc;
  const restart = doc.simulation.restart ?? {};
  return {
    ...doc,
    spec: { ...doc.spec, flinkConfiguration: { ...doc.spec.flinkConfiguration, ...v.flinkConfiguration } },
    simulation: {
      ...doc.simulation,
      restart: {
        inPlace: { ...restart.inPlace, ...v.restart?.inPlace },
        redeploy: { ...restart.redeploy, ...v.restart?.redeploy },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Schema issues -> one clear message
