import { folderOutput } from "../../src/node/FileSink.ts";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RUN_FILES, runScenario, ScenarioRun } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { SEED_SCENARIO } from "../helpers.ts";

describe("files written as the run goes", () => {
  it("are byte for byte the files a run kept in memory returns, and a run with no output has the same summary", () => {
    const scenario = loadScenario(SEED_SCENARIO, { duration: "2h" });
    const inMemory = runScenario(scenario);
    const dir = mkdtempSync(join(tmpdir(), "sim-stream-"));
    const streamed = runScenario(scenario, { output: folderOutput(dir) });
    for (const f of RUN_FILES) expect(readFileSync(join(dir, f), "utf8"), f).toBe(inMemory.files[f]);
    expect(streamed.files).toEqual({});
    // Nothing kept: the rows went to the file.
    expect(streamed.timeseries.rows).toHaveLength(0);
    expect(streamed.operator.decisions).toHaveLength(0);
    expect(runScenario(scenario, { output: { kind: "none" } }).summary).toEqual(inMemory.summary);
  });

  it("reach the disk before the run ends", () => {
    const scenario = loadScenario(SEED_SCENARIO, { duration: "6h" });
    const dir = mkdtempSync(join(tmpdir(), "sim-stream-"));
    const run = new ScenarioRun(scenario, { output: folderOutput(dir) });
    run.advance(3 * 3_600_000);
    // Three hours of the seed's log are some 4 MB: most of it written already (the sink holds at most 64 KiB).
    const logSoFar = statSync(join(dir, "autoscaler.log")).size;
    expect(logSoFar).toBeGreaterThan(1_000_000);
    run.finish();
    expect(statSync(join(dir, "autoscaler.log")).size).toBeGreaterThan(logSoFar);
  });
});
