/**
 * The Hono app for one service: a POST route per function, health checks
 * and the OpenAPI document. Transport-free, so tests drive it in memory with
 * `app.request()` and `startService` puts it on a real socket.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { errorResponse, describeThrown, withoutInternals } from "./error-response.js";
import { serializeThrown } from "./serialize-thrown.js";
import { readArguments } from "./read-arguments.js";
import { describeIssues, joinPath, toIssues } from "./to-issues.js";
import { limitIssues } from "./issue-limit.js";
import { admitCalls, ConcurrencyLimit, limitSettings } from "./concurrency-limit.js";
import { routeSchemas } from "./schema-lookup.js";
import type { SchemaSource } from "./schema-lookup.js";
import type { RouteDef, ServiceDef } from "./types.js";
import { isErrorCode, isServiceErrorInstance, statusOf } from "../errors.js";
import type { ErrorCode, ValidationIssue } from "../errors.js";

export interface CreateAppOptions {
  /** Environment to read; default `process.env`. NODE_ENV=development adds stack traces to error responses. */
  env?: Record<string, string | undefined>;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Where a one-line report of each 500 goes; default `console.error` (stderr). */
  logError?: (line: string) => void;
  /** Calls that may run at once; default the service's `concurrency=`, else no limit (up to 1024 in flight). */
  concurrency?: number;
  /** Calls that may wait for a slot beyond `concurrency`; default env TSC_MICRO_QUEUE, else 4 × concurrency. */
  queue?: number;
}

/** Mutable service state shared with the host; `ready` drives /health/ready. */
export interface AppState {
  ready: boolean;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const JSON_HEADERS = { "content-type": "application/json; charset=UTF-8" };

export function createApp(
  def: ServiceDef,
  options: CreateAppOptions = {},
): { app: Hono; state: AppState } {
  const env = options.env ?? process.env;
  const development = env.NODE_ENV === "development";
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const logError = options.logError ?? console.error;
  const state: AppState = { ready: true };
  // Serialise once: fails fast at startup if the document is not JSON-able.
  const openapiJson = JSON.stringify(def.openapi ?? null);

  // strict: false so "/isEven/" works as well as "/isEven".
  const app = new Hono({ strict: false });

  app.get("/health/live", (c) => c.json({ status: "ok" }));
  app.get("/health/ready", (c) =>
    state.ready ? c.json({ status: "ready" }) : c.json({ status: "stopping" }, 503),
  );
  app.get("/openapi.json", (c) => c.body(openapiJson, 200, JSON_HEADERS));
  for (const path of ["/health/live", "/health/ready", "/openapi.json"]) {
    app.all(path, methodNotAllowed("GET"));
  }

  // Only the function routes are limited: health and /openapi.json above never wait behind work.
  const limit = new ConcurrencyLimit(limitSettings(options.concurrency ?? def.concurrency, options.queue, env));
  for (const route of def.routes) {
    // Admitted (or refused with 503) before the body is read; a run slot is held only around the function.
    const limited: RouteDef = { ...route, invoke: (args) => limit.run(() => route.invoke(args)) };
    const handler = admitCalls(def.name, limit, routeHandler(def, limited, { development, bodyLimit, logError }));
    // Hono decodes a request path as decodeURI does: `/caf%C3%A9` matches `/café`, but `%24` stays
    // `%24` (`$` is reserved). Clients send `$` as it is; a `$` sent encoded is served too.
    const paths = [`/${route.name}`];
    if (route.name.includes("$")) paths.push(`/${route.name.replaceAll("$", "%24")}`);
    // A one-function service is also callable at its root, like the
    // function itself is "the" thing the service does.
    if (def.routes.length === 1) paths.push("/");
    for (const path of paths) {
      app.post(path, handler);
      app.all(path, methodNotAllowed("POST"));
    }
  }

  app.notFound((c) => notFound(def, c));
  // Only reached by bugs in this file: route handlers catch their own errors.
  app.onError((error) => {
    const { name, message } = describeThrown(error);
    logError(`${def.name}: unexpected error: ${name}: ${message}`);
    return errorResponse("INTERNAL", "internal error in the service host");
  });

  return { app, state };
}

interface HandlerSettings {
  development: boolean;
  bodyLimit: number;
  logError: (line: string) => void;
}

/** POST handler: read → validate → invoke → answer. */
function routeHandler(def: ServiceDef, route: RouteDef, settings: HandlerSettings) {
  // The document's copy of the schemas lets a 400 name a failed union's forms and tags.
  const schemas = routeSchemas(def.openapi, route.name);
  return async function handleCall(c: Context): Promise<Response> {
    const read = await readArguments(c.req.raw, settings.bodyLimit);
    if (!read.ok) return read.response;

    if (!route.validate(read.args)) {
      const issues = toIssues(route.validate.errors, { data: read.args, ...schemas.request });
      return invalidRequest(route, inParamOrder(issues, route.params));
    }

    let args = read.args;
    try {
      if (route.decode) args = route.decode(read.args);
    } catch (thrown) {
      // A wire value its type cannot hold (a date past year 275760, an URL `new URL` refuses).
      const path = (thrown as { path?: unknown }).path;
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      return invalidRequest(route, [{ path: typeof path === "string" ? path : "", rule: "wireForm", message }]);
    }

    // The arguments object is tsc-micro's, not the program's: a missing `toString` argument is
    // undefined, as the function would see it called locally, not Object.prototype's method.
    args = Object.assign(Object.create(null) as Record<string, unknown>, args);
    try {
      const value: unknown = await route.invoke(args);
      if (route.returnsVoid) return c.body(null, 204);
      const result = route.encode ? route.encode(value) : value;
      if (settings.development && route.validateResult && !route.validateResult(result)) {
        return resultMismatch(def, route, settings, result, schemas.result);
      }
      // JSON has no undefined (nor functions/symbols): send null, which is
      // what the caller's JSON.parse can give back. Throws for BigInt and
      // cycles, which lands in the catch below as a 500.
      return c.body(JSON.stringify(result) ?? "null", 200, JSON_HEADERS);
    } catch (thrown) {
      return thrownResponse(def, route, thrown, settings);
    }
  };
}

/**
 * 500 INTERNAL carrying the thrown error's name, message, data fields, cause
 * chain and aggregated errors, from which the client rebuilds the error. An
 * error that came from a downstream service was itself rebuilt as its own
 * class, so a RangeError thrown three services away still arrives as one.
 */
function thrownResponse(
  def: ServiceDef,
  route: RouteDef,
  thrown: unknown,
  settings: HandlerSettings,
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
function downstreamResponse(def: ServiceDef, route: RouteDef, error: { name: string; code: unknown; message: string }, settings: HandlerSettings): Response {
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
function invalidRequest(route: RouteDef, all: readonly ValidationIssue[]): Response {
  const { issues, omitted } = limitIssues(all);
  const detail = all.length > 0 ? describeIssues(issues, omitted) : "arguments do not match the schema";
  return errorResponse("BAD_REQUEST", `invalid request to ${route.name}: ${detail}`, { issues, omittedIssues: omitted });
}

/**
 * Ajv reports in schema-keyword order (unknown arguments first); callers
 * think in signature order, so sort by parameter, unknown ones last.
 */
function inParamOrder(issues: ValidationIssue[], params: readonly string[]): ValidationIssue[] {
  function rank(issue: ValidationIssue): number {
    const top = /^[^.[]*/.exec(issue.path)?.[0] ?? "";
    const index = params.indexOf(top);
    return index === -1 ? params.length : index;
  }
  // Array.prototype.sort is stable, so Ajv's order survives within a parameter.
  return issues.slice().sort((a, b) => rank(a) - rank(b));
}

function methodNotAllowed(allow: "GET" | "POST") {
  return function answerMethodNotAllowed(c: Context): Response {
    const hint = allow === "POST" ? "; call it with POST and a JSON object of named arguments" : "";
    return errorResponse(
      "METHOD_NOT_ALLOWED",
      `${c.req.method} ${c.req.path} is not allowed, use ${allow}${hint}`,
      { headers: { allow } },
    );
  };
}

function notFound(def: ServiceDef, c: Context): Response {
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
function resultMismatch(def: ServiceDef, route: RouteDef, settings: HandlerSettings, result: unknown, schema: SchemaSource): Response {
  const all = toIssues(route.validateResult!.errors, { data: result, ...schema }).map((i) => ({ ...i, path: joinPath("result", i.path) }));
  const { issues, omitted } = limitIssues(all);
  const message = `the result of ${route.name} does not match its declared type: ${describeIssues(issues, omitted)}`;
  settings.logError(`${def.name}: ${message}`);
  return errorResponse("INTERNAL", message, { name: "ResponseValidationError", issues, omittedIssues: omitted });
}
