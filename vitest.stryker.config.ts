import { defineConfig } from "vitest/config";

// Stryker's test run (stryker.config.json): only the autoscaler's unit tests, which exercise
// the mutated files; the simulator, golden and property tests would take hours per mutant set.
export default defineConfig({
  test: {
    include: ["test/autoscaler/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
