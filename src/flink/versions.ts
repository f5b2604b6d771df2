/**
 * The Flink versions the simulator models, as `spec.flinkVersion` names them (the
 * operator's FlinkVersion enum, flink-kubernetes-operator-api .../api/spec/FlinkVersion.java,
 * release-1.15.0, which also lists v2_3 and v2_4: the operator accepts them, the simulator
 * does not model them and says so).
 */
export const SIMULATED_FLINK_VERSIONS = [
  "v1_13", "v1_14", "v1_15", "v1_16", "v1_17", "v1_18", "v1_19", "v1_20", "v2_0", "v2_1", "v2_2",
] as const;
export type SimulatedFlinkVersion = (typeof SIMULATED_FLINK_VERSIONS)[number];

/*
 * What each version changes, and the release source read for it (file, commit, release):
 * the adaptive scheduler's rescale gate in flink/restart/AdaptiveRescale.ts, its keys and
 * defaults in scenario/runtimeVersion.ts, the TimerGauge double count in
 * flink/metrics/TimerGauge.ts; the table in docs/fidelity.md.
 */

/** The version a scenario without spec.flinkVersion runs (the seed's, EMR 7.2's Flink 1.18.1). */
export const DEFAULT_FLINK_VERSION: SimulatedFlinkVersion = "v1_18";

export function isSimulatedFlinkVersion(v: string): v is SimulatedFlinkVersion {
  return (SIMULATED_FLINK_VERSIONS as readonly string[]).includes(v);
}

/** Major and minor of `v1_19`-style names; absent means the default version. */
export function flinkVersionNumbers(version: string | undefined): { readonly major: number; readonly minor: number } {
  const m = /^v(\d+)_(\d+)$/.exec(version ?? DEFAULT_FLINK_VERSION);
  if (m === null) throw new Error(`not a Flink version: ${version}`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** FlinkVersion#isEqualOrNewer. */
export function isAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const v = flinkVersionNumbers(version);
  return v.major > major || (v.major === major && v.minor >= minor);
}
