import { parseArgs } from "node:util";
import { mergeShards } from "../src/node/sweep/merge.ts";
import { SweepError } from "../src/sweep/SweepError.ts";
import { MERGE_HELP } from "./help.ts";
import { unusableOutput } from "./outputFolder.ts";
import { userPath } from "./paths.ts";

/** npm run sim -- merge <dir>... [--out DIR]: exit 0 merged, 2 bad arguments or shards (missing, twice, of another sweep). */
export async function runMergeCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      process.stdout.write(MERGE_HELP);
      return 0;
    }
    const out = values.out === undefined ? "out" : userPath(values.out);
    const unusable = unusableOutput(out);
    if (unusable !== undefined) throw new SweepError(`--out ${out}: ${unusable}`);
    const result = mergeShards(positionals.map(userPath), out);
    // The same report a sweep on one machine draws from the same files.
    if (result.dir !== undefined) await (await import("../src/node/folderReports.ts")).rerenderReports(result.dir);
    if (!values.quiet) {
      const p = result.plan;
      process.stdout.write(`${p.scenario}: merged ${p.cells.length * p.seeds.length} runs of ${p.cells.length} cell(s) from the shards; wrote ${[...Object.keys(result.files), "report.html"].sort().join(", ")} to ${result.dir}/\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof SweepError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true) {
      process.stderr.write(`error: ${(e as Error).message} (npm run sim -- merge --help for usage)\n`);
      return 2;
    }
    throw e;
  }
}
