import { DurationFormatError, formatDuration, parseDuration } from "../../core/duration.ts";
import { MemorySizeFormatError, parseMemorySize } from "../../core/memorySize.ts";
import type { ConfigOption } from "./ConfigOption.ts";

/** A configuration value that does not parse, as Flink reports it. */
export class IllegalConfigurationError extends Error {
  constructor(
    readonly key: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`Could not parse value '${value}' for key '${key}'. ${reason}`);
    this.name = "IllegalConfigurationError";
  }
}

/** Splits a list option on ';' (Flink's StructuredOptionsSplitter, without its quoting rules). */
function splitList(text: string): string[] {
  return text
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Flink's Configuration over a flat string map: get() reads the option's key, then its
 * fallback keys in order, converts the text to the option's type, or returns the default.
 * set() stores a typed value back as text.
 */
export class Configuration {
  private readonly values: Map<string, string>;
  /**
   * Values read so far, by option, emptied by every change: the autoscaler reads dozens of
   * options at every reconcile, several of them once per vertex and sample. Lists are kept
   * here and handed out as copies (callers may change the array they get).
   */
  private readonly read = new Map<ConfigOption<unknown>, unknown>();

  constructor(values: Iterable<readonly [string, string]> | Readonly<Record<string, string>> = []) {
    this.values = new Map(Symbol.iterator in values ? (values as Iterable<readonly [string, string]>) : Object.entries(values));
  }

  static fromMap(map: Readonly<Record<string, string>>): Configuration {
    return new Configuration(map);
  }

  /** The first of the option's keys (its own, then its fallbacks) that is set. */
  private setKey<T>(option: ConfigOption<T>): string | undefined {
    if (this.values.has(option.key)) return option.key;
    for (const fallback of option.fallbackKeys) if (this.values.has(fallback.key)) return fallback.key;
    return undefined;
  }

  /** The option's value, or its default. Throws IllegalConfigurationError on a value that does not parse. */
  get<T>(option: ConfigOption<T>): T {
    const value = this.getOptional(option);
    return (value !== undefined ? value : option.defaultValue) as T;
  }

  /** The option's value if one of its keys is set (the default is not consulted). */
  getOptional<T>(option: ConfigOption<T>): T | undefined {
    let value = this.read.get(option as ConfigOption<unknown>) as T | undefined;
    if (value === undefined) {
      // No object per call: the autoscaler reads dozens of options at every reconcile.
      const key = this.setKey(option);
      if (key === undefined) return undefined;
      value = convert(option, key, this.values.get(key)!);
      this.read.set(option as ConfigOption<unknown>, value);
    }
    return option.type === "stringList" ? ((value as string[]).slice() as T) : value;
  }

  /** Flink's getBoolean(option) for a boolean option. */
  getBoolean(option: ConfigOption<boolean>): boolean {
    return this.get(option);
  }

  contains(option: ConfigOption<unknown>): boolean {
    return this.setKey(option) !== undefined;
  }

  /** Stores `value` under the option's own key. */
  set<T>(option: ConfigOption<T>, value: T): this {
    return this.setString(option.key, toText(option, value));
  }

  setString(key: string, value: string): this {
    // The same text again changes nothing (the autoscaler sets vertex.exclude.ids at every reconcile, mostly to what it was).
    if (this.values.get(key) === value) return this;
    this.values.set(key, value);
    this.read.clear();
    return this;
  }

  getString(key: string): string | undefined {
    return this.values.get(key);
  }

  removeConfig(option: ConfigOption<unknown>): void {
    this.values.delete(option.key);
    for (const f of option.fallbackKeys) this.values.delete(f.key);
    this.read.clear();
  }

  toMap(): Record<string, string> {
    return Object.fromEntries(this.values);
  }

  clone(): Configuration {
    return new Configuration(this.values);
  }
}

/**
 * Converted values of scalar options by option and text: the operator builds a new
 * Configuration at every reconcile and the autoscaler reads dozens of options from it.
 * Lists are converted anew each time (callers may change the array they get).
 */
const converted = new WeakMap<ConfigOption<unknown>, Map<string, unknown>>();

function convert<T>(option: ConfigOption<T>, key: string, value: string): T {
  if (option.type === "stringList") return convertText(option, key, value);
  let byText = converted.get(option as ConfigOption<unknown>);
  if (byText === undefined) converted.set(option as ConfigOption<unknown>, (byText = new Map()));
  if (byText.has(value)) return byText.get(value) as T;
  const result = convertText(option, key, value);
  byText.set(value, result);
  return result;
}

function convertText<T>(option: ConfigOption<T>, key: string, value: string): T {
  const fail = (reason: string): never => {
    throw new IllegalConfigurationError(key, value, reason);
  };
  const text = value.trim();
  switch (option.type) {
    case "string":
      return value as T;
    case "boolean": {
      const lower = text.toLowerCase();
      if (lower === "true") return true as T;
      if (lower === "false") return false as T;
      return fail(`Unrecognized option for boolean: ${value}. Expected either true or false(case insensitive)`);
    }
    case "int": {
      if (!/^[-+]?\d+$/.test(text)) return fail("Not an integer.");
      const n = Number(text);
      if (n > 2147483647 || n < -2147483648) return fail("Integer value out of range.");
      return n as T;
    }
    case "double": {
      const n = Number(text);
      if (text === "" || Number.isNaN(n) && text !== "NaN") return fail("Not a number.");
      return n as T;
    }
    case "duration":
      try {
        return parseDuration(text) as T;
      } catch (e) {
        if (e instanceof DurationFormatError) return fail(e.message);
        throw e;
      }
    case "memory":
      try {
        return parseMemorySize(text) as T;
      } catch (e) {
        if (e instanceof MemorySizeFormatError) return fail(e.message);
        throw e;
      }
    case "stringList":
      return splitList(value) as T;
    case "enum": {
      const match = option.enumValues!.find((v) => v.toUpperCase() === text.toUpperCase());
      if (match === undefined) return fail(`Expected one of ${option.enumValues!.join(", ")}.`);
      return match as T;
    }
  }
}

function toText<T>(option: ConfigOption<T>, value: T): string {
  switch (option.type) {
    case "duration":
      return formatDuration(value as number);
    case "memory":
      return `${value as number}b`;
    case "stringList":
      return (value as string[]).join(";");
    default:
      return String(value);
  }
}
