/**
 * The one Hono middleware that logs and measures every request: a JSON line
 * (see request-log.ts) and, for the function routes, the request counter and
 * duration histogram (see metrics.ts). The trace and span ids come from the
 * server span the route handler puts in the context variable "span".
 */
import type { Context, Next } from "hono";
import { isSpanContextValid } from "@opentelemetry/api";
import type { Span } from "@opentelemetry/api";
import type { DestinationStream, Logger } from "pino";
import { infoLine, levelOf, REQUEST_ID_HEADER, requestIdOf, writeRequestLine } from "./request-log.js";
import type { RequestRecord } from "./request-log.js";
import type { ServiceMetrics } from "./metrics.js";
import { requestHeaders } from "../server/request-headers.js";

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

export function observeRequests(settings: ObserveSettings) {
  const functionOf = functionLookup(settings.functions);
  const direct = settings.direct;
  const serviceJson = direct ? JSON.stringify(direct.service) : "";
  return async function observeRequest(c: Context, next: Next): Promise<void> {
    const start = performance.now();
    await next();
    const seconds = (performance.now() - start) / 1000;
    const status = c.res.status;
    const fn = functionOf(c.req.path);
    if (fn !== undefined) settings.metrics.observe(fn, status, seconds);
    const callerId = requestHeaders(c).get(REQUEST_ID_HEADER) ?? undefined;
    // Below the threshold (LOG_LEVEL=silent, or a probe at debug) no line is written: no id is made
    // and no trace ids are read; a caller's own request id still comes back, as always.
    const level = levelOf({ status, function: fn });
    if (!settings.logger.isLevelEnabled(level)) {
      if (callerId !== undefined && requestIdOf(callerId) === callerId) echo(c, callerId);
      return;
    }
    const requestId = requestIdOf(callerId);
    // Only a caller's own id goes back: a header set before writeHead sends every response header
    // down Node's slow merge-and-validate path, a cost per call for an id the caller never asked for
    // (the line and the trace id already name the call).
    if (requestId === callerId) echo(c, requestId);
    const span = c.get("span") as Span | undefined;
    const context = typeof span?.spanContext === "function" ? span.spanContext() : undefined;
    const valid = context !== undefined && isSpanContextValid(context);
    const record: RequestRecord = {
      method: c.req.method,
      function: fn,
      path: c.req.path,
      status,
      durationMs: seconds * 1000,
      requestId,
      traceId: valid ? context.traceId : undefined,
      spanId: valid ? context.spanId : undefined,
      error: status >= 400 ? await errorOf(c.res, settings.development) : undefined,
    };
    if (direct !== undefined && level === "info" && record.error === undefined) direct.lines.write(infoLine(serviceJson, record));
    else writeRequestLine(settings.logger, record);
  };
}

/**
 * The request id back to the caller. On Node, straight on the outgoing message (writeHead merges
 * it): touching `c.res.headers` would turn @hono/node-server's cached lightweight response into a
 * full Response (allocations, GC).
 */
function echo(c: Context, requestId: string): void {
  const outgoing = (c.env as { outgoing?: { setHeader?: (name: string, value: string) => void } } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === "function") {
    outgoing.setHeader(REQUEST_ID_HEADER, requestId);
    return;
  }
  try {
    c.res.headers.set(REQUEST_ID_HEADER, requestId);
  } catch {
    c.header(REQUEST_ID_HEADER, requestId); // immutable headers: Hono copies the response
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
