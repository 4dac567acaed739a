/**
 * The one reader of whole-number settings from the environment (PORT, the
 * TSC_MICRO_* limits, delays and counts): unset or blank means "not set", and
 * anything else that is not a whole number in range stops the start with a
 * RangeError naming the variable: `NAME must be <expected>, got "<value>"`.
 * Digits only (white space around them allowed): `1e3`, `0x10` or `5.0` are
 * not how anyone writes a port or a count, and are refused rather than guessed.
 */
export function integerFromEnv(
  env: Record<string, string | undefined>,
  name: string,
  range: { min: number; max?: number; expected: string },
): number | undefined {
  const value = env[name];
  if (value === undefined || value.trim() === "") return undefined;
  const number = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < range.min || number > (range.max ?? Infinity)) {
    throw new RangeError(`${name} must be ${range.expected}, got "${value}"`);
  }
  return number;
}

/** What the positive limits (timeouts, sizes, counts) accept: 1 up to the largest safe integer. */
export const POSITIVE = { min: 1, max: Number.MAX_SAFE_INTEGER, expected: "a positive integer" } as const;

/** A timer's delay in ms: Node turns anything longer than 2^31 − 1 into 1 ms (with a warning). */
export const TIMER_MS = { min: 1, max: 2_147_483_647, expected: "an integer from 1 to 2147483647" } as const;

/** A TCP port; 0 asks the system for a free one. */
export const PORT_RANGE = { min: 0, max: 65535, expected: "an integer from 0 to 65535" } as const;
