// Mutation testing of the scaling logic ported from flink-autoscaler: `npm run test:mutation`.
// Reports go to out/mutation/ (git-ignored). Not part of `npm test`: it takes minutes.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // Only test/autoscaler: the simulator's tests would multiply the run time for no extra kills here.
  vitest: { configFile: "vitest.stryker.config.ts" },
  mutate: [
    "src/autoscaler/JobVertexScaler.ts",
    "src/autoscaler/ScalingExecutor.ts",
    "src/autoscaler/ScalingMetricEvaluator.ts",
    "src/autoscaler/ScalingTracking.ts",
    "src/autoscaler/utils/AutoScalerUtils.ts",
  ],
  coverageAnalysis: "perTest",
  // The machine is small and shared.
  concurrency: 2,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "out/mutation/index.html" },
  jsonReporter: { fileName: "out/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  // Stryker rewrites the tsconfig's extends/references for its sandbox with TypeScript's JS API,
  // which TypeScript 7 no longer has; ours has none to rewrite, so point it at no file.
  tsconfigFile: "no-tsconfig-rewrite.json",
  cleanTempDir: "always",
  // Nothing the autoscaler tests read: keeps the sandbox copy small.
  ignorePatterns: ["out", "dist", "docs", "scenarios", ".vitest-cache"],
  // Target: 85% on each file (src/autoscaler/README.md lists the equivalent survivors).
  thresholds: { high: 90, low: 85, break: null },
};
