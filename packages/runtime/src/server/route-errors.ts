/**
 * The error answers of a service's routes: the function threw (its error, or a
 * downstream failure it let through), the arguments did not validate, the
 * result did not match its type (development), unknown path or method.
 */
import type { Context } from "hono";
import { errorResponse, describeThrown, withoutInternals } from "./error-response.js";
import { serializeThrown } from "./serialize-thrown.js";
import { describeIssues, joinPath, toIssues } from "./to-issues.js";
import { limitIssues } from "./issue-limit.js";
import type { SchemaSource } from "./schema-lookup.js";
import type { RouteDef, ServiceDef } from "./types.js";
import { isErrorCode, isServiceErrorInstance, statusOf } from "../errors.js";
import type { ErrorCode, ValidationIssue } from "../errors.js";

/** What the error answers need to know of the handler's settings. */
export interface ErrorSettings {
  development: boolean;
  logError: (line: string) => void;
}

/**
 * 500 INTERNAL carrying the thrown error's name, message, data fields, cause
 * chain and aggregated errors, from which the client rebuilds the error. An
 * error that came from a downstream service was itself rebuilt as its own
 * class, so a RangeError thrown three services away still arrives as one.
 */
export function thrownResponse(
  def: ServiceDef,
  route: RouteDef,
  thrown: unknown,
  settings: ErrorSettings,
): Response {
  const described = describeThrown(thrown);
  const via = described.downstream
    ? ` (from service "${described.downstream.service}" at ${described.downstream.url}, status ${described.downstream.status})`
    : "";
  settings.logError(`${def.name}: ${route.name} failed${via}: ${described.name}: ${oneLine(described.message)}`);
  if (isServiceErrorInstance(thrown)) return downstreamResponse(def, route, thrown, settings);
  const { name, message, ...rest } = serializeThrown(thrown, { stacks: settings.development });
  return errorResponse("INTERNAL", message, { name, ...rest });
}

/**
 * The function let a downstream call's ServiceError through (not an error a
 * service threw, which is rebuilt as its own class): the code keeps its
 * meaning across hops, so is-even being down is 503 UNAVAILABLE (retryable)
 * for is-odd's caller too, not 500. A downstream 4xx (BAD_REQUEST,
 * NOT_FOUND…) says this service called wrongly, no fault of its caller: 500.
 * The message names each service on the way; in production without the URLs
 * (the log line above has them), and without the cause (Node's error).
 */
function downstreamResponse(def: ServiceDef, route: RouteDef, error: { name: string; code: unknown; message: string }, settings: ErrorSettings): Response {
  const code: ErrorCode = isErrorCode(error.code) && statusOf(error.code) >= 500 ? error.code : "INTERNAL";
  const detail = settings.development ? error.message : withoutInternals(error.message);
  const kept = code === error.code ? "" : `${String(error.code)}: `;
  const message = `${route.name} on service "${def.name}" failed: ${kept}${detail}`;
  const { name: _name, message: _message, ...rest } = settings.development ? serializeThrown(error, { stacks: true }) : {};
  return errorResponse(code, message, { name: error.name, ...rest });
}

/**
 * 400 naming the failing fields: the first few in the message, at most 20 in
 * `issues` (a few KiB however bad the body), how many more in `omittedIssues`.
 */
export function invalidRequest(route: RouteDef, all: readonly ValidationIssue[]): Response {
  const { issues, omitted } = limitIssues(all);
  const detail = all.length > 0 ? describeIssues(issues, omitted) : "arguments do not match the schema";
  return errorResponse("BAD_REQUEST", `invalid request to ${route.name}: ${detail}`, { issues, omittedIssues: omitted });
}

/**
 * Ajv reports in schema-keyword order (unknown arguments first); callers
 * think in signature order, so sort by parameter, unknown ones last.
 */
export function inParamOrder(issues: ValidationIssue[], params: readonly string[]): ValidationIssue[] {
  function rank(issue: ValidationIssue): number {
    const top = /^[^.[]*/.exec(issue.path)?.[0] ?? "";
    const index = params.indexOf(top);
    return index === -1 ? params.length : index;
  }
  // Array.prototype.sort is stable, so Ajv's order survives within a parameter.
  return issues.slice().sort((a, b) => rank(a) - rank(b));
}

export function methodNotAllowed(allow: "GET" | "POST") {
  return function answerMethodNotAllowed(c: Context): Response {
    const hint = allow === "POST" ? "; call it with POST and a JSON object of named arguments" : "";
    return errorResponse(
      "METHOD_NOT_ALLOWED",
      `${c.req.method} ${c.req.path} is not allowed, use ${allow}${hint}`,
      { headers: { allow } },
    );
  };
}

export function notFound(def: ServiceDef, c: Context): Response {
  const names = def.routes.map((route) => route.name).join(", ") || "(none)";
  return errorResponse(
    "NOT_FOUND",
    `no such endpoint ${c.req.method} ${c.req.path} on service "${def.name}"; functions: ${names} (POST /<name>)`,
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

/**
 * In development the result is checked against its schema, so a function that
 * returns something its signature does not promise fails loudly, naming the field.
 */
export function resultMismatch(def: ServiceDef, route: RouteDef, settings: ErrorSettings, result: unknown, schema: SchemaSource): Response {
  const all = toIssues(route.validateResult!.errors, { data: result, ...schema }).map((i) => ({ ...i, path: joinPath("result", i.path) }));
  const { issues, omitted } = limitIssues(all);
  const message = `the result of ${route.name} does not match its declared type: ${describeIssues(issues, omitted)}`;
  settings.logError(`${def.name}: ${message}`);
  return errorResponse("INTERNAL", message, { name: "ResponseValidationError", issues, omittedIssues: omitted });
}
