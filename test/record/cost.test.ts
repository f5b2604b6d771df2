import { describe, expect, it } from "vitest";
import { costFigures } from "../../src/record/summary.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { parseResourceMemory } from "../../src/scenario/podResources.ts";
import { ScenarioError } from "../../src/scenario/ScenarioError.ts";
import { seedScenarioWith, type SeedDoc } from "../helpers.ts";

const GIB = 1024 ** 3;

describe("core-hours, memory-GiB-hours and cost", () => {
  it("2 TaskManagers of 1 core / 2 GiB for 1 h and a JobManager of 1 core / 1.5 GiB: 3 core-hours, 5.5 GiB-hours", () => {
    const c = costFigures(
      { taskManagerHours: 2, taskManager: { cores: 1, memoryBytes: 2 * GIB }, jobManager: { cores: 1, memoryBytes: 1.5 * GIB, replicas: 1 }, prices: { coreHour: 0.04, gibHour: 0.005, currency: "USD" } },
      3_600_000,
    );
    expect(c.core_hours).toBe(3);
    expect(c.memory_gib_hours).toBe(5.5);
    // 3 x 0.04 + 5.5 x 0.005
    expect(c.cost).toBe(0.1475);
  });

  it("counts every JobManager replica for the whole run, and has no cost without prices", () => {
    const c = costFigures({ taskManagerHours: 0, taskManager: { cores: 4, memoryBytes: GIB }, jobManager: { cores: 0.5, memoryBytes: GIB, replicas: 2 }, prices: undefined }, 1_800_000);
    expect(c.core_hours).toBe(0.5); // 2 x 0.5 core x 0.5 h
    expect(c.memory_gib_hours).toBe(1);
    expect(c.cost).toBeNull();
  });

  it("reads resource memory as the operator does: Flink's MemorySize first, else a Kubernetes quantity", () => {
    expect(parseResourceMemory("2048m")).toBe(2 * GIB);
    expect(parseResourceMemory("2g")).toBe(2 * GIB);
    expect(parseResourceMemory("1.5Gi")).toBe(1.5 * GIB);
    expect(parseResourceMemory("1.5gb")).toBe(1.5e9); // not a MemorySize (a decimal): upper-cased, B dropped, 1.5G = 1.5 x 10^9
    expect(() => parseResourceMemory("lots")).toThrow(/is not a memory size/);
  });

  it("a run of the seed's job without autoscaling: 2 TaskManagers (parallelism 2, 1 slot each) for an hour, as by hand", () => {
    const scenario = seedScenarioWith(
      (doc) => {
        doc.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
        doc.spec.job.parallelism = 2;
        doc.simulation.duration = "1h";
        const spec = doc.spec as SeedDoc["spec"] & Record<string, { resource?: Record<string, unknown> }>;
        spec.taskManager!.resource = { cpu: 1, memory: "2g" };
        spec.jobManager!.resource = { cpu: 1, memory: "1.5Gi" };
        (doc.simulation as Record<string, unknown>).prices = { coreHour: 0.04, gibHour: 0.005, currency: "USD" };
      },
      {},
    );
    const s = runScenario(scenario, { output: { kind: "none" } }).summary;
    expect(s.task_managers).toBe(2);
    expect(s.cost_basis.task_manager_hours).toBe(2);
    expect(s.core_hours).toBe(3);
    expect(s.memory_gib_hours).toBe(5.5);
    expect(s.cost).toBe(0.1475);
    expect(s.cost_basis.prices).toEqual({ core_hour: 0.04, gib_hour: 0.005, currency: "USD" });
  });

  it("refuses bad prices and memory with one line", () => {
    const withPrices = (prices: unknown) => () => seedScenarioWith((doc) => ((doc.simulation as Record<string, unknown>).prices = prices));
    expect(withPrices({ coreHour: -1 })).toThrow(ScenarioError);
    expect(withPrices({ coreHour: -1 })).toThrow(/simulation\.prices\.coreHour/);
    expect(withPrices({ currency: "EUR" })).toThrow(/simulation\.prices: needs coreHour or gibHour/);
    expect(withPrices({ coreHour: "cheap" })).toThrow(/simulation\.prices\.coreHour/);
    const badMemory = () => seedScenarioWith((doc) => ((doc.spec as unknown as { taskManager: { resource: { memory: string } } }).taskManager.resource.memory = "12x"));
    expect(badMemory).toThrow(/spec\.taskManager\.resource\.memory: '12x' is not a memory size/);
    for (const make of [withPrices({ coreHour: -1 }), badMemory]) {
      try {
        make();
      } catch (e) {
        expect((e as Error).message).not.toContain("\n");
      }
    }
  });
});

describe("whether the job keeps up", () => {
  it("the seed's job with the autoscaler off (parallelism 1 for 10 rows/s at 2 s a record): back-pressured once its buffers fill, the autoscaler named", () => {
    const scenario = seedScenarioWith((doc) => {
      doc.spec.flinkConfiguration["job.autoscaler.enabled"] = "false";
      doc.simulation.duration = "1h";
    });
    const s = runScenario(scenario, { output: { kind: "none" } }).summary;
    expect(s.source_backpressured_share).toBeGreaterThan(0.5);
    expect(s.keeping_up.keeps_up).toBe(false);
    expect(s.keeping_up.limit).toBe("the autoscaler is off (job.autoscaler.enabled: false)");
    expect(s.keeping_up.verdict).toContain(`back-pressured ${(100 * s.source_backpressured_share).toFixed(1)}% of the run: the job could not keep up`);
  });

  it("capped by job.autoscaler.vertex.max-parallelism 2: the Python map reaches 2 and the verdict says so", () => {
    const scenario = seedScenarioWith((doc) => {
      doc.spec.flinkConfiguration["job.autoscaler.vertex.max-parallelism"] = "2";
      doc.simulation.duration = "30min";
    });
    const s = runScenario(scenario, { output: { kind: "none" } }).summary;
    const map = s.vertices.find((v) => v.name.startsWith("Map"))!;
    expect(map.parallelism_max_reached).toBe(2);
    expect(s.keeping_up.keeps_up).toBe(false);
    expect(s.keeping_up.limit).toBe(`${map.name} reached parallelism 2, its limit (job.autoscaler.vertex.max-parallelism)`);
  });

  it("the seed's job as written keeps up within its hour", () => {
    const s = runScenario(seedScenarioWith(() => {}), { output: { kind: "none" } }).summary;
    expect(s.keeping_up).toEqual({ keeps_up: true, lagging_share: null, limit: null, verdict: "the job kept up with its sources" });
  });
});
