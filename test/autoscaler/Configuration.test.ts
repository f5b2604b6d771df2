import { describe, expect, it } from "vitest";
import { RESTART_TIME, UTILIZATION_TARGET, VERTEX_EXCLUDE_IDS } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";

// A Configuration remembers the values it has read; every change must show in the next read.
describe("Configuration reads after changes", () => {
  it("reads a value set after the default was read", () => {
    const conf = new Configuration();
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.7);
    conf.set(UTILIZATION_TARGET, 0.5);
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.5);
    conf.setString("job.autoscaler.utilization.target", "0.6");
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.6);
  });

  it("reads a fallback key changed after it was read, and the key itself over it once set", () => {
    const conf = new Configuration({ "kubernetes.operator.job.autoscaler.utilization.target": "0.4" });
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.4);
    conf.setString("kubernetes.operator.job.autoscaler.utilization.target", "0.3");
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.3);
    conf.setString("job.autoscaler.utilization.target", "0.8");
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.8);
    // Another option's key leaves it alone.
    conf.setString("job.autoscaler.restart.time", "14s");
    expect(conf.get(UTILIZATION_TARGET)).toBe(0.8);
    expect(conf.get(RESTART_TIME)).toBe(14_000);
  });

  it("falls back to the default after removeConfig", () => {
    const conf = new Configuration({ "job.autoscaler.restart.time": "2m" });
    expect(conf.get(RESTART_TIME)).toBe(120_000);
    conf.removeConfig(RESTART_TIME);
    expect(conf.get(RESTART_TIME)).toBe(300_000);
    expect(conf.getOptional(RESTART_TIME)).toBeUndefined();
  });

  it("hands out a new list at every read, so that a caller's change stays its own", () => {
    const conf = new Configuration({ "job.autoscaler.vertex.exclude.ids": "a;b" });
    const first = conf.get(VERTEX_EXCLUDE_IDS);
    first.push("c");
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toEqual(["a", "b"]);
    conf.set(VERTEX_EXCLUDE_IDS, ["a", "b", "d"]);
    expect(conf.get(VERTEX_EXCLUDE_IDS)).toEqual(["a", "b", "d"]);
  });

  it("still fails on a value that does not parse, at every read", () => {
    const conf = new Configuration({ "job.autoscaler.restart.time": "soon" });
    expect(() => conf.get(RESTART_TIME)).toThrow(/Could not parse value 'soon' for key 'job.autoscaler.restart.time'/);
    expect(() => conf.get(RESTART_TIME)).toThrow(/Could not parse value 'soon'/);
  });
});
