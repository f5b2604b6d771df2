/** Node's way to load vega and vega-lite for the reports; importing this module registers it. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { compileFunction } from "node:vm";
import { useChartLibraries, type ChartLibraries } from "../report/renderSvg.ts";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");

/**
 * A UMD bundle evaluated as CommonJS, whatever its package says: vega's and vega-lite's
 * packages are `"type": "module"`, so Node would load their .js bundles as ES modules, in
 * which a UMD bundle exports nothing (it sets a global instead).
 */
function loadUmd<T>(path: string, dependencies: Readonly<Record<string, unknown>>): T {
  const module = { exports: {} as T };
  const body = compileFunction(readFileSync(path, "utf8"), ["exports", "require", "module"], { filename: path });
  const require = (id: string) => {
    if (id in dependencies) return dependencies[id];
    // vega asks for the optional node-canvas, which the reports do not use (SVG only).
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
  };
  body(module.exports, require, module);
  return module.exports;
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
