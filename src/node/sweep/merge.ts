import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commitFolder } from "../writeRunFiles.ts";
import { sweepStage } from "./stage.ts";
import { cellsOf, runsOfShard, type GridAxis, type Shard } from "../../sweep/grid.ts";
import type { SweepPlan } from "./plan.ts";
import { sweepFiles, sweepFolderName } from "../../sweep/layout.ts";
import { SweepError } from "../../sweep/SweepError.ts";
import { parseRunsCsv, type CellStats, type RunRow } from "../../sweep/tables.ts";
import { parseFigures, parseRank } from "../../sweep/tableChoice.ts";

/** sweep.json as written (see plan.ts sweepJson). */
interface SweepDefinition {
  readonly scenario: string;
  readonly scenario_sha256: string;
  readonly variant: string | null;
  readonly grid: readonly GridAxis[];
  readonly cells: number;
  readonly seed: number;
  readonly replications: number;
  readonly runs: number;
  readonly set: Readonly<Record<string, string>>;
  readonly duration: string | null;
  readonly duration_s: number;
  readonly baseline: number;
  readonly keep_runs: boolean;
  readonly figures: readonly string[];
  readonly cells_figures?: readonly string[];
  readonly rank?: string;
  readonly shard?: Shard;
}

interface ShardFolder {
  readonly dir: string;
  readonly definition: SweepDefinition;
  readonly shard: Shard;
}

const isShardFolder = (dir: string) => existsSync(join(dir, "sweep.json"));

/** The shard folders named: each argument is one, or a folder holding sweep-shard-* folders. */
function shardFolders(args: readonly string[]): string[] {
  if (args.length === 0) throw new SweepError("merge needs the shards' folders (out/<scenario>/sweep-shard-I-of-N), or the folder that holds them");
  return args.flatMap((dir) => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SweepError(`${dir}: no such folder`);
    if (isShardFolder(dir)) return [dir];
    const inside = readdirSync(dir)
      .filter((n) => /^sweep-shard-\d+-of-\d+$/.test(n) && isShardFolder(join(dir, n)))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((n) => join(dir, n));
    if (inside.length === 0) throw new SweepError(`${dir}: neither a shard's folder (no sweep.json) nor a folder holding sweep-shard-I-of-N folders`);
    return inside;
  });
}

function readShard(dir: string): ShardFolder {
  let definition: SweepDefinition;
  try {
    definition = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepDefinition;
  } catch (e) {
    throw new SweepError(`${dir}: sweep.json cannot be read (${(e as Error).message.split("\n")[0]})`);
  }
  if (definition === null || typeof definition !== "object" || !Array.isArray(definition.grid) || !Number.isSafeInteger(definition.replications)) {
    throw new SweepError(`${dir}: sweep.json is not a sweep's`);
  }
  const shard = definition.shard;
  if (shard === undefined) throw new SweepError(`${dir}: a whole sweep's folder, not a shard's (its sweep.json names no shard)`);
  if (!existsSync(join(dir, "runs.csv"))) throw new SweepError(`${dir}: no runs.csv (an unfinished shard?)`);
  return { dir, definition, shard };
}

/** The sweep a definition describes, whole (no shard). */
function planOf(d: SweepDefinition): SweepPlan {
  const cells = cellsOf(d.grid);
  return {
    file: "",
    scenario: d.scenario,
    scenarioSha256: d.scenario_sha256,
    axes: d.grid,
    cells,
    seeds: Array.from({ length: d.replications }, (_, i) => d.seed + i),
    baseline: d.baseline - 1,
    variant: d.variant,
    set: d.set,
    duration: d.duration,
    durationS: d.duration_s,
    strict: false,
    keepRuns: d.keep_runs,
    shard: undefined,
    runs: runsOfShard(cells.length * d.replications, undefined),
    warnings: [],
    // The shards' own --figures and --rank, so that the merge writes what the sweep on one machine writes.
    ...(d.cells_figures === undefined ? {} : { figures: parseFigures(d.cells_figures) }),
    ...(d.rank === undefined ? {} : { rank: parseRank(d.rank) }),
  };
}

const name = (s: Shard) => sweepFolderName(s);

/** The shards checked to be one sweep's, each once, none missing; a problem names the shard. */
function checkShards(shards: readonly ShardFolder[]): { plan: SweepPlan; count: number } {
  const first = shards[0]!;
  const { shard: _s, ...definition } = first.definition;
  const same = JSON.stringify(definition);
  for (const s of shards) {
    const { shard: _t, ...other } = s.definition;
    if (JSON.stringify(other) !== same) {
      const field = Object.keys({ ...definition, ...other }).find((k) => JSON.stringify((other as Record<string, unknown>)[k]) !== JSON.stringify((definition as Record<string, unknown>)[k]));
      throw new SweepError(`${s.dir}: a shard of another sweep than ${first.dir} (their sweep.json differ in ${field})`);
    }
    if (s.shard.count !== first.shard.count) throw new SweepError(`${s.dir}: shard ${s.shard.index} of ${s.shard.count}, but ${first.dir} is one of ${first.shard.count}`);
  }
  const count = first.shard.count;
  for (let index = 1; index <= count; index++) {
    const given = shards.filter((s) => s.shard.index === index);
    if (given.length > 1) throw new SweepError(`shard ${index} of ${count} (${name({ index, count })}) is given twice: ${given.map((s) => s.dir).join(" and ")}`);
    if (given.length === 0) throw new SweepError(`shard ${index} of ${count} (${name({ index, count })}) is missing; merge needs all ${count}`);
  }
  return { plan: planOf(first.definition), count };
}

export interface MergeResult {
  readonly plan: SweepPlan;
  readonly cells: readonly CellStats[];
  /** sweep.json, runs.csv and cells.csv: what a sweep on one machine writes. */
  readonly files: Readonly<Record<string, string>>;
  /** The folder written, when `out` was given. */
  readonly dir: string | undefined;
}

/**
 * Combines the folders of a sweep's shards into the files the whole sweep writes on one
 * machine, byte for byte (the rows put back in run order, the cells computed from them as
 * the sweep computes them). With `out`, writes `<out>/<scenario>/sweep/` whole, kept runs
 * copied in. A shard missing, given twice, of another sweep or incomplete is a SweepError.
 */
export function mergeShards(args: readonly string[], out?: string): MergeResult {
  const shards = shardFolders(args).map(readShard);
  const { plan } = checkShards(shards);
  const perRun = plan.seeds.length;
  const rows = new Array<RunRow | undefined>(plan.cells.length * perRun);
  for (const s of shards) {
    const own = parseRunsCsv(readFileSync(join(s.dir, "runs.csv"), "utf8"), plan.axes, plan.cells, s.dir);
    const expected = runsOfShard(rows.length, s.shard);
    const runs = own.map((r) => r.cell * perRun + (r.seed - plan.seeds[0]!));
    if (runs.length !== expected.length || runs.some((r, i) => r !== expected[i])) {
      throw new SweepError(`${s.dir}: runs.csv holds ${runs.length} runs, not the ${expected.length} of shard ${s.shard.index} of ${s.shard.count} (an unfinished or edited shard?)`);
    }
    own.forEach((r, i) => (rows[runs[i]!] = r));
  }
  const { files, cells } = sweepFiles(plan, rows as RunRow[]);
  if (out === undefined) return { plan, cells, files, dir: undefined };
  const target = join(out, plan.scenario, sweepFolderName(undefined));
  const stage = sweepStage(target);
  try {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(stage, file), text);
    if (plan.keepRuns) {
      mkdirSync(join(stage, "runs"), { recursive: true });
      for (const s of shards) if (existsSync(join(s.dir, "runs"))) cpSync(join(s.dir, "runs"), join(stage, "runs"), { recursive: true });
    }
    commitFolder(stage, target);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return { plan, cells, files, dir: target };
}
