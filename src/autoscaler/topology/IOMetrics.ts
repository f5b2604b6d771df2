/** A vertex's accumulated I/O totals from job details (IOMetrics). */
export interface IOMetrics {
  readonly numRecordsIn: number;
  readonly numRecordsOut: number;
  readonly accumulatedBusyTime: number;
}

export const FINISHED_METRICS: IOMetrics = { numRecordsIn: 0, numRecordsOut: 0, accumulatedBusyTime: 0 };

/** The REST shape of a vertex's totals (IOMetricsInfo), the fields IOMetrics reads. */
export interface IOMetricsInfo {
  readonly "read-records": number;
  readonly "write-records": number;
  readonly "accumulated-busy-time": number;
}

/** IOMetrics.from(IOMetricsInfo). */
export function ioMetricsFrom(info: IOMetricsInfo): IOMetrics {
  return { numRecordsIn: info["read-records"], numRecordsOut: info["write-records"], accumulatedBusyTime: info["accumulated-busy-time"] };
}
