// Compiles the package into dist/ (run by npm's prepare script, so npm ci builds it): one
// ES module per entry (the command line, the library, the sweep's worker thread), the
// simulator in chunks they share, V8's code cache of the chart libraries in dist/chart-cache/,
// and the library's type declarations (tsc) in dist/types/.
// The library's dependencies stay external, resolved from node_modules at run time; the command
// line bundles its own (all but vega, vega-lite and tinypool) for a faster start.
// `node sim/build.mjs [--outdir DIR]`: the folder is built beside its target and renamed
// into place, so a process running the old dist/ meanwhile never sees half a build.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const target = resolve(values.outdir);
const stage = join(dirname(target), `.${basename(target)}-build-${process.pid}`);
rmSync(stage, { recursive: true, force: true });

try {
  const common = { outdir: stage, bundle: true, splitting: true, format: "esm", platform: "node", target: "node20", outExtension: { ".js": ".mjs" }, chunkNames: "chunks/[name]-[hash]", logLevel: "warning" };
  // The library: its dependencies stay external, resolved from the consumer's node_modules.
  await build({ ...common, entryPoints: { index: "src/index.ts", browser: "src/browser.ts" }, packages: "external" });
  // The command line and the sweep's worker bundle their dependencies: resolving and loading zod's, yaml's,
  // csv-parse's (...) many files from node_modules cost ~0.2 s of every start. vega and vega-lite stay out
  // (src/node/chartLibraries.ts loads their UMD builds from node_modules when a report is drawn), and so
  // does tinypool, which starts its own worker file.
  // Whitespace and syntax minified (a third less to parse at every start: ~20 ms, 3 MiB); identifiers are kept, so that
  // stack traces (FLINK_SIM_DEBUG) and CPU profiles still name the functions.
  await build({ ...common, minifyWhitespace: true, minifySyntax: true, entryPoints: { cli: "sim/cli.ts", worker: "src/node/sweep/worker.ts", "chart-cache": "sim/chartCache.ts" }, external: ["vega", "vega-lite", "tinypool"],
    // CommonJS packages in an ES module: their require("process") and the like go to Node's own require.
    banner: { js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);' } });

  // V8's code cache of vega's and vega-lite's bundles, made by drawing the report of an hour of the seed scenario
  // (src/node/chartLibraries.ts): a report then runs their functions without compiling them first (~0.1 s of the seed's day).
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const cache = spawnSync(process.execPath, [join(stage, "chart-cache.mjs"), join(root, "scenarios", "backpressure.yaml"), join(stage, "chart-cache")], { encoding: "utf8" });
  if (cache.status !== 0) throw new Error(`the chart libraries' code cache (sim/chartCache.ts) failed:\n${cache.stdout}${cache.stderr}`);
  rmSync(join(stage, "chart-cache.mjs"));

  // Declarations of the library (src/index.ts and what its types reach), from the project's tsc.
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
  const types = join(stage, "types");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.types.json", "--outDir", types], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tsc (declarations) failed:\n${r.stdout}${r.stderr}`);
  // The sources import with .ts extensions; declarations say .js, which every TypeScript resolves to the .d.ts beside.
  const rewrite = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) rewrite(path);
      else if (name.endsWith(".d.ts")) writeFileSync(path, readFileSync(path, "utf8").replace(/((?:from |import\()["']\.{1,2}\/[^"']*?)\.ts(["'])/g, "$1.js$2"));
    }
  };
  rewrite(types);

  // The playground (playground/build.mjs, built after this by prepare) is not this build's: it moves into the new folder as it is.
  try {
    renameSync(join(target, "playground"), join(stage, "playground"));
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }

  // Into place; another build finishing at the same moment may put its own there first: move that aside and retry.
  const olds = [];
  for (let attempt = 0; ; attempt++) {
    const old = join(dirname(target), `.${basename(target)}-old-${process.pid}-${attempt}`);
    try {
      renameSync(target, old);
      olds.push(old);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
    }
    try {
      renameSync(stage, target);
      break;
    } catch (e) {
      if ((e.code !== "ENOTEMPTY" && e.code !== "EEXIST") || attempt >= 20) throw e;
    }
  }
  for (const old of olds) rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
