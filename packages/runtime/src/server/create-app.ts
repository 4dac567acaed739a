/**
 * The Hono app for one service: a POST route per function, health checks
 * and the OpenAPI document. Transport-free, so tests drive it in memory with
 * `app.request()` and `startService` puts it on a real socket.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { errorResponse, describeThrown } from "./error-response.js";
import { readArguments } from "./read-arguments.js";
import { toIssues } from "./to-issues.js";
import { inParamOrder, invalidRequest, methodNotAllowed, notFound, resultMismatch, thrownResponse } from "./route-errors.js";
import { admitCalls, ConcurrencyLimit, limitSettings } from "./concurrency-limit.js";
import { routeSchemas } from "./schema-lookup.js";
import type { RouteDef, ServiceDef } from "./types.js";
import { callContextWanted, REPLAYED_HEADER, runInCall, TIMEOUT_HEADER } from "../call-context.js";
import { readCallHeaders } from "./call-headers.js";
import { honoCallRequest } from "./call-request.js";
import type { CallRequest } from "./call-request.js";
import { JSON_CONTENT_TYPE, PlainAnswer, toResponse } from "./answer.js";
import type { Answer } from "./answer.js";
import type { CallHeaders } from "./call-headers.js";
import { abortCode, CallAbort, CallScope } from "./call-abort.js";
import type { Abortable } from "./call-abort.js";
import { argumentsHash, IdempotencyStore, idempotencySettings } from "./idempotency-store.js";
import type { StoredOutcome } from "./idempotency-store.js";
import { serviceTelemetry } from "../telemetry/service-telemetry.js";
import type { ServiceTelemetry, TelemetryOptions } from "../telemetry/service-telemetry.js";
import type { Span } from "@opentelemetry/api";
import { endServerSpan, failServerSpan, inSpan, NO_SPAN, startServerSpan, tracingFromEnv } from "../telemetry/tracing.js";
import { TRACEPARENT_HEADER } from "../telemetry/trace-context.js";

export interface CreateAppOptions extends TelemetryOptions {
  /** Environment to read; default `process.env`. NODE_ENV=development adds stack traces to error responses. */
  env?: Record<string, string | undefined>;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Where a one-line report of each 500 goes; default nowhere: the request's JSON log line carries the error. */
  logError?: (line: string) => void;
  /** Calls that may run at once; default the service's `concurrency=`, else no limit (up to 1024 in flight). */
  concurrency?: number;
  /** Calls that may wait for a slot beyond `concurrency`; default env TSC_MICRO_QUEUE, else 4 × concurrency. */
  queue?: number;
}

/** The function routes' pipelines and the service's telemetry, for the Node listener's direct path. */
export interface ServiceCalls {
  routes: ReadonlyMap<string, (request: CallRequest) => Promise<Answer>>;
  telemetry: ServiceTelemetry;
  /** The answer to a bug in the host (a pipeline that threw), logged as Hono's onError does. */
  hostFailure(error: unknown): Response;
}

/** Mutable service state shared with the host; `ready` drives /health/ready. */
export interface AppState {
  ready: boolean;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const JSON_HEADERS = { "content-type": JSON_CONTENT_TYPE };

export function createApp(
  def: ServiceDef,
  options: CreateAppOptions = {},
): { app: Hono; state: AppState; calls: ServiceCalls } {
  const env = options.env ?? process.env;
  const development = env.NODE_ENV === "development";
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const logError = options.logError ?? (() => {});
  const state: AppState = { ready: true };
  // Serialise once: fails fast at startup if the document is not JSON-able.
  const openapiJson = JSON.stringify(def.openapi ?? null);

  // strict: false so "/isEven/" works as well as "/isEven".
  const app = new Hono({ strict: false });
  // Logs and metrics (src/telemetry): one middleware before every route; GET /metrics never waits behind work.
  const telemetry = serviceTelemetry(def, options, env, () => limit);
  app.use(telemetry.middleware);
  app.get("/metrics", telemetry.metricsRoute);
  // A function may be called `metrics`: then POST /metrics is its route.
  if (!def.routes.some((route) => route.name === "metrics")) app.all("/metrics", methodNotAllowed("GET"));

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
  limit.onRejected = telemetry.metrics.rejected;
  // Read here so a bad TSC_MICRO_IDEMPOTENCY_* value fails the start, naming the variable.
  const store = new IdempotencyStore(idempotencySettings(env));
  // Read here so a bad TSC_MICRO_TRACING fails the start too.
  const tracing = tracingFromEnv(env);
  // Each function's pipeline by name, for the Node listener's direct path (direct-routes.ts).
  const direct = new Map<string, (request: CallRequest) => Promise<Answer>>();
  for (const route of def.routes) {
    // Admitted (or refused with 503) before the body is read; a run slot is held only around the function.
    const serve = admitCalls(def.name, limit, routeHandler(def, route, { development, bodyLimit, logError, limit, store, tracing }));
    direct.set(route.name, serve);
    // Through Hono: the same pipeline, the span handed to the logs and metrics middleware.
    const handler = function honoCall(c: Context): Promise<Response> {
      const request = honoCallRequest(c);
      const answer = serve(request);
      c.set("span", request.span);
      return answer.then(toResponse);
    };
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
  function hostFailure(error: unknown): Response {
    const { name, message } = describeThrown(error);
    logError(`${def.name}: unexpected error: ${name}: ${message}`);
    telemetry.logger.error({ error: development ? { type: name, message, stack: (error as Error).stack } : { type: name } }, "unexpected error in the service host");
    return errorResponse("INTERNAL", "internal error in the service host");
  }
  app.onError(hostFailure);

  return { app, state, calls: { routes: direct, telemetry, hostFailure } };
}

interface HandlerSettings {
  development: boolean;
  bodyLimit: number;
  logError: (line: string) => void;
  limit: ConcurrencyLimit;
  store: IdempotencyStore;
  /** TSC_MICRO_TRACING: when off, no `traceparent` is read and every call has NO_SPAN. */
  tracing: boolean;
}

/**
 * POST handler: call headers → read → validate → (idempotency store) → invoke → answer.
 * The work runs under the call's signal (see call-abort.ts); when that aborts first the
 * caller is answered at once (504 TIMEOUT, or 499 CANCELLED to a caller that is gone)
 * while the function, if it started, goes on with its signal aborted until it settles.
 */
function routeHandler(def: ServiceDef, route: RouteDef, settings: HandlerSettings) {
  // The document's copy of the schemas lets a 400 name a failed union's forms and tags.
  const schemas = routeSchemas(def.openapi, route.name);
  return function handleCall(request: CallRequest): Promise<Answer> {
    // The call's SERVER span: in the call context (the parent of the calls it makes) and, for
    // the log line and metrics, on the request; ended once the answer is known.
    const span = settings.tracing ? startServerSpan(def.name, route.name, request.headers.get(TRACEPARENT_HEADER)) : NO_SPAN;
    request.span = span;
    // No SDK (or not sampled): nothing to record on the span, so no promise to wait for its end.
    if (!span.isRecording()) return answerRequest(request, span);
    // then() rather than an async wrapper: one promise less per call.
    return answerRequest(request, span).then(
      (response) => endServerSpan(span, response),
      (thrown: unknown) => {
        failServerSpan(span, thrown);
        throw thrown;
      },
    );
  };

  // Not async: an async function returning firstOf's promise adopts it, two more microtasks a call.
  function answerRequest(request: CallRequest, span: Span): Promise<Answer> {
    try {
      return startCall(request, span);
    } catch (thrown) {
      return Promise.reject(thrown);
    }
  }

  function startCall(request: CallRequest, span: Span): Promise<Answer> {
    const headers = readCallHeaders(request.headers);
    if (!headers.ok) return Promise.resolve(headers.response);
    const { timeoutMs } = headers.value;
    if (timeoutMs === 0) {
      return Promise.resolve(errorResponse("TIMEOUT", `the caller of ${route.name} on service "${def.name}" had no time left (${TIMEOUT_HEADER}: 0); not run`));
    }
    const call = new CallAbort(def.name, request.path, timeoutMs);
    call.watchCaller(request.outgoing, request.callerSignal);
    // `signal` is a getter: the AbortController is made only if the function or a downstream call asks.
    const context = new CallScope(call, span);
    const run = () => inSpan(span, () => answerCall(request, headers.value, call));
    // Without a reader of the context (def.callContext false, no client in the process) no
    // AsyncLocalStorage: once entered, its promise hooks cost every promise made afterwards.
    const work = def.callContext !== false || callContextWanted() ? runInCall(context, run) : run();
    return firstOf(work, call, function answerAborted(): Response {
      if (abortCode(call) === "CANCELLED") {
        return errorResponse("CANCELLED", `the caller of ${route.name} disconnected before its answer`);
      }
      settings.logError(`${def.name}: ${route.name} timed out: the caller's ${timeoutMs} ms budget passed; answered 504, the function (if it started) sees its signal aborted`);
      return errorResponse(
        "TIMEOUT",
        `${route.name} on service "${def.name}" did not answer within the caller's deadline (${timeoutMs} ms); it may have run, or still be running`,
      );
    });
  }

  async function answerCall(request: CallRequest, headers: CallHeaders, signal: Abortable): Promise<Answer> {
    const read = await readArguments(request.body, settings.bodyLimit, request.headers);
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
    if (headers.idempotencyKey === undefined) return (await runFunction(args, signal)).response;
    // `return await`: an async function returning a promise adopts it, two microtasks more.
    return await answerWithKey(headers.idempotencyKey, headers.replayOnly, argumentsHash(read.args), args, signal);
  }

  /**
   * A call with an Idempotency-Key: answered from the store when this instance knows the key,
   * joined to the run in flight when one is, else run once and its outcome remembered.
   */
  async function answerWithKey(key: string, replayOnly: boolean, hash: string, args: Record<string, unknown>, signal: Abortable): Promise<Answer> {
    for (;;) {
      const found = settings.store.lookup(route.name, key, hash, replayOnly);
      switch (found.kind) {
        case "reused":
          return errorResponse(
            "IDEMPOTENCY_KEY_REUSED",
            `idempotency key "${key}" was already used for a call of ${route.name} with other arguments; send a new key for a new call`,
          );
        case "unknown":
          return errorResponse(
            "UNKNOWN_OUTCOME",
            `this instance has no record of idempotency key "${key}" for ${route.name}; the first attempt may have run elsewhere — not run again`,
          );
        case "done":
          return responseOf(found.outcome, true);
        case "running": {
          const outcome = await found.settled;
          if (outcome) return responseOf(outcome, true);
          // The first attempt ended without running (its caller left while it waited): look again.
          continue;
        }
        case "new": {
          let outcome: StoredOutcome | undefined;
          try {
            const { response, ran, stored } = await runFunction(args, signal);
            if (!ran) return response;
            // A result's outcome is known without reading the Response back (a stream: several turns).
            outcome = stored ?? (await storedOf(response as Response));
            return stored ? response : responseOf(outcome, false);
          } finally {
            found.finish(outcome);
          }
        }
      }
    }
  }

  /**
   * Runs the function in a run slot under `signal`; `ran` is false when it never started.
   * `stored` is the answer as the idempotency store keeps it, for a result (errors are read back).
   */
  async function runFunction(args: Record<string, unknown>, signal: Abortable): Promise<{ response: Answer; ran: boolean; stored?: StoredOutcome }> {
    let ran = false;
    try {
      const value: unknown = await settings.limit.run(function start() {
        ran = true;
        return route.invoke(args);
      }, signal);
      if (route.returnsVoid) return { response: new PlainAnswer(204, null), ran, stored: { status: 204, contentType: null, body: "" } };
      const result = route.encode ? route.encode(value) : value;
      if (settings.development && route.validateResult && !route.validateResult(result)) {
        return { response: resultMismatch(def, route, settings, result, schemas.result), ran };
      }
      // JSON has no undefined (nor functions/symbols): send null, which is
      // what the caller's JSON.parse can give back. Throws for BigInt and
      // cycles, which lands in the catch below as a 500.
      const body = JSON.stringify(result) ?? "null";
      return { response: new PlainAnswer(200, body), ran, stored: { status: 200, contentType: JSON_CONTENT_TYPE, body } };
    } catch (thrown) {
      if (!ran && signal.aborted) {
        // Left the queue: the deadline passed or the caller went away while it waited.
        return { response: errorResponse(abortCode(signal), `${route.name} on service "${def.name}" was not run: ${describeThrown(signal.reason).message}`), ran };
      }
      return { response: thrownResponse(def, route, thrown, settings), ran };
    }
  }
}

/**
 * `work`'s answer, or `onAbort()`'s as soon as `call` aborts, whichever comes first; `call` is
 * disposed of once `work` settles (also when the abort answered first).
 */
function firstOf(work: Promise<Answer>, call: CallAbort, onAbort: () => Response): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const unsubscribe = call.aborted ? undefined : call.onAbort(function aborted(): void {
      resolve(onAbort());
    });
    if (call.aborted) resolve(onAbort());
    // Settling twice is harmless: a work that ends after the abort answer is ignored.
    work.then(
      (response) => {
        unsubscribe?.();
        call.dispose();
        resolve(response);
      },
      (thrown: unknown) => {
        unsubscribe?.();
        call.dispose();
        reject(thrown);
      },
    );
  });
}

/** A response as the idempotency store keeps it. */
async function storedOf(response: Response): Promise<StoredOutcome> {
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}

/** A stored outcome as a new response; `replayed` marks one that did not come from a new run. */
function responseOf(outcome: StoredOutcome, replayed: boolean): Response {
  const headers = new Headers();
  if (outcome.contentType !== null) headers.set("content-type", outcome.contentType);
  if (replayed) headers.set(REPLAYED_HEADER, "1");
  return new Response(outcome.status === 204 ? null : outcome.body, { status: outcome.status, headers });
}
