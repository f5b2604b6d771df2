import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dumpFileOf, importRest, isImportedMetric } from "../../src/ingest/restDump.ts";
import { RestImportError } from "../../src/ingest/RestImportError.ts";
import { importJob } from "../../src/node/importJob.ts";
import { folderRestSource } from "../../src/node/restFolder.ts";
import { httpRestSource, isRestUrl } from "../../src/node/restHttp.ts";

/**
 * The live client against a real HTTP server on 127.0.0.1 that serves recorded Flink
 * answers from a fixture folder as a JobManager would: GET .../subtasks/metrics without
 * `get` lists the metric names, with `get=a,b` returns those metrics' aggregates, an
 * unknown path is a 404 with Flink's {"errors": [...]} body.
 */

const hasCurl = await promisify(execFile)("curl", ["--version"]).then(
  () => true,
  () => false,
);
const FIXTURES = "test/ingest/fixtures";
const DEPLOYMENT_FILE = join(FIXTURES, "deployment.yaml");
const DEPLOYMENT = readFileSync(DEPLOYMENT_FILE, "utf8");
const CAR_JOB = "a97b6344d775aafe03e55a8e812d2713";

interface Served {
  readonly server: Server;
  readonly url: string;
  readonly requests: string[];
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, requests };
}

async function close(s: Served): Promise<void> {
  s.server.closeAllConnections();
  await new Promise<void>((resolve) => s.server.close(() => resolve()));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** A JobManager replaying a dump folder. */
function jobManagerOf(folder: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Flink's REST server (netty HttpServerCodec defaults) refuses a request line over 4096 bytes.
    if (`GET ${req.url ?? ""} HTTP/1.1`.length > 4096) return json(res, 400, { errors: ["An HTTP line is larger than 4096 bytes."] });
    const url = new URL(req.url ?? "/", "http://localhost");
    const file = join(folder, dumpFileOf(url.pathname));
    if (!existsSync(file)) return json(res, 404, { errors: [`Not found: ${url.pathname}`] });
    const text = readFileSync(file, "utf8");
    if (!url.pathname.endsWith("/subtasks/metrics")) return json(res, 200, text);
    const names = file.replace(/metrics\.json$/, "metrics.names.json");
    const get = url.searchParams.get("get");
    if (get === null) {
      // The names: recorded where the fixture has them, else those of the values file.
      if (existsSync(names)) return json(res, 200, readFileSync(names, "utf8"));
      return json(res, 200, (JSON.parse(text) as { id: string }[]).map(({ id }) => ({ id })));
    }
    const wanted = new Set(get.split(","));
    return json(res, 200, (JSON.parse(text) as { id: string }[]).filter((m) => wanted.has(m.id)));
  };
}

async function failure(p: Promise<unknown>): Promise<RestImportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RestImportError) {
      expect(e.message).not.toContain("\n");
      return e;
    }
    throw e;
  }
  throw new Error("expected a RestImportError");
}

describe("httpRestSource against a local JobManager serving recorded answers (car-top-speed)", () => {
  let jm: Served;
  beforeAll(async () => {
    jm = await listen(jobManagerOf(join(FIXTURES, "car-top-speed")));
  });
  afterAll(() => close(jm));

  it("lists the metric names first, then asks for the ones the import reads", async () => {
    await importRest(httpRestSource(jm.url), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE, jobId: CAR_JOB });
    const vertex = `/jobs/${CAR_JOB}/vertices/cbc357ccb763df2852fee8c4fc7d55f2/subtasks/metrics`;
    expect(jm.requests).toContain(vertex);
    const query = jm.requests.find((r) => r.startsWith(`${vertex}?get=`))!;
    const asked = decodeURIComponent(query.slice(vertex.length + 5)).split(",");
    const recorded = (JSON.parse(readFileSync(join(FIXTURES, "car-top-speed", `jobs/${CAR_JOB}/vertices/cbc357ccb763df2852fee8c4fc7d55f2/subtasks/metrics.names.json`), "utf8")) as { id: string }[]).map((m) => m.id);
    expect(asked).toEqual(recorded.filter(isImportedMetric));
    expect(asked).toEqual([
      "Source__Custom_Source.numRecordsInPerSecond",
      "Timestamps/Watermarks.numRecordsOutPerSecond",
      "idleTimeMsPerSecond",
      "busyTimeMsPerSecond",
      "Source__Custom_Source.numRecordsOutPerSecond",
      "Timestamps/Watermarks.numRecordsInPerSecond",
      "backPressuredTimeMsPerSecond",
      "numRecordsOutPerSecond",
      "numRecordsInPerSecond",
    ]);
  });

  it("gives the same scenario as the dump folder (but for where it came from)", async () => {
    const live = await importRest(httpRestSource(jm.url), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE, jobId: CAR_JOB });
    const folder = await importRest(folderRestSource(join(FIXTURES, "car-top-speed")), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE, jobId: CAR_JOB });
    expect(live.yaml.replace(jm.url, "ORIGIN")).toBe(folder.yaml.replace(join(FIXTURES, "car-top-speed"), "ORIGIN"));
    expect(live.warnings.map((w) => w.replace(`${jm.url}/jobs/${CAR_JOB}/config`, "CONFIG").replace(`${jm.url}/jobs/${CAR_JOB}`, "DETAILS"))).toEqual(
      folder.warnings.map((w) => w.replace(join(FIXTURES, "car-top-speed", "jobs", CAR_JOB, "config.json"), "CONFIG").replace(join(FIXTURES, "car-top-speed", "jobs", `${CAR_JOB}.json`), "DETAILS")),
    );
    expect(live.warnings.length).toBeGreaterThan(3);
  });

  it("a 404 is a missing answer, with Flink's error text", async () => {
    const e = await failure(httpRestSource(jm.url).get("/jobs/ffffffffffffffffffffffffffffffff"));
    expect(e.kind).toBe("missing");
    expect(e.message).toBe(`${jm.url}/jobs/ffffffffffffffffffffffffffffffff: HTTP 404 (Not found: /jobs/ffffffffffffffffffffffffffffffff): no such job, vertex or endpoint`);
  });

  it("importJob takes a URL or a folder alike", async () => {
    const live = await importJob({ input: jm.url, deploymentFile: DEPLOYMENT_FILE, jobId: CAR_JOB });
    const folder = await importJob({ input: join(FIXTURES, "car-top-speed"), deploymentFile: DEPLOYMENT_FILE, jobId: CAR_JOB });
    expect(live.yaml.replace(jm.url, "O")).toBe(folder.yaml.replace(join(FIXTURES, "car-top-speed"), "O"));
    expect(isRestUrl(jm.url)).toBe(true);
    expect(isRestUrl("dump/")).toBe(false);
    const e = await failure(importJob({ input: jm.url, deploymentFile: "no-such.yaml" }));
    expect(e.message).toBe("no-such.yaml: no such file (--deployment: the FlinkDeployment YAML)");
  });
});

describe("httpRestSource: timeouts, retries, unreachable", () => {
  it("retries a 503 with doubling waits and then succeeds", async () => {
    let calls = 0;
    const jm = await listen((_req, res) => {
      calls++;
      if (calls <= 2) return json(res, 503, { errors: ["Service temporarily unavailable due to an ongoing leader election. Please refresh."] });
      return json(res, 200, { jobs: [] });
    });
    const waits: number[] = [];
    try {
      const body = await httpRestSource(jm.url, { sleep: (ms) => (waits.push(ms), Promise.resolve()) }).get("/jobs/overview");
      expect(body).toEqual({ jobs: [] });
      expect(calls).toBe(3);
      expect(waits).toEqual([500, 1000]);
    } finally {
      await close(jm);
    }
  });

  it("gives up after the retries with the last problem", async () => {
    const jm = await listen((_req, res) => json(res, 503, { errors: ["Service temporarily unavailable due to an ongoing leader election. Please refresh."] }));
    try {
      const e = await failure(httpRestSource(jm.url, { retries: 2, sleep: () => Promise.resolve() }).get("/jobs/overview"));
      expect(e.kind).toBe("unreachable");
      expect(e.message).toBe(`${jm.url}/jobs/overview: unreachable: HTTP 503 (Service temporarily unavailable due to an ongoing leader election. Please refresh.), 3 attempts`);
      expect(jm.requests).toHaveLength(3);
    } finally {
      await close(jm);
    }
  });

  it("times out a JobManager that does not answer", async () => {
    const jm = await listen(() => {
      // never answers
    });
    try {
      const e = await failure(httpRestSource(jm.url, { timeoutMs: 200, retries: 1, sleep: () => Promise.resolve() }).get("/jobs/overview"));
      expect(e.message).toBe(`${jm.url}/jobs/overview: unreachable: timed out after 200 ms, 2 attempts`);
    } finally {
      await close(jm);
    }
  });

  it("says when nothing listens", async () => {
    const jm = await listen(() => undefined);
    const url = jm.url;
    await close(jm);
    const e = await failure(httpRestSource(url, { retries: 1, sleep: () => Promise.resolve() }).get("/jobs/overview"));
    expect(e.kind).toBe("unreachable");
    expect(e.message).toBe(`${url}/jobs/overview: unreachable: cannot connect (ECONNREFUSED), 2 attempts`);
  });

  it("an answer that is not JSON, or cut short", async () => {
    const jm = await listen((req, res) => {
      if (req.url === "/jobs/overview") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end("<html><body>Please sign in</body></html>");
      }
      return json(res, 200, '{"jobs": [');
    });
    try {
      const html = await failure(httpRestSource(jm.url).get("/jobs/overview"));
      expect(html.kind).toBe("malformed");
      expect(html.message).toMatch(new RegExp(`^${jm.url}/jobs/overview: is not JSON: .*\\(an HTML page: a proxy or login page instead of Flink's REST API\\?\\)$`));
      const cut = await failure(httpRestSource(jm.url).get("/taskmanagers"));
      expect(cut.message).toBe(`${jm.url}/taskmanagers: is truncated: the JSON ends early (10 characters)`);
    } finally {
      await close(jm);
    }
  });

  it("refuses what is no http(s) URL", () => {
    expect(() => httpRestSource("ftp://jobmanager:8081")).toThrow("ftp://jobmanager:8081: is not an http(s) URL");
    expect(() => httpRestSource("http://")).toThrow("http://: is not a URL (expected http://host:port)");
  });
});


describe("a source with 120 Kafka partitions: the metric values are asked for in batches under Flink's 4096-byte request line", () => {
  const JOB = "5c0a6e3f2b9d4e1fa7c8b6d5e4f3a2b1";
  const SOURCE = "bc764cd8ddf7a0cff126f51c16239658";
  const dir = mkdtempSync(join(tmpdir(), "many-partitions-"));
  const out = mkdtempSync(join(tmpdir(), "many-partitions-dump-"));
  let jm: Served;
  beforeAll(async () => {
    cpSync(join(FIXTURES, "flink-1.18-shapes"), dir, { recursive: true });
    const file = join(dir, "jobs", JOB, "vertices", SOURCE, "subtasks", "metrics.json");
    const metrics = (JSON.parse(readFileSync(file, "utf8")) as { id: string }[]).filter((m) => !m.id.includes(".partition."));
    for (let p = 0; p < 120; p++) {
      const v = 1_000_000 + p;
      metrics.push({ id: `Source__orders.KafkaSourceReader.topic.orders.partition.${p}.currentOffset`, min: v, max: v, avg: v, sum: v } as { id: string });
    }
    writeFileSync(file, JSON.stringify(metrics));
    jm = await listen(jobManagerOf(dir));
  });
  afterAll(async () => {
    await close(jm);
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  });

  it("the live client", async () => {
    const live = await importRest(httpRestSource(jm.url), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    expect(live.yaml).toMatch(/partitions: 120 # from 120 \.\.\.partition\.<n>\.currentOffset metrics \(ids up to 119\)/);
    const asked = jm.requests.filter((r) => r.includes(`/vertices/${SOURCE}/subtasks/metrics?get=`));
    expect(asked.length).toBeGreaterThan(1);
    for (const r of asked) expect(`GET ${r} HTTP/1.1`.length).toBeLessThanOrEqual(4096);
  });

  it.skipIf(!hasCurl)("scripts/flink-rest-dump.sh", async () => {
    await promisify(execFile)("bash", ["scripts/flink-rest-dump.sh", jm.url, JOB, out]);
    const saved = await importRest(folderRestSource(out), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const served = await importRest(folderRestSource(dir), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    expect(saved.yaml.replace(out, "O")).toBe(served.yaml.replace(dir, "O"));
    expect(saved.yaml).toMatch(/partitions: 120 #/);
  });
});

describe.skipIf(!hasCurl)("scripts/flink-rest-dump.sh against the same kind of server", () => {
  const SHAPES = join(FIXTURES, "flink-1.18-shapes");
  const JOB = "5c0a6e3f2b9d4e1fa7c8b6d5e4f3a2b1";
  let jm: Served;
  const out = mkdtempSync(join(tmpdir(), "flink-rest-dump-"));
  beforeAll(async () => {
    jm = await listen(jobManagerOf(SHAPES));
  });
  afterAll(async () => {
    await close(jm);
    rmSync(out, { recursive: true, force: true });
  });

  it("saves a dump that imports to the same scenario as the recorded folder", async () => {
    await promisify(execFile)("bash", ["scripts/flink-rest-dump.sh", jm.url, JOB, out]);
    const saved = await importRest(folderRestSource(out), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    const recorded = await importRest(folderRestSource(SHAPES), { deploymentText: DEPLOYMENT, deploymentFile: DEPLOYMENT_FILE });
    expect(saved.yaml.replace(out, "O")).toBe(recorded.yaml.replace(SHAPES, "O"));
    // It asked each vertex for its names, then for the metrics the import reads (URL-encoded, comma-separated).
    const vertex = `/jobs/${JOB}/vertices/0a448493b4782967b150582570326227/subtasks/metrics`;
    expect(jm.requests).toContain(vertex);
    expect(jm.requests.find((r) => r.startsWith(`${vertex}?get=`))).toBe(
      `${vertex}?get=busyTimeMsPerSecond,backPressuredTimeMsPerSecond,idleTimeMsPerSecond,numRecordsInPerSecond,numRecordsOutPerSecond,` +
        "Window%28TumblingEventTimeWindows%2860000%29__EventTimeTrigger__CountAggregate%29.numRecordsInPerSecond," +
        "Window%28TumblingEventTimeWindows%2860000%29__EventTimeTrigger__CountAggregate%29.numRecordsOutPerSecond," +
        "Sink__Print_to_Std__Out.numRecordsInPerSecond,Sink__Print_to_Std__Out.numRecordsOutPerSecond",
    );
  });

  it("fails with one line and exit 2 when the JobManager is unreachable or the job unknown", async () => {
    const run = (args: string[]) =>
      promisify(execFile)("bash", ["scripts/flink-rest-dump.sh", ...args]).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const unknown = await run([jm.url, "ffffffffffffffffffffffffffffffff", join(out, "x")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toEqual([`${jm.url}/jobs/ffffffffffffffffffffffffffffffff: HTTP 404: {"errors":["Not found: /jobs/ffffffffffffffffffffffffffffffff"]}`]);
    const bad = await run([jm.url, "orders", join(out, "y")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'orders' is not a Flink JobID/);
  });
});
