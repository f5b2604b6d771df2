/**
 * Bad two-input operators and BROADCAST edges: one message naming the file, the field and
 * what is valid (the CLI turns a ScenarioError into one line and exit code 2).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/parseScenario.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";

const FILE = "scenarios/validation/join-broadcast.yaml";
const base = readFileSync(FILE, "utf8");

function edited(...pairs: [string, string][]): string {
  let text = base;
  for (const [from, to] of pairs) {
    if (!text.includes(from)) throw new Error(`test setup: '${from}' is not in ${FILE}`);
    text = text.replace(from, to);
  }
  return text;
}

function errorOf(text: string): ScenarioError {
  try {
    parseScenario("bad.yaml", text);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error("the scenario was accepted");
}

const PAYMENTS_EDGE = "      - { from: payments, to: join, shipStrategy: HASH, keys: { count: 10000 } }\n";

// [case, scenario text, expected path, expected problem]
const cases: [string, string, string, RegExp][] = [
  ["a join with one input", edited([PAYMENTS_EDGE, "      - { from: payments, to: enrich, shipStrategy: REBALANCE }\n"], ["          payments: { cost: 2ms }\n", ""]), "simulation.job.operators[3].join", /a join needs exactly two input edges; 'join' has 1 \(from orders\)/],
  ["an input that is not an upstream operator", edited(["          payments: { cost: 2ms }", "          paymnts: { cost: 2ms }"]), "simulation.job.operators[3].inputs.paymnts", /'paymnts' is not an input of 'join' \(did you mean 'payments'\?\); its inputs are orders and payments/],
  ["a join input that is not keyed", edited([PAYMENTS_EDGE, "      - { from: payments, to: join, shipStrategy: REBALANCE }\n"]), "simulation.job.operators[3].join", /edge payments -> join is REBALANCE, it must be HASH \(keyBy\)/],
  ["join inputs keyed differently", edited([PAYMENTS_EDGE, "      - { from: payments, to: join, shipStrategy: HASH, keys: { count: 500 } }\n"]), "simulation.job.operators[3].join", /orders -> join has 10000 keys, skew 0, payments -> join has 500 keys, skew 0/],
  ["a selectivity on a join", edited(["          payments: { cost: 2ms }", "          payments: { cost: 2ms, selectivity: 0.5 }"]), "simulation.job.operators[3].inputs.payments.selectivity", /leave selectivity out/],
  ["an interval with upper below lower", edited(["lower: -2s, upper: 2s", "lower: 2s, upper: -2s"]), "simulation.job.operators[3].join.upper", /must not be below lower \(2s\)/],
  ["a window of size 0", edited(["{ type: interval, lower: -2s, upper: 2s }", "{ type: window, size: 0s }"]), "simulation.job.operators[3].join.size", /greater than 0/],
  ["an unknown join type", edited(["{ type: interval, lower: -2s, upper: 2s }", "{ type: session, gap: 2s }"]), "simulation.job.operators[3].join.type", /not one of window, interval/],
  ["a bad interval bound", edited(["lower: -2s", "lower: -2 fortnights"]), "simulation.job.operators[3].join.lower", /time unit 'fortnights'/],
  ["a two-input sink", edited(["        name: \"Sink: enriched\"\n", "        name: \"Sink: enriched\"\n        inputs: { enrich: { cost: 1ms } }\n"]), "simulation.job.operators[5].inputs", /only an operator of kind operator can have two inputs \(this one is kind sink\)/],
  ["a broadcast edge into a source", edited(["      - { from: rules, to: enrich, shipStrategy: BROADCAST }", "      - { from: rules, to: enrich, shipStrategy: BROADCAST }\n      - { from: join, to: rules, shipStrategy: BROADCAST }"]), "simulation.job.edges[4]", /: BROADCAST edge join -> rules: source 'rules' cannot have an input edge; an edge may end at an operator or a sink$/],
  ["keys on a broadcast edge", edited(["{ from: rules, to: enrich, shipStrategy: BROADCAST }", "{ from: rules, to: enrich, shipStrategy: BROADCAST, keys: { count: 10 } }"]), "simulation.job.edges[3].keys", /keys only apply to a HASH edge/],
];

describe("bad two-input operators and broadcast edges get one clear message", () => {
  it.each(cases)("%s", (_name, text, path, problem) => {
    const e = errorOf(text);
    expect(e.file).toBe("bad.yaml");
    expect(e.path).toBe(path);
    expect(e.message).toMatch(problem);
    expect(e.message.split("\n")).toHaveLength(1);
  });

  it("accepts the example: a join with inputs in edge order and a co-process fed by a broadcast", () => {
    const s = parseScenario(FILE, base);
    const join = s.job.operators.find((o) => o.id === "join")!;
    expect(join.inputs?.map((i) => i.from)).toEqual(["orders", "payments"]);
    expect(join.join).toEqual({ type: "interval", lowerMs: -2000, upperMs: 2000 });
    const enrich = s.job.operators.find((o) => o.id === "enrich")!;
    expect(enrich.inputs?.map((i) => [i.from, i.selectivity])).toEqual([
      ["join", 1],
      ["rules", 0],
    ]);
    expect(s.job.edges.find((e) => e.from === "rules")?.shipStrategy).toBe("BROADCAST");
  });
});
