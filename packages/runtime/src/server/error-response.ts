/**
 * Builds the JSON error responses a service sends: `{ "error": WireError }`
 * with the status from the shared ERROR_CODES table.
 */
// node:util/types, not node:util: the latter's ESM view loads parseArgs and MIMEType at start-up (getters).
import { isNativeError } from "node:util/types";
import { ServiceError, statusOf } from "../errors.js";
import type { ErrorCode, ValidationIssue, WireCause, WireError } from "../errors.js";

const JSON_HEADERS = { "content-type": "application/json; charset=UTF-8" };

export interface ErrorResponseExtras {
  /** Error name; default "ServiceError" is the name for transport-level problems. */
  name?: string;
  issues?: ValidationIssue[];
  omittedIssues?: number;
  stack?: string;
  /** A thrown error's data fields, cause and aggregated errors (see serializeThrown). */
  fields?: Record<string, unknown>;
  cause?: WireCause;
  errors?: WireCause[];
  /** The thrown error's class when its name does not say it, and a thrown non-Error value. */
  className?: string;
  thrown?: { value: unknown };
  /** Extra response headers, e.g. `Allow` for 405. */
  headers?: Record<string, string>;
}

/** A complete error response for `code`. */
export function errorResponse(
  code: ErrorCode,
  message: string,
  extras: ErrorResponseExtras = {},
): Response {
  const error: WireError = { name: extras.name ?? "ServiceError", message, code };
  if (extras.issues !== undefined) error.issues = extras.issues;
  if (extras.omittedIssues) error.omittedIssues = extras.omittedIssues;
  if (extras.stack !== undefined) error.stack = extras.stack;
  if (extras.fields !== undefined) error.fields = extras.fields;
  if (extras.cause !== undefined) error.cause = extras.cause;
  if (extras.errors !== undefined) error.errors = extras.errors;
  if (extras.className !== undefined) error.className = extras.className;
  if (extras.thrown !== undefined) error.thrown = extras.thrown;
  return new Response(JSON.stringify({ error }), {
    status: statusOf(code),
    headers: { ...JSON_HEADERS, ...extras.headers },
  });
}

/** What a thrown value looks like on the wire, before the stack decision. */
export interface ThrownDescription {
  name: string;
  message: string;
  stack?: string;
  /** Set when the value was a ServiceError from a downstream call. */
  downstream?: ServiceError;
}

/**
 * Name and message of anything a function may throw. Non-Error values get
 * name "Error" and their string form, so `throw "nope"` still reads well.
 * Never throws, even for a proxy or a throwing getter.
 */
export function describeThrown(value: unknown): ThrownDescription {
  try {
    return describeOrThrow(value);
  } catch {
    return { name: "Error", message: "[unprintable thrown value]" };
  }
}

function describeOrThrow(value: unknown): ThrownDescription {
  // isNativeError also catches errors from other realms (vm contexts).
  if (value instanceof Error || isNativeError(value) || ServiceError.is(value)) {
    const error = value as Error;
    const name: unknown = error.name;
    const message: unknown = error.message;
    const stack: unknown = error.stack;
    const described: ThrownDescription = {
      name: typeof name === "string" && name !== "" ? name : "Error",
      message: typeof message === "string" ? message : safeString(message),
    };
    if (typeof stack === "string") described.stack = stack;
    // Also true for an error rebuilt from a downstream answer: it carries
    // service, url and status (non-enumerable) for the log line.
    if (ServiceError.is(value)) described.downstream = value;
    return described;
  }
  return { name: "Error", message: safeString(value) };
}

// String() itself can throw (Object.create(null), a throwing toString), and
// the error path must never throw.
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "[unprintable thrown value]";
  }
}

/**
 * A message of ours about a downstream call (a {@link ServiceError}), fit for
 * a production response body: without the URL called, IP addresses and ports,
 * or what follows a Node error code (`ECONNREFUSED 10.0.0.7:8080`,
 * `ENOTFOUND is-even`). The log line keeps the whole message.
 */
export function withoutInternals(message: string): string {
  return message
    .replace(/ (?:at|from) [a-z][a-z\d+.-]*:\/\/\S+?(?=[:,;)]?(?:\s|$))/gi, "")
    .replace(/[a-z][a-z\d+.-]*:\/\/[^\s"'<>]+/gi, "<address>")
    .replace(/\b(E[A-Z]{3,}) [^\s;,]+/g, "$1")
    .replace(/\[[\da-f:.]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/gi, "<address>");
}
