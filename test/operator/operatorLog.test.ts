import { afterEach, describe, expect, it } from "vitest";
import { formatMessage, getLogger, setLogSink, type LogRecord } from "../../src/autoscaler/utils/Logger.ts";
import { logTimestamp, OperatorLog } from "../../src/operator/OperatorLog.ts";

describe("SLF4J-style message formatting", () => {
  let restore: ((r: LogRecord) => void) | undefined;
  afterEach(() => {
    if (restore !== undefined) setLogSink(restore);
  });

  it("fills placeholders in order, leaves extra ones, ignores extra arguments", () => {
    expect(formatMessage("no placeholders", [1])).toBe("no placeholders");
    expect(formatMessage("{} and {}", ["a", "b"])).toBe("a and b");
    expect(formatMessage("a {} b {} c", [1])).toBe("a 1 b {} c");
    expect(formatMessage("{}{}", [1, 2, 3])).toBe("12");
    expect(formatMessage("map {} list {}", [new Map([["k", 1.5]]), [1, 2]])).toBe("map {k=1.5} list [1, 2]");
  });

  it("takes a trailing Throwable beyond the placeholders as the record's error", () => {
    const records: LogRecord[] = [];
    restore = setLogSink((r) => records.push(r));
    const log = getLogger("org.apache.flink.autoscaler.ScalingExecutor");
    const boom = new Error("boom");
    log.warn("failed {}", "x", boom);
    log.warn("failed {}", boom);
    expect(records[0]).toEqual({ level: "WARN", logger: "org.apache.flink.autoscaler.ScalingExecutor", message: "failed x", error: boom });
    expect(records[1]!.error).toBeUndefined();
    expect(records[1]!.message).toBe("failed Error: boom");
  });
});

describe("OperatorLog", () => {
  it("lays lines out as the operator's log4j pattern does, stamped with the given clock", () => {
    let now = Date.UTC(2024, 4, 16, 17, 17, 32, 590);
    const log = new OperatorLog("default/basic", () => now);
    log.sink({ level: "DEBUG", logger: "org.apache.flink.autoscaler.ScalingExecutor", message: "Restart time used in scaling summary computation: PT2M" });
    now += 1001;
    log.sink({ level: "INFO", logger: "org.apache.flink.autoscaler.JobVertexScaler", message: "x" });
    log.sink({ level: "INFO", logger: "org.apache.flink.autoscaler.ScalingExecutor", message: "y" });
    expect(log.toText()).toBe(
      "2024-05-16 17:17:32,590 o.a.f.a.ScalingExecutor [DEBUG][default/basic] Restart time used in scaling summary computation: PT2M\n" +
        "2024-05-16 17:17:33,591 o.a.f.a.JobVertexScaler [INFO ][default/basic] x\n" +
        "2024-05-16 17:17:33,591 o.a.f.a.ScalingExecutor [INFO ][default/basic] y\n",
    );
  });

  it("writes nothing for an empty log and drops records below its level", () => {
    const log = new OperatorLog("ns/n", () => 0, "INFO");
    expect(log.toText()).toBe("");
    log.sink({ level: "DEBUG", logger: "a.B", message: "hidden" });
    expect(log.lines).toHaveLength(0);
  });
});

describe("log timestamps (yyyy-MM-dd HH:mm:ss,SSS, UTC)", () => {
  it("stamps the same within a day as across days, in any order (it reuses the day it stamped last)", () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const times = [0, 86_399_999, 86_400_000, 1_715_878_815_000, 1_715_878_815_001, 1_715_904_000_000, -1, 1.5];
    for (let i = 0; i < 2000; i++) times.push(Math.floor(next() * 253_402_000_000_000), times[times.length - 1]! + Math.floor(next() * 100_000_000));
    for (const ms of times) {
      const iso = new Date(ms).toISOString();
      expect(logTimestamp(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)},${iso.slice(20, 23)}`);
    }
    expect(logTimestamp(1_715_878_815_000)).toBe("2024-05-16 17:00:15,000");
  });
});
