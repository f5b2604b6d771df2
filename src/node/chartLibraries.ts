/** Node's way to load vega and vega-lite for the reports; importing this module registers it. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileCached, writeCodeCache, type CachedScript } from "./cachedScript.ts";
import { useChartLibraries, type ChartLibraries } from "../report/renderSvg.ts";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/**
 * Where the build keeps V8's code cache of the two bundles (sim/build.mjs writes it after
 * drawing a report): dist/code-cache/, beside the chunks this module is bundled into. Run
 * from the sources there is none, and the bundles are compiled as they load.
 */
const CACHE_DIR = fileURLToPath(new URL("../code-cache/", import.meta.url));

/** The bundles loaded so far, to write their code cache from (writeChartCache). */
const loaded: CachedScript[] = [];

/**
 * A UMD bundle evaluated as CommonJS, whatever its package says: vega's and vega-lite's
 * packages are `"type": "module"`, so Node would load their .js bundles as ES modules, in
 * which a UMD bundle exports nothing (it sets a global instead). Compiled with the build's
 * code cache when there is one: it holds the bytecode of every function the build's report
 * ran, which a report would otherwise compile as it draws.
 */
function loadUmd<T>(path: string, dependencies: Readonly<Record<string, unknown>>): T {
  const compiled = compileCached(path, CACHE_DIR);
  loaded.push(compiled);
  return compiled.run<T>((id: string) => {
    if (id in dependencies) return dependencies[id];
    // vega asks for the optional node-canvas, which the reports do not use (SVG only).
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
  });
}

/**
 * Writes the code cache of the bundles loaded so far into `dir`, with the bytecode of the
 * functions they have run: called by the build once it has drawn a report (sim/chartCache.ts).
 */
export function writeChartCache(dir: string): string[] {
  return loaded.map((compiled) => writeCodeCache(compiled, dir));
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
