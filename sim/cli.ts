#!/usr/bin/env node
/**
 * The command's entry point: answers --help without loading the simulator (the compiled
 * CLI then starts in about a tenth of a second), and loads main.ts for everything else.
 */
import { DIFF_HELP, HELP } from "./help.ts";

const argv = process.argv.slice(2);
if (argv.length > 0 && argv.every((a) => a === "--help" || a === "-h")) {
  process.stdout.write(`${HELP}\n${DIFF_HELP}`);
} else {
  await import("./main.ts");
}
