/**
 * Turns a failure below HTTP (refused, reset, DNS, timeout, garbled bytes)
 * into a ServiceError whose message says which service and URL, and why.
 */
import { ServiceError } from "../errors.js";
import { CallTimeout } from "./post-json.js";
import type { CallSite } from "./decode-response.js";

/**
 * `hint` is appended to "unavailable" messages, e.g. which env var to set
 * when the URL was only the built-in default.
 */
export function transportError(site: CallSite, failure: unknown, hint = ""): ServiceError {
  if (failure instanceof CallTimeout) {
    return new ServiceError({
      code: "TIMEOUT",
      service: site.service,
      url: site.url,
      message: `service "${site.service}" did not answer within ${failure.timeoutMs} ms at ${site.url}`,
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
  return new ServiceError({
    code: "UNAVAILABLE",
    service: site.service,
    url: site.url,
    message: `service "${site.service}" is unavailable at ${site.url}: ${describe(failure)}${hint}`,
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
