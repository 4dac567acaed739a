/**
 * The one Hono middleware that logs and measures every request: a JSON line
 * (see request-log.ts) and, for the function routes, the request counter and
 * duration histogram (see metrics.ts). The trace and span ids come from the
 * server span the route handler puts in the context variable "span".
 */
import { randomUUID } from "../node-crypto.js";
import type { Context, Next } from "hono";
import { isSpanContextValid } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import type { DestinationStream, Logger } from "pino";
import { isRequestToken, levelOf, REQUEST_ID_HEADER, writeRequestLine } from "./request-log.js";
import { infoLine, infoLineMost, linePieces, writeInfoLine } from "./info-line.js";
import type { InfoRecord } from "./info-line.js";
import { LineBuffer } from "./stdout-lines.js";
import type { RequestRecord } from "./request-log.js";
import type { ServiceMetrics } from "./metrics.js";
import { requestHeaders } from "../server/request-headers.js";
import { NO_SPAN } from "./tracing.js";
import { OwnSpanContext } from "./trace-context.js";
import type { HeaderReader } from "../server/request-headers.js";

export interface ObserveSettings {
  logger: Logger;
  metrics: ServiceMetrics;
  /** The service's function names; a request is counted under the one its path names. */
  functions: readonly string[];
  /** Keep the error answer's stack in the line (NODE_ENV=development; the answer has it too). */
  development: boolean;
  /**
   * The logger's destination and the service's name: a call answered without an error is written
   * there directly (`infoLine`, the same line pino would write, at a fraction of the cost).
   */
  direct?: { lines: DestinationStream; service: string };
}

/** One answered request, as the log line and the metrics need it; from Hono's context or Node's listener. */
export interface ObservedCall {
  method: string;
  path: string;
  status: number;
  seconds: number;
  headers: HeaderReader;
  /** The call's server span, when the request reached a function. */
  span: Span | undefined;
  /** The answer, read (a copy) for an error line's fields; only Responses carry errors. */
  answer: { readonly status: number } | undefined;
  /** Sets a response header before the answer is written. */
  echo(name: string, value: string): void;
}

/** Logs and counts one answered request (see `observeRequests`). */
export function callObserver(settings: ObserveSettings): (call: ObservedCall) => void | Promise<void> {
  const functionOf = functionLookup(settings.functions);
  const direct = settings.direct;
  const serviceJson = direct ? JSON.stringify(direct.service) : "";
  return function observeCall(call: ObservedCall): void | Promise<void> {
    const { status } = call;
    const fn = functionOf(call.path);
    if (fn !== undefined) settings.metrics.observe(fn, status, call.seconds);
    const callerId = call.headers.get(REQUEST_ID_HEADER) ?? undefined;
    const ownId = isRequestToken(callerId) ? callerId : undefined;
    // Only a caller's own id goes back: a header set before writeHead sends every response header
    // down Node's slow merge-and-validate path, a cost per call for an id the caller never asked for
    // (the line and the trace id already name the call).
    if (ownId !== undefined) call.echo(REQUEST_ID_HEADER, ownId);
    // Below the threshold (LOG_LEVEL=silent, or a probe at debug) no line is written: no id is made
    // and no trace ids are read.
    const level = levelOf({ status, function: fn });
    if (!settings.logger.isLevelEnabled(level)) return;
    const span = call.span;
    // Tracing off (NO_SPAN): no ids to check and leave out.
    const context = span !== NO_SPAN && typeof span?.spanContext === "function" ? span.spanContext() : undefined;
    if (status < 400 && direct !== undefined && level === "info" && fn !== undefined) {
      // The line per call: written straight into stdout's buffer when that is where lines go,
      // with a new request id made there and the ids checked as they are written (see
      // info-line.ts); else the same bytes as a string.
      const info: InfoRecord = { method: call.method, function: fn, path: call.path, status, durationMs: call.seconds * 1000, requestId: ownId, traceId: context?.traceId, spanId: context?.spanId, idsChecked: context instanceof OwnSpanContext };
      const lines = direct.lines;
      const pieces = linePieces(serviceJson, info);
      if (!(lines instanceof LineBuffer && lines.writeWith(infoLineMost(pieces, info), (buffer, at) => writeInfoLine(buffer, at, pieces, info)))) {
        lines.write(infoLine(serviceJson, info));
      }
      return;
    }
    const valid = context !== undefined && isSpanContextValid(context);
    const traceId = valid ? context.traceId : undefined;
    const spanId = valid ? context.spanId : undefined;
    const record: RequestRecord = {
      method: call.method,
      function: fn,
      path: call.path,
      status,
      durationMs: call.seconds * 1000,
      requestId: ownId ?? randomUUID(),
      traceId,
      spanId,
      error: undefined,
    };
    if (status < 400) return writeRequestLine(settings.logger, record);
    const answer = call.answer as Partial<Response> | undefined;
    if (typeof answer?.clone !== "function") return writeRequestLine(settings.logger, record);
    return errorOf(answer as Response, settings.development).then(function withError(error): void {
      record.error = error;
      writeRequestLine(settings.logger, record);
    });
  };
}

/** The Hono middleware: times the request, then logs and counts it (`callObserver`). */
export function observeRequests(settings: ObserveSettings) {
  const observe = callObserver(settings);
  return async function observeRequest(c: Context, next: Next): Promise<void> {
    const start = performance.now();
    await next();
    await observe({
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      seconds: (performance.now() - start) / 1000,
      headers: requestHeaders(c),
      span: c.get("span") as Span | undefined,
      answer: c.res,
      echo: (name, value) => echo(c, name, value),
    });
  };
}

/**
 * The request id back to the caller. On Node, straight on the outgoing message (writeHead merges
 * it): touching `c.res.headers` would turn @hono/node-server's cached lightweight response into a
 * full Response (allocations, GC).
 */
function echo(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (name: string, value: string) => void } } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === "function") {
    outgoing.setHeader(name, value);
    return;
  }
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value); // immutable headers: Hono copies the response
  }
}

/**
 * The error as the answer showed it (so a production line holds nothing the caller did not see):
 * its name, code and message, and the stack only in development.
 */
async function errorOf(response: Response, development: boolean): Promise<RequestRecord["error"]> {
  try {
    const body = (await response.clone().json()) as { error?: { name?: unknown; code?: unknown; message?: unknown; stack?: unknown } };
    const wire = body.error;
    if (typeof wire !== "object" || wire === null) return undefined;
    const error: NonNullable<RequestRecord["error"]> = { type: wire.name, code: wire.code, message: wire.message };
    if (development && typeof wire.stack === "string") error.stack = wire.stack;
    return error;
  } catch {
    return undefined;
  }
}

/** Path → function name, as the routes match it: `/f`, `/f/`, `/` for a one-function service, `$` encoded or not. */
function functionLookup(functions: readonly string[]): (path: string) => string | undefined {
  const byPath = new Map<string, string>();
  for (const name of functions) {
    byPath.set(`/${name}`, name);
    byPath.set(`/${name.replaceAll("$", "%24")}`, name);
  }
  if (functions.length === 1) byPath.set("/", functions[0]!);
  return function functionOf(path: string): string | undefined {
    const found = byPath.get(path);
    if (found !== undefined || path.length < 2 || !path.endsWith("/")) return found;
    return byPath.get(path.slice(0, -1));
  };
}
