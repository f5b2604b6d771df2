/**
 * Peak resident memory of whole `sim` processes (the compiled command line, run and report
 * together), as `/usr/bin/time -f %M` reports it: `npm run bench -- memory`. Each run is a
 * process of its own, so its peak is its own; the figure is the kernel's (getrusage's
 * ru_maxrss, read at the process's exit by a preloaded module), not a heap statistic.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PeakRss {
  readonly duration: string;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly report: boolean;
}

/** A whole `sim` process: its wall time, its CPU time (user and system, every thread) and its peak RSS. */
export interface WholeProcess {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
}

/**
 * Runs `node <cli> <scenario> --variant <variant> --duration <duration> --quiet --yes` (and
 * --no-report when not `report`) into a temporary folder and measures it. `cli` is
 * dist/cli.mjs, or another build's (the bench's side-by-side baseline).
 */
export function wholeProcess(cli: string, scenario: string, variant: string, duration: string, report = true): WholeProcess {
  const dir = mkdtempSync(join(tmpdir(), "bench-rss-"));
  const preload = join(dir, "rss.mjs");
  // ru_maxrss in KiB on Linux, CPU in µs; printed last on stderr at exit.
  writeFileSync(preload, 'process.on("exit", () => { const u = process.resourceUsage(); process.stderr.write(`\\npeak-rss-kib ${u.maxRSS} cpu-us ${u.userCPUTime + u.systemCPUTime}\\n`); });\n');
  try {
    const args = ["--import", preload, cli, scenario, "--variant", variant, "--duration", duration, "--quiet", "--yes", "--out", join(dir, "out"), ...(report ? [] : ["--no-report"])];
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    const wallMs = performance.now() - started;
    const m = /peak-rss-kib (\d+) cpu-us (\d+)\s*$/.exec(child.stderr);
    if (child.status !== 0 || m === null) throw new Error(`sim ${args.join(" ")} failed (${child.status}): ${child.stderr}`);
    return { wallMs: Math.round(wallMs), cpuMs: Math.round(Number(m[2]) / 1000), peakRssMiB: Math.round(Number(m[1]) / 102.4) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `node dist/cli.mjs <scenario> --variant <variant> --duration <duration> --quiet` (and --no-report when not `report`) and measures it. */
export function peakRss(scenario: string, variant: string, duration: string, report = true): PeakRss {
  const { wallMs, peakRssMiB } = wholeProcess("dist/cli.mjs", scenario, variant, duration, report);
  return { duration, wallMs, peakRssMiB, report };
}
