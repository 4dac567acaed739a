/**
 * The `@microservice` options, defined once: their names, kinds, ranges and the
 * texts that explain them. The tag parser (tag-options.ts) checks tag values
 * against these, the config schema (config/schema.ts) is built from them for
 * `services.<name>` overrides, and a unit test checks that the README's option
 * table lists the same options with the same ranges. Change an option here and
 * all three follow.
 */

/**
 * A whole number in [min, max]; `atLeast` documents it as "≥ min" (max is only a sanity cap).
 * With `range`, `MIN..MAX` (both in [min, max], MIN ≤ MAX) is accepted too: `replicas=2..10` asks for autoscaling.
 */
export interface IntegerSpec {
  kind: "integer";
  min: number;
  max: number;
  atLeast?: boolean;
  range?: boolean;
}

/** A duration written `500ms`, `2s` or `1m`, in whole milliseconds within [minMs, maxMs]. */
export interface DurationSpec {
  kind: "duration";
  minMs: number;
  maxMs: number;
}

/** A flag: the bare key means true; `key=true` and `key=false` are accepted too. */
export interface FlagSpec {
  kind: "flag";
}

/** A comma-separated list of labels. */
export interface TagsSpec {
  kind: "tags";
}

/** A service name (DNS label). */
export interface NameSpec {
  kind: "name";
}

export type OptionSpec = (IntegerSpec | DurationSpec | FlagSpec | TagsSpec | NameSpec) & {
  /** The key on the tag line. */
  key: string;
  /** Other spellings of the same option on the tag line (`name=` for `service=`). */
  aliases?: readonly string[];
  /** The key in `services.<name>` of the config file; absent when the config cannot set it. */
  configKey?: string;
  /** A good token, suggested in hints: `retry=3`, `idempotent`. */
  example: string;
  /** The README table's "value" column for this option. */
  value: string;
};

/** DNS-1123 label: what Docker Compose and Kubernetes accept as a service name. */
export const SERVICE_NAME_PATTERN = "^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$";
/** Digits, then `ms`, `s` or `m`. The duration's range is checked in code: a pattern cannot say it. */
export const DURATION_PATTERN = "^\\d+(\\.\\d+)?(ms|s|m)$";
/** `MIN..MAX` of an integer option with `range` (the bounds are checked in code). */
export const RANGE_PATTERN = "^(\\d+)\\.\\.(\\d+)$";
/** One label of `tags=`. */
export const TAG_PATTERN = "^[A-Za-z0-9][-A-Za-z0-9_.]*$";

const RETRY: IntegerSpec = { kind: "integer", min: 0, max: 10 };
const TIMEOUT: DurationSpec = { kind: "duration", minMs: 1, maxMs: 3_600_000 };
const CONCURRENCY: IntegerSpec = { kind: "integer", min: 1, max: 100_000, atLeast: true };
const REPLICAS: IntegerSpec = { kind: "integer", min: 1, max: 1000, range: true };

/** Every option, in the order hints and the README list them. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: "service", aliases: ["name"], kind: "name", example: "service=billing", value: "DNS label (`[a-z][-a-z0-9]*`, ≤ 63)" },
  { key: "retry", configKey: "retry", ...RETRY, example: "retry=3", value: integerRange(RETRY) },
  { key: "timeout", configKey: "timeout", ...TIMEOUT, example: "timeout=2s", value: "`500ms`, `2s`, `1m` (1 ms – 1 h)" },
  { key: "idempotent", configKey: "idempotent", kind: "flag", example: "idempotent", value: "flag (or `=true` / `=false`)" },
  { key: "concurrency", configKey: "concurrency", ...CONCURRENCY, example: "concurrency=16", value: integerRange(CONCURRENCY) },
  { key: "replicas", configKey: "replicas", ...REPLICAS, example: "replicas=2", value: `${integerRange(REPLICAS)}, or \`MIN..MAX\`` },
  { key: "tags", configKey: "tags", kind: "tags", example: "tags=payments,critical", value: "comma list" },
];

/** `0–10`, or `≥ 1` for an option documented as open-ended. */
export function integerRange(spec: IntegerSpec): string {
  return spec.atLeast ? `≥ ${spec.min}` : `${spec.min}–${spec.max}`;
}

/** What a value must be, as a phrase: "a whole number from 0 to 10". */
export function expectation(spec: OptionSpec): string {
  switch (spec.kind) {
    case "integer": {
      const one = spec.atLeast ? `a whole number of at least ${spec.min}` : `a whole number from ${spec.min} to ${spec.max}`;
      return spec.range ? `${one}, or a range MIN..MAX within it` : one;
    }
    case "duration":
      return `a duration ${durationRange(spec)}`;
    case "flag":
      return "true or false";
    case "tags":
      return "a list of labels (letters, digits, '-', '_' and '.')";
    case "name":
      return "a DNS label";
  }
}

/** "from 1ms to 1h". */
export function durationRange(spec: DurationSpec): string {
  return `from ${formatMs(spec.minMs)} to ${formatMs(spec.maxMs)}`;
}

/** The spec of an option with a config key, e.g. `timeout`. */
export function configSpec(configKey: string): OptionSpec | undefined {
  return OPTION_SPECS.find((s) => s.configKey === configKey);
}

/** `1` → `1ms`, `3600000` → `1h`: the shortest exact unit. */
function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** How an option is written in lists of options: `retry=`, but a flag bare (`idempotent`). */
export function displayKey(key: string): string {
  const spec = specOf(key);
  return spec?.kind === "flag" ? key : `${key}=`;
}

/** The spec of a tag key or alias. */
export function specOf(key: string): OptionSpec | undefined {
  return OPTION_SPECS.find((s) => s.key === key || s.aliases?.includes(key));
}

/** Every key the tag line accepts, aliases right after their option. */
export const TAG_KEYS: readonly string[] = OPTION_SPECS.flatMap((s) => [s.key, ...(s.aliases ?? [])]);

/**
 * Reads an integer option's text (`3`, or `2..10` when the spec allows a
 * range) within the spec's bounds: `{ value, max }` with `max` only for a
 * range; undefined when malformed or out of range. The tag parser and the
 * config's `"2..10"` both read values through this.
 */
export function readInteger(spec: IntegerSpec, text: string): { value: number; max?: number } | undefined {
  const inRange = (n: number) => n >= spec.min && n <= spec.max;
  if (/^\d+$/.test(text)) return inRange(Number(text)) ? { value: Number(text) } : undefined;
  const m = spec.range ? new RegExp(RANGE_PATTERN).exec(text) : null;
  if (!m) return undefined;
  const [low, high] = [Number(m[1]), Number(m[2])];
  return inRange(low) && inRange(high) && low <= high ? { value: low, max: high } : undefined;
}
