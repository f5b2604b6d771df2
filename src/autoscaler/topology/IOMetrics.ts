/** A vertex's accumulated I/O totals from job details (IOMetrics). */
export interface IOMetrics {
  readonly numRecordsIn: number;
  readonly numRecordsOut: number;
  readonly accumulatedBusyTime: number;
}

export const FINISHED_METRICS: IOMetrics = { numRecordsIn: 0, numRecordsOut: 0, accumulatedBusyTime: 0 };

/**
 * The REST shape of a vertex's totals (IOMetricsInfo), the fields IOMetrics reads. Flink 1.15
 * sends no accumulated busy time; Flink 1.16 may send it as the string "NaN".
 */
export interface IOMetricsInfo {
  readonly "read-records": number;
  readonly "write-records": number;
  readonly "accumulated-busy-time"?: number | string;
}

/** IOMetrics.from(IOMetricsInfo). */
export function ioMetricsFrom(info: IOMetricsInfo): IOMetrics {
  const busy = info["accumulated-busy-time"];
  return { numRecordsIn: info["read-records"], numRecordsOut: info["write-records"], accumulatedBusyTime: busy === undefined ? NaN : Number(busy) };
}
