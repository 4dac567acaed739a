/**
 * Wire forms of the values JSON has no type for, used by generated codecs on
 * both sides of a call so the function sees what the monolith would pass:
 * Date ↔ ISO string, bigint ↔ string of digits, Uint8Array ↔ base64,
 * URL ↔ href, Map ↔ array of [key, value] pairs, Set ↔ array.
 * Every helper passes `null`, `undefined` and values of an unexpected shape
 * through unchanged: validation, not the codec, decides what is acceptable.
 */

type Fn = ((value: any) => unknown) | null;

export function encodeDate(v: unknown): unknown {
  return v instanceof Date ? v.toJSON() : v;
}
export function decodeDate(v: unknown): unknown {
  return typeof v === "string" ? new Date(v) : v;
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
  return typeof v === "string" ? new URL(v) : v;
}

export function encodeMap(v: unknown, key: Fn, value: Fn): unknown {
  if (!(v instanceof Map)) return v;
  return Array.from(v, ([k, x]) => [key ? key(k) : k, value ? value(x) : x]);
}
export function decodeMap(v: unknown, key: Fn, value: Fn): unknown {
  if (!Array.isArray(v)) return v;
  return new Map(v.map((pair: unknown[]) => [key ? key(pair[0]) : pair[0], value ? value(pair[1]) : pair[1]]));
}
export function encodeSet(v: unknown, item: Fn): unknown {
  return v instanceof Set ? Array.from(v, (x) => (item ? item(x) : x)) : v;
}
export function decodeSet(v: unknown, item: Fn): unknown {
  return Array.isArray(v) ? new Set(item ? v.map(item) : v) : v;
}

/** Applies `item` to every element of an array. */
export function mapArray(v: unknown, item: Fn): unknown {
  return Array.isArray(v) && item ? v.map((x) => item(x)) : v;
}

/** Applies each element's function (or `rest` past them) to a tuple. */
export function mapTuple(v: unknown, elements: readonly Fn[], rest: Fn): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((x, i) => {
    const f = i < elements.length ? elements[i] : rest;
    return f && x !== undefined ? f(x) : x;
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
  for (const [k, x] of Object.entries(v)) {
    const f = Object.hasOwn(fields, k) ? fields[k] : rest;
    const value = f && x !== undefined ? f(x) : x;
    // defineProperty: a "__proto__" key stays an ordinary property.
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** True when `v` is a plain JSON object whose keys include `required` and are all in `known` (unless open). */
export function looksLike(v: unknown, required: readonly string[], known: readonly string[] | null): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  if (!required.every((k) => Object.hasOwn(v, k))) return false;
  return known === null || Object.keys(v).every((k) => known.includes(k));
}
