/**
 * The string forms of values JSON has no type for that a schema checks by
 * pattern — Date, bigint, bytes — each with the words a 400 uses for it.
 * Defined once, here: the compiler writes these patterns into the schemas
 * (tsc-micro's emit/json-schema.ts) and the server recognises them in Ajv's
 * errors (server/form-text.ts), so a bad Date reads "must be an ISO 8601
 * date-time", never its 200-character regular expression.
 */

/** What `Date#toISOString` writes (years -271821…+275760 included), and the usual ISO 8601 variants. */
export const ISO_DATE_PATTERN =
  "^(?:[+-]\\d{6}|\\d{4})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)$";

/** A Date on the wire: an ISO 8601 date-time, or "Invalid Date" for a Date whose time is NaN (see codec.ts). */
export const DATE_WIRE_PATTERN = `^(?:${ISO_DATE_PATTERN.slice(1, -1)}|Invalid Date)$`;

/** A bigint: its decimal digits, with a minus sign when negative. */
export const BIGINT_PATTERN = "^-?\\d+$";

/** A Uint8Array: standard base64 (RFC 4648 §4), padded. */
export const BASE64_PATTERN = "^[A-Za-z0-9+/]*={0,2}$";

/** A pattern-checked wire form as an error message names it. */
export interface WireForm {
  pattern: string;
  /** The form in a list of forms: "ISO 8601 date-time string". */
  name: string;
  /** The whole complaint: "must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z)". */
  message: string;
}

export const WIRE_FORMS: readonly WireForm[] = [
  {
    pattern: DATE_WIRE_PATTERN,
    name: "ISO 8601 date-time string",
    message: 'must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z), or "Invalid Date"',
  },
  {
    pattern: ISO_DATE_PATTERN,
    name: "ISO 8601 date-time string",
    message: "must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z)",
  },
  // `${bigint}` in a template literal type compiles to the same pattern, and means the same strings.
  { pattern: BIGINT_PATTERN, name: "bigint string", message: "must be a bigint as a string of digits" },
  { pattern: BASE64_PATTERN, name: "base64 string", message: "must be base64" },
];

/** The wire form a schema pattern stands for, if it is one of these exactly. */
export function wireFormOf(pattern: string): WireForm | undefined {
  return WIRE_FORMS.find((form) => form.pattern === pattern);
}
