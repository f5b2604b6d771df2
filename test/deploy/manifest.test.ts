import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

interface Container {
  image: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value: string }[];
  resources?: { limits?: { cpu?: string } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes: { name: string; persistentVolumeClaim: { claimName: string } }[];
  restartPolicy?: string;
}
type Doc =
  | { kind: "PersistentVolumeClaim"; metadata: { name: string }; spec: { accessModes: string[] } }
  | { kind: "Job"; metadata: { name: string }; spec: { completionMode: string; completions: number; parallelism: number; template: { spec: PodSpec } } }
  | { kind: "Pod"; metadata: { name: string }; spec: PodSpec };

const MANIFEST = "deploy/kubernetes/sweep-job.yaml";
const docs = parseAllDocuments(readFileSync(MANIFEST, "utf8")).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Doc;
});
const find = <K extends Doc["kind"]>(kind: K) => docs.find((d): d is Extract<Doc, { kind: K }> => d.kind === kind)!;
const dockerfile = readFileSync("Dockerfile", "utf8");

/** The value after `flag` in a container's args. */
const argAfter = (args: readonly string[], flag: string) => args[args.indexOf(flag) + 1];

describe("deploy/kubernetes/sweep-job.yaml", () => {
  const job = find("Job");
  const pvc = find("PersistentVolumeClaim");
  const pod = find("Pod");
  const spec = job.spec.template.spec;
  const sweep = spec.containers[0]!;
  const args = sweep.args!;

  it("is an Indexed Job whose pods share one ReadWriteMany volume", () => {
    expect(docs.map((d) => d.kind)).toEqual(["PersistentVolumeClaim", "Job", "Pod"]);
    expect(job.spec.completionMode).toBe("Indexed");
    expect(spec.restartPolicy).toBe("Never");
    expect(pvc.spec.accessModes).toEqual(["ReadWriteMany"]);
    for (const p of [spec, pod.spec]) expect(p.volumes[0]!.persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
    expect(pod.spec.containers[0]!.image).toBe(sweep.image);
  });

  it("names the shard count the CLI reads (SWEEP_SHARD_COUNT = completions), workers as many as its cores, --out on the volume", () => {
    expect(sweep.env).toEqual([{ name: "SWEEP_SHARD_COUNT", value: String(job.spec.completions) }]);
    expect(argAfter(args, "--jobs")).toBe(sweep.resources!.limits!.cpu);
    const mount = sweep.volumeMounts![0]!.mountPath;
    expect(argAfter(args, "--out")).toBe(mount);
    expect(pod.spec.containers[0]!.volumeMounts![0]!.mountPath).toBe(mount);
  });

  it("runs the image's command (the Dockerfile's entry point) on a scenario the image holds", () => {
    expect(args[0]).toBe("sweep");
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/app\/dist\/cli\.mjs"\]$/m);
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^COPY scenarios \.\/scenarios$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --ignore-scripts/m);
    expect(dockerfile).toMatch(/^FROM node:20-slim AS build$/m);
    const scenario = args[1]!;
    expect(scenario.startsWith("/app/")).toBe(true);
    expect(existsSync(scenario.slice("/app/".length))).toBe(true);
  });

  it("is a sweep the CLI accepts, as pod 0 and as the last pod, each its own shard", () => {
    const out = mkdtempSync(join(tmpdir(), "sim-manifest-"));
    const local = args.map((a) => (a.startsWith("/app/") ? a.slice("/app/".length) : a === argAfter(args, "--out") ? out : a));
    const env = Object.fromEntries(sweep.env!.map((e) => [e.name, e.value]));
    for (const index of [0, job.spec.completions - 1]) {
      const r = spawnSync(join("node_modules", ".bin", "tsx"), ["sim/main.ts", ...local, "--dry-run"], { encoding: "utf8", env: { ...process.env, ...env, JOB_COMPLETION_INDEX: String(index) } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`shard ${index + 1} of ${job.spec.completions}:`);
      expect(r.stdout).toContain(`would write ${join(out, "backpressure", `sweep-shard-${index + 1}-of-${job.spec.completions}`)}/`);
    }
  }, 60_000);

  it("tells how to merge in the results pod: the folder the shards write, the same --out", () => {
    const mount = argAfter(args, "--out")!;
    const merge = `kubectl exec ${pod.metadata.name} -- flink-autoscaler-sim merge ${mount}/backpressure --out ${mount}`;
    expect(readFileSync(MANIFEST, "utf8")).toContain(merge);
    expect(readFileSync("docs/sweeps.md", "utf8")).toContain(merge);
    expect(dockerfile).toContain("ln -s /app/dist/cli.mjs /usr/local/bin/flink-autoscaler-sim");
  });
});
