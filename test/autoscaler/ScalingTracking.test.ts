// Port of upstream's ScalingTrackingTest (flink-autoscaler, release-1.15.0).
import { beforeEach, describe, expect, it } from "vitest";
import { PREFER_TRACKED_RESTART_TIME, RESTART_TIME } from "../../src/autoscaler/config/AutoScalerOptions.ts";
import { Configuration } from "../../src/autoscaler/config/Configuration.ts";
import { ScalingRecord } from "../../src/autoscaler/ScalingRecord.ts";
import { ScalingSummary } from "../../src/autoscaler/ScalingSummary.ts";
import { ScalingTracking } from "../../src/autoscaler/ScalingTracking.ts";
import { JobTopology } from "../../src/autoscaler/topology/JobTopology.ts";
import { VertexInfo } from "../../src/autoscaler/topology/VertexInfo.ts";
import { TreeMap } from "../../src/autoscaler/utils/TreeMap.ts";
import { DAY, HOUR, logLines, MINUTE, newJobVertexID, SECOND } from "./testing.ts";

describe("ScalingTrackingTest", () => {
  const configuredRestartTime = 5 * MINUTE;
  const configuredMaxRestartTime = 15 * MINUTE;
  let scalingTracking: ScalingTracking;
  let conf: Configuration;
  const NOW = Date.parse("2024-05-16T17:17:32.590Z");

  beforeEach(() => {
    scalingTracking = new ScalingTracking();
    conf = new Configuration();
    conf.set(RESTART_TIME, configuredRestartTime);
    conf.set(PREFER_TRACKED_RESTART_TIME, true);
  });

  function setUpScalingRecords(secondRescaleDuration: number) {
    scalingTracking.addScalingRecord(Date.parse("2023-11-15T16:00:00.00Z"), new ScalingRecord(3 * MINUTE));
    scalingTracking.addScalingRecord(Date.parse("2023-11-15T16:20:00.00Z"), new ScalingRecord(secondRescaleDuration));
  }
  const initActualParallelisms = () =>
    new Map([
      [newJobVertexID(), 2],
      [newJobVertexID(), 3],
    ]);
  const createVertexInfoSet = (p: Map<string, number>) => [...p].map(([id, n]) => VertexInfo.of(id, new Map(), n, n));
  function initScalingHistoryWithTargetParallelism(ts: number, targets: Map<string, number>) {
    const history = new Map<string, TreeMap<ScalingSummary>>();
    for (const [id, p] of targets) history.set(id, new TreeMap([[ts, new ScalingSummary(p - 1, p, new Map())]]));
    return history;
  }

  it("shouldReturnConfiguredRestartTime_WhenNoScalingRecords", () => {
    expect(scalingTracking.getMaxRestartTimeOrDefault(conf)).toBe(configuredRestartTime);
  });

  it("shouldReturnConfiguredRestartTime_WhenPreferTrackedRestartTimeIsFalse", () => {
    conf.set(PREFER_TRACKED_RESTART_TIME, false);
    setUpScalingRecords(configuredRestartTime - 1 * SECOND);
    expect(scalingTracking.getMaxRestartTimeOrDefault(conf)).toBe(configuredRestartTime);
  });

  it("maxRestartTimeShouldNotCapConfiguredRestartTime_WhenPreferTrackedRestartTimeIsFalse", () => {
    conf.set(PREFER_TRACKED_RESTART_TIME, false);
    const restartTime = configuredMaxRestartTime + 1 * SECOND;
    conf.set(RESTART_TIME, restartTime);
    setUpScalingRecords(configuredRestartTime - 1 * SECOND);
    expect(scalingTracking.getMaxRestartTimeOrDefault(conf)).toBe(restartTime);
  });

  it("shouldReturnMaxTrackedRestartTime_WhenNotCapped", () => {
    const duration = configuredMaxRestartTime - 1 * SECOND;
    setUpScalingRecords(duration);
    expect(scalingTracking.getMaxRestartTimeOrDefault(conf)).toBe(duration);
  });

  it("shouldReturnConfiguredRestartTime_WhenCapped", () => {
    setUpScalingRecords(configuredMaxRestartTime + 1 * SECOND);
    expect(scalingTracking.getMaxRestartTimeOrDefault(conf)).toBe(configuredMaxRestartTime);
  });

  it("shouldSetRestartDuration_WhenParallelismMatches", () => {
    const restartDuration = 60 * SECOND;
    const lastScaling = NOW - restartDuration;
    scalingTracking.addScalingRecord(lastScaling, new ScalingRecord());
    const actual = initActualParallelisms();
    const jobTopology = new JobTopology(createVertexInfoSet(actual));
    const history = initScalingHistoryWithTargetParallelism(lastScaling, actual);
    expect(scalingTracking.recordRestartDurationIfTrackedAndParallelismMatches(NOW, jobTopology, history)).toBe(true);
    expect(scalingTracking.getLatestScalingRecordEntry()![1].restartDuration).toBe(restartDuration);
  });

  it("shouldNotSetRestartDuration_WhenParallelismDoesNotMatch", () => {
    const lastScaling = NOW - 60 * SECOND;
    scalingTracking.addScalingRecord(lastScaling, new ScalingRecord());
    const actual = initActualParallelisms();
    const jobTopology = new JobTopology(createVertexInfoSet(actual));
    const mismatched = new Map([...actual].map(([k, v]) => [k, v + 1] as const));
    const history = initScalingHistoryWithTargetParallelism(lastScaling, mismatched);
    expect(scalingTracking.recordRestartDurationIfTrackedAndParallelismMatches(NOW, jobTopology, history)).toBe(false);
    expect(scalingTracking.getLatestScalingRecordEntry()![1].restartDuration).toBeNull();
  });

  it("removeOldRecordsShouldNotFail_WhenNoRecords", () => {
    scalingTracking.removeOldRecords(NOW, HOUR, 10);
    expect(scalingTracking.scalingRecords.size).toBe(0);
  });

  it("shouldRemoveOldRecords_ByTimeSpan", () => {
    for (const h of [3, 2, 1]) scalingTracking.addScalingRecord(NOW - h * HOUR, new ScalingRecord());
    scalingTracking.removeOldRecords(NOW, HOUR, 10);
    expect(scalingTracking.scalingRecords.size).toBe(1);
  });

  it("shouldRemoveRecords_WhenExceedingMaxCount", () => {
    for (let i = 0; i < 10; i++) scalingTracking.addScalingRecord(NOW - i * MINUTE, new ScalingRecord());
    scalingTracking.removeOldRecords(NOW, HOUR, 5);
    expect(scalingTracking.scalingRecords.size).toBe(5);
  });

  it("shouldAlwaysKeepAtLeastOneLatestRecord_WhenOutOfTimeSpan", () => {
    scalingTracking.addScalingRecord(NOW - DAY, new ScalingRecord());
    scalingTracking.removeOldRecords(NOW, HOUR, 10);
    expect(scalingTracking.scalingRecords.size).toBe(1);
  });
});

describe("ScalingTracking restart time in whole seconds (seed scenario)", () => {
  it("truncates a tracked restart of 14.8 s to PT14S and uses restart.time before any record", () => {
    const conf = new Configuration({ "job.autoscaler.restart.time-tracking.enabled": "true", "job.autoscaler.restart.time": "2m" });
    const tracking = new ScalingTracking();
    expect(tracking.getMaxRestartTimeOrDefault(conf)).toBe(2 * MINUTE);
    tracking.addScalingRecord(0, new ScalingRecord(14_800));
    expect(tracking.getMaxRestartTimeOrDefault(conf)).toBe(14 * SECOND);
  });
});

// Cases upstream's ScalingTrackingTest leaves open, with upstream's log lines.
describe("ScalingTracking beyond upstream's tests", () => {
  const LOGGER = "org.apache.flink.autoscaler.ScalingTracking";
  const t0 = Date.parse("2024-05-16T17:00:00Z");
  const [v1, v2] = [newJobVertexID(), newJobVertexID()];
  const topology = new JobTopology([VertexInfo.of(v1, new Map(), 4, 4)]);
  const historyOf = (entries: [string, number, number][]) =>
    new Map(entries.map(([v, ts, p]) => [v, new TreeMap([[ts, new ScalingSummary(p - 1, p, new Map())]])] as [string, TreeMap<ScalingSummary>]));

  it("records nothing without a scaling record", () => {
    expect(new ScalingTracking().recordRestartDurationIfTrackedAndParallelismMatches(t0, topology, new Map())).toBe(false);
  });

  it("records the time from the decision to RUNNING once, in whole seconds in its log line", () => {
    const tracking = new ScalingTracking();
    tracking.addScalingRecord(t0, new ScalingRecord());
    let recorded = false;
    // v2 has no summary at the scaling's instant: not one of the rescaled vertices.
    const history = historyOf([
      [v1, t0, 4],
      [v2, t0 - MINUTE, 7],
    ]);
    expect(logLines(LOGGER, () => (recorded = tracking.recordRestartDurationIfTrackedAndParallelismMatches(t0 + 14_700, topology, history)))).toEqual([
      "DEBUG Recorded restart duration of 14 seconds (from 2024-05-16T17:00:00Z till 2024-05-16T17:00:14.700Z)",
    ]);
    expect(recorded).toBe(true);
    expect(tracking.getLatestScalingRecordEntry()![1].restartDuration).toBe(14_700);
    expect(logLines(LOGGER, () => (recorded = tracking.recordRestartDurationIfTrackedAndParallelismMatches(t0 + 20_000, topology, history)))).toEqual([
      "DEBUG Cannot record restart duration because already set in the latest record: PT14.7S",
    ]);
    expect(recorded).toBe(false);
    expect(tracking.getLatestScalingRecordEntry()![1].restartDuration).toBe(14_700);
  });

  it("a rescaled vertex missing from the topology does not match (actual parallelism -1)", () => {
    const tracking = new ScalingTracking();
    tracking.addScalingRecord(t0, new ScalingRecord());
    let recorded = true;
    expect(logLines(LOGGER, () => (recorded = tracking.recordRestartDurationIfTrackedAndParallelismMatches(t0 + SECOND, topology, historyOf([[v2, t0, 7]]))))).toEqual([
      `DEBUG Vertex ${v2} actual parallelism -1 does not match target parallelism 7`,
    ]);
    expect(recorded).toBe(false);
  });

  it("records without a restart duration leave the configured restart time", () => {
    const conf = new Configuration();
    conf.set(PREFER_TRACKED_RESTART_TIME, true);
    const tracking = new ScalingTracking();
    tracking.addScalingRecord(t0, new ScalingRecord());
    let restartTime = 0;
    expect(logLines(LOGGER, () => (restartTime = tracking.getMaxRestartTimeOrDefault(conf)))).toEqual(["DEBUG Maximum tracked restart time: -1"]);
    // restart.time's default, 5 min.
    expect(restartTime).toBe(5 * MINUTE);
  });
});
