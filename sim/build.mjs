// Compiles the package into dist/ (run by npm's prepare script, so npm ci builds it): one
// ES module per entry (the command line, the library, the sweep's worker thread), the
// simulator in chunks they share (the command line's in one CommonJS file), V8's code caches
// of the command line and the chart libraries in dist/code-cache/, and the library's type
// declarations (tsc) in dist/types/.
// The library's dependencies stay external, resolved from node_modules at run time; the command
// line bundles its own (all but vega, vega-lite and tinypool) for a faster start.
// `node sim/build.mjs [--outdir DIR]`: the folder is built beside its target and renamed
// into place, so a process running the old dist/ meanwhile never sees half a build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
  // does tinypool, which starts its own worker file. Whitespace and syntax are minified (a third less to
  // parse); identifiers are kept, so that stack traces (FLINK_SIM_DEBUG) and CPU profiles still name the functions.
  const minified = { minifyWhitespace: true, minifySyntax: true, external: ["vega", "vega-lite", "tinypool"] };
  // dist/cli.mjs (sim/distCli.ts), the sweep's worker, and the two programs below that make the code caches.
  await build({ ...common, ...minified, entryPoints: { cli: "sim/distCli.ts", worker: "src/node/sweep/worker.ts", "chart-cache": "sim/chartCache.ts", "code-cache": "sim/codeCache.ts" },
    // CommonJS packages in an ES module: their require("process") and the like go to Node's own require.
    banner: { js: 'import { createRequire as __bundleCreateRequire } from "node:module"; const require = __bundleCreateRequire(import.meta.url);' } });
  // The simulator as the command line runs it (sim/main.ts and all it imports): one CommonJS file, which Node 20
  // can load with V8's code cache (ES modules it cannot), in dist/chunks/ as the ES chunks it replaces were
  // (src/node/chartLibraries.ts finds dist/code-cache/ from there). import.meta.url is the file's own URL.
  await build({ ...minified, entryPoints: ["sim/main.ts"], outfile: join(stage, "chunks", "cli-main.cjs"), bundle: true, format: "cjs", platform: "node", target: "node20", logLevel: "warning",
    define: { "import.meta.url": "__bundleUrl" }, banner: { js: 'var __bundleUrl = require("node:url").pathToFileURL(__filename).href;' } });

  // V8's code caches (src/node/cachedScript.ts), made by running what they cache: the command line on an hour of the seed
  // scenario, its report included (~0.25 s less CPU in the seed's day: its functions start compiled), and vega's and
  // vega-lite's bundles drawing that report (~0.1 s less).
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const seed = join(root, "scenarios", "backpressure.yaml");
  const scratch = mkdtempSync(join(tmpdir(), "sim-build-"));
  try {
    for (const [program, args] of [["chart-cache.mjs", [seed, join(stage, "code-cache")]], ["code-cache.mjs", [seed, scratch]]]) {
      const r = spawnSync(process.execPath, [join(stage, program), ...args], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${program} (the code caches) failed:\n${r.stdout}${r.stderr}`);
      rmSync(join(stage, program));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

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
