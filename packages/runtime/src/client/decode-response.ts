/**
 * Turns a raw HTTP response from a service into the call's value, or throws:
 * the error the function threw, rebuilt (see rebuild-error.ts), or a
 * ServiceError for everything else (bad request, transport, foreign answers).
 */
import { errorClassFor } from "../error-classes.js";
import { ServiceError, codeOfStatus, isErrorCode } from "../errors.js";
import type { ErrorCode, ValidationIssue } from "../errors.js";
import type { RawResponse } from "./exchange.js";
import { rebuildCause, rebuildRemoteError } from "./rebuild-error.js";

/** Which call a response or failure belongs to, for error messages. */
export interface CallSite {
  service: string;
  url: string;
}

/** 200 → parsed JSON; 204 → undefined; anything else → throws (see the file comment). */
export function decodeResponse(response: RawResponse, site: CallSite): unknown {
  const { status } = response;
  if (status === 204) return undefined;
  const text = response.body.toString("utf8");
  const json = parseJson(text);

  if (status === 200) {
    if (json.ok) return json.value;
    throw unexpected(site, status, "a body that is not JSON", text);
  }

  const wire = json.ok ? readWireError(json.value) : undefined;
  if (wire) {
    return throwRemote(site, status, wire, response.retryAfter !== undefined);
  }
  // Not one of ours: a proxy or a foreign server. Its 429/503/504 still mean
  // "rate limited"/"unavailable"/"timed out"; the rest is garbage.
  const code = status === 429 || status === 503 || status === 504 ? codeOfStatus(status) : "BAD_RESPONSE";
  throw unexpected(site, status, json.ok ? "an unexpected JSON body" : "a body that is not JSON", text, code);
}

interface RemoteError {
  name: string;
  message: string;
  code: string;
  issues?: ValidationIssue[];
  stack?: string;
  /** The whole `error` object, for the parts only a thrown error has (fields, cause, errors). */
  raw: Record<string, unknown>;
}

function throwRemote(site: CallSite, status: number, wire: RemoteError, retryAfter: boolean): never {
  if (isThrownByFunction(status, wire)) throw rebuildRemoteError(wire.raw, site, status);
  const cause = rebuildCause(wire.raw.cause, 1);
  const code = isErrorCode(wire.code) ? wire.code : codeOfStatus(status);
  throw new ServiceError({
    // A 503 without Retry-After is a downstream failure the service passed on: its function had
    // started, so repeating the call is not known to be safe (a refusal before running has Retry-After).
    ...(code === "UNAVAILABLE" && !retryAfter ? { retryable: false } : {}),
    name: wire.name,
    message: wire.message,
    code,
    status,
    service: site.service,
    url: site.url,
    ...(wire.issues ? { issues: wire.issues } : {}),
    ...(wire.stack ? { remoteStack: wire.stack } : {}),
    ...(cause ? { cause: cause.value } : {}),
  });
}

/**
 * Whether the answer is our service's 500 for an error the function threw.
 * Not: the host's own 500s (named ServiceError, e.g. a bug in the host), the
 * development-only result check (it has issues), or a 500 from elsewhere
 * (no INTERNAL code). A ServiceError the function let through from its own
 * downstream call stays a ServiceError: it has no class in the program,
 * unless the program registered one of that name.
 */
function isThrownByFunction(status: number, wire: RemoteError): boolean {
  return (
    status === 500 &&
    wire.code === "INTERNAL" &&
    wire.issues === undefined &&
    (wire.name !== "ServiceError" || errorClassFor("ServiceError") !== undefined)
  );
}

/** `{ error: { message, ... } }` → its parts; anything else → undefined. */
function readWireError(value: unknown): RemoteError | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { name, message, code, issues, stack } = error as Record<string, unknown>;
  if (typeof message !== "string") return undefined;
  const remote: RemoteError = {
    name: typeof name === "string" && name !== "" ? name : "Error",
    message,
    code: typeof code === "string" ? code : "",
    raw: error as Record<string, unknown>,
  };
  if (Array.isArray(issues)) remote.issues = issues.filter(isIssue);
  if (typeof stack === "string") remote.stack = stack;
  return remote;
}

function isIssue(value: unknown): value is ValidationIssue {
  if (typeof value !== "object" || value === null) return false;
  const issue = value as Record<string, unknown>;
  return (
    typeof issue.path === "string" &&
    typeof issue.rule === "string" &&
    typeof issue.message === "string"
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function unexpected(
  site: CallSite,
  status: number,
  what: string,
  text: string,
  code: ErrorCode = "BAD_RESPONSE",
): ServiceError {
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new ServiceError({
    code,
    status,
    service: site.service,
    url: site.url,
    message:
      `service "${site.service}" at ${site.url} answered ${status} with ${what}` +
      (snippet.trim() === "" ? "" : `: ${JSON.stringify(snippet)}`),
  });
}
