/**
 * The W3C Trace Context `traceparent` header, read and written by the runtime
 * itself: propagation must work with no OpenTelemetry SDK registered (the API
 * alone propagates nothing), so that every service's logs carry one trace id.
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */
import { randomFillSync } from "../node-crypto.js";
import type { SpanContext } from "@opentelemetry/api";

export const TRACEPARENT_HEADER = "traceparent";

/** The sampled bit of trace-flags. */
export const SAMPLED = 0x01;

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);
/** `00-<32 hex>-<16 hex>-<2 hex>`: version 00's length, the least any version has. */
const LENGTH = 55;

/**
 * The caller's span context from a `traceparent` value, or undefined when it is
 * absent or invalid (the receiver then starts a new trace, as the spec says):
 * version "-" trace-id "-" parent-id "-" trace-flags, lowercase hex, surrounding
 * whitespace ignored. Version ff is invalid; version 00 has exactly four fields; a
 * later version is read by its first four fields (it may append "-…").
 * Flags are kept as sent (the sampled bit included).
 *
 * Read character by character: the regular expression it replaces (kept in the unit
 * test as the reference, compared on random values) was 60 % of a server span's cost
 * with no SDK, itself 5 % of a trivial call.
 */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (text.length < LENGTH) return undefined;
  if (text.length > LENGTH && (text.charCodeAt(LENGTH) !== DASH || hasLineTerminator(text, LENGTH + 1))) return undefined;
  if (text.charCodeAt(2) !== DASH || text.charCodeAt(35) !== DASH || text.charCodeAt(52) !== DASH) return undefined;
  const v0 = hexDigit(text.charCodeAt(0));
  const v1 = hexDigit(text.charCodeAt(1));
  const f0 = hexDigit(text.charCodeAt(53));
  const f1 = hexDigit(text.charCodeAt(54));
  if (v0 < 0 || v1 < 0 || f0 < 0 || f1 < 0 || !isHex(text, 3, 35) || !isHex(text, 36, 52)) return undefined;
  if ((v0 === 15 && v1 === 15) || (v0 === 0 && v1 === 0 && text.length > LENGTH)) return undefined;
  const traceId = text.slice(3, 35);
  const spanId = text.slice(36, 52);
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: f0 * 16 + f1, isRemote: true };
}

const DASH = 45;

/** The value of a lowercase hex digit's code, or -1. */
function hexDigit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

function isHex(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (hexDigit(text.charCodeAt(i)) < 0) return false;
  return true;
}

/** What `.` in a regular expression does not match: a later version's "-…" may hold anything else. */
function hasLineTerminator(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/**
 * A span context whose ids this runtime made (randomTraceId, randomSpanId) or took from a parsed
 * `traceparent` or a valid parent's: hex digits of the right length, not all zeros, known without
 * checking again.
 * The no-SDK spans carry one (tracing.ts), so a log line writes their ids as they are
 * (info-line.ts) where it checks any other context's character by character.
 */
export class OwnSpanContext implements SpanContext {
  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly traceFlags: number,
  ) {}
}

/** The `traceparent` value (version 00) naming `context` as the parent. */
export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

// One random fill, turned into hex once, for many ids: crypto-strength ids without a syscall or a
// conversion per span. An id is a slice of the pool's hex (V8 shares the characters), so a pool's
// 16 KiB of text lives while one of its ids does; a conversion per id cost ~2 k instructions,
// twice per call (a new trace's trace and span ids) on a service answering with no SDK.
const POOL = Buffer.alloc(8 * 1024);
let hexPool = "";
let offset = 0;

function randomHex(bytes: number): string {
  const chars = bytes * 2;
  for (;;) {
    if (offset + chars > hexPool.length) {
      randomFillSync(POOL);
      hexPool = POOL.toString("hex");
      offset = 0;
    }
    const hex = hexPool.slice(offset, offset + chars);
    offset += chars;
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
