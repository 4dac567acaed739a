/**
 * The one error type for calls that cross the wire, plus the table that ties
 * each error code to an HTTP status and says whether retrying is safe.
 *
 * Server and client both use this module, so the table is the single place
 * where "what status does X get" is decided.
 */

/** Error code → HTTP status, and whether the caller may safely retry. */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, retryable: false },
  NOT_FOUND: { status: 404, retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, retryable: false },
  /** The client took too long to send its request (headers or body): sent again, it may arrive in time. */
  REQUEST_TIMEOUT: { status: 408, retryable: true },
  PAYLOAD_TOO_LARGE: { status: 413, retryable: false },
  /** A body that is not `Content-Type: application/json` (a browser can POST text/plain cross-site unasked). */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false },
  /** An `Idempotency-Key` sent again with different arguments (IETF idempotency-key draft: 422). */
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  /** Refused by a rate limit with `Retry-After` (tsc-micro's services refuse with 503; a proxy may say 429): never ran. */
  RATE_LIMITED: { status: 429, retryable: true },
  /** The request line and headers exceed the server's maxHeaderSize. */
  HEADERS_TOO_LARGE: { status: 431, retryable: false },
  /** The caller went away (disconnected, or its own call was aborted) before the answer: nginx's 499. */
  CANCELLED: { status: 499, retryable: false },
  INTERNAL: { status: 500, retryable: false },
  BAD_RESPONSE: { status: 502, retryable: false },
  /**
   * The call was sent but its answer was lost (the connection reset mid-call, the instance died):
   * it may or may not have run, so repeating it is only safe for an idempotent function.
   */
  UNKNOWN_OUTCOME: { status: 502, retryable: false },
  /** Not reached, or refused before running (refused connection, overload 503 with Retry-After, draining): safe to repeat. */
  UNAVAILABLE: { status: 503, retryable: true },
  /** The client's circuit breaker for that service is open: failed fast, nothing was sent. */
  CIRCUIT_OPEN: { status: 503, retryable: true },
  /** The deadline passed; the function may have run (or still run until it sees its abort signal): repeat only if idempotent. */
  TIMEOUT: { status: 504, retryable: false },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The codes a bare HTTP status means by itself. The others say more than a
 * status can (a reused idempotency key, an open breaker, a lost answer), so
 * they are never guessed from another server's status.
 */
const GENERAL_CODES: readonly ErrorCode[] = [
  "BAD_REQUEST", "NOT_FOUND", "METHOD_NOT_ALLOWED", "REQUEST_TIMEOUT", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED", "HEADERS_TOO_LARGE", "INTERNAL", "BAD_RESPONSE", "UNAVAILABLE", "TIMEOUT",
];

/** The HTTP status a service answers with for `code`. */
export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** True when `value` is one of the codes in {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The code that best describes an HTTP status we did not produce ourselves
 * (a proxy, a load balancer, a foreign server): exact table match first, then
 * by class: 4xx → BAD_REQUEST, 5xx → INTERNAL, anything else → BAD_RESPONSE.
 */
export function codeOfStatus(status: number): ErrorCode {
  for (const code of GENERAL_CODES) {
    if (ERROR_CODES[code].status === status) return code;
  }
  if (status >= 400 && status < 500) return "BAD_REQUEST";
  if (status >= 500 && status < 600) return "INTERNAL";
  return "BAD_RESPONSE";
}

/** One problem found while validating a request body. */
export interface ValidationIssue {
  /** Where the problem is: "x", "user.tags[2]", or "" for the body itself. */
  path: string;
  /** The JSON Schema keyword that failed, e.g. "type", "required". */
  rule: string;
  /** Human-readable explanation, e.g. "must be number". */
  message: string;
}

/** Causes (and aggregated errors) nested deeper than this below a thrown error are not sent, nor rebuilt. */
export const MAX_CAUSE_DEPTH = 8;
/** At most this many of an AggregateError's errors are sent, and rebuilt. */
export const MAX_AGGREGATE_ERRORS = 100;

/**
 * A thrown error as sent over the wire, so the caller can rebuild it (its
 * class, fields and cause) the way the monolith would have seen it.
 */
export interface WireThrown {
  name: string;
  message: string;
  /** The error's class when its `name` does not say it (`class QuietError extends Error {}` is named "Error"). */
  className?: string;
  /** A thrown value that is no Error (`throw "nope"`), when JSON can carry it: the caller rethrows it as is. */
  thrown?: { value: unknown };
  /** Only sent when the service runs with NODE_ENV=development. */
  stack?: string;
  /**
   * The error's own enumerable properties other than name/message/stack/cause
   * (e.g. a custom `code`, `status`, `details`), each kept only if it survives
   * JSON unchanged.
   */
  fields?: Record<string, unknown>;
  /** The error's `cause`, nested at most 8 levels deep. */
  cause?: WireCause;
  /** An AggregateError's `errors` (at most 100). */
  errors?: WireCause[];
}

/**
 * A `cause` or an AggregateError entry: an error, or a thrown non-Error value
 * as `{ value }`. In `errors`, `{}` stands for a value JSON cannot carry, so
 * the entries keep their positions.
 */
export type WireCause = WireThrown | { value?: unknown };

/** The JSON body of every error response: `{ "error": WireError }`. */
export interface WireError extends WireThrown {
  /** Our code for what went wrong; a thrown error's own `code` is in `fields`. */
  code: ErrorCode;
  /** At most 20 (see the runtime's issue-limit.ts); the rest are counted in `omittedIssues`. */
  issues?: ValidationIssue[];
  /** How many issues were left out of `issues` to keep the body small; absent when none were. */
  omittedIssues?: number;
}

export interface ServiceErrorInit {
  /** Default "ServiceError". For remote errors, the remote error's name. */
  name?: string;
  message: string;
  code: ErrorCode;
  /** Default {@link statusOf}(code). For remote errors, the real HTTP status. */
  status?: number;
  /** The called service, e.g. "is-even". */
  service: string;
  /** The URL that was called. */
  url: string;
  issues?: ValidationIssue[];
  remoteStack?: string;
  cause?: unknown;
  /**
   * Overrides the table's answer for this one error, when the client knows better: a 503
   * UNAVAILABLE that a service passed on from its own downstream call came after the function
   * started (no `Retry-After`), so it is not safe to repeat.
   */
  retryable?: boolean;
}

// A registry-wide symbol rather than instanceof: every service bundles its
// own copy of this module, and an error from one copy must still be
// recognised by another.
const BRAND = Symbol.for("@tsc-micro/runtime.ServiceError");

/**
 * An error from calling another service that is not an error its function
 * threw: transport (unavailable, timeout, bad response), bad request, unknown
 * function. An error the function threw is rebuilt by the client as its own
 * class instead (see `ServiceClient.call`); that one passes
 * {@link ServiceError.is} too.
 */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly service: string;
  readonly url: string;
  // `declare` so absent values stay absent (no own `issues: undefined`).
  declare readonly issues?: ValidationIssue[];
  declare readonly remoteStack?: string;
  readonly #retryable: boolean | undefined;

  constructor(init: ServiceErrorInit) {
    super(init.message, "cause" in init ? { cause: init.cause } : undefined);
    // Own property so a remote RangeError keeps its name on this side
    // (`String(err)` → "RangeError: x"); non-enumerable like Error's own.
    Object.defineProperty(this, "name", {
      value: init.name ?? "ServiceError",
      writable: true,
      configurable: true,
      enumerable: false,
    });
    this.code = init.code;
    this.status = init.status ?? statusOf(init.code);
    this.service = init.service;
    this.url = init.url;
    this.#retryable = init.retryable;
    if (init.issues !== undefined) {
      (this as { issues?: ValidationIssue[] }).issues = init.issues;
    }
    if (init.remoteStack !== undefined) {
      (this as { remoteStack?: string }).remoteStack = init.remoteStack;
    }
  }

  /** Whether repeating the same call is safe and might succeed (see {@link ERROR_CODES}). */
  get retryable(): boolean {
    return this.#retryable ?? ERROR_CODES[this.code]?.retryable ?? false;
  }

  /**
   * Brand check that works across bundled copies of this runtime. Also true
   * for an error a service threw, rebuilt by the client: that one has
   * `service`, `url` and `status`, but its `code` (if any) is the program's
   * own field and it has no `retryable` or `issues`.
   */
  static is(value: unknown): value is ServiceError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }

  // Make `err instanceof ServiceError` agree with ServiceError.is, so it
  // also works for errors created by another bundled copy.
  // Subclasses fall back to the ordinary prototype-chain check.
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ServiceError) {
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    return ServiceError.is(value);
  }
}

Object.defineProperty(ServiceError.prototype, BRAND, { value: true });

/**
 * Makes `ServiceError.is(error)` true without making `error` a ServiceError:
 * for an error rebuilt from a service's answer, whose class is the thrown
 * one's. The brand is own and non-enumerable, invisible to deep equality.
 * @internal
 */
export function brandAsRemote(error: object): void {
  Object.defineProperty(error, BRAND, { value: true, configurable: true });
}

/**
 * True for an instance of a ServiceError class (any bundled copy), false for
 * other values including errors branded by {@link brandAsRemote}: only the
 * former has code/status/service/url of ours as enumerable properties.
 * @internal
 */
export function isServiceErrorInstance(value: unknown): value is ServiceError {
  return ServiceError.is(value) && !Object.hasOwn(value, BRAND);
}
// The default name for errors whose instance name was not set.
Object.defineProperty(ServiceError.prototype, "name", {
  value: "ServiceError",
  writable: true,
  configurable: true,
  enumerable: false,
});

// The class registry is pure (no transport), so it is also reachable from
// here for code that only deals with errors.
export { registerErrorClasses } from "./error-classes.js";
export type { ErrorClass } from "./error-classes.js";
