/**
 * Issue 23's bad input through the command line: a CPU of 0 or negative (the FlinkDeployment's
 * and the Flink keys behind it, the limit factor), a join with one input, a broadcast edge
 * into a source, an async capacity of 0, a spec.flinkVersion the simulator does not model.
 * Each: exit 2, one line naming the file, the field and what is valid, no file written.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SEED_SCENARIO } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");
const seed = readFileSync(SEED_SCENARIO, "utf8");
const JOIN_BROADCAST = readFileSync("scenarios/validation/join-broadcast.yaml", "utf8");

function edited(text: string, ...pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in the scenario`);
    text = text.replace(from, to);
  }
  return text;
}

const TM_CPU = '  taskManager:\n    resource:\n      memory: "1024m"\n      cpu: 0.5\n';
const withConfig = (line: string, text = seed) => edited(text, ['    pipeline.max-parallelism: "12"\n', `    pipeline.max-parallelism: "12"\n    ${line}\n`]);
const withoutTmCpu = edited(seed, [TM_CPU, '  taskManager:\n    resource:\n      memory: "1024m"\n']);
const VERSIONS = "valid: v1_13, v1_14, v1_15, v1_16, v1_17, v1_18, v1_19, v1_20, v2_0, v2_1, v2_2";
const MAP_PYTHON = "        cpuShare: 0 # a sleep uses no CPU (nor, here, the Python runtime's overhead)\n        python: true\n";

// [case, scenario text, the line after "error: <file>: "]
const CASES: [string, string, string][] = [
  ["taskManager.resource.cpu 0", edited(seed, [TM_CPU, TM_CPU.replace("cpu: 0.5", "cpu: 0")]), "spec.taskManager.resource.cpu: must be greater than 0, got number 0"],
  ["taskManager.resource.cpu negative", edited(seed, [TM_CPU, TM_CPU.replace("cpu: 0.5", "cpu: -1")]), "spec.taskManager.resource.cpu: must be greater than 0, got number -1"],
  ["taskManager.resource.cpu .nan", edited(seed, [TM_CPU, TM_CPU.replace("cpu: 0.5", "cpu: .nan")]), "spec.taskManager.resource.cpu: expected number, got NaN (YAML .nan)"],
  ["kubernetes.taskmanager.cpu.amount 0", withConfig('kubernetes.taskmanager.cpu.amount: "0"', withoutTmCpu), 'spec.flinkConfiguration["kubernetes.taskmanager.cpu.amount"]: must be a number of cores greater than 0, got 0'],
  ["kubernetes.taskmanager.cpu (deprecated) negative", withConfig('kubernetes.taskmanager.cpu: "-0.5"', withoutTmCpu), 'spec.flinkConfiguration["kubernetes.taskmanager.cpu"]: must be a number of cores greater than 0, got -0.5'],
  ["taskmanager.cpu.cores not a number", withConfig('taskmanager.cpu.cores: "many"'), "spec.flinkConfiguration[\"taskmanager.cpu.cores\"]: 'many' is not a number of cores; valid: a number greater than 0"],
  ["limit-factor 0", withConfig('kubernetes.taskmanager.cpu.limit-factor: "0"'), 'spec.flinkConfiguration["kubernetes.taskmanager.cpu.limit-factor"]: must be at least 1 (the limit is cpu x limit-factor), got 0'],
  ["limit-factor negative", withConfig('kubernetes.taskmanager.cpu.limit-factor: "-2"'), 'spec.flinkConfiguration["kubernetes.taskmanager.cpu.limit-factor"]: must be at least 1 (the limit is cpu x limit-factor), got -2'],
  ["limit-factor not a number", withConfig('kubernetes.taskmanager.cpu.limit-factor: "abc"'), "spec.flinkConfiguration[\"kubernetes.taskmanager.cpu.limit-factor\"]: 'abc' is not a number; valid: a factor of at least 1 (the limit is cpu x limit-factor)"],
  [
    "a join with one input",
    edited(seed, [MAP_PYTHON, "        join: { type: window, size: 10s }\n"], ["shipStrategy: SHUFFLE", "shipStrategy: HASH"]),
    "simulation.job.operators[1].join: a join needs exactly two input edges; 'map' has 1 (from source)",
  ],
  [
    "a broadcast edge into a source",
    edited(JOIN_BROADCAST, ["      - { from: rules, to: enrich, shipStrategy: BROADCAST }", "      - { from: rules, to: enrich, shipStrategy: BROADCAST }\n      - { from: join, to: rules, shipStrategy: BROADCAST }"]),
    "simulation.job.edges[4]: BROADCAST edge join -> rules: source 'rules' cannot have an input edge; an edge may end at an operator or a sink",
  ],
  [
    "an async capacity of 0",
    edited(seed, [MAP_PYTHON, "        chaining: false\n        async: { capacity: 0, latency: 10ms }\n"]),
    "simulation.job.operators[1].async.capacity: must be at least 1 (AsyncWaitOperator needs a capacity greater than 0: the requests it keeps in flight), got number 0",
  ],
  ["an old flinkVersion", edited(seed, ["flinkVersion: v1_18", "flinkVersion: v1_12"]), `spec.flinkVersion: 'v1_12' is not a Flink version the simulator models; ${VERSIONS}`],
  ["a flinkVersion that is no version", edited(seed, ["flinkVersion: v1_18", "flinkVersion: banana"]), `spec.flinkVersion: 'banana' is not a Flink version the simulator models; ${VERSIONS}`],
  ["a flinkVersion written as a number", edited(seed, ["flinkVersion: v1_18", "flinkVersion: 1.18"]), `spec.flinkVersion: expected a version string, got number 1.18; ${VERSIONS}`],
];

describe("issue 23's bad input on the command line: exit 2, one line naming the field and what is valid, nothing written", () => {
  const home = mkdtempSync(join(tmpdir(), "sim-bad23-"));
  it.each(CASES)("%s", (name, text, line) => {
    const slug = name.replace(/\W+/g, "-");
    const file = join(home, `${slug}.yaml`);
    const out = mkdtempSync(join(home, `out-${slug}-`));
    writeFileSync(file, text);
    const r = spawnSync(TSX, ["sim/cli.ts", file, "--out", out, "--duration", "2min"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: ${file}: ${line}\n`);
    expect(r.stdout).toBe("");
    expect(readdirSync(out)).toEqual([]);
  });
});
