/**
 * Server and client spans, through `@opentelemetry/api` only: with no SDK
 * registered the API hands out no-op spans and this costs a few object
 * allocations per call; a user who registers an SDK (see the README's
 * "Traces") gets real spans, with no code change.
 *
 * Propagation does not depend on an SDK: the incoming `traceparent` is parsed
 * here and the outgoing one written here. Without an SDK the API's no-op span
 * would only echo its parent's ids (or none), so such a span is replaced by
 * one with ids of our own — the caller's trace id (or a new random one) and a
 * new span id — and the trace still reaches every service's logs.
 *
 * Parents are passed explicitly (the server span lives in the call context,
 * call-context.ts): without an SDK there is no context manager, so OTel's
 * active context would not carry them.
 */
import { context, INVALID_SPAN_CONTEXT, isSpanContextValid, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Span, SpanContext, Tracer, TracerProvider } from "@opentelemetry/api";
import { ServiceError } from "../errors.js";
import { formatTraceparent, OwnSpanContext, parseTraceparent, randomSpanId, randomTraceId, SAMPLED } from "./trace-context.js";

export const TRACER_NAME = "@tsc-micro/runtime";
/** `rpc.system` of every span (OpenTelemetry RPC semantic conventions). */
export const RPC_SYSTEM = "tsc-micro";

/** `TSC_MICRO_TRACING`: the values it takes. */
export const TRACING_SETTINGS = ["on", "off"] as const;

/**
 * Whether this process traces: `TSC_MICRO_TRACING=off` turns spans and trace context off (no
 * `traceparent` read or sent, no span made, no trace ids in the log lines) — for a process that
 * must not join its callers' traces, and so that what tracing costs can be measured (bench
 * sections 1 and 6). Unset or blank: on. Anything else stops the start, naming the variable.
 */
export function tracingFromEnv(env: Record<string, string | undefined>): boolean {
  const value = env.TSC_MICRO_TRACING;
  if (value === undefined || value.trim() === "") return true;
  const setting = value.trim().toLowerCase();
  if (!(TRACING_SETTINGS as readonly string[]).includes(setting)) {
    throw new RangeError(`TSC_MICRO_TRACING must be one of ${TRACING_SETTINGS.join(", ")}, got "${value}"`);
  }
  return setting === "on";
}

/** The span of every call while tracing is off: a no-op whose ids are invalid, so no line or header names them. */
export const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The global provider as the API registers it: a proxy whose delegate is the SDK's provider, once one is set. */
interface ProxyProvider extends TracerProvider {
  getDelegateTracer?(name: string): Tracer | undefined;
}

/**
 * The registered SDK's tracer, or undefined when there is none — then the span is made
 * here directly, skipping the API's no-op tracer and its context objects (the hot path).
 * Looked up per span: an SDK registered after this module loaded (started by the
 * program, or through another copy of the API — they share one global) is used.
 */
function sdkTracer(): Tracer | undefined {
  const provider: ProxyProvider = trace.getTracerProvider();
  // A provider registered without the API's proxy is an SDK's own.
  return typeof provider.getDelegateTracer === "function" ? provider.getDelegateTracer(TRACER_NAME) : provider.getTracer(TRACER_NAME);
}

/**
 * The SERVER span of one call of `fn` on `service`, continuing the trace of the
 * request's `traceparent` (a new trace when it is absent or invalid).
 */
export function startServerSpan(service: string, fn: string, traceparent: string | null | undefined): Span {
  const parent = parseTraceparent(traceparent);
  const tracer = sdkTracer();
  if (!tracer) return idsOnly(parent);
  const route = `/${fn}`;
  const span = tracer.startSpan(
    `POST ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        "rpc.system": RPC_SYSTEM,
        "rpc.service": service,
        "rpc.method": fn,
        "http.request.method": "POST",
        "http.route": route,
      },
    },
    parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
  );
  return withOwnIds(span, parent);
}

/**
 * Records the answer on a server span and ends it; returns `response` untouched.
 * An error answer's code (`error.type`) is read from a copy of its body, so the
 * span of a failed call ends a few ticks after the answer is handed over.
 */
export function endServerSpan<A extends { readonly status: number }>(span: Span, answer: A): A {
  // No SDK (or not sampled): nothing would keep what we record.
  if (!span.isRecording()) return answer;
  const status = answer.status;
  span.setAttribute("http.response.status_code", status);
  // Errors are Responses (server/answer.ts); a plain answer is a function's result.
  const response = answer as unknown as Partial<Response>;
  if (status < 400 || typeof response.clone !== "function") {
    span.end();
    return answer;
  }
  void response
    .clone()
    .text()
    .then(wireErrorCode, () => undefined)
    .then(function recordFailure(code) {
      span.setAttribute("error.type", code ?? String(status));
      // OpenTelemetry HTTP server conventions: a 4xx is the caller's fault, not the server's.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      span.end();
    });
  return answer;
}

/** Ends a server span whose handler threw (a bug in the host): answered 500 INTERNAL by `onError`. */
export function failServerSpan(span: Span, thrown: unknown): void {
  if (!span.isRecording()) return;
  span.setAttribute("http.response.status_code", 500);
  span.setAttribute("error.type", "INTERNAL");
  span.setStatus({ code: SpanStatusCode.ERROR, message: thrown instanceof Error ? thrown.message : String(thrown) });
  span.end();
}

/** Runs `fn` with `span` as OTel's active span, so spans the function's own libraries make are its children (with an SDK). */
export function inSpan<T>(span: Span, fn: () => T): T {
  return span.isRecording() ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

/**
 * The CLIENT span of one logical call of `service`/`fn`, attempts included (each
 * attempt is an "attempt" event on it; every attempt sends this span as its parent).
 * Its parent: `parent` (the server span of the call being answered), else OTel's
 * active span (a client program with an SDK), else none — a new trace.
 */
export function startClientSpan(service: string, fn: string, parent: Span | undefined): Span {
  const tracer = sdkTracer();
  // No SDK, so no context manager either: nothing is active but the explicit parent.
  if (!tracer) {
    const from = parent?.spanContext();
    return idsOnly(from !== undefined && isSpanContextValid(from) ? from : undefined);
  }
  const active = context.active();
  const parentContext = parent ? trace.setSpan(active, parent) : active;
  const span = tracer.startSpan(
    `${service}/${fn}`,
    { kind: SpanKind.CLIENT, attributes: { "rpc.system": RPC_SYSTEM, "rpc.service": service, "rpc.method": fn } },
    parentContext,
  );
  return withOwnIds(span, trace.getSpanContext(parentContext));
}

/** Notes an attempt on a client span: where it goes (`server.address`, `server.port`) and its number (0 = first). */
export function recordAttempt(span: Span, target: URL, attempt: number): void {
  if (!span.isRecording()) return;
  const address = target.hostname;
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  span.setAttribute("server.address", address);
  span.setAttribute("server.port", port);
  span.addEvent("attempt", { "tsc-micro.attempt": attempt, "server.address": address, "server.port": port });
}

/** Notes the HTTP status an attempt was answered with (the last attempt's stays). */
export function recordAnswerStatus(span: Span, status: number): void {
  if (span.isRecording()) span.setAttribute("http.response.status_code", status);
}

/**
 * Ends a client span; a failed call gets status ERROR and `error.type`: the
 * ServiceError's code, or the name of the error the remote function threw.
 */
export function endClientSpan(span: Span, failed: boolean, error?: unknown): void {
  if (!span.isRecording()) return;
  if (failed) {
    const type = error instanceof ServiceError ? error.code : error instanceof Error ? error.name : "Error";
    span.setAttribute("error.type", type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

/** The `traceparent` value naming `span` as the parent of the request it goes on. */
export function traceparentOf(span: Span): string {
  return formatTraceparent(span.spanContext());
}

/**
 * `span` when it has ids of its own (an SDK made it, sampled or not); else — the
 * API's no-op span, which echoes its parent's ids or has none — a no-op span with
 * a new span id in the parent's trace, or in a new trace. A trace started here
 * has the sampled flag set: no decision was made, so a downstream SDK records it.
 */
function withOwnIds(span: Span, parent: SpanContext | undefined): Span {
  if (span.isRecording()) return span;
  const own = span.spanContext();
  const validParent = parent !== undefined && isSpanContextValid(parent) ? parent : undefined;
  if (isSpanContextValid(own) && own.spanId !== validParent?.spanId) return span;
  return idsOnly(validParent);
}

/** A no-op span with a new span id, in `parent`'s trace (its flags kept) or a new one. `parent` is valid or undefined. */
function idsOnly(parent: SpanContext | undefined): Span {
  // `parent` is valid (the callers check it, or parseTraceparent made it): its trace id is checked hex.
  return trace.wrapSpanContext(new OwnSpanContext(parent?.traceId ?? randomTraceId(), randomSpanId(), parent?.traceFlags ?? SAMPLED));
}

/** The `error.code` of a tsc-micro error body, if it is one. */
function wireErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } })?.error?.code;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}
