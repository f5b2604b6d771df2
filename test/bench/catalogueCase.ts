/**
 * `npm run bench -- catalogue-record`: today's catalogue in record mode, this tree against
 * another build (BENCH_BASELINE_CLI), as whole processes. Each tree runs its own copy of each
 * scenario file the two trees share (scenarios/*.yaml): the files changed with the model (a
 * scenario may state a key only one tree knows), and each tree's file is what that tree's
 * users run. Every variant, `--set simulation.execution=record --quiet --no-report`, into a
 * temporary folder. One warm-up round (the file cache), then `rounds` rounds; within a round
 * scenario by scenario, this tree and the baseline one after the other, so that the shared
 * machine's load falls on both alike. Wall time and CPU time (every thread) per process.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { median } from "d3-array";

interface Timed {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** One whole `node <cli> <args>` process in `cwd`: its wall time and CPU time (user + system, every thread). */
function timedProcess(cli: string, cwd: string, args: readonly string[]): Timed {
  const dir = mkdtempSync(join(tmpdir(), "bench-cat-"));
  const preload = join(dir, "usage.mjs");
  writeFileSync(preload, 'process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write(`\\ncpu-us ${u.userCPUTime + u.systemCPUTime}\\n`); });\n');
  try {
    const all = ["--import", preload, cli, ...args, "--out", join(dir, "out")];
    const started = performance.now();
    // Without npm's INIT_CWD: a command line started by `npm run` resolves relative paths against it, not its cwd.
    const env = { ...process.env };
    delete env.INIT_CWD;
    const child = spawnSync(process.execPath, all, { cwd, env, encoding: "utf8", maxBuffer: 1 << 24 });
    const wallMs = performance.now() - started;
    const m = /cpu-us (\d+)\s*$/.exec(child.stderr);
    if (child.status !== 0 || m === null) throw new Error(`node ${all.join(" ")} (in ${cwd}) failed (${child.status}): ${child.stderr}`);
    return { wallMs: Math.round(wallMs), cpuMs: Math.round(Number(m[1]) / 1000) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CatalogueRow {
  readonly scenario: string;
  readonly ours: { readonly wallMs: number[]; readonly cpuMs: number[] };
  readonly baseline: { readonly wallMs: number[]; readonly cpuMs: number[] };
  /** Median wall time ours over the baseline's; the same for CPU time. */
  readonly wallRatio: number;
  readonly cpuRatio: number;
}

/**
 * Runs the shared catalogue with `oursCli` (this tree, cwd .) and `baselineCli` (cwd: the
 * folder above the baseline's dist/, where its scenarios/ lie), `rounds` times each.
 */
export function catalogueRecord(oursCli: string, baselineCli: string, rounds: number, say: (line: string) => void) {
  const baseCli = resolve(baselineCli);
  const baseTree = dirname(dirname(baseCli));
  if (!existsSync(join(baseTree, "scenarios"))) throw new Error(`no scenarios/ beside the baseline's dist/ (${baseTree})`);
  const yaml = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".yaml"));
  const theirs = new Set(yaml(join(baseTree, "scenarios")));
  const shared = yaml("scenarios").filter((f) => theirs.has(f)).sort();
  const common = ["--set", "simulation.execution=record", "--quiet", "--no-report"];
  // This tree asks before a very long run unless told --yes; the baseline has no such flag (nor question).
  const ours = (f: string) => timedProcess(resolve(oursCli), ".", [`scenarios/${f}`, ...common, "--yes"]);
  const base = (f: string) => timedProcess(baseCli, baseTree, [join(baseTree, "scenarios", f), ...common]);
  const load = loadavg()[0]!;
  for (const f of shared) {
    ours(f);
    base(f);
  }
  const measured = shared.map(() => ({ ours: [] as Timed[], base: [] as Timed[] }));
  for (let r = 0; r < rounds; r++) {
    shared.forEach((f, i) => {
      // Alternate which tree goes first from round to round.
      if (r % 2 === 0) {
        measured[i]!.ours.push(ours(f));
        measured[i]!.base.push(base(f));
      } else {
        measured[i]!.base.push(base(f));
        measured[i]!.ours.push(ours(f));
      }
    });
  }
  const loadAfter = loadavg()[0]!;
  const med = (xs: readonly number[]) => median(xs)!;
  const rows: CatalogueRow[] = shared.map((f, i) => {
    const m = measured[i]!;
    const o = { wallMs: m.ours.map((t) => t.wallMs), cpuMs: m.ours.map((t) => t.cpuMs) };
    const b = { wallMs: m.base.map((t) => t.wallMs), cpuMs: m.base.map((t) => t.cpuMs) };
    const row = { scenario: f, ours: o, baseline: b, wallRatio: med(o.wallMs) / med(b.wallMs), cpuRatio: med(o.cpuMs) / med(b.cpuMs) };
    say(`catalogue, record mode, ${f.padEnd(26)} wall ms median ours ${med(o.wallMs)} / baseline ${med(b.wallMs)}: ${row.wallRatio.toFixed(2)}x; CPU ms ${med(o.cpuMs)} / ${med(b.cpuMs)}: ${row.cpuRatio.toFixed(2)}x`);
    return row;
  });
  const total = (pick: (r: CatalogueRow) => number[]) => rows.reduce((s, r) => s + med(pick(r)), 0);
  const wallRatios = rows.map((r) => r.wallRatio);
  const summary = {
    medianWallRatio: med(wallRatios),
    maxWallRatio: Math.max(...wallRatios),
    totalWallRatio: total((r) => r.ours.wallMs) / total((r) => r.baseline.wallMs),
    medianCpuRatio: med(rows.map((r) => r.cpuRatio)),
    totalCpuRatio: total((r) => r.ours.cpuMs) / total((r) => r.baseline.cpuMs),
  };
  say(
    `  ${rows.length} scenarios both trees have: wall ratio median ${summary.medianWallRatio.toFixed(2)}x, largest ${summary.maxWallRatio.toFixed(2)}x, summed ${summary.totalWallRatio.toFixed(2)}x ` +
      `(limit 1.3x); CPU ratio median ${summary.medianCpuRatio.toFixed(2)}x, summed ${summary.totalCpuRatio.toFixed(2)}x`,
  );
  say(`  load average ${load.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${cpus().length} cores); baseline ${baseCli}`);
  return { baselineCli: baseCli, rounds, rows, ...summary, loadAverage: [load, loadAfter] };
}
