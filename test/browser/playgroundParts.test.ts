/**
 * The playground's own parts that need no browser: where a scenario's error is marked in
 * the editor, and the share link's encoding (read and written here against Node's zlib).
 */
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { locateError, pathKeys } from "../../playground/src/errorPosition.ts";
import { decodeShare, encodeShare } from "../../playground/src/share.ts";
import { parseScenario, ScenarioError } from "../../src/browser.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const SEED = readFileSync(SEED_SCENARIO, "utf8");

/** The marked text and its line (from 1) for the error parseScenario throws on `text`. */
function marked(text: string): { message: string; text: string; line: number } {
  try {
    parseScenario("backpressure.yaml", text);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const r = locateError(text, e.path, e.problem);
    return { message: e.message, text: text.slice(r.from, r.to), line: text.slice(0, r.from).split("\n").length };
  }
  throw new Error("no error");
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("where the editor marks a scenario's error", () => {
  it("reads the command line's paths back into keys", () => {
    expect(pathKeys("spec.job.parallelism")).toEqual(["spec", "job", "parallelism"]);
    expect(pathKeys("simulation.job.edges[1].to")).toEqual(["simulation", "job", "edges", 1, "to"]);
    expect(pathKeys('spec.flinkConfiguration["pipeline.max-parallelism"]')).toEqual(["spec", "flinkConfiguration", "pipeline.max-parallelism"]);
    expect(pathKeys("--variant")).toBeUndefined();
    expect(pathKeys("")).toBeUndefined();
  });

  it("marks the key and value a message names, on their line", () => {
    const typo = SEED.replace("  duration: 1h", "  duraton: 1h");
    expect(marked(typo)).toEqual({ message: "backpressure.yaml: simulation.duraton: unknown key 'duraton' (did you mean 'duration'?)", text: "duraton: 1h", line: lineOf(typo, "duraton:") });
    const flink = SEED.replace('pipeline.max-parallelism: "12"', 'pipeline.max-parallelism: "twelve"');
    expect(marked(flink)).toMatchObject({ text: 'pipeline.max-parallelism: "twelve"', line: lineOf(flink, "twelve") });
    const edge = SEED.replace("to: map,", "to: mapp,");
    expect(marked(edge)).toMatchObject({ line: lineOf(edge, "mapp") });
    expect(marked(edge).message).toMatch(/simulation\.job\.edges\[0\]\.to: operator 'mapp' does not exist/);
  });

  it("marks a YAML syntax error at the line the parser names, and a missing key at the mapping that lacks it", () => {
    const syntax = SEED.replace("replicas: 1", "replicas: [1");
    const m = marked(syntax);
    expect(m.message).toMatch(/is not valid YAML \(line (\d+), column \d+\)/);
    expect(m.line).toBe(Number(/line (\d+)/.exec(m.message)![1]));
    const noName = SEED.replace("  name: autoscaling-example\n", "");
    const missing = marked(noName);
    expect(missing.message).toMatch(/metadata/);
    expect(missing.line).toBeLessThanOrEqual(lineOf(noName, "metadata:"));
  });
});

describe("the share link", () => {
  it("round-trips the scenario, file, seed, variant and duration; the gzip is the standard one", () => {
    const hash = encodeShare({ scenario: SEED, file: "backpressure.yaml", seed: 7, variant: "tracking-off", duration: "2h", run: true });
    const params = new URLSearchParams(hash);
    expect(gunzipSync(Buffer.from(params.get("scenario")!, "base64url")).toString("utf8")).toBe(SEED);
    expect(params.get("scenario")).not.toMatch(/[+/=]/);
    expect(decodeShare(`#${hash}`)).toEqual({ scenario: SEED, file: "backpressure.yaml", seed: 7, variant: "tracking-off", duration: "2h", run: true });
    // The same text gives the same link.
    expect(encodeShare({ scenario: SEED })).toBe(encodeShare({ scenario: SEED }));
  });

  it("reads a link made by another gzip (Node's zlib), and says why it cannot read a broken one", () => {
    expect(decodeShare(`#scenario=${gzipSync("a: 1\n").toString("base64url")}&seed=3&run=1`)).toEqual({ scenario: "a: 1\n", file: undefined, seed: 3, variant: undefined, duration: undefined, run: true });
    expect(decodeShare("#seed=3")).toBeUndefined();
    expect(() => decodeShare("#scenario=not-gzip")).toThrow(/the link's scenario cannot be read \(expected base64url of gzipped YAML\)/);
    expect(() => decodeShare(`#scenario=${gzipSync("a").toString("base64url")}&seed=-1`)).toThrow("the link's seed must be a whole number from 0, got '-1'");
  });
});
