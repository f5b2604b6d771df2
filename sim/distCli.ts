#!/usr/bin/env node
/**
 * The compiled command's entry point (dist/cli.mjs; sim/cli.ts is the sources'): answers
 * --help without loading the simulator, and runs everything else from the simulator's
 * CommonJS bundle (dist/chunks/cli-main.cjs, sim/main.ts and all it imports) with V8's code
 * cache of it, which the build made by running an hour of the seed scenario
 * (sim/codeCache.ts): most of the functions a run needs then start compiled.
 */
import { fileURLToPath } from "node:url";
import { compileCached } from "../src/node/cachedScript.ts";
import { DIFF_HELP, HELP } from "./help.ts";
import { CLI_BUNDLE, CODE_CACHE_DIR } from "./distLayout.ts";

const argv = process.argv.slice(2);
if (argv.length > 0 && argv.every((a) => a === "--help" || a === "-h")) {
  process.stdout.write(`${HELP}\n${DIFF_HELP}`);
} else {
  compileCached(fileURLToPath(new URL(CLI_BUNDLE, import.meta.url)), fileURLToPath(new URL(CODE_CACHE_DIR, import.meta.url))).run();
}
