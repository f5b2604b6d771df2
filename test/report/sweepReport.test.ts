import { describe, expect, it } from "vitest";
import { cellFigures, heatMap, lineChart, sweepReportHtml } from "../../src/report/sweepReport.ts";

const sweepJson = (grid: { key: string; values: string[] }[]) =>
  JSON.stringify({ scenario: "s", variant: "v", grid, replications: 3, seed: 1, duration_s: 1800, baseline: 1, figures: ["scalings", "slot_hours", "lag_max"] });

// Three cells of one key; lag_max reported by no cell (a datagen job).
const oneKey = [
  "cell,job.autoscaler.restart.time,runs,baseline,scalings_n,scalings_mean,scalings_ci95,slot_hours_n,slot_hours_mean,slot_hours_ci95,lag_max_n,lag_max_mean,lag_max_ci95",
  "1,1m,3,true,3,4,0.5,3,2.5,0.25,0,,",
  "2,2m,3,false,3,5,1,3,3,0.5,0,,",
  "3,4m,3,false,3,6,,3,3.5,,0,,",
].join("\n");

describe("sweep report", () => {
  it("reads a figure's mean and interval per cell from cells.csv, NaN where a cell has none", () => {
    const cells = cellFigures(oneKey, ["job.autoscaler.restart.time"], "scalings");
    expect(cells.map((c) => [c.cell, c.values["job.autoscaler.restart.time"], c.mean, c.ci95])).toEqual([
      [1, "1m", 4, 0.5],
      [2, "2m", 5, 1],
      [3, "4m", 6, NaN],
    ]);
    expect(cellFigures(oneKey, ["job.autoscaler.restart.time"], "lag_max").every((c) => Number.isNaN(c.mean))).toBe(true);
  });

  it("draws one key as a line with the interval as a band (mean ± ci95; no interval, no band)", () => {
    const spec = lineChart("job.autoscaler.restart.time", ["1m", "2m", "4m"], "scalings", cellFigures(oneKey, ["job.autoscaler.restart.time"], "scalings")) as unknown as { data: { values: { x: string; low: number; high: number }[] } };
    expect(spec.data.values.map((v) => [v.x, v.low, v.high])).toEqual([
      ["1m", 3.5, 4.5],
      ["2m", 4, 6],
      ["4m", 6, 6],
    ]);
  });

  it("draws two keys as a heat map with every cell's mean written in its square", () => {
    const csv = ["cell,a,b,runs,baseline,scalings_n,scalings_mean,scalings_ci95", "1,x,p,2,true,2,1,0", "2,x,q,2,false,2,2,0", "3,y,p,2,false,2,3,0", "4,y,q,2,false,2,4,0"].join("\n");
    const spec = heatMap(["a", "b"], [["x", "y"], ["p", "q"]], "scalings", cellFigures(csv, ["a", "b"], "scalings")) as unknown as { data: { values: { x: string; y: string; label: string }[] } };
    expect(spec.data.values.map((v) => `${v.x}${v.y}=${v.label}`)).toEqual(["xp=1", "xq=2", "yp=3", "yq=4"]);
  });

  it("makes a self-contained page: a drawn chart per reported figure, a sentence for one no cell reports, every cell in the table", async () => {
    const html = await sweepReportHtml(sweepJson([{ key: "job.autoscaler.restart.time", values: ["1m", "2m", "4m"] }]), oneKey);
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    // scalings and slot-hours drawn: each a figure with an SVG line path.
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
    expect(html).toContain("lag, max (records): no cell reports it");
    // Rounded to the interval: 0.5 to 2 significant digits is 0.50, so the mean 4 prints to 2 decimals; 1 is 1.0; no interval: the mean alone.
    expect(html).toContain('<td class="num">4.00 ± 0.50</td><td class="num">2.50 ± 0.25</td>');
    expect(html).toContain('<td class="num">5.0 ± 1.0</td><td class="num">3.00 ± 0.50</td>');
    expect(html).toContain('<td class="num">6</td><td class="num">3.5</td>');
    expect(html).toContain("<th>job.autoscaler.restart.time</th><th class=\"num\">scalings</th><th class=\"num\">slot time (slot-hours)</th><th class=\"num\">lag, max (records)</th>");
    // Byte-identical when made again.
    expect(await sweepReportHtml(sweepJson([{ key: "job.autoscaler.restart.time", values: ["1m", "2m", "4m"] }]), oneKey)).toBe(html);
  });

  it("shows the sweep's --figures in their order and units, its cells in --rank's order", async () => {
    const csv = [
      "cell,a,runs,baseline,scalings_n,scalings_mean,scalings_ci95,source_backpressured_share_n,source_backpressured_share_mean,source_backpressured_share_ci95",
      "1,x,3,true,3,4,0.5,3,0.25,0.0123",
      "2,y,3,false,3,2,0.5,3,0.997,0.0021",
      "3,z,3,false,3,3,0.5,3,0.5,0",
    ].join("\n");
    const def = JSON.parse(sweepJson([{ key: "a", values: ["x", "y", "z"] }]));
    const html = await sweepReportHtml(JSON.stringify({ ...def, cells_figures: ["source_backpressured_share", "scalings"], rank: "scalings:asc" }), csv);
    expect(html).toContain('<th>a</th><th class="num">time back-pressured (%)</th><th class="num">scalings</th>');
    // Cells 2 (2 scalings), 3 (3), 1 (4); the share in %: 99.7 ± 0.21, 25.0 ± 1.2, 50 ± 0.
    const rows = [...html.matchAll(/<tr><td class="num">(\d)<\/td><td>\w<\/td><td class="num">([^<]*)<\/td>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(rows).toEqual(["2: 99.70 ± 0.21", "3: 50 ± 0", "1: 25.0 ± 1.2"]);
    expect(html).toContain("Ranked by scalings, smallest first.");
    // Largest first, and a rank the file cannot mean is the report's one-line input error.
    const desc = await sweepReportHtml(JSON.stringify({ ...def, cells_figures: ["scalings"], rank: "scalings:desc" }), csv);
    expect([...desc.matchAll(/<tr><td class="num">(\d)<\/td>/g)].map((m) => m[1])).toEqual(["1", "3", "2"]);
    await expect(sweepReportHtml(JSON.stringify({ ...def, rank: "scalngs" }), csv)).rejects.toThrow("sweep.json: --rank: unknown figure 'scalngs' (did you mean 'scalings'?)");
  });

  it("leaves a grid of three keys to the table", async () => {
    const csv = ["cell,a,b,c,runs,baseline,scalings_n,scalings_mean,scalings_ci95", "1,x,p,u,2,true,2,1,0"].join("\n");
    const html = await sweepReportHtml(sweepJson([{ key: "a", values: ["x"] }, { key: "b", values: ["p"] }, { key: "c", values: ["u"] }]), csv);
    expect(html).not.toContain("<svg");
    expect(html).toContain("The grid has 3 keys");
  });
});
