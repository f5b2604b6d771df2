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

/** Runs `node dist/cli.mjs <scenario> --variant <variant> --duration <duration> --quiet` (and --no-report when not `report`) and measures it. */
export function peakRss(scenario: string, variant: string, duration: string, report = true): PeakRss {
  const dir = mkdtempSync(join(tmpdir(), "bench-rss-"));
  const preload = join(dir, "rss.mjs");
  // ru_maxrss in KiB on Linux; printed last on stderr at exit.
  writeFileSync(preload, 'process.on("exit", () => process.stderr.write(`\\npeak-rss-kib ${process.resourceUsage().maxRSS}\\n`));\n');
  try {
    const args = ["--import", preload, "dist/cli.mjs", scenario, "--variant", variant, "--duration", duration, "--quiet", "--yes", "--out", join(dir, "out"), ...(report ? [] : ["--no-report"])];
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 24 });
    const wallMs = performance.now() - started;
    const m = /peak-rss-kib (\d+)\s*$/.exec(child.stderr);
    if (child.status !== 0 || m === null) throw new Error(`sim ${args.join(" ")} failed (${child.status}): ${child.stderr}`);
    return { duration, wallMs: Math.round(wallMs), peakRssMiB: Math.round(Number(m[1]) / 102.4) / 10, report };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
