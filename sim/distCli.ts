#!/usr/bin/env node
/**
 * The compiled command's entry point (dist/cli.mjs; sim/cli.ts is the sources'): answers
 * --help without loading the simulator, and runs everything else from the simulator's
 * CommonJS bundle (dist/chunks/cli-main.cjs, sim/main.ts and all it imports) with V8's code
 * cache of it, which the build made by running an hour of the seed scenario
 * (sim/codeCache.ts): most of the functions a run needs then start compiled.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compileCached } from "../src/node/cachedScript.ts";
import { DIFF_HELP, HELP } from "./help.ts";
import { CLI_BUNDLE, CODE_CACHE_DIR } from "./distLayout.ts";

const argv = process.argv.slice(2);
if (argv.length > 0 && argv.every((a) => a === "--help" || a === "-h")) {
  process.stdout.write(`${HELP}\n${DIFF_HELP}`);
} else {
  const bundle = fileURLToPath(new URL(CLI_BUNDLE, import.meta.url));
  // tinypool (the sweep's worker threads) is an ES module, which Node 20 before 20.19 cannot require(): a sweep gets it imported here.
  const tinypool = argv[0] === "sweep" ? await import("tinypool") : undefined;
  const nodeRequire = createRequire(bundle);
  compileCached(bundle, fileURLToPath(new URL(CODE_CACHE_DIR, import.meta.url))).run((id) => (id === "tinypool" && tinypool !== undefined ? tinypool : nodeRequire(id)));
}
