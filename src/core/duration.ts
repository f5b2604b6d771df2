/**
 * Flink's duration syntax (TimeUtils.parseDuration: an integer and a unit label, no unit
 * meaning milliseconds) plus ISO-8601 (`PT2M`, java.time.Duration.parse), and
 * java.time.Duration#toString for printing. Durations are numbers of milliseconds.
 */

// As Flink's TimeUtils.TimeUnit: singular labels, and plural ones that also accept a trailing "s".
const UNITS: ReadonlyArray<{ singular: readonly string[]; plural: readonly string[]; ms: number }> = [
  { singular: ["d"], plural: ["day"], ms: 86_400_000 },
  { singular: ["h"], plural: ["hour"], ms: 3_600_000 },
  { singular: ["min", "m"], plural: ["minute"], ms: 60_000 },
  { singular: ["s"], plural: ["sec", "second"], ms: 1_000 },
  { singular: ["ms"], plural: ["milli", "millisecond"], ms: 1 },
  { singular: ["µs"], plural: ["micro", "microsecond"], ms: 1e-3 },
  { singular: ["ns"], plural: ["nano", "nanosecond"], ms: 1e-6 },
];

const LABEL_TO_MS = new Map<string, number>();
for (const { singular, plural, ms } of UNITS) {
  for (const label of singular) LABEL_TO_MS.set(label, ms);
  for (const label of plural) {
    LABEL_TO_MS.set(label, ms);
    LABEL_TO_MS.set(`${label}s`, ms);
  }
}

/** The unit labels Flink accepts, for error messages. */
export const DURATION_UNITS = "d, h, min, m, s, ms, µs, ns or day(s), hour(s), minute(s), sec(s), second(s), milli(s), millisecond(s), micro(s), microsecond(s), nano(s), nanosecond(s)";

const ISO_DURATION =
  /^([-+]?)P(?:([-+]?[0-9]+)D)?(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?$/i;

export class DurationFormatError extends Error {}

function parseIso(text: string): number {
  const m = ISO_DURATION.exec(text);
  if (m === null || m[3] === "T" || (m[2] === undefined && m[3] === undefined)) {
    throw new DurationFormatError(`'${text}' is not an ISO-8601 duration such as PT2M or PT0.5S`);
  }
  const [, sign, d, , h, min, s, frac] = m;
  const num = (x: string | undefined) => (x === undefined ? 0 : Number(x));
  let ms = num(d) * 86_400_000 + num(h) * 3_600_000 + num(min) * 60_000 + num(s) * 1000;
  if (frac !== undefined && frac.length > 0) {
    const fraction = Number(`0.${frac}`) * 1000;
    ms += s !== undefined && s.startsWith("-") ? -fraction : fraction;
  }
  return sign === "-" ? -ms : ms;
}

/** Why a label is not a unit, with the spelling Flink's syntax wants where the intent is clear. */
function unitProblem(text: string, number: string, label: string): string {
  // A fraction: Flink's TimeUtils takes whole numbers only; say it in the next smaller unit.
  const fraction = /^\.(\d+)\s*([a-zµ]+)$/.exec(label);
  if (fraction !== null) {
    const unit = LABEL_TO_MS.get(fraction[2]!);
    // Exactly, in integers: number.digits * (unit / smaller) is whole in the first unit where it is.
    const scaled = BigInt(`${number}${fraction[1]}`);
    const scale = 10n ** BigInt(fraction[1]!.length);
    const smaller = FRACTION_UNITS.find((u) => unit !== undefined && u.ms < unit && (scaled * BigInt(Math.round(unit / u.ms))) % scale === 0n);
    const hint = smaller === undefined ? "" : `: write ${(scaled * BigInt(Math.round(unit! / smaller.ms))) / scale}${smaller.label}`;
    return `'${text}' has a fraction; Flink's duration syntax takes whole numbers${hint}`;
  }
  if (label === "us") return `time unit 'us' in '${text}': Flink spells microseconds µs (or micro, microsecond): write ${number}µs`;
  return `time unit '${label}' in '${text}' is not one of ${DURATION_UNITS}`;
}

/** Units to restate a fraction in, largest first. */
const FRACTION_UNITS: readonly { readonly label: string; readonly ms: number }[] = [
  { label: "min", ms: 60_000 },
  { label: "s", ms: 1000 },
  { label: "ms", ms: 1 },
  { label: "µs", ms: 0.001 },
  { label: "ns", ms: 0.000001 },
];

/**
 * Parses a duration as Flink's configuration does: `5s`, `1 min`, `2m`, `100` (ms),
 * `500 ms`; also ISO-8601 like `PT2M`. Throws DurationFormatError with a readable reason.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new DurationFormatError("a duration cannot be empty");
  if (/^[-+]?p/i.test(trimmed)) return parseIso(trimmed);
  let pos = 0;
  while (pos < trimmed.length && trimmed.charCodeAt(pos) >= 48 && trimmed.charCodeAt(pos) <= 57) pos++;
  const number = trimmed.slice(0, pos);
  const label = trimmed.slice(pos).trim().toLowerCase();
  if (number.length === 0) {
    throw new DurationFormatError(`'${text}' does not start with a whole number (e.g. 5s, 1 min, 100ms, PT2M)`);
  }
  const value = Number(number);
  if (!Number.isSafeInteger(value)) throw new DurationFormatError(`'${text}' is out of range`);
  if (label.length === 0) return value;
  const unit = LABEL_TO_MS.get(label);
  if (unit === undefined) throw new DurationFormatError(unitProblem(text, number, label));
  return value * unit;
}

/**
 * Prints `ms` exactly as java.time.Duration#toString prints the same duration:
 * PT0S, PT14S, PT2M, PT1H30M, PT0.5S, PT-1.5S, PT48H.
 */
export function formatDuration(ms: number): string {
  // The autoscaler prints the same restart time a few times at every reconcile.
  if (lastFormatted !== null && Object.is(ms, lastFormatted.ms)) return lastFormatted.text;
  const text = formatDurationOf(ms);
  lastFormatted = { ms, text };
  return text;
}

/** The last duration printed (none that failed). */
let lastFormatted: { readonly ms: number; readonly text: string } | null = null;

function formatDurationOf(ms: number): string {
  const totalNanos = BigInt(Math.round(ms * 1e6));
  const NANOS = 1_000_000_000n;
  // floorDiv / floorMod, as Duration keeps seconds and a non-negative nano adjustment
  let seconds = totalNanos / NANOS;
  let nanos = totalNanos % NANOS;
  if (nanos < 0n) {
    nanos += NANOS;
    seconds -= 1n;
  }
  if (seconds === 0n && nanos === 0n) return "PT0S";
  const hours = seconds / 3600n;
  const minutes = (seconds % 3600n) / 60n;
  const secs = seconds % 60n;
  let out = "PT";
  if (hours !== 0n) out += `${hours}H`;
  if (minutes !== 0n) out += `${minutes}M`;
  if (secs === 0n && nanos === 0n && out.length > 2) return out;
  if (secs < 0n && nanos > 0n) out += secs === -1n ? "-0" : `${secs + 1n}`;
  else out += `${secs}`;
  if (nanos > 0n) {
    const digits = (secs < 0n ? 2n * NANOS - nanos : nanos + NANOS).toString().slice(1).replace(/0+$/, "");
    out += `.${digits}`;
  }
  return `${out}S`;
}
