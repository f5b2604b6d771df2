import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileCached } from "../../src/node/cachedScript.ts";
import { runScenario } from "../../src/run/runScenario.ts";
import { loadScenario } from "../../src/node/loadScenario.ts";
import { sweep } from "../../src/node/sweep/sweep.ts";
import { SEED_SCENARIO } from "../helpers.ts";

const ROOT = resolve(".");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; dependencies: Record<string, string> };

/**
 * A folder outside the project with the package installed by its name: `npm pack` of the
 * compiled package unpacked into its node_modules, as npm installs a tarball (the bin
 * linked into node_modules/.bin), its dependencies linked from the project's node_modules
 * (the registry is not asked; nothing else of the project is reachable from there).
 */
function consumerWithPackage(): string {
  const build = spawnSync(process.execPath, ["sim/build.mjs"], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`sim/build.mjs failed: ${build.stderr}`);
  const home = mkdtempSync(join(tmpdir(), "sim-package-"));
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", home], { encoding: "utf8" });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = join(home, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
  const consumer = join(home, "consumer");
  const installed = join(consumer, "node_modules", pkg.name);
  mkdirSync(installed, { recursive: true });
  mkdirSync(join(consumer, "node_modules", ".bin"));
  const untar = spawnSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  for (const dep of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(consumer, "node_modules", dep)), { recursive: true }); // a scoped package's @scope folder
    symlinkSync(join(ROOT, "node_modules", dep), join(consumer, "node_modules", dep));
  }
  symlinkSync(join("..", pkg.name, "dist", "cli.mjs"), join(consumer, "node_modules", ".bin", pkg.name));
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  return consumer;
}

const USE = `import { loadScenario, runScenario, sweep } from "flink-autoscaler-sim";
const file = process.argv[2];
const { summary, files } = runScenario(loadScenario(file, { duration: "10min", variant: "tracking-off", seed: 4 }));
const result = await sweep({ scenarioFile: file, grid: { "job.autoscaler.utilization.target": [0.5, 0.7] }, replications: 2, duration: "10min", jobs: 2 });
process.stdout.write(JSON.stringify({ summary, decisions: files["decisions.csv"], runs: result.files["runs.csv"], cells: result.files["cells.csv"] }));
`;

const TYPED = `import { loadScenario, runScenario, sweep, type Scenario, type SweepResult } from "flink-autoscaler-sim";
const scenario: Scenario = loadScenario("s.yaml", { duration: "1h" });
const seed: number = runScenario(scenario).summary.seed;
const pending: Promise<SweepResult> = sweep({ scenarioFile: "s.yaml", grid: ["variant=a,b"], replications: 3, figures: ["slot_hours"], rank: "slot_hours:desc" });
const named = (r: SweepResult): [string, number | null] => [r.cells[0]!.values["variant"], r.cells[0]!.figures.slot_hours.mean];
void seed;
void pending;
void named;
`;

describe("the package, installed in another folder and imported by its name", () => {
  let consumer: string;
  beforeAll(() => {
    consumer = consumerWithPackage();
  }, 120_000);

  it("packs the compiled library, its declarations, the worker and the command, and no sources", () => {
    const files = readdirSync(join(consumer, "node_modules", pkg.name, "dist"));
    expect(files.sort()).toEqual(["browser.mjs", "chunks", "cli.mjs", "code-cache", "index.mjs", "types", "worker.mjs"]);
    expect(existsSync(join(consumer, "node_modules", pkg.name, "dist", "types", "src", "index.d.ts"))).toBe(true);
    expect(existsSync(join(consumer, "node_modules", pkg.name, "src"))).toBe(false);
  });

  it("loads, runs and sweeps (on worker threads) with the figures the sources give, writing nothing", async () => {
    writeFileSync(join(consumer, "use.mjs"), USE);
    const scenario = resolve(SEED_SCENARIO);
    const r = spawnSync(process.execPath, ["use.mjs", scenario], { cwd: consumer, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const got = JSON.parse(r.stdout) as { summary: unknown; decisions: string; runs: string; cells: string };
    const own = runScenario(loadScenario(scenario, { duration: "10min", variant: "tracking-off", seed: 4 }));
    expect(got.summary).toEqual(own.summary);
    expect(got.decisions).toBe(own.files["decisions.csv"]);
    const ownSweep = await sweep({ scenarioFile: scenario, grid: { "job.autoscaler.utilization.target": [0.5, 0.7] }, replications: 2, duration: "10min", jobs: 1 });
    expect(got.runs).toBe(ownSweep.files["runs.csv"]);
    expect(got.cells).toBe(ownSweep.files["cells.csv"]);
    expect(readdirSync(consumer).sort()).toEqual(["node_modules", "package.json", "use.mjs"]);
  }, 120_000);

  it("has types: a program using it type-checks but for its one wrong use, and so does the README's example", () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const check = (source: string) => {
      writeFileSync(join(consumer, "check.ts"), source);
      const options = ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "--typeRoots", join(ROOT, "node_modules", "@types")];
      return spawnSync(process.execPath, [tsc, ...options, "check.ts"], { cwd: consumer, encoding: "utf8" });
    };
    // One deliberate mistake: it is the only error, so the rest type-checks (and the types are no any).
    const r = check(`${TYPED}const wrong: string = runScenario(scenario).summary.seed;\nvoid wrong;\n`);
    expect(r.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^check\.ts\(9,7\): error TS2322: Type 'number' is not assignable to type 'string'\.$/)]);
    // The README's example, as written.
    const readme = readFileSync("README.md", "utf8");
    const example = /## The simulator as a library[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const r2 = check(example);
    expect(r2.stdout + r2.stderr).toBe("");
    expect(r2.status).toBe(0);
  }, 60_000);

  it("its browser face type-checks in a consumer without @types/node and without skipLibCheck", () => {
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const source = `import { parseScenario, runScenario, type Scenario } from "flink-autoscaler-sim/browser";
const scenario: Scenario = parseScenario("seed.yaml", "apiVersion: flink.apache.org/v1beta1");
const seed: number = runScenario(scenario).summary.seed;
void seed;
`;
    writeFileSync(join(consumer, "browser.ts"), source);
    // A browser project's defaults: DOM types, no Node types at all.
    const options = ["--strict", "--noEmit", "--module", "esnext", "--moduleResolution", "bundler", "--target", "es2022", "--lib", "es2022,dom", "--types", ""];
    const r = spawnSync(process.execPath, [tsc, ...options, "browser.ts"], { cwd: consumer, encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    // The same check sees a mistake: a string where the summary has a number.
    writeFileSync(join(consumer, "browser.ts"), source.replace("const seed: number", "const seed: string"));
    const wrong = spawnSync(process.execPath, [tsc, ...options, "browser.ts"], { cwd: consumer, encoding: "utf8" });
    expect(wrong.stdout).toMatch(/browser\.ts\(3,7\): error TS2322/);
    rmSync(join(consumer, "browser.ts"));
  }, 60_000);

  it("ships V8's code caches of the command line and the chart libraries, which V8 takes, and draws the same report with them as without", () => {
    const dist = join(consumer, "node_modules", pkg.name, "dist");
    const caches = join(dist, "code-cache");
    expect(readdirSync(caches).sort()).toEqual([
      expect.stringMatching(/^cli-main\.cjs-[0-9a-f]{16}\.cache$/),
      expect.stringMatching(/^vega-lite\.min\.js-[0-9a-f]{16}\.cache$/),
      expect.stringMatching(/^vega\.min\.js-[0-9a-f]{16}\.cache$/),
    ]);
    // As dist/cli.mjs and src/node/chartLibraries.ts compile them (a cache V8 rejected would be compiled without, silently).
    for (const file of [join(dist, "chunks", "cli-main.cjs"), join(ROOT, "node_modules", "vega", "build", "vega.min.js"), join(ROOT, "node_modules", "vega-lite", "build", "vega-lite.min.js")]) {
      expect(compileCached(file, caches).cached, file).toBe(true);
    }
    const out = join(consumer, "cache-check");
    const cli = join(dist, "cli.mjs");
    const first = spawnSync(process.execPath, [cli, resolve(SEED_SCENARIO), "--variant", "tracking-on", "--duration", "30min", "--quiet", "--out", out], { cwd: consumer, encoding: "utf8" });
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const run = join(out, "backpressure", "tracking-on");
    const withCache = Object.fromEntries(readdirSync(run).map((f) => [f, readFileSync(join(run, f), "utf8")]));
    renameSync(caches, join(consumer, "code-cache-aside"));
    try {
      const again = spawnSync(process.execPath, [cli, resolve(SEED_SCENARIO), "--variant", "tracking-on", "--duration", "30min", "--quiet", "--out", out], { cwd: consumer, encoding: "utf8" });
      expect(again.stderr).toBe("");
      expect(Object.fromEntries(readdirSync(run).map((f) => [f, readFileSync(join(run, f), "utf8")]))).toEqual(withCache);
    } finally {
      renameSync(join(consumer, "code-cache-aside"), caches);
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it("runs as a command with npx from the folder it is installed in, writing under that folder", () => {
    const help = spawnSync("npm", ["exec", "--no", "--", pkg.name, "--help"], { cwd: consumer, encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("npx flink-autoscaler-sim");
    const run = spawnSync("npm", ["exec", "--no", "--", pkg.name, "sweep", resolve(SEED_SCENARIO), "--duration", "5min", "--replications", "2", "--quiet"], { cwd: consumer, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readdirSync(join(consumer, "out", "backpressure", "sweep")).sort()).toEqual(["cells.csv", "report.html", "runs.csv", "sweep.json"]);
  }, 60_000);
});
