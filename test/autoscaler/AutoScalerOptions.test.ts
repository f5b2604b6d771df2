// Port of upstream's AutoScalerOptionsTest, plus Configuration reading as Flink's does.
import { describe, expect, it } from "vitest";
import * as Options from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { ALL_OPTIONS, OLD_K8S_OP_CONF_PREFIX } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration, IllegalConfigurationError } from "../../src/autoscaler/config/Configuration.ts";

describe("AutoScalerOptionsTest", () => {
  it("testAllConfigurationKeysHaveFallBackConfigured", () => {
    expect(ALL_OPTIONS.length).toBeGreaterThan(0);
    for (const option of ALL_OPTIONS) {
      expect(
        option.fallbackKeys.some((f) => f.key.startsWith(OLD_K8S_OP_CONF_PREFIX) && f.key.slice(OLD_K8S_OP_CONF_PREFIX.length) === option.key),
        option.key,
      ).toBe(true);
    }
  });

  it("lists every option the module exports", () => {
    const exported = (Object.values(Options) as unknown[]).filter(
      (v): v is (typeof ALL_OPTIONS)[number] => typeof v === "object" && v !== null && "key" in v && "fallbackKeys" in v,
    );
    const autoscalerOptions = exported.filter((o) => o.key.startsWith("job.autoscaler."));
    expect(new Set(ALL_OPTIONS)).toEqual(new Set(autoscalerOptions));
    expect(ALL_OPTIONS).toHaveLength(42);
  });
});

describe("Configuration", () => {
  it("has upstream's defaults", () => {
    const conf = new Configuration();
    expect(conf.get(Options.AUTOSCALER_ENABLED)).toBe(false);
    expect(conf.get(Options.METRICS_WINDOW)).toBe(15 * 60_000);
    expect(conf.get(Options.STABILIZATION_INTERVAL)).toBe(5 * 60_000);
    expect(conf.get(Options.UTILIZATION_TARGET)).toBe(0.7);
    expect(conf.get(Options.RESTART_TIME)).toBe(5 * 60_000);
    expect(conf.get(Options.TRACKED_RESTART_TIME_LIMIT)).toBe(15 * 60_000);
    expect(conf.get(Options.VERTEX_MAX_PARALLELISM)).toBe(200);
    expect(conf.get(Options.SCALE_DOWN_INTERVAL)).toBe(3_600_000);
    expect(conf.get(Options.BUSY_TIME_AGGREGATOR)).toBe("MAX");
    expect(conf.get(Options.VERTEX_EXCLUDE_IDS)).toEqual([]);
    expect(conf.get(Options.UTILIZATION_MAX)).toBeUndefined();
  });

  it("has upstream's default for every option (AutoScalerOptions.java, release-1.15.0)", () => {
    const MIN = 60_000;
    // Transcribed from the Java source: defaultValue(...), or undefined for noDefaultValue().
    const upstream: Record<string, unknown> = {
      enabled: false,
      "scaling.enabled": true,
      "metrics.window": 15 * MIN, // Duration.ofMinutes(15)
      "stabilization.interval": 5 * MIN,
      "excluded.periods": [], // defaultValues()
      "utilization.target": 0.7,
      "target.utilization.boundary": 0.3,
      "utilization.max": undefined,
      "utilization.min": undefined,
      "scale-down.interval": 60 * MIN, // Duration.ofHours(1)
      "vertex.min-parallelism": 1,
      "vertex.max-parallelism": 200,
      "scale-down.max-factor": 0.6,
      "scale-up.max-factor": 100000,
      "catch-up.duration": 30 * MIN,
      "restart.time": 5 * MIN,
      "restart.time-tracking.enabled": false,
      "restart.time-tracking.limit": 15 * MIN,
      "backlog-processing.lag-threshold": 5 * MIN,
      "observed-true-processing-rate.lag-threshold": 30_000, // Duration.ofSeconds(30)
      "observed-true-processing-rate.switch-threshold": 0.15,
      "observed-true-processing-rate.min-observations": 2,
      "scaling.effectiveness.detection.enabled": false,
      "scaling.effectiveness.threshold": 0.1,
      "memory.gc-pressure.threshold": 1,
      "memory.heap-usage.threshold": 1,
      "memory.tuning.enabled": false,
      "memory.tuning.scale-down-compensation.enabled": true,
      "memory.tuning.overhead": 0.2,
      "memory.tuning.maximize-managed-memory": false,
      "history.max.count": 3,
      "history.max.age": 24 * 60 * MIN, // Duration.ofHours(24)
      "metrics.busy-time.aggregator": "MAX",
      "vertex.exclude.ids": [],
      "scaling.event.interval": 30 * MIN,
      "flink.rest-client.timeout": 10_000, // Duration.ofSeconds(10)
      "quota.memory": undefined,
      "quota.cpu": undefined,
      "scaling.key-group.partitions.adjust.mode": "EVENLY_SPREAD",
      "observed-scalability.enabled": false,
      "observed-scalability.min-observations": 3,
      "observed-scalability.coefficient-min": 0.5,
    };
    const conf = new Configuration();
    const actual = Object.fromEntries(ALL_OPTIONS.map((o) => [o.key.slice("job.autoscaler.".length), conf.get(o)]));
    expect(actual).toStrictEqual(upstream);
  });

  it("reads the key, then fallback keys, then deprecated keys (Flink's ConfigOption: withFallbackKeys first, withDeprecatedKeys last)", () => {
    // Both a deprecated key (target.utilization) and a fallback key (the old operator prefix) set: the fallback wins.
    expect(
      new Configuration({ "job.autoscaler.target.utilization": "0.5", "kubernetes.operator.job.autoscaler.utilization.target": "0.4" }).get(Options.UTILIZATION_TARGET),
    ).toBe(0.4);
    expect(
      new Configuration({ "job.autoscaler.scale-up.grace-period": "10 min", "kubernetes.operator.job.autoscaler.scale-down.interval": "5 min" }).get(Options.SCALE_DOWN_INTERVAL),
    ).toBe(300_000);
    expect(Options.UTILIZATION_TARGET.fallbackKeys.map((k) => k.key)).toEqual([
      "kubernetes.operator.job.autoscaler.utilization.target",
      "kubernetes.operator.job.autoscaler.target.utilization",
      "job.autoscaler.target.utilization",
    ]);
  });

  it("reads the key, then deprecated and fallback keys in order", () => {
    expect(new Configuration({ "job.autoscaler.target.utilization": "0.5" }).get(Options.UTILIZATION_TARGET)).toBe(0.5);
    expect(new Configuration({ "kubernetes.operator.job.autoscaler.utilization.target": "0.4" }).get(Options.UTILIZATION_TARGET)).toBe(0.4);
    expect(
      new Configuration({ "job.autoscaler.utilization.target": "0.9", "kubernetes.operator.job.autoscaler.utilization.target": "0.4" }).get(Options.UTILIZATION_TARGET),
    ).toBe(0.9);
    expect(new Configuration({ "job.autoscaler.scale-up.grace-period": "10 min" }).get(Options.SCALE_DOWN_INTERVAL)).toBe(600_000);
  });

  it("parses durations, lists, enums and booleans as Flink does", () => {
    const conf = new Configuration({
      "job.autoscaler.restart.time": "2m",
      "job.autoscaler.stabilization.interval": "5s",
      "job.autoscaler.vertex.exclude.ids": "a;b ; c",
      "job.autoscaler.metrics.busy-time.aggregator": "avg",
      "job.autoscaler.enabled": "TRUE",
      "job.autoscaler.quota.memory": "2g",
    });
    expect(conf.get(Options.RESTART_TIME)).toBe(120_000);
    expect(conf.get(Options.STABILIZATION_INTERVAL)).toBe(5_000);
    expect(conf.get(Options.VERTEX_EXCLUDE_IDS)).toEqual(["a", "b", "c"]);
    expect(conf.get(Options.BUSY_TIME_AGGREGATOR)).toBe("AVG");
    expect(conf.get(Options.AUTOSCALER_ENABLED)).toBe(true);
    expect(conf.get(Options.MEMORY_QUOTA)).toBe(2 * 1024 ** 3);
  });

  it("names the key and the value of a value that does not parse", () => {
    expect(() => new Configuration({ "job.autoscaler.restart.time": "soon" }).get(Options.RESTART_TIME)).toThrow(
      /Could not parse value 'soon' for key 'job.autoscaler.restart.time'/,
    );
    expect(() => new Configuration({ "kubernetes.operator.job.autoscaler.enabled": "yes" }).get(Options.AUTOSCALER_ENABLED)).toThrow(IllegalConfigurationError);
    expect(() => new Configuration({ "job.autoscaler.vertex.max-parallelism": "1.5" }).get(Options.VERTEX_MAX_PARALLELISM)).toThrow(/vertex.max-parallelism/);
  });
});
