import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { alive } from "../writeRunFiles.ts";

/**
 * A folder beside a sweep's target to write into before it is renamed into place. Shards
 * of one sweep write beside each other on a volume shared by many machines (a Kubernetes
 * Indexed Job), where a process id says nothing about another machine's processes: the
 * name carries the host, and what a dead process left is removed only by a later process on
 * the same host (for the same target). Named unlike a run's `.tmp-<pid>-` folders, so that
 * no single run's clean-up, going by process ids alone, removes a shard at work.
 */
export function sweepStage(target: string): string {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_");
  const suffix = `-${basename(target)}`;
  for (const name of readdirSync(parent)) {
    const m = /^\.sweep-tmp-(.+)-(\d+)-\d+-/.exec(name);
    if (m === null || !name.endsWith(suffix) || m[1] !== host || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
  const stage = join(parent, `.sweep-tmp-${host}-${process.pid}-${++sequence}${suffix}`);
  if (existsSync(stage)) rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage);
  return stage;
}

let sequence = 0;

