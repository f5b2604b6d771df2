import { DIFF_HELP } from "./help.ts";
import { parseArgs } from "node:util";
import { rerenderReports } from "../src/node/folderReports.ts";
import { ReportInputError } from "../src/report/runFiles.ts";
import { userPath } from "./paths.ts";

/** npm run sim -- report DIR: exit 0 written, 2 bad arguments or a folder that holds no run. */
export async function runReport(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { quiet: { type: "boolean" } } });
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message} (npm run sim -- --help for usage)\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) {
    process.stderr.write(`error: report needs one run or scenario folder, got ${positionals.length} (npm run sim -- --help for usage)\n`);
    return 2;
  }
  let written: string[];
  try {
    written = await rerenderReports(userPath(positionals[0]!));
  } catch (e) {
    if (!(e instanceof ReportInputError)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (!values.quiet) process.stdout.write(`wrote ${written.join(", ")}\n`);
  return 0;
}
