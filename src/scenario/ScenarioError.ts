import { closest, distance } from "fastest-levenshtein";

/** A problem with a scenario file: reported as `file: path: message`, exit code 2. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === "" ? `${file}: ${problem}` : `${file}: ${path}: ${problem}`);
    this.name = "ScenarioError";
  }
}

/** Formats a path like Flink users read it: spec.job.parallelism, simulation.job.edges[1].to, spec.flinkConfiguration["a.b"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && key.startsWith("--")) out += key; // a command-line option
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** " (did you mean 'x'?)" when a candidate is close enough to be a likely typo, else "". */
export function suggestion(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const best = closest(word, [...candidates]);
  const limit = Math.max(2, Math.floor(best.length / 3));
  return distance(word.toLowerCase(), best.toLowerCase()) <= limit ? ` (did you mean '${best}'?)` : "";
}
