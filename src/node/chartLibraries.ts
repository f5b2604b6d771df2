/** Node's way to load vega and vega-lite for the reports; importing this module registers it. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { useChartLibraries, type ChartLibraries } from "../report/renderSvg.ts";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/**
 * Where the build keeps V8's code cache of the two bundles (sim/build.mjs writes it after
 * drawing a report): dist/chart-cache/, beside the chunks this module is bundled into. Run
 * from the sources there is none, and the bundles are compiled as they load.
 */
const CACHE_DIR = fileURLToPath(new URL("../chart-cache/", import.meta.url));

/** The bundles loaded so far, to write their code cache from (writeChartCache). */
const loaded: { script: Script; cacheFile: string }[] = [];

/**
 * A bundle's cache file, named by its content's hash: V8 checks a cache against its own
 * version and flags (and rejects it then: the bundle is compiled as without one) but
 * only the source's length, so a cache is never used for another release of vega.
 */
function cacheFileOf(path: string, source: string): string {
  return `${basename(path)}-${createHash("sha256").update(source).digest("hex").slice(0, 16)}.cache`;
}

/**
 * A UMD bundle evaluated as CommonJS, whatever its package says: vega's and vega-lite's
 * packages are `"type": "module"`, so Node would load their .js bundles as ES modules, in
 * which a UMD bundle exports nothing (it sets a global instead). Compiled with the build's
 * code cache when there is one: it holds the bytecode of every function the build's report
 * ran, which a report would otherwise compile as it draws (about a third of its drawing).
 */
function loadUmd<T>(path: string, dependencies: Readonly<Record<string, unknown>>): T {
  const module = { exports: {} as T };
  const source = readFileSync(path, "utf8");
  const cacheFile = cacheFileOf(path, source);
  const cachePath = join(CACHE_DIR, cacheFile);
  const cachedData = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  // The wrapper Node's own CommonJS loader puts around a module's text.
  const script = new Script(`(function (exports, require, module) {${source}\n})`, { filename: path, ...(cachedData === undefined ? {} : { cachedData }) });
  loaded.push({ script, cacheFile });
  const body = script.runInThisContext() as (exports: T, require: (id: string) => unknown, module: { exports: T }) => void;
  const require = (id: string) => {
    if (id in dependencies) return dependencies[id];
    // vega asks for the optional node-canvas, which the reports do not use (SVG only).
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
  };
  body(module.exports, require, module);
  return module.exports;
}

/**
 * Writes the code cache of the bundles loaded so far into `dir`, with the bytecode of the
 * functions they have run: called by the build once it has drawn a report (sim/chartCache.ts).
 */
export function writeChartCache(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return loaded.map(({ script, cacheFile }) => {
    const path = join(dir, cacheFile);
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, path);
    return path;
  });
}

/**
 * vega and vega-lite from the single-file bundles they ship (build/vega.min.js,
 * build/vega-lite.min.js, the same release as their ES modules). Their ES modules import
 * some 30 packages file by file: 0.4 s in Node and 1.8 s through tsx's loader, which every
 * run of the TypeScript sources (the tests) paid; the bundles load in a quarter of a second.
 * vega-lite's bundle asks for "vega" and is given this same vega.
 */
function loadNodeChartLibraries(): ChartLibraries {
  const require = createRequire(import.meta.url);
  // The packages' exports maps offer only their ES modules; the bundles lie beside them.
  const vega = loadUmd<Vega>(join(dirname(require.resolve("vega")), "vega.min.js"), {});
  const vegaLite = loadUmd<VegaLite>(join(dirname(require.resolve("vega-lite")), "vega-lite.min.js"), { vega });
  return { vega, vegaLite };
}

useChartLibraries(loadNodeChartLibraries);
