import { describe, expect, it } from "vitest";
import { loadScenarioVariants } from "../../src/node/loadScenario.ts";
import { dayList, dayPeriods, periodSection, REPORT_SIZE_LIMIT_BYTES } from "../../src/report/periodPanels.ts";
import { readRunData } from "../../src/report/runData.ts";
import { runReportHtml } from "../../src/report/runReport.ts";
import { contentsSource } from "../../src/report/lineSource.ts";
import { parseRunFiles } from "../../src/report/runFiles.ts";
import { runScenario } from "../../src/run/runScenario.ts";

describe("days of a long run", () => {
  it("cuts a run into days, the last one shorter, and counts the scalings decided in each", () => {
    expect(dayPeriods(86_400, [10])).toEqual([]);
    expect(dayPeriods(2.5 * 86_400, [10, 86_399, 86_400, 200_000])).toEqual([
      { index: 0, fromS: 0, toS: 86_400, scalings: 2 },
      { index: 1, fromS: 86_400, toS: 172_800, scalings: 1 },
      { index: 2, fromS: 172_800, toS: 216_000, scalings: 1 },
    ]);
    expect(dayList([1, 2, 3, 5, 7, 8])).toBe("1-3, 5, 7-8");
  });
});

describe("report.html of a 3-day run", () => {
  // kafka-daily's load cycles every 12 h: the job scales up and down every day.
  const [scenario] = loadScenarioVariants("scenarios/kafka-daily.yaml", { duration: "3d", variant: "tracking-on", set: { "simulation.logLevel": "INFO" } });
  const files = runScenario(scenario!).files;

  it("draws a panel per day with a scaling, marks every scaling in the overview, and stays under the size limit", async () => {
    const html = await runReportHtml(files);
    const restarts = parseRunFiles(files).restarts;
    // Independently: the days restarts.csv's decisions fall in.
    const days = new Set(restarts.map((r) => Math.floor(r.decisionTimeS / 86_400)));
    expect(days.size).toBe(3);
    const panels = [...html.matchAll(/data-chart="day (\d+)"/g)].map((m) => Number(m[1]));
    expect(panels).toEqual([...days].sort().map((d) => d + 1));
    // Each panel's title counts that day's scalings.
    for (const d of days) expect(html).toContain(`Day ${d + 1} (hours ${24 * d} to ${24 * (d + 1)}): ${restarts.filter((r) => Math.floor(r.decisionTimeS / 86_400) === d).length} scalings`);
    // The overview: one dashed rule per scaling, each titled with its time.
    expect([...html.matchAll(/<title>scaling \d+ at /g)]).toHaveLength(restarts.length);
    expect(new TextEncoder().encode(html).length).toBeLessThan(REPORT_SIZE_LIMIT_BYTES);
  }, 300_000);

  it("draws no more panels than its byte budget allows, and says which days it left out", async () => {
    const run = readRunData(contentsSource(files));
    const one = await periodSection(run);
    const panelBytes = Math.max(...one!.blocks.filter((b) => b.startsWith("<figure")).map((b) => new TextEncoder().encode(b).length));
    const cut = await periodSection(run, panelBytes);
    expect(cut!.blocks.filter((b) => b.startsWith("<figure"))).toHaveLength(1);
    expect(cut!.blocks.at(-1)).toContain("Not drawn, to keep the page under its size limit: days 2-3");
  }, 300_000);
});
