import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { folderOutput } from "../../src/node/FileSink.ts";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { assignToKeyGroup } from "../../src/flink/keyGroups.ts";
import { parseRunFiles } from "../../src/report/runFiles.ts";
import { readSubtaskGrids } from "../../src/report/subtaskHeatmap.ts";
import { runScenario } from "../../src/run/runScenario.ts";

/** subtasks.csv's rows as records by column (no quoted fields in it: vertex names have no commas here). */
function rows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.trimEnd().split("\n");
  const names = head!.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((c, i) => [names[i]!, c])));
}

describe("subtasks.csv (simulation.subtasks)", () => {
  const [scenario] = loadScenarioVariants("scenarios/validation/hot-keys.yaml", { set: { "simulation.subtasks": "true" } });
  const run = runScenario(scenario!);
  const csv = run.files["subtasks.csv"]!;
  const records = rows(csv);

  it("has its header", () => {
    expect(csv.split("\n")[0]).toBe(
      "time_s,vertex,subtask,records_in_per_s,records_out_per_s,busy_ms_per_s,backpressured_ms_per_s,idle_ms_per_s,pending_records,partitions_or_key_groups,input_share",
    );
  });

  it("holds one row per running subtask per sample: the timeseries' parallelism summed over the samples where the vertex ran", () => {
    const samples = parseRunFiles(run.files).samples;
    // A vertex without running tasks (a restart) has no idle time in timeseries.csv.
    const expected = samples.filter((s) => Number.isFinite(s.idleMsPerS)).reduce((n, s) => n + s.parallelism, 0);
    expect(records.length).toBe(expected);
    expect(new Set(records.map((r) => r.time_s)).size).toBe(new Set(samples.map((s) => s.timeS)).size);
  });

  it("gives a Kafka source subtask its partitions and its own pending records, adding up to the topic's", () => {
    const samples = parseRunFiles(run.files).samples.filter((s) => s.vertex === "Source: clicks" && Number.isFinite(s.idleMsPerS));
    const sample = samples[samples.length - 1]!;
    const mine = records.filter((r) => r.vertex === "Source: clicks" && Number(r.time_s) === sample.timeS);
    expect(mine.reduce((n, r) => n + Number(r.partitions_or_key_groups), 0)).toBe(8);
    expect(mine.reduce((n, r) => n + Number(r.pending_records), 0)).toBe(sample.pendingRecords);
  });

  it("shows the hot key: the subtask that the key distribution gives the most records is the busiest", () => {
    const vertex = "Window count -> Sink: counts";
    const maxP = run.summary.vertices.find((v) => v.name === vertex)!.max_parallelism;
    // The last stretch at one parallelism, skipping the first two minutes after its restart (the rate meters fill over 60 s).
    const ours = records.filter((r) => r.vertex === vertex);
    const lastTime = Number(ours.at(-1)!.time_s);
    const p = ours.filter((r) => Number(r.time_s) === lastTime).length;
    const startOfLast = Math.max(...run.operator.restarts.map((r) => r.runningTimeMs! / 1000));
    const steady = ours.filter((r) => Number(r.time_s) > startOfLast + 120);
    // By hand: Zipf(1.1) over keys 0..999, key k -> key group murmur(k) % maxP -> subtask floor(kg * p / maxP).
    const expected = new Array<number>(p).fill(0);
    let total = 0;
    for (let k = 0; k < 1000; k++) {
      const w = 1 / Math.pow(k + 1, 1.1);
      expected[Math.floor((assignToKeyGroup(k, maxP) * p) / maxP)]! += w;
      total += w;
    }
    const share = expected.map((w) => w / total);
    const hot = share.indexOf(Math.max(...share));
    const meanBusy = (s: number) => {
      const of = steady.filter((r) => Number(r.subtask) === s);
      return of.reduce((a, r) => a + Number(r.busy_ms_per_s), 0) / of.length;
    };
    for (let s = 0; s < p; s++) {
      expect(Number(steady.find((r) => Number(r.subtask) === s)!.input_share)).toBeCloseTo(share[s]!, 5);
      if (s !== hot) expect(meanBusy(hot)).toBeGreaterThan(meanBusy(s));
    }
    // The report's grid finds the same subtask busiest over the stretch it ran.
    const grids = readSubtaskGrids([csv], run.summary);
    expect(grids.grids.find((g) => g.vertex === vertex)!.hottest!.subtask).toBe(hot);
  });

  it("is streamed to its file byte for byte as kept in memory, the same on a second run", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-subtasks-"));
    try {
      runScenario(scenario!, { output: folderOutput(dir) });
      expect(readFileSync(join(dir, "subtasks.csv"), "utf8")).toBe(csv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(runScenario(scenario!).files["subtasks.csv"]).toBe(csv);
  });

  it("is not written unless asked", () => {
    const [plain] = loadScenarioVariants("scenarios/validation/hot-keys.yaml", { duration: "5min" });
    expect(Object.keys(runScenario(plain!).files)).not.toContain("subtasks.csv");
  });
});
