/**
 * Whether a value arrives unchanged after JSON.stringify and JSON.parse, so an
 * error's field is either sent as the monolith would see it or not at all.
 * JSON.stringify alone is too lenient: it turns a Date into a string, NaN
 * into null and `{ a: undefined }` into `{}`, and drops functions silently.
 */

/** Nesting deeper than this counts as unsafe (and keeps the walk off the stack limit). */
const MAX_DEPTH = 64;

/**
 * True for null, booleans, strings, finite numbers, and arrays and plain
 * objects made only of those (no cycles, holes, undefined, functions,
 * symbols, bigints, class instances). Never throws: a getter or proxy that
 * throws makes the value unsafe.
 */
export function isJsonSafe(value: unknown): boolean {
  try {
    return safeAt(value, 0, new Set());
  } catch {
    return false;
  }
}

function safeAt(value: unknown, depth: number, ancestors: Set<object>): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      break;
    default:
      return false; // undefined, function, symbol, bigint
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH || ancestors.has(value)) return false;
  ancestors.add(value);
  const safe = Array.isArray(value)
    ? Object.getPrototypeOf(value) === Array.prototype && arraySafe(value, depth, ancestors)
    : isPlainObject(value) && objectSafe(value, depth, ancestors);
  // Only ancestors count: the same object twice side by side is no cycle.
  ancestors.delete(value);
  return safe;
}

function arraySafe(array: unknown[], depth: number, ancestors: Set<object>): boolean {
  for (let i = 0; i < array.length; i++) {
    // A hole would come back as null.
    if (!(i in array) || !safeAt(array[i], depth + 1, ancestors)) return false;
  }
  return true;
}

function objectSafe(object: object, depth: number, ancestors: Set<object>): boolean {
  for (const key of Object.keys(object)) {
    if (!safeAt((object as Record<string, unknown>)[key], depth + 1, ancestors)) return false;
  }
  return true;
}

/** An object literal or `Object.create(null)`: no class whose instances JSON would flatten. */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
