import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { rerenderReports } from "../../src/node/folderReports.ts";
import { ReportInputError } from "../../src/report/runFiles.ts";
import { SEED_SCENARIO, withoutProgress } from "../helpers.ts";

const TSX = join("node_modules", ".bin", "tsx");

function sim(...args: string[]) {
  const r = spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REPORTS = ["report.html", "tracking-on/report.html", "tracking-off/report.html"];

/** The seed scenario's folder, written by the command line for every test here. */
let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "sim-report-"));
  const r = sim(SEED_SCENARIO, "--out", out, "--duration", "10min", "--quiet");
  if (r.status !== 0) throw new Error(r.stderr);
}, 60_000);

describe("npm run sim -- report <dir>", () => {

  it("a run writes a report in each run folder and beside comparison.csv", () => {
    for (const f of REPORTS) expect(existsSync(join(out, "backpressure", f)), f).toBe(true);
    expect(readdirSync(join(out, "backpressure")).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("renders the same bytes again from the files of a scenario folder, and from a run folder", () => {
    const dir = join(out, "backpressure");
    const before = REPORTS.map((f) => readFileSync(join(dir, f), "utf8"));
    const r = sim("report", dir);
    expect(withoutProgress(r.stderr)).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`wrote ${[join(dir, "tracking-off", "report.html"), join(dir, "tracking-on", "report.html"), join(dir, "report.html")].join(", ")}\n`);
    REPORTS.forEach((f, i) => expect(readFileSync(join(dir, f), "utf8"), f).toBe(before[i]));
    expect(readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]);
    expect(sim("report", join(dir, "tracking-off"), "--quiet").status).toBe(0);
    expect(readFileSync(join(dir, "tracking-off", "report.html"), "utf8")).toBe(before[2]);
  }, 60_000);

  it("--no-report writes no report; one rendered later is the one the run would have written", () => {
    const other = mkdtempSync(join(tmpdir(), "sim-noreport-"));
    expect(sim(SEED_SCENARIO, "--out", other, "--duration", "10min", "--variant", "tracking-on", "--no-report", "--quiet").status).toBe(0);
    const dir = join(other, "backpressure", "tracking-on");
    expect(existsSync(join(dir, "summary.json"))).toBe(true);
    expect(existsSync(join(dir, "report.html"))).toBe(false);
    expect(sim("report", dir, "--quiet").status).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe(readFileSync(join(out, "backpressure", "tracking-on", "report.html"), "utf8"));
  }, 60_000);

  it.each([
    ["no folder", () => [], /^error: report needs one run or scenario folder, got 0 \(npm run sim -- --help for usage\)\n$/],
    ["a folder with no run in it", (d: string) => [join(d, "empty")], /^error: .*empty: not a run folder \(no summary\.json\), a scenario folder \(no comparison\.csv, no run folders\) nor a sweep folder \(no sweep\.json\)\n$/],
  ])("refuses %s with exit code 2 and one line", (_name, args, message) => {
    const d = mkdtempSync(join(tmpdir(), "sim-report-bad-"));
    mkdirSync(join(d, "empty"));
    const r = sim("report", ...args(d));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    expect(readdirSync(join(d, "empty"))).toEqual([]);
  });
});

describe("rerenderReports: what it refuses, writing nothing", () => {
  it.each([
    ["a folder that does not exist", "nowhere", /^\/.*nowhere: no such folder$/],
    ["a file", "file.txt", /file\.txt: not a folder$/],
    ["a run folder with a summary that is not a run's", "fake", /fake: summary\.json is not a run's summary \(no autoscaling figures or vertices\)$/],
    ["a run folder missing its time series", "partial", /partial: no timeseries\.csv \(is it a run folder, out\/<scenario>\/<variant>\/\?\)$/],
    ["a comparison whose variant folder is missing", "lonely", /lonely: comparison\.csv names variant 'tracking-on' but there is no folder tracking-on\/ beside it$/],
  ])("%s", async (_name, target, message) => {
    const d = mkdtempSync(join(tmpdir(), "sim-report-bad-"));
    writeFileSync(join(d, "file.txt"), "not a folder");
    mkdirSync(join(d, "fake"));
    writeFileSync(join(d, "fake", "summary.json"), "{}");
    for (const f of ["timeseries.csv", "decisions.csv", "restarts.csv", "events.csv"]) writeFileSync(join(d, "fake", f), "");
    mkdirSync(join(d, "partial"));
    writeFileSync(join(d, "partial", "summary.json"), readFileSync(join(out, "backpressure", "tracking-on", "summary.json")));
    mkdirSync(join(d, "lonely"));
    writeFileSync(join(d, "lonely", "comparison.csv"), readFileSync(join(out, "backpressure", "comparison.csv")));
    const error = await rerenderReports(join(d, target)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReportInputError);
    expect((error as Error).message).toMatch(message);
    for (const f of ["fake", "partial", "lonely"]) expect(readdirSync(join(d, f)), f).not.toContain("report.html");
  });
});
