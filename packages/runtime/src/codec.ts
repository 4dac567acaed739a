/**
 * Wire forms of the values JSON has no type for, used by generated codecs on
 * both sides of a call so the function sees what the monolith would pass:
 * Date ↔ ISO string, bigint ↔ string of digits, Uint8Array ↔ base64,
 * URL ↔ href, Map ↔ array of [key, value] pairs, Set ↔ array.
 * Every helper passes `null`, `undefined` and values of an unexpected shape
 * through unchanged: validation, not the codec, decides what is acceptable.
 */

type Fn = ((value: any) => unknown) | null;

/**
 * Keys that could reach an object's prototype if a function copied the
 * arguments carelessly: services refuse them anywhere in a body, and the
 * compiler refuses parameters and properties with these names.
 */
export const RESERVED_KEYS = ["__proto__", "constructor"] as const;

/**
 * A wire value its type cannot hold (`"2023-12-31T23:59:60Z"` is no Date,
 * `"http://"` no URL). `path` is filled in as the error leaves each object
 * and array, so the server can answer 400 naming the field.
 */
export class WireFormError extends Error {
  path = "";
  constructor(message: string) {
    super(message);
    this.name = "WireFormError";
  }
}

/**
 * Runs a key's codec `f` on `x`, prefixing the key's path segment to a WireFormError it throws; the
 * segment is only spelt out when a value fails (it was built for every key of every call before).
 */
function atKey(k: string, f: (x: unknown) => unknown, x: unknown): unknown {
  try {
    return f(x);
  } catch (e) {
    throw withSegment(e, segmentOf(k));
  }
}

/** The same for an array's item `i` (then `suffix`: a Map entry's `[0]` or `[1]`). */
function atIndex(i: number, f: (x: unknown) => unknown, x: unknown, suffix = ""): unknown {
  try {
    return f(x);
  } catch (e) {
    throw withSegment(e, `[${i}]${suffix}`);
  }
}

/** Prefixes `segment` to the path of a WireFormError. */
function withSegment(e: unknown, segment: string): unknown {
  if (e instanceof WireFormError) e.path = e.path ? (e.path.startsWith("[") ? `${segment}${e.path}` : `${segment}.${e.path}`) : segment;
  return e;
}

function segmentOf(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : `[${JSON.stringify(k)}]`;
}

/** The wire form of a Date whose time is NaN (`new Date("x")`): what `String(date)` says of it. */
export const INVALID_DATE = "Invalid Date";

export function encodeDate(v: unknown): unknown {
  if (!(v instanceof Date)) return v;
  // toJSON() gives null for an Invalid Date, which no Date parameter accepts.
  return Number.isNaN(v.getTime()) ? INVALID_DATE : v.toJSON();
}
export function decodeDate(v: unknown): unknown {
  if (typeof v !== "string") return v;
  if (v === INVALID_DATE) return new Date(NaN);
  const d = new Date(v);
  if (Number.isNaN(d.getTime()) || !calendarDayExists(v)) throw new WireFormError(`${JSON.stringify(v)} is not a date a Date can hold`);
  return d;
}
/** `Date` rolls 2024-02-30 over to March 1st; a value a Date could have written never says so. */
function calendarDayExists(iso: string): boolean {
  const m = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return true;
  const probe = new Date(0);
  probe.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return probe.getUTCDate() === Number(m[3]);
}

export function encodeBigInt(v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}
export function decodeBigInt(v: unknown): unknown {
  return typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : v;
}
export function encodeBytes(v: unknown): unknown {
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") : v;
}
export function decodeBytes(v: unknown): unknown {
  // A plain Uint8Array, not a Buffer: the function must see the monolith's type.
  return typeof v === "string" ? new Uint8Array(Buffer.from(v, "base64")) : v;
}
export function encodeUrl(v: unknown): unknown {
  return v instanceof URL ? v.href : v;
}
export function decodeUrl(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return new URL(v);
  } catch {
    throw new WireFormError(`${JSON.stringify(v)} is not a URL the URL constructor accepts`);
  }
}

export function encodeMap(v: unknown, key: Fn, value: Fn): unknown {
  if (!(v instanceof Map)) return v;
  return Array.from(v, ([k, x]) => [key ? key(k) : k, value ? value(x) : x]);
}
export function decodeMap(v: unknown, key: Fn, value: Fn): unknown {
  if (!Array.isArray(v)) return v;
  return new Map(v.map((pair: unknown[], i) => [key ? atIndex(i, key, pair[0], "[0]") : pair[0], value ? atIndex(i, value, pair[1], "[1]") : pair[1]]));
}
export function encodeSet(v: unknown, item: Fn): unknown {
  return v instanceof Set ? Array.from(v, (x) => (item ? item(x) : x)) : v;
}
export function decodeSet(v: unknown, item: Fn): unknown {
  return Array.isArray(v) ? new Set(item ? v.map((x, i) => atIndex(i, item, x)) : v) : v;
}

/** Applies `item` to every element of an array. */
export function mapArray(v: unknown, item: Fn): unknown {
  return Array.isArray(v) && item ? v.map((x, i) => atIndex(i, item, x)) : v;
}

/** Applies each element's function (or `rest` past them) to a tuple. */
export function mapTuple(v: unknown, elements: readonly Fn[], rest: Fn): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((x, i) => {
    const f = i < elements.length ? elements[i] : rest;
    return f && x !== undefined ? atIndex(i, f, x) : x;
  });
}

/**
 * Copies an object applying `fields[key]` to the properties that have one and
 * `rest` to the others (index signatures). Keys keep their order; absent
 * properties stay absent, as the monolith would see them.
 */
export function mapObject(v: unknown, fields: Readonly<Record<string, Fn>>, rest: Fn = null): unknown {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  // for…in without an entries array; own keys only, as before (a value the program encodes may inherit).
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    const f = Object.hasOwn(fields, k) ? fields[k] : rest;
    const value = f && x !== undefined ? atKey(k, f, x) : x;
    // A "__proto__" key stays an ordinary property (assignment would set the prototype).
    if (k === "__proto__") Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    else out[k] = value;
  }
  return out;
}

/** True when `v` is a plain JSON object whose keys include `required` and are all in `known` (unless open). */
export function looksLike(v: unknown, required: readonly string[], known: readonly string[] | null): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  if (!required.every((k) => Object.hasOwn(v, k))) return false;
  return known === null || Object.keys(v).every((k) => known.includes(k));
}

/**
 * Numbers JSON cannot write: NaN, Infinity and -Infinity (JSON.stringify makes
 * them `null`) and -0 (written as `0`). At a `number` position they cross as
 * these strings; in a union that also admits strings (where a string could be
 * one of these words) as `{ "$number": word }`.
 */
export const NUMBER_WORDS = ["NaN", "Infinity", "-Infinity", "-0"] as const;
export type NumberWord = (typeof NUMBER_WORDS)[number];

/** The word for a number JSON cannot write, or undefined for one it can. */
function wordOf(v: number): NumberWord | undefined {
  if (Number.isFinite(v)) return Object.is(v, -0) ? "-0" : undefined;
  return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

function numberOfWord(v: unknown): number | undefined {
  switch (v) {
    case "NaN":
      return NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
    default:
      return undefined;
  }
}

export function encodeNumber(v: unknown): unknown {
  return typeof v === "number" ? (wordOf(v) ?? v) : v;
}
export function decodeNumber(v: unknown): unknown {
  return typeof v === "string" ? (numberOfWord(v) ?? v) : v;
}
/** True for the wire form of a number: a JSON number or one of {@link NUMBER_WORDS}. */
export function isNumberWire(v: unknown): boolean {
  return typeof v === "number" || numberOfWord(v) !== undefined;
}

export function encodeNumberBoxed(v: unknown): unknown {
  if (typeof v !== "number") return v;
  const word = wordOf(v);
  return word === undefined ? v : { $number: word };
}
export function decodeNumberBoxed(v: unknown): unknown {
  return isBoxedNumber(v) ? numberOfWord((v as { $number: string }).$number) : v;
}
/** True for a JSON number or `{ "$number": word }`: a number's wire form in a union that admits strings. */
export function isNumberBoxedWire(v: unknown): boolean {
  return typeof v === "number" || isBoxedNumber(v);
}
function isBoxedNumber(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === "$number" && numberOfWord((v as { $number: unknown }).$number) !== undefined;
}
