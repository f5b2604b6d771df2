import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("docs/fidelity.md", () => {
  it("is what npm run fidelity makes from the current model (regenerate it after a change of the model)", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "sim/docs/fidelity.ts", "--check"], { encoding: "utf8" });
    expect(r.stderr).toContain("docs/fidelity.md is up to date");
    expect(r.status).toBe(0);
  }, 120_000);
});
