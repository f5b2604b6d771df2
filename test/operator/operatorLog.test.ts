import { afterEach, describe, expect, it } from "vitest";
import { formatMessage, getLogger, setLogSink, type LogRecord } from "../../src/autoscaler/utils/Logger.ts";
import { OperatorLog } from "../../src/operator/OperatorLog.ts";

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
