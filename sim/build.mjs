// Compiles the command line into dist/ (run by npm's prepare script, so npm ci builds it):
// one ES module per entry, the simulator in a chunk loaded only when a run needs it.
// Dependencies stay external, resolved from node_modules at run time.
import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });

await build({
  entryPoints: ["sim/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
