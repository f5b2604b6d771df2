/** Schema issues -> one clear message naming the file, the field and what is wrong. */
import type { z } from "zod";
import { formatPath, ScenarioError, suggestion } from "./ScenarioError.ts";
import { FLINK_VERSIONS, scenarioSchema } from "./schema.ts";

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The keys an object schema allows at `path`, found by walking the schema (through unions too). */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  type Node = { unwrap?: () => unknown; shape?: Record<string, unknown>; element?: unknown; options?: readonly unknown[] };
  const unwrap = (s: unknown): Node => {
    for (;;) {
      const o = s as Node;
      if (o.shape !== undefined || o.element !== undefined || o.options !== undefined || typeof o.unwrap !== "function") return o;
      s = o.unwrap();
    }
  };
  const objectsOf = (s: unknown): Node[] => {
    const n = unwrap(s);
    return n.options !== undefined ? n.options.flatMap(objectsOf) : [n];
  };
  let candidates: Node[] = objectsOf(scenarioSchema);
  for (const key of path) {
    const next: Node[] = [];
    for (const c of candidates) {
      if (typeof key === "number" && c.element !== undefined) next.push(...objectsOf(c.element));
      else if (typeof key === "string" && c.shape?.[key] !== undefined) next.push(...objectsOf(c.shape[key]));
    }
    if (next.length === 0) return [];
    candidates = next;
  }
  return [...new Set(candidates.flatMap((c) => (c.shape === undefined ? [] : Object.keys(c.shape))))];
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  // JSON has no NaN or infinities (YAML's .nan, .inf): JSON.stringify would print null.
  if (typeof value === "number" && !Number.isFinite(value)) return `${String(value)} (YAML ${Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf"})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function issueMessage(data: unknown, issue: Issue): { path: readonly PropertyKey[]; message: string } {
  const path = issue.path;
  const value = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0]!;
      const allowed = allowedKeysAt(path);
      return {
        path: [...path, key],
        message: `unknown key '${key}'${suggestion(key, allowed)}${allowed.length > 0 && suggestion(key, allowed) === "" ? `; allowed: ${allowed.join(", ")}` : ""}`,
      };
    }
    case "invalid_type":
      if (value === undefined) return { path, message: `is required (${issue.expected})` };
      // A version written as a number (1.18) is a string in the operator's CRD: say which ones.
      if (path.length === 2 && path[0] === "spec" && path[1] === "flinkVersion") return { path, message: `expected a version string, got ${describe(value)}; valid: ${FLINK_VERSIONS.join(", ")}` };
      return { path, message: `expected ${issue.expected === "int" ? "an integer" : issue.expected}, got ${describe(value)}` };
    case "invalid_value": {
      const allowed = issue.values.map(String);
      return {
        path,
        message: `${describe(value)} is not allowed; expected ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(", ")}`}${typeof value === "string" ? suggestion(value, allowed) : ""}`,
      };
    }
    case "too_small":
      if (issue.origin === "array") return { path, message: `needs at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}` };
      if (issue.origin === "string") return { path, message: "must not be empty" };
      // A schema's own explanation (e.g. an async capacity's) says what is valid and why.
      if (issue.message.startsWith("must ")) return { path, message: `${issue.message}, got ${describe(value)}` };
      return { path, message: `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}, got ${describe(value)}` };
    case "invalid_union": {
      // A distribution: report the branch the user meant (the one its `distribution` names).
      if (value !== null && typeof value === "object" && "distribution" in value) {
        const branch = issue.errors.find(
          (branchIssues) => branchIssues.length > 0 && branchIssues.every((i) => i.path.length > 0 && i.path[0] !== "distribution"),
        );
        if (branch !== undefined) {
          const inner = issueMessage(value, branch[0]!);
          return { path: [...path, ...inner.path], message: inner.message };
        }
        return {
          path: [...path, "distribution"],
          message: `${describe((value as Record<string, unknown>).distribution)} is not one of constant, uniform, exponential, normal, lognormal${suggestion(String((value as Record<string, unknown>).distribution), ["constant", "uniform", "exponential", "normal", "lognormal"])}`,
        };
      }
      const last = path[path.length - 1];
      if (last === "load") {
        const profiles = ["constant", "steps", "ramp", "sine", "trace"];
        if (value !== null && typeof value === "object" && "profile" in value) {
          const profile = (value as Record<string, unknown>).profile;
          if (typeof profile === "string" && profiles.includes(profile)) {
            // The profile exists: report what is wrong inside its branch.
            const branch = issue.errors.find(
              (b) => b.length > 0 && b.every((i) => i.path[0] !== "profile") && !b.some((i) => i.path.length === 0 && i.code === "invalid_type"),
            );
            if (branch !== undefined) {
              const inner = branch.find((i) => i.code === "unrecognized_keys") ?? branch[0]!;
              return issueMessage(data, { ...inner, path: [...path, ...inner.path] } as Issue);
            }
          }
          return {
            path: [...path, "profile"],
            message: `${describe(profile)} is not one of ${profiles.join(", ")}${typeof profile === "string" ? suggestion(profile, profiles) : ""}`,
          };
        }
        return { path, message: `expected records per second (a number) or a profile such as {profile: sine, min: 10, max: 100, period: 1h}, got ${describe(value)}` };
      }
      if (last === "cost") {
        return { path, message: `expected a duration (2s, 500ms, PT2M) or a distribution such as {distribution: lognormal, median: 2s, p95: 3s}, got ${describe(value)}` };
      }
      if (last === "type" && path[path.length - 2] === "join") {
        const types = ["window", "interval"];
        return { path, message: `${describe(value)} is not one of ${types.join(", ")}${typeof value === "string" ? suggestion(value, types) : ""}` };
      }
      if (last === "recordSize") return { path, message: `expected a memory size such as 64b or 1kb, got ${describe(value)}` };
      if (last === "memory" || last === "ephemeralStorage") return { path, message: `expected a quantity such as 1024m, got ${describe(value)}` };
      if (path[path.length - 2] === "flinkConfiguration") return { path, message: `expected a string, number or boolean, got ${describe(value)}` };
      return { path, message: `expected a duration (5s, 1 min, 100ms, PT2M), got ${describe(value)}` };
    }
    default:
      return { path, message: issue.message };
  }
}

export function zodIssueToError(file: string, data: unknown, issues: readonly Issue[]): ScenarioError {
  // An unknown key explains a "required" error beside it (a typo), so it goes first.
  const first = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0]!;
  const { path, message } = issueMessage(data, first);
  return new ScenarioError(file, formatPath(path), message);
}
