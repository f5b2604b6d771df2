import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withoutProgress } from "../helpers.ts";
import { describe, expect, it } from "vitest";
import { folderRestSource } from "../../src/node/restFolder.ts";
import { importRest } from "../../src/ingest/restDump.ts";

const TSX = join("node_modules", ".bin", "tsx");
const SEED_LOG = "test/fixtures/operator-logs/seed-rescale-time-estimation.log";
const DUMP = "test/ingest/fixtures/flink-1.18-shapes";
const DEPLOYMENT = "test/ingest/fixtures/deployment.yaml";

function sim(...args: string[]) {
  const r = spawnSync(TSX, ["sim/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const BARE_DEPLOYMENT = `apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: orders
spec:
  flinkVersion: v1_18
  flinkConfiguration:
    job.autoscaler:
      enabled: "true"
      metrics.window: 1m
      stabilization.interval: 30s
    taskmanager.numberOfTaskSlots: "1"
  taskManager:
    resource: { cpu: 1, memory: 2048m }
  job:
    parallelism: 1
`;

describe("init, import and calibrate on the command line", () => {
  it("a FlinkDeployment without simulation: is one line pointing to init and import, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-init-"));
    const file = join(dir, "orders.yaml");
    writeFileSync(file, BARE_DEPLOYMENT);
    const r = sim(file, "--out", dir);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toContain(`simulation: is required`);
    expect(r.stderr).toContain(`npm run sim -- init ${file}`);
    expect(r.stderr).toContain("npm run sim -- import");
    expect(existsSync(join(dir, "orders"))).toBe(false);
  });

  it("init writes a skeleton (nested flinkConfiguration kept) that runs as written", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-init-"));
    const file = join(dir, "orders.yaml");
    writeFileSync(file, BARE_DEPLOYMENT);
    const scenario = join(dir, "orders-sim.yaml");
    const init = sim("init", file, "--out", scenario);
    expect(init.status).toBe(0);
    expect(readFileSync(scenario, "utf8")).toContain("simulation:");
    const run = sim(scenario, "--duration", "5min", "--no-report", "--quiet", "--out", dir);
    expect(withoutProgress(run.stderr)).toBe("");
    expect(run.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "orders-sim", "default", "summary.json"), "utf8")) as { autoscaling: { evaluations: number } };
    // 30 s stabilization + 1 min window on 15 s reconciles: evaluations from 1.5 min on.
    expect(summary.autoscaling.evaluations).toBeGreaterThan(0);
    // Asked again, init does not overwrite without --force.
    const again = sim("init", file, "--out", scenario);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; choose another --out or add --force/);
  }, 60_000);

  it("import writes what the library makes of the same dump, and the scenario runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-import-"));
    const out = join(dir, "imported.yaml");
    const r = sim("import", DUMP, "--deployment", DEPLOYMENT, "--out", out, "--quiet");
    expect(r.status).toBe(0);
    const library = await importRest(folderRestSource(DUMP), { deploymentText: readFileSync(DEPLOYMENT, "utf8"), deploymentFile: DEPLOYMENT });
    expect(readFileSync(out, "utf8")).toBe(library.yaml);
    for (const w of library.warnings) expect(r.stderr).toContain(w);
    const run = sim(out, "--duration", "3min", "--no-report", "--quiet", "--out", dir);
    expect(run.status).toBe(0);
  }, 60_000);

  it("import of a folder that is no dump is one line, exit 2, nothing written", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-import-"));
    const out = join(dir, "imported.yaml");
    const r = sim("import", dir, "--deployment", DEPLOYMENT, "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: /);
    expect(existsSync(out)).toBe(false);
  });

  it("--rest-dump saves the job's REST answers at that virtual time, and import reads them into a scenario that runs", () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-restdump-"));
    const r = sim("scenarios/kafka-backlog.yaml", "--duration", "8min", "--rest-dump", "5min", "--no-report", "--quiet", "--out", dir);
    expect(r.status).toBe(0);
    const dump = join(dir, "kafka-backlog", "default", "rest-dump");
    const overview = JSON.parse(readFileSync(join(dump, "overview.json"), "utf8")) as { jobs: { jid: string; state: string }[] };
    expect(overview.jobs.map((j) => j.state)).toEqual(["RUNNING"]);
    const details = JSON.parse(readFileSync(join(dump, "jobs", `${overview.jobs[0]!.jid}.json`), "utf8")) as { now: number; plan: { nodes: unknown[] } };
    const summary = JSON.parse(readFileSync(join(dir, "kafka-backlog", "default", "summary.json"), "utf8")) as { startTime: string };
    // Taken at 5 virtual minutes: Flink's "now" is the run's start instant plus 300 s.
    expect(details.now - Date.parse(summary.startTime)).toBe(300_000);
    expect(details.plan.nodes.length).toBeGreaterThan(0);
    const scenario = join(dir, "imported.yaml");
    const imp = sim("import", dump, "--deployment", "scenarios/kafka-backlog.yaml", "--out", scenario, "--quiet");
    expect(imp.status).toBe(0);
    const run = sim(scenario, "--duration", "3min", "--no-report", "--quiet", "--out", dir);
    expect(run.status).toBe(0);
  }, 90_000);

  it("calibrate --json reads the seed's log: a 15.2 s cadence and the 14 s restart it tracked", () => {
    const r = sim("calibrate", SEED_LOG, "--json");
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { reconcile_interval_s: { median: number }; restart_s: Record<string, { median: number } | null> };
    // Hand computation from the seed's timestamps: gaps 15.189 s, 91.307/6 = 15.218 s, 91.408/6 = 15.235 s, 91.197/6 = 15.200 s.
    expect(json.reconcile_interval_s.median).toBeGreaterThanOrEqual(15.19);
    expect(json.reconcile_interval_s.median).toBeLessThanOrEqual(15.24);
    const medians = Object.values(json.restart_s).flatMap((s) => (s === null ? [] : [s.median]));
    expect(medians).toContain(14);
  });

  it("calibrate of a file without an autoscaler line is one line, exit 2", () => {
    const r = sim("calibrate", "README.md");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
