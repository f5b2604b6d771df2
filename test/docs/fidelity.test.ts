import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("docs/fidelity.md", () => {
  // The whole page takes some 300 one-hour runs (npm run fidelity -- --check); the test
  // checks its text, the seed's and seed 1's logs, the facts and the 30-seed table's rows
  // of seeds 1..3, each a function of its own run, against fresh ones.
  it("agrees with what npm run fidelity makes from the current model, on a sample (regenerate it after a change of the model)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "sim/docs/fidelity.ts", "--check-sample"], { encoding: "utf8" });
    expect(r.stderr).toContain("docs/fidelity.md agrees with a fresh sample");
    expect(r.status).toBe(0);
  }, 120_000);
});
