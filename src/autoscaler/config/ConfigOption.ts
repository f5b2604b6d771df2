/** The value types an option may have, as Flink's ConfigOptions builder offers them. */
export type OptionType = "boolean" | "int" | "double" | "duration" | "memory" | "stringList" | "enum" | "string";

/**
 * A configuration option (Flink's ConfigOption): a key, a type, a default (undefined for
 * options without one) and fallback keys, read in order after the key itself. A
 * deprecated key is a fallback key that Flink warns about.
 */
export interface ConfigOption<T> {
  readonly key: string;
  readonly type: OptionType;
  readonly defaultValue: T | undefined;
  readonly fallbackKeys: readonly FallbackKey[];
  readonly description: string;
  /** For enum options: the constants, as their names. */
  readonly enumValues?: readonly string[];
}

export interface FallbackKey {
  readonly key: string;
  readonly isDeprecated: boolean;
}

/** Builds an option as ConfigOptions.key(k).xxxType().defaultValue(d).withDeprecatedKeys(...).withFallbackKeys(...) does. */
export function option<T>(spec: {
  key: string;
  type: OptionType;
  defaultValue?: T;
  deprecatedKeys?: readonly string[];
  fallbackKeys?: readonly string[];
  description: string;
  enumValues?: readonly string[];
}): ConfigOption<T> {
  return {
    key: spec.key,
    type: spec.type,
    defaultValue: spec.defaultValue,
    // As Flink's ConfigOption orders them: withFallbackKeys puts its keys first,
    // withDeprecatedKeys puts its keys last, whatever order the two are called in.
    fallbackKeys: [
      ...(spec.fallbackKeys ?? []).map((key) => ({ key, isDeprecated: false })),
      ...(spec.deprecatedKeys ?? []).map((key) => ({ key, isDeprecated: true })),
    ],
    description: spec.description,
    ...(spec.enumValues !== undefined ? { enumValues: spec.enumValues } : {}),
  };
}
