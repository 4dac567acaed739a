/**
 * Turns whatever a function threw into its wire form ({@link WireThrown}):
 * name, message, the error's own data fields, its cause chain and an
 * AggregateError's errors, so the client can rebuild the error the monolith's
 * caller would have caught.
 */
import { isNativeError } from "node:util/types";
import { MAX_AGGREGATE_ERRORS, MAX_CAUSE_DEPTH, isServiceErrorInstance } from "../errors.js";
import type { WireCause, WireThrown } from "../errors.js";
import { describeThrown, withoutInternals } from "./error-response.js";
import { isJsonSafe } from "./json-safe.js";
// Depth and width limits alone still allow 100^8 nested errors.
const MAX_NESTED_ERRORS = 1000;

/** Never sent as fields: the Error's own parts, which travel on their own. */
const ERROR_KEYS = new Set(["name", "message", "stack", "cause"]);
/**
 * A ServiceError's own enumerable properties describe the call that failed
 * downstream, not data of the program; a caller further up must not see them
 * as fields (its own call's service/status are set by its client).
 */
const SERVICE_ERROR_KEYS = new Set(["code", "status", "service", "url", "issues", "remoteStack"]);

export interface SerializeOptions {
  /** Include stacks (only with NODE_ENV=development). */
  stacks: boolean;
  /**
   * Send our own ServiceErrors (a downstream call's failure) whole: the URL
   * called in the message and the cause (Node's error, with syscall, errno,
   * address, port). Default `stacks`, i.e. only in development; otherwise
   * such an error travels as name and a message without addresses.
   */
  internals?: boolean;
}

interface Walk {
  stacks: boolean;
  internals: boolean;
  /** Nested errors still allowed. */
  budget: number;
  /** Errors on the current path, so `e.cause = e` ends instead of looping. */
  ancestors: Set<object>;
}

/**
 * The wire form of a thrown value. A non-Error gets name "Error" and its
 * string form, as before. Never throws: parts that cannot be read are left out.
 */
export function serializeThrown(thrown: unknown, options: SerializeOptions): WireThrown {
  const walk: Walk = { stacks: options.stacks, internals: options.internals ?? options.stacks, budget: MAX_NESTED_ERRORS, ancestors: new Set() };
  if (!isErrorLike(thrown)) {
    const node = describeNode(thrown, walk);
    if (isJsonSafe(thrown)) node.thrown = { value: thrown };
    return node;
  }
  return errorNode(thrown, 0, walk);
}

function isErrorLike(value: unknown): value is Error {
  try {
    // isNativeError also catches errors from other realms (vm contexts).
    return value instanceof Error || isNativeError(value);
  } catch {
    return false; // a proxy whose getPrototypeOf throws
  }
}

function describeNode(thrown: unknown, walk: Walk): WireThrown {
  const described = describeThrown(thrown);
  const node: WireThrown = { name: described.name, message: described.message };
  if (walk.stacks && described.stack !== undefined) node.stack = described.stack;
  return node;
}

function errorNode(error: Error, depth: number, walk: Walk): WireThrown {
  const node = describeNode(error, walk);
  // Our own ServiceError carries the downstream error's name on purpose: its class says nothing.
  // Told by its brand, never by the constructor's name, which a bundler may rename (`_ServiceError`).
  const ours = isServiceErrorInstance(error);
  if (ours && !walk.internals) {
    node.message = withoutInternals(node.message);
    return node; // its cause is Node's transport error: addresses and syscall fields
  }
  const className = ours ? undefined : read(Object.getPrototypeOf(error) ?? {}, "constructor") as { name?: unknown } | undefined;
  if (typeof className?.name === "string" && className.name !== "" && className.name !== node.name) {
    node.className = className.name;
  }
  walk.ancestors.add(error);
  const fields = fieldsOf(error);
  if (fields) node.fields = fields;
  if (depth < MAX_CAUSE_DEPTH) {
    const cause = read(error, "cause");
    const wireCause = cause === undefined ? undefined : causeNode(cause, depth + 1, walk);
    if (wireCause) node.cause = wireCause;
    const errors = aggregatedErrors(error);
    // `{}` for an entry that cannot be sent keeps the others at their index.
    if (errors) node.errors = errors.map((entry) => causeNode(entry, depth + 1, walk) ?? {});
  }
  walk.ancestors.delete(error);
  return node;
}

/** A cause or aggregated entry: an error node, `{ value }` for JSON-safe data, else nothing. */
function causeNode(value: unknown, depth: number, walk: Walk): WireCause | undefined {
  if (isErrorLike(value)) {
    if (walk.ancestors.has(value) || walk.budget <= 0) return undefined;
    walk.budget--;
    return errorNode(value, depth, walk);
  }
  return isJsonSafe(value) ? { value } : undefined;
}

/** An AggregateError's errors, capped; undefined for other errors. */
function aggregatedErrors(error: Error): unknown[] | undefined {
  try {
    if (!(error instanceof AggregateError) || !Array.isArray(error.errors)) return undefined;
    return error.errors.slice(0, MAX_AGGREGATE_ERRORS);
  } catch {
    return undefined;
  }
}

/**
 * Own enumerable properties that JSON carries unchanged, judged one by one:
 * a function in one field does not cost the caller the others.
 */
function fieldsOf(error: Error): Record<string, unknown> | undefined {
  let keys: string[];
  try {
    keys = Object.keys(error);
  } catch {
    return undefined;
  }
  const skipServiceKeys = isServiceErrorInstance(error);
  // No prototype: a "__proto__" field stays an ordinary key.
  const fields: Record<string, unknown> = Object.create(null);
  let count = 0;
  for (const key of keys) {
    if (ERROR_KEYS.has(key) || (skipServiceKeys && SERVICE_ERROR_KEYS.has(key))) continue;
    const value = read(error, key);
    if (isJsonSafe(value)) {
      fields[key] = value;
      count++;
    }
  }
  return count > 0 ? fields : undefined;
}

/** `object[key]`, or undefined when a getter throws. */
function read(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
