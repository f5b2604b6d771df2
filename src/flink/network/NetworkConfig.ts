/** Network stack settings, with Flink's defaults (NettyShuffleEnvironmentOptions, ExecutionOptions). */
export interface NetworkConfig {
  /** taskmanager.memory.segment-size (32kb): the size of one network buffer. */
  readonly segmentSizeBytes: number;
  /** taskmanager.network.memory.buffers-per-channel (2): exclusive buffers per remote input channel. */
  readonly buffersPerChannel: number;
  /** taskmanager.network.memory.floating-buffers-per-gate (8). */
  readonly floatingBuffersPerGate: number;
  /** taskmanager.network.memory.max-buffers-per-channel (10): a subpartition holding this many buffers makes its partition unavailable. */
  readonly maxBuffersPerChannel: number;
  /** execution.buffer-timeout (100 ms): flush interval; 0 flushes after every record, -1 only full buffers. */
  readonly bufferTimeoutMs: number;
  /** Serialized size of one record, including Flink's 4-byte length prefix. */
  readonly recordSizeBytes: number;
}

export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  segmentSizeBytes: 32 * 1024,
  buffersPerChannel: 2,
  floatingBuffersPerGate: 8,
  maxBuffersPerChannel: 10,
  bufferTimeoutMs: 100,
  recordSizeBytes: 64,
};

/** Records that fit in one buffer; records spanning two buffers are not modelled. */
export function recordsPerBuffer(config: NetworkConfig): number {
  return Math.max(1, Math.floor(config.segmentSizeBytes / config.recordSizeBytes));
}
