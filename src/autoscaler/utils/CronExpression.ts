/**
 * The part of Quartz's CronExpression that excluded periods use: six or seven fields
 * (second minute hour day-of-month month day-of-week [year]) with `*`, `?`, values,
 * ranges, steps, lists, month and weekday names (1 = SUN as in Quartz), `L` in the
 * day-of-month and `nL` / `n#k` in the day-of-week. Times are in UTC. `W` is not
 * supported and makes the expression invalid.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly nameOffset?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, nameOffset: 1 },
  { min: 1, max: 7, names: DAYS, nameOffset: 1 },
  { min: 1970, max: 2099 },
];

type DayOfWeekSpecial = { kind: "last"; day: number } | { kind: "nth"; day: number; nth: number };

export class CronExpression {
  private readonly sets: Set<number>[] = [];
  private readonly anyField: boolean[] = [];
  private lastDayOfMonth = false;
  private dayOfWeekSpecial: DayOfWeekSpecial | undefined;

  constructor(readonly expression: string) {
    const parts = expression.trim().split(/\s+/);
    if (parts.length < 6 || parts.length > 7) throw new Error(`Unexpected end of expression: ${expression}`);
    parts.forEach((part, i) => this.parseField(part.toUpperCase(), i));
    if (parts.length === 6) {
      this.sets.push(new Set());
      this.anyField.push(true);
    }
    const domAny = parts[3] === "?";
    const dowAny = parts[5] === "?";
    if (domAny === dowAny) {
      throw new Error("Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.");
    }
  }

  private parseValue(text: string, field: number): number {
    const spec = FIELDS[field]!;
    const byName = spec.names?.indexOf(text) ?? -1;
    const value = byName >= 0 ? byName + spec.nameOffset! : /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(value) || value < spec.min || value > spec.max) throw new Error(`Illegal value '${text}' in field ${field + 1}`);
    return value;
  }

  private parseField(text: string, field: number): void {
    const spec = FIELDS[field]!;
    const set = new Set<number>();
    this.sets.push(set);
    if (text === "?" && (field === 3 || field === 5)) {
      this.anyField.push(true);
      return;
    }
    this.anyField.push(false);
    if (field === 3 && text === "L") {
      this.lastDayOfMonth = true;
      return;
    }
    if (field === 5) {
      const last = /^(\w+)L$/.exec(text);
      if (last !== null) {
        this.dayOfWeekSpecial = { kind: "last", day: this.parseValue(last[1]!, field) };
        return;
      }
      const nth = /^(\w+)#([1-5])$/.exec(text);
      if (nth !== null) {
        this.dayOfWeekSpecial = { kind: "nth", day: this.parseValue(nth[1]!, field), nth: Number(nth[2]) };
        return;
      }
    }
    for (const item of text.split(",")) {
      const [rangePart, stepPart] = item.split("/") as [string, string | undefined];
      const step = stepPart === undefined ? 1 : Number(stepPart);
      if (!Number.isInteger(step) || step < 1) throw new Error(`Illegal increment '${stepPart}'`);
      let from: number;
      let to: number;
      if (rangePart === "*") {
        from = spec.min;
        to = spec.max;
      } else if (rangePart.includes("-")) {
        const [a, b] = rangePart.split("-") as [string, string];
        from = this.parseValue(a, field);
        to = this.parseValue(b, field);
      } else {
        from = this.parseValue(rangePart, field);
        to = stepPart === undefined ? from : spec.max;
      }
      if (from <= to) {
        for (let v = from; v <= to; v += step) set.add(v);
      } else {
        // A wrapping range such as FRI-MON or 22-2.
        const span = spec.max - spec.min + 1;
        for (let k = 0; k <= to - from + span; k += step) set.add(((from - spec.min + k) % span) + spec.min);
      }
    }
  }

  /** Whether the second containing `epochMs` (UTC) matches. */
  isSatisfiedBy(epochMs: number): boolean {
    const d = new Date(Math.floor(epochMs / 1000) * 1000);
    const values = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCDay() + 1, d.getUTCFullYear()];
    for (const field of [0, 1, 2, 4, 6]) {
      if (!this.anyField[field] && !this.sets[field]!.has(values[field]!)) return false;
    }
    const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    if (!this.anyField[3]) {
      if (this.lastDayOfMonth) return values[3] === daysInMonth;
      return this.sets[3]!.has(values[3]!);
    }
    const special = this.dayOfWeekSpecial;
    if (special === undefined) return this.sets[5]!.has(values[5]!);
    if (values[5] !== special.day) return false;
    if (special.kind === "last") return values[3]! + 7 > daysInMonth;
    return Math.ceil(values[3]! / 7) === special.nth;
  }
}
