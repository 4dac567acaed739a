/**
 * A finished span as the dev preload sends it to the dashboard (JSON): the
 * few fields a waterfall and a call list need, times in epoch milliseconds.
 */
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

export interface DevSpan {
  traceId: string;
  spanId: string;
  /** Undefined for a trace's root. */
  parentSpanId?: string;
  name: string;
  /** OpenTelemetry SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: number;
  /** The process that recorded it (its service name under `tsc-micro dev`). */
  service: string;
  /** Start, epoch milliseconds (fractional). */
  start: number;
  /** Milliseconds. */
  duration: number;
  /** OpenTelemetry SpanStatusCode: 0 unset, 1 ok, 2 error. */
  status: number;
  statusMessage?: string;
  attributes: Record<string, unknown>;
}

function millis(time: readonly [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** The JSON form of an SDK span. */
export function toDevSpan(span: ReadableSpan, service: string): DevSpan {
  const context = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind: span.kind,
    service,
    start: millis(span.startTime),
    duration: millis(span.duration),
    status: span.status.code,
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: { ...span.attributes },
  };
}

/** Whether a JSON value received from a process is a span (the intake trusts no one's shape). */
export function isDevSpan(value: unknown): value is DevSpan {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.traceId === "string" && typeof v.spanId === "string" && typeof v.name === "string" &&
    typeof v.service === "string" && typeof v.start === "number" && typeof v.duration === "number" &&
    typeof v.kind === "number" && typeof v.status === "number" &&
    (v.parentSpanId === undefined || typeof v.parentSpanId === "string") &&
    typeof v.attributes === "object" && v.attributes !== null
  );
}
