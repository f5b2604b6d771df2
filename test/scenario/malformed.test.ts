import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const seed = readFileSync(SEED_SCENARIO, "utf8");

/** The seed scenario with one piece of text replaced (the replacement must happen). */
function edited(from: string, to: string): string {
  if (!seed.includes(from)) throw new Error(`test setup: '${from}' is not in the seed scenario`);
  return seed.replace(from, to);
}

function errorOf(text: string, overrides = {}): ScenarioError {
  try {
    parseScenario("bad.yaml", text, overrides);
    // Every variant must resolve too.
    parseScenario("bad.yaml", text, { ...overrides, variant: "tracking-off" });
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("the scenario was accepted");
}

/** Nine levels of nine aliases each: 9^9 nodes once expanded. */
function billionLaughs(): string {
  let text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (let i = 1; i < 9; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  return text;
}

// [case, scenario text, expected path, expected problem (regex)]
const cases: [string, string, string, RegExp][] = [
  ["an empty file", "", "", /is empty/],
  ["a YAML alias bomb", billionLaughs(), "", /is not a usable YAML document: Excessive alias count/],
  ["a file that is not YAML", "spec: [unclosed\n  x: {", "", /is not valid YAML \(line \d+, column \d+\)/],
  ["a YAML list instead of a mapping", "- a\n- b\n", "", /not a YAML mapping/],
  ["a misspelled top-level key", edited("\nsimulation:", "\nsimulaton:"), "simulaton", /unknown key 'simulaton' \(did you mean 'simulation'\?\)/],
  ["a misspelled key in the job graph", edited("rowsPerSecond: 10", "rowsPerSecnd: 10"), "simulation.job.operators[0].source.rowsPerSecnd", /did you mean 'rowsPerSecond'/],
  ["an unknown key in the deployment spec", edited("  emrReleaseLabel:", "  emrRelease:"), "spec.emrRelease", /did you mean 'emrReleaseLabel'/],
  ["a wrong type", edited("    parallelism: 1\n    upgradeMode", "    parallelism: one\n    upgradeMode"), "spec.job.parallelism", /expected number, got string "one"/],
  ["a negative rate", edited("rowsPerSecond: 10", "rowsPerSecond: -10"), "simulation.job.operators[0].source.rowsPerSecond", /greater than 0, got number -10/],
  ["a bad duration", edited("duration: 1h", "duration: 1 fortnight"), "simulation.duration", /time unit 'fortnight'/],
  ["a memory size Flink would refuse", edited('    pipeline.max-parallelism: "12"\n', '    pipeline.max-parallelism: "12"\n    taskmanager.memory.process.size: "1.5g"\n'), 'spec.flinkConfiguration["taskmanager.memory.process.size"]', /not a memory size/],
  ["an unknown load profile", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datastream-datagen, load: { profile: sinus, min: 1, max: 2, period: 1h } }"), "simulation.job.operators[0].source.load.profile", /"sinus" is not one of constant, steps, ramp, sine, trace \(did you mean 'sine'\?\)/],
  ["a misspelled key of a load profile", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datastream-datagen, load: { profile: sine, min: 1, max: 2, perod: 1h } }"), "simulation.job.operators[0].source.load.perod", /unknown key 'perod' \(did you mean 'period'\?\)/],
  ["a fractional duration", edited("cost: 2s", "cost: 0.2ms"), "simulation.job.operators[1].cost", /'0\.2ms' has a fraction; Flink's duration syntax takes whole numbers: write 200µs/],
  ["microseconds spelled us", edited("cost: 2s", "cost: 20us"), "simulation.job.operators[1].cost", /Flink spells microseconds µs \(or micro, microsecond\): write 20µs/],
  ["a seed beyond what a double holds exactly", edited("  seed: 1\n", "  seed: 99999999999999999999\n"), "simulation.seed", /expected int to be <=9007199254740991/],
  ["a varying load for the Table datagen", edited("source: { connector: datagen, rowsPerSecond: 10 }", "source: { connector: datagen, load: { profile: ramp, from: 1, to: 10, over: 1h } }"), "simulation.job.operators[0].source.load", /constant rows-per-second/],
  ["a bad cost duration", edited("cost: 2s", "cost: 2 secs please"), "simulation.job.operators[1].cost", /time unit 'secs please'/],
  ["a bad distribution name", edited("cost: 2s", "cost: { distribution: lognormel, median: 2s, p95: 3s }"), "simulation.job.operators[1].cost.distribution", /did you mean 'lognormal'/],
  ["a lognormal with p95 below its median", edited("cost: 2s", "cost: { distribution: lognormal, median: 2s, p95: 1s }"), "simulation.job.operators[1].cost.p95", /greater than the median/],
  ["an edge to a missing operator", edited("{ from: source, to: map, shipStrategy: SHUFFLE }", "{ from: source, to: mapp, shipStrategy: SHUFFLE }"), "simulation.job.edges[0].to", /operator 'mapp' does not exist \(did you mean 'map'\?\)/],
  ["a cycle", edited("      - { from: map, to: sink, shipStrategy: FORWARD }", "      - { from: map, to: sink, shipStrategy: FORWARD }\n      - { from: sink, to: map, shipStrategy: REBALANCE }"), "simulation.job.edges", /cycle: map -> sink -> map/],
  ["parallelism above max parallelism", edited("    parallelism: 1\n    upgradeMode", "    parallelism: 13\n    upgradeMode"), "spec.job.parallelism", /parallelism 13 of 'source' is above its max parallelism 12/],
  ["an unknown ship strategy", edited("shipStrategy: SHUFFLE", "shipStrategy: SHUFLE"), "simulation.job.edges[0].shipStrategy", /did you mean 'SHUFFLE'/],
  ["a bad Flink configuration value", edited('pipeline.max-parallelism: "12"', 'pipeline.max-parallelism: "twelve"'), 'spec.flinkConfiguration["pipeline.max-parallelism"]', /'twelve' is not an integer/],
  ["a missing required block", edited("kind: FlinkDeployment", "kind: FlinkDeployment\nmetadata2: {}").replace(/^metadata:\n {2}name: autoscaling-example\n/m, ""), "metadata2", /unknown key/],
  ["a duplicate operator id", edited("      - id: sink", "      - id: map"), "simulation.job.operators[2].id", /already the id of operators\[1\]/],
  ["a source without its load", edited("        source: { connector: datagen, rowsPerSecond: 10 }\n", ""), "simulation.job.operators[0].source", /a source needs its load/],
  ["an operator without input", edited("      - id: sink\n", "      - id: orphan\n      - id: sink\n"), "simulation.job.operators[2]", /'orphan' has no input edge/],
  ["a FORWARD edge between different parallelisms", edited("        name: Map\n", "        name: Map\n        parallelism: 3\n"), "simulation.job.edges[1].shipStrategy", /FORWARD needs equal parallelism/],
  ["a bad start time", edited('startTime: "2024-05-16T17:00:00Z"', 'startTime: "yesterday"'), "simulation.startTime", /not an ISO-8601 instant/],
  ["a wrong apiVersion", edited("apiVersion: flink.apache.org/v1beta1", "apiVersion: v1"), "apiVersion", /expected flink\.apache\.org\/v1beta1/],
  ["a bad record size", edited("recordSize: 64b", "recordSize: 64 parsecs"), "simulation.recordSize", /memory unit 'parsecs'/],
  ["a bad autoscaler value", edited('job.autoscaler.restart.time: "2m"', 'job.autoscaler.restart.time: "two minutes"'), 'spec.flinkConfiguration["job.autoscaler.restart.time"]', /'two minutes' is not valid: time unit 'minutes'|is not valid/],
  ["a misspelled autoscaler key", edited("job.autoscaler.stabilization.interval:", "job.autoscaler.stabilisation.interval:"), 'spec.flinkConfiguration["job.autoscaler.stabilisation.interval"]', /unknown autoscaler option \(did you mean 'job\.autoscaler\.stabilization\.interval'\?\)/],
  ["memory tuning, which is not ported", edited('job.autoscaler.enabled: "true"', 'job.autoscaler.enabled: "true"\n    job.autoscaler.memory.tuning.enabled: "true"'), 'spec.flinkConfiguration["job.autoscaler.memory.tuning.enabled"]', /memory tuning is not supported/],
  ["a bad value in a variant", edited('job.autoscaler.restart.time-tracking.enabled: "false"', 'job.autoscaler.restart.time-tracking.enabled: "nope"'), 'simulation.variants.tracking-off.flinkConfiguration["job.autoscaler.restart.time-tracking.enabled"]', /'nope' is not valid/],
  ["a bad vertex id", edited("        name: Map\n", "        name: Map\n        vertexId: xyz\n"), "simulation.job.operators[1].vertexId", /not a JobVertexID/],
];

describe("malformed scenarios get one clear message: file, field path, what is wrong", () => {
  it.each(cases)("%s", (_name, text, path, problem) => {
    const e = errorOf(text);
    expect(e.file).toBe("bad.yaml");
    expect(e.path).toBe(path);
    expect(e.problem).toMatch(problem);
    expect(e.message).toBe(path === "" ? `bad.yaml: ${e.problem}` : `bad.yaml: ${path}: ${e.problem}`);
  });

  it("names --set as the origin of a bad value given on the command line", () => {
    const e = errorOf(seed, { set: { "taskmanager.numberOfTaskSlots": "0" } });
    expect(e.path).toBe('spec.flinkConfiguration["taskmanager.numberOfTaskSlots"] (from --set)');
    expect(e.problem).toMatch(/at least 1, got 0/);
  });

  it("has at least 15 distinct cases", () => {
    expect(new Set(cases.map((c) => c[0])).size).toBeGreaterThanOrEqual(15);
  });

  it("accepts the seed's deployment as written", () => {
    const s = parseScenario("ok.yaml", seed);
    expect(s.deploymentName).toBe("autoscaling-example");
    expect(s.flinkConfiguration["job.autoscaler.restart.time"]).toBe("2m");
    expect(s.cluster.maxParallelism).toBe(12);
  });
});
