/**
 * A CommonJS file compiled with V8's code cache: the bytecode of every function a build-time
 * run executed (sim/codeCache.ts, sim/chartCache.ts), which a process would otherwise
 * compile as it goes. Node 20 has no code cache for ES modules, so the command line's
 * simulator is bundled as one CommonJS file (sim/build.mjs) and loaded here, as are vega's
 * and vega-lite's bundles (src/node/chartLibraries.ts). A cache V8 rejects (another Node,
 * other V8 flags) or that is missing only costs the compile: the code runs the same.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { constants, Script } from "node:vm";

/** A compiled CommonJS file, run once with run(). */
export interface CachedScript {
  readonly script: Script;
  /** The cache file's name (in the folder given): the file's name and its content's hash. */
  readonly cacheFile: string;
  /** Whether a cache was found and V8 took it. */
  readonly cached: boolean;
  /** Runs the file as a CommonJS module; `require` resolves from its folder unless given. Returns its exports. */
  run<T>(require?: (id: string) => unknown): T;
}

/**
 * A cache file's name, by the content's hash: V8 checks a cache against its own version and
 * flags but, of the source, only its length, so a cache is never used for another text.
 */
function cacheFileOf(path: string, source: string): string {
  return `${basename(path)}-${createHash("sha256").update(source).digest("hex").slice(0, 16)}.cache`;
}

/** `path` compiled as Node's CommonJS loader would (its wrapper), with its code cache from `cacheDir` if there. */
export function compileCached(path: string, cacheDir: string): CachedScript {
  const source = readFileSync(path, "utf8");
  const cacheFile = cacheFileOf(path, source);
  const cachePath = join(cacheDir, cacheFile);
  const cachedData = existsSync(cachePath) ? readFileSync(cachePath) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: path,
    ...(cachedData === undefined ? {} : { cachedData }),
    // import() from the file goes to Node's own loader (Node 20.12 and later; before, the file must not use it).
    ...(constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER === undefined ? {} : { importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }),
  });
  return {
    script,
    cacheFile,
    cached: cachedData !== undefined && script.cachedDataRejected !== true,
    run<T>(require?: (id: string) => unknown): T {
      const module = { exports: {} as T };
      const body = script.runInThisContext() as (exports: T, require: (id: string) => unknown, module: { exports: T }, filename: string, dirname: string) => void;
      body(module.exports, require ?? createRequire(path), module, path, dirname(path));
      return module.exports;
    },
  };
}

/** Writes the code cache of `compiled` (with the functions it has run so far) into `dir`, through a temporary file. */
export function writeCodeCache(compiled: CachedScript, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, compiled.cacheFile);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, compiled.script.createCachedData());
  renameSync(tmp, path);
  return path;
}
