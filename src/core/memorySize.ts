/** Flink's memory size syntax (MemorySize.parse): an integer and a unit, no unit meaning bytes. */

const BYTES_PER_UNIT: ReadonlyArray<readonly [readonly string[], number]> = [
  [["b", "bytes"], 1],
  [["k", "kb", "kibibytes"], 1024],
  [["m", "mb", "mebibytes"], 1024 ** 2],
  [["g", "gb", "gibibytes"], 1024 ** 3],
  [["t", "tb", "tebibytes"], 1024 ** 4],
];

const LABEL_TO_BYTES = new Map<string, number>(BYTES_PER_UNIT.flatMap(([labels, n]) => labels.map((l) => [l, n] as const)));

export class MemorySizeFormatError extends Error {}

/** Parses `32kb`, `64 b`, `1g`, `4096` into bytes. */
export function parseMemorySize(text: string): number {
  const trimmed = text.trim();
  const m = /^(\d+)\s*([a-z]*)$/i.exec(trimmed);
  if (m === null) {
    throw new MemorySizeFormatError(`'${text}' is not a memory size such as 64b, 32kb, 1mb, 2g`);
  }
  const unit = LABEL_TO_BYTES.get(m[2]!.toLowerCase() || "b");
  if (unit === undefined) {
    throw new MemorySizeFormatError(`memory unit '${m[2]}' in '${text}' is not one of b, k/kb, m/mb, g/gb, t/tb`);
  }
  const bytes = Number(m[1]) * unit;
  // Flink fails on a long overflow; a double is exact only up to 2^53 bytes (8 PiB).
  if (!Number.isSafeInteger(bytes)) throw new MemorySizeFormatError(`'${text}' is too large a memory size (at most ${Number.MAX_SAFE_INTEGER} bytes)`);
  return bytes;
}
