/**
 * Run by the build (sim/build.mjs) from its own bundle: runs the command line's CommonJS
 * bundle on an hour of the seed scenario (its report included) and, as the process exits,
 * writes V8's code cache of it, with the bytecode of every function that run executed,
 * where dist/cli.mjs looks for it (sim/distCli.ts).
 * `node dist/code-cache.mjs <scenario file> <scratch folder>`.
 */
import { fileURLToPath } from "node:url";
import { compileCached, writeCodeCache } from "../src/node/cachedScript.ts";
import { CLI_BUNDLE, CODE_CACHE_DIR } from "./distLayout.ts";

const [scenarioFile, scratch] = process.argv.slice(2);
if (scenarioFile === undefined || scratch === undefined) throw new Error("usage: code-cache.mjs <scenario file> <scratch folder>");
// Beside dist/cli.mjs, as this file is.
const bundle = compileCached(fileURLToPath(new URL(CLI_BUNDLE, import.meta.url)), fileURLToPath(new URL(CODE_CACHE_DIR, import.meta.url)));
process.argv.splice(2, process.argv.length, scenarioFile, "--variant", "tracking-on", "--duration", "1h", "--quiet", "--out", scratch);
// A failed run writes no cache (and the build stops on its exit code).
process.on("exit", (code) => {
  if (code === 0) writeCodeCache(bundle, fileURLToPath(new URL(CODE_CACHE_DIR, import.meta.url)));
});
bundle.run();
