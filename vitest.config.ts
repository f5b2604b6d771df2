import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    setupFiles: ["test/setup.ts"],
    // Fails the run when a test leaves a file in the work tree (test/leftovers.ts).
    globalSetup: ["test/leftovers.ts"],
    // Hooks that build dist/ with esbuild take seconds on a loaded machine (vitest default: 10 s).
    hookTimeout: 120_000,
  },
});
