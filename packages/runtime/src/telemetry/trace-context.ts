/**
 * The W3C Trace Context `traceparent` header, read and written by the runtime
 * itself: propagation must work with no OpenTelemetry SDK registered (the API
 * alone propagates nothing), so that every service's logs carry one trace id.
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */
import { randomFillSync } from "node:crypto";
import type { SpanContext } from "@opentelemetry/api";

export const TRACEPARENT_HEADER = "traceparent";

/** The sampled bit of trace-flags. */
export const SAMPLED = 0x01;

// version "-" trace-id "-" parent-id "-" trace-flags, lowercase hex; a future version may append "-…".
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/**
 * The caller's span context from a `traceparent` value, or undefined when it is
 * absent or invalid (the receiver then starts a new trace, as the spec says).
 * Version ff is invalid; version 00 has exactly four fields; a later version is
 * read by its first four fields. Flags are kept as sent (the sampled bit included).
 */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  if (!value) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
}

/** The `traceparent` value (version 00) naming `context` as the parent. */
export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

// One random fill for many ids: crypto-strength ids without a syscall per span.
const POOL = Buffer.alloc(8 * 1024);
let offset = POOL.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > POOL.length) {
      randomFillSync(POOL);
      offset = 0;
    }
    const hex = POOL.toString("hex", offset, offset + bytes);
    offset += bytes;
    // All zeros is the invalid id; draw again (1 in 2^64 at worst).
    if (hex !== ZERO_TRACE_ID && hex !== ZERO_SPAN_ID) return hex;
  }
}

/** A random 16-byte trace id (32 lowercase hex digits, never all zeros). */
export function randomTraceId(): string {
  return randomHex(16);
}

/** A random 8-byte span id (16 lowercase hex digits, never all zeros). */
export function randomSpanId(): string {
  return randomHex(8);
}
