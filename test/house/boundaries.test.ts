import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Relative import specifiers of a file, static and dynamic, resolved from the repository root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(([, spec]) => normalize(join(dirname(file), spec!)));
}

/** A use of Node's globals, not a word inside a key such as taskmanager.memory.process.size. */
const NODE_GLOBALS = /(?<![.\w"'-])(?:Buffer\.|process\.|NodeJS\.|__dirname\b|require\()/;

const CORE = tsFiles("src").filter((f) => !f.startsWith(join("src", "node")) && f !== join("src", "index.ts"));

describe("the house: the core runs in Node and in the browser", () => {
  it("finds the core files it checks", () => {
    // A glob that matched nothing would pass the checks below vacuously.
    expect(CORE).toContain(join("src", "run", "runScenario.ts"));
    expect(CORE).toContain(join("src", "browser.ts"));
    expect(CORE.length).toBeGreaterThan(100);
  });

  it("no core file imports a node: module", () => {
    const offenders = CORE.filter((f) => /(?:from|import)\s*\(?\s*"node:/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("no core file reaches src/node/ (only the library's Node face and sim/ do)", () => {
    const offenders = CORE.flatMap((f) => relativeImports(f).filter((t) => t.startsWith(join("src", "node") + "/")).map((t) => `${f} -> ${t}`));
    expect(offenders).toEqual([]);
  });

  it("no core file uses Node's globals (Buffer, process, NodeJS, __dirname, require)", () => {
    const offenders = CORE.filter((f) => {
      const code = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      return NODE_GLOBALS.test(code);
    });
    expect(offenders).toEqual([]);
  });

  it("src/ never imports from sim/ or test/ (the arrows run one way)", () => {
    const offenders = tsFiles("src").flatMap((f) =>
      relativeImports(f)
        .filter((t) => !relative("src", t).match(/^[^.]/))
        .map((t) => `${f} -> ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("flags what it should: a node: import and a Buffer in a sample text", () => {
    // The checks' patterns on known-bad text (a check that cannot fail proves nothing).
    expect(/(?:from|import)\s*\(?\s*"node:/.test('import { readFileSync } from "node:fs";')).toBe(true);
    expect(NODE_GLOBALS.test("const b = Buffer.from(x);")).toBe(true);
    expect(NODE_GLOBALS.test("const env = process.env;")).toBe(true);
    expect(NODE_GLOBALS.test('config.getString("taskmanager.memory.process.size")')).toBe(false);
  });
});

describe("the browser face bundles for a browser", () => {
  it("esbuild resolves src/browser.ts and everything it reaches with platform browser (no Node built-in)", async () => {
    const { build } = await import("esbuild");
    const result = await build({ entryPoints: ["src/browser.ts"], bundle: true, platform: "browser", format: "esm", write: false, logLevel: "silent" });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]!.text).toContain("Restart time used in scaling summary computation");
  }, 60_000);
});
