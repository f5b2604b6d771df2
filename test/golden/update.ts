/** npm run baseline:update: reruns every scenario and rewrites test/golden/ on purpose. */
import { runBaselines, scenarioFiles, writeBaselines } from "./baselines.ts";

for (const file of scenarioFiles()) {
  const runs = runBaselines(file);
  writeBaselines(file, runs);
  process.stdout.write(`${file}: wrote baselines of ${[...runs.keys()].join(", ")}\n`);
}
