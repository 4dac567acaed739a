/**
 * Rebuilds the error a service threw from its wire form, so the caller
 * catches what the monolith's caller caught: the same class (a registered
 * one or a built-in), message, data fields and cause chain.
 *
 * The user's constructor is never called (its arguments are unknown and it
 * may have side effects). `Reflect.construct(Error, [message], Class)` runs
 * only the built-in Error constructor with `Class.prototype` as prototype:
 * unlike `Object.create(Class.prototype)` this gives a real native error
 * (`util.types.isNativeError`, "[object Error]", structuredClone), which
 * `assert.deepStrictEqual` requires to compare equal to a thrown one.
 */
import { errorClassFor } from "../error-classes.js";
import type { ErrorClass } from "../error-classes.js";
import { MAX_AGGREGATE_ERRORS, MAX_CAUSE_DEPTH, brandAsRemote } from "../errors.js";
import type { CallSite } from "./decode-response.js";

const BUILT_IN_ERRORS: ReadonlyMap<string, ErrorClass> = new Map<string, ErrorClass>([
  ["Error", Error],
  ["TypeError", TypeError],
  ["RangeError", RangeError],
  ["SyntaxError", SyntaxError],
  ["ReferenceError", ReferenceError],
  ["EvalError", EvalError],
  ["URIError", URIError],
  ["AggregateError", AggregateError],
]);

const BUILT_IN_SET: ReadonlySet<ErrorClass> = new Set(BUILT_IN_ERRORS.values());

/** Travel separately from the fields; a server that sends them as fields is ignored. */
const RESERVED_FIELDS = new Set(["name", "message", "stack", "cause"]);

type Node = Record<string, unknown>;

/**
 * The thrown error of a 500 answer, rebuilt. Besides the user's fields it
 * carries, as own non-enumerable properties (so deep equality with the
 * monolith's error still holds), `service`, `url`, `status` and, when sent,
 * `remoteStack`; a user field of the same name wins. It passes
 * `ServiceError.is`, though it is no ServiceError: its `code` is the user's.
 *
 * @param wire the `error` object of the response body, with a string `message`
 */
export function rebuildRemoteError(wire: Node, site: CallSite, status: number): Error {
  // `throw "nope"` in the service: the caller gets the very value, as in the monolith.
  const thrown = wire.thrown as { value?: unknown } | undefined;
  if (typeof thrown === "object" && thrown !== null && Object.hasOwn(thrown, "value")) return thrown.value as Error;
  const error = rebuildNode(wire, 0);
  brandAsRemote(error);
  const meta: Node = { service: site.service, url: site.url, status };
  if (typeof wire.stack === "string") meta.remoteStack = wire.stack;
  for (const [key, value] of Object.entries(meta)) {
    if (Object.hasOwn(error, key)) continue; // the user's field
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  }
  return error;
}

/**
 * A wire `cause` (or aggregated entry) → `{ value }`: a rebuilt error, or
 * the value sent as `{ value }`. Anything else (`{}`, junk) → undefined.
 */
export function rebuildCause(wire: unknown, depth: number): { value: unknown } | undefined {
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) return undefined;
  const node = wire as Node;
  if (typeof node.message === "string") return { value: rebuildNode(node, depth) };
  if (Object.hasOwn(node, "value")) return { value: node.value };
  return undefined;
}

function rebuildNode(node: Node, depth: number): Error {
  const name = typeof node.name === "string" && node.name !== "" ? node.name : "Error";
  const message = typeof node.message === "string" ? node.message : "";
  const nested = depth < MAX_CAUSE_DEPTH;
  const cause = nested ? rebuildCause(node.cause, depth + 1) : undefined;
  const errors = nested && Array.isArray(node.errors)
    ? node.errors.slice(0, MAX_AGGREGATE_ERRORS).map((entry) => rebuildCause(entry, depth + 1)?.value)
    : undefined;

  const className = typeof node.className === "string" ? node.className : undefined;
  const cls = (className !== undefined ? errorClassFor(className) : undefined) ?? classFor(name, errors !== undefined);
  const base = builtInBase(cls);
  // Passing the cause to the constructor makes it own and non-enumerable, as it was.
  const options = cause ? { cause: cause.value } : undefined;
  const args = base === AggregateError ? [errors ?? [], message, options] : [message, options];
  const error = Reflect.construct(base as unknown as Function, args, cls as unknown as Function) as Error;

  if (prototypeName(cls) !== name) {
    // The thrown error had its name on the instance, as `this.name = …` or a
    // class field put it: own and enumerable, so deep equality holds.
    Object.defineProperty(error, "name", { value: name, writable: true, configurable: true, enumerable: true });
  }
  if (typeof node.stack === "string") {
    Object.defineProperty(error, "stack", { value: node.stack, writable: true, configurable: true, enumerable: false });
  } else {
    // Re-capture now that the name is right ("NotFoundError: …", not "Error: …"),
    // starting below this frame.
    Error.captureStackTrace(error, rebuildNode);
  }
  assignFields(error, node.fields);
  return error;
}

/**
 * The class to rebuild `name` as: a registered class, a built-in error, else
 * Error (AggregateError when errors were sent, so they have a home).
 */
function classFor(name: string, aggregate: boolean): ErrorClass {
  return errorClassFor(name) ?? BUILT_IN_ERRORS.get(name) ?? (aggregate ? AggregateError : Error);
}

/** The built-in error class `cls` derives from (itself for a built-in). */
function builtInBase(cls: ErrorClass): ErrorClass {
  for (let proto: unknown = cls.prototype; proto !== null && typeof proto === "object"; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.hasOwn(proto, "constructor") ? (proto as { constructor: unknown }).constructor : undefined;
    if (BUILT_IN_SET.has(ctor as ErrorClass) && (ctor as ErrorClass).prototype === proto) return ctor as ErrorClass;
  }
  return Error; // registration guarantees Error.prototype is in the chain
}

function prototypeName(cls: ErrorClass): unknown {
  try {
    return (cls.prototype as { name?: unknown }).name;
  } catch {
    return undefined; // a throwing getter: give the instance its own name
  }
}

/** The user's fields, as own enumerable properties (defineProperty: setters and "__proto__" stay inert). */
function assignFields(error: Error, fields: unknown): void {
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return;
  for (const [key, value] of Object.entries(fields)) {
    if (RESERVED_FIELDS.has(key)) continue;
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: true });
  }
}
