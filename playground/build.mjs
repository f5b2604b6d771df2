// Builds the playground (the browser app) into dist/playground/: run by npm's prepare
// script after sim/build.mjs, so `npm ci` builds it. Static files only: index.html,
// playground.css, main.js (the page: editor, report, zip, share link) and worker.js (the
// simulation, in a Web Worker). The scenarios of scenarios/ are embedded as presets.
// `node playground/build.mjs [--outdir DIR]` (default dist/playground); the folder is built
// beside its target and renamed into place.
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { outdir: { type: "string", default: join(root, "dist", "playground") }, quiet: { type: "boolean", default: false } } });
const target = resolve(values.outdir);
const stage = join(dirname(target), `.${basename(target)}-build-${process.pid}`);

/** Every scenario file under scenarios/ (sorted, the top folder first), by its path relative to scenarios/. */
function presets() {
  const dir = join(root, "scenarios");
  const found = [];
  const walk = (d) => {
    const entries = readdirSync(d).sort();
    for (const name of entries) if (name.endsWith(".yaml") && statSync(join(d, name)).isFile()) found.push(join(d, name));
    for (const name of entries) if (statSync(join(d, name)).isDirectory()) walk(join(d, name));
  };
  walk(dir);
  return found.map((path) => ({ path: relative(dir, path).split("\\").join("/"), text: readFileSync(path, "utf8") }));
}

/** `import { PRESETS } from "virtual:presets"`: the scenarios, embedded at build time. */
const presetsPlugin = {
  name: "presets",
  setup(b) {
    b.onResolve({ filter: /^virtual:presets$/ }, () => ({ path: "presets", namespace: "presets" }));
    b.onLoad({ filter: /.*/, namespace: "presets" }, () => ({ contents: `export const PRESETS = ${JSON.stringify(presets())};`, loader: "js", watchDirs: [join(root, "scenarios")] }));
  },
};

rmSync(stage, { recursive: true, force: true });
try {
  mkdirSync(stage, { recursive: true });
  const result = await build({
    entryPoints: { main: join(root, "playground/src/main.ts"), worker: join(root, "playground/src/worker.ts") },
    outdir: stage,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome115", "firefox115", "safari16"],
    minify: true,
    legalComments: "linked",
    metafile: true,
    plugins: [presetsPlugin],
    // csv-parse's and csv-stringify's default builds use Node's Buffer; their browser builds (same code, a Buffer shim bundled) do not.
    alias: { "csv-parse/sync": "csv-parse/browser/esm/sync", "csv-stringify/sync": "csv-stringify/browser/esm/sync" },
    logLevel: "warning",
  });
  for (const f of ["index.html", "playground.css"]) cpSync(join(root, "playground", f), join(stage, f));
  if (!values.quiet) {
    for (const [file, info] of Object.entries(result.metafile.outputs)) if (file.endsWith(".js")) process.stdout.write(`playground: ${basename(file)} ${(info.bytes / 1024).toFixed(0)} KiB\n`);
  }
  // Into place: the old folder moved aside first, so a server never sees half a build.
  const old = join(dirname(target), `.${basename(target)}-old-${process.pid}`);
  try {
    renameSync(target, old);
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  renameSync(stage, target);
  rmSync(old, { recursive: true, force: true });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
