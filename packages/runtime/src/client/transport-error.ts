/**
 * Turns a failure below HTTP (refused, reset, DNS, timeout, garbled bytes)
 * into a ServiceError whose message says which service and URL, and why.
 */
import { ServiceError } from "../errors.js";
import { CallAborted, CallTimeout } from "./exchange.js";
import type { CallSite } from "./decode-response.js";

/**
 * Errors raised while connecting: the request never left this process, so
 * nothing can have run and a retry (to this or another instance) is safe.
 */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/** Whether the failure happened before the request could reach the service (connecting, resolving). */
export function neverSent(failure: unknown): boolean {
  const code = (failure as { code?: unknown } | null)?.code;
  if (typeof code === "string") return NOT_SENT_CODES.has(code);
  // Node 20 tries every address of a name (autoSelectFamily): all failed → AggregateError of connect errors.
  const parts = (failure as { errors?: unknown } | null)?.errors;
  return Array.isArray(parts) && parts.length > 0 && parts.every((part) => neverSent(part));
}

/**
 * `hint` is appended to "unavailable" messages, e.g. which env var to set
 * when the URL was only the built-in default; `budget` says what the time
 * budget was ("2000 ms", or the caller's remaining deadline).
 */
export function transportError(site: CallSite, failure: unknown, hint = "", budget?: string): ServiceError {
  if (failure instanceof CallTimeout) {
    return new ServiceError({
      code: "TIMEOUT",
      service: site.service,
      url: site.url,
      message: `service "${site.service}" did not answer within ${budget ?? `${failure.timeoutMs} ms`} at ${site.url} (the call may have run)`,
    });
  }
  if (failure instanceof CallAborted) {
    // The call this one serves ran out of time (its deadline) or its caller left.
    const timedOut = ServiceError.is(failure.reason) && (failure.reason as ServiceError).code === "TIMEOUT";
    return new ServiceError({
      code: timedOut ? "TIMEOUT" : "CANCELLED",
      service: site.service,
      url: site.url,
      message: timedOut
        ? `call to service "${site.service}" at ${site.url} stopped: the deadline of the call it serves passed (it may have run)`
        : `call to service "${site.service}" at ${site.url} stopped: the call it serves was cancelled by its caller (it may have run)`,
      cause: failure.reason,
    });
  }
  const code = (failure as { code?: unknown } | null)?.code;
  // llhttp parse errors: something answered, but not with valid HTTP.
  if (typeof code === "string" && code.startsWith("HPE_")) {
    return new ServiceError({
      code: "BAD_RESPONSE",
      service: site.service,
      url: site.url,
      message: `service "${site.service}" at ${site.url} sent a malformed HTTP response: ${describe(failure)}`,
      cause: failure,
    });
  }
  if (neverSent(failure)) {
    return new ServiceError({
      code: "UNAVAILABLE",
      service: site.service,
      url: site.url,
      message: `service "${site.service}" is unavailable at ${site.url}: ${describe(failure)}${hint}`,
      cause: failure,
    });
  }
  // Reset, broken pipe, closed mid-answer: the request was sent, so the function may have run.
  return new ServiceError({
    code: "UNKNOWN_OUTCOME",
    service: site.service,
    url: site.url,
    message: `call to service "${site.service}" at ${site.url} was interrupted: ${describe(failure)} (the call may have run)`,
    cause: failure,
  });
}

/**
 * The error's message. Node 20 tries every address of a host name
 * (autoSelectFamily) and, when all fail, throws an AggregateError whose own
 * message is empty; its parts say what happened.
 */
function describe(failure: unknown): string {
  if (failure instanceof Error) {
    if (failure.message !== "") return failure.message;
    const parts = (failure as { errors?: unknown }).errors;
    if (Array.isArray(parts) && parts.length > 0) {
      return parts.map((part) => (part instanceof Error ? part.message : String(part))).join("; ");
    }
    const code = (failure as { code?: unknown }).code;
    return typeof code === "string" ? code : failure.name;
  }
  return String(failure);
}
