import { describe, expect, it } from "vitest";
import { MemorySizeFormatError, parseMemorySize } from "../../src/core/memorySize.ts";

// Flink's MemorySize.MemoryUnit (flink-core, release-1.18.1): every label, case and spacing as MemorySize.parse takes them.
describe("memory sizes in Flink's syntax", () => {
  it.each([
    ["512", 512],
    ["64 b", 64],
    ["64 bytes", 64],
    ["32k", 32 * 1024],
    ["32 KB", 32 * 1024],
    ["32 kibibytes", 32 * 1024],
    ["1024m", 1024 ** 3],
    ["4096 mebibytes", 4096 * 1024 ** 2],
    ["2g", 2 * 1024 ** 3],
    ["2 gibibytes", 2 * 1024 ** 3],
    ["1t", 1024 ** 4],
    ["1 tebibytes", 1024 ** 4],
  ])("'%s' is %d bytes", (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it.each([["1.5g"], ["g"], ["12 parsecs"], ["-1m"], ["10000000 tb"]])("'%s' fails, as Flink's parser does", (text) => {
    expect(() => parseMemorySize(text)).toThrow(MemorySizeFormatError);
  });
});
