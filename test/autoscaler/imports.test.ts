import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, normalize, relative, dirname } from "node:path";
import { describe, expect, it } from "vitest";

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("src/autoscaler stands alone", () => {
  it("imports only itself and src/core (Flink's shared syntax), never the simulator", () => {
    const offenders: string[] = [];
    for (const file of tsFiles("src/autoscaler")) {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from\s+"([^"]+)"/g)) {
        if (!spec!.startsWith(".")) {
          offenders.push(`${file}: package ${spec}`); // no third-party code either: a plain port
          continue;
        }
        const target = relative("src", normalize(join(dirname(file), spec!)));
        if (!target.startsWith("autoscaler/") && !target.startsWith("core/")) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("src/core imports nothing", () => {
    for (const file of tsFiles("src/core")) expect(readFileSync(file, "utf8")).not.toMatch(/^import /m);
  });

  it("never reads the wall clock", () => {
    for (const file of tsFiles("src/autoscaler")) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now\(/);
    }
  });
});
