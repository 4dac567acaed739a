/**
 * The line of an answered call (status < 400, level info): the same line pino writes for it
 * (`writeRequestLine`, request-log.ts; tested field by field), made without pino. At a line per
 * call on a trivial function, the line was most of what logging cost: pino's object walk, then,
 * once built by hand, the string concatenations, flattening the result to write it, and a UUID
 * made as a string (20 concatenations of its own). So the line is written straight into the
 * stdout buffer's bytes (`writeInfoLine`): its repeating parts are encoded once per function,
 * status and path; the time, the duration, a new request id and the trace ids are written digit
 * by digit. `infoLine` gives the same bytes as a string, for any other destination (an app's own
 * logger destination, tests): one way to make the line, so the two cannot drift apart.
 *
 * Every value is safe to write unescaped (a status and a duration are numbers, a caller's request
 * id a checked token, a made one a UUID, trace and span ids checked hex: here, or where they were
 * made, for the no-SDK spans' own ids), but the names and the
 * message, which go through JSON.stringify when their piece is made.
 */
import { randomFillSync } from "../node-crypto.js";
import { writeIsoNow } from "./iso-now.js";

/** What the line of one answered call says (a subset of request-log.ts's RequestRecord). */
export interface InfoRecord {
  method: string;
  function: string;
  path: string;
  status: number;
  durationMs: number;
  /** The caller's own id; undefined: a new UUID. */
  requestId: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
  /** The ids are known good (an OwnSpanContext's, trace-context.ts): written as they are, unchecked. */
  idsChecked?: boolean;
}

/** The line as a string: `writeInfoLine`'s bytes, decoded (not on the hot path: stdout takes the bytes). */
export function infoLine(serviceJson: string, record: InfoRecord): string {
  const pieces = linePieces(serviceJson, record);
  const buffer = Buffer.allocUnsafe(infoLineMost(pieces, record));
  return buffer.toString("utf8", 0, writeInfoLine(buffer, 0, pieces, record));
}

/** The repeating parts of a line: encoded once per service, function, status and path (`linePieces`). */
export interface InfoPieces {
  head: Uint8Array;
  message: Uint8Array;
}

/** The pieces of `record`'s line, looked up once for `infoLineMost` and `writeInfoLine`. */
export function linePieces(serviceJson: string, record: InfoRecord): InfoPieces {
  const pieces = piecesFor(serviceJson);
  return { head: pieces.headBytes(record.function, record.status), message: pieces.messageBytes(record.method, record.path, record.status) };
}

/** The most bytes `writeInfoLine` writes for `record` (what the buffer must have room for). */
export function infoLineMost(pieces: InfoPieces, record: InfoRecord): number {
  return pieces.head.length + pieces.message.length + 200 + (record.requestId?.length ?? 36);
}

/**
 * Writes the line's UTF-8 bytes into `buffer` at `at` (room for `infoLineMost`); returns the end.
 * The trace and span ids are checked as they are written (hex digits of their length, not all
 * zeros, what the API's isSpanContextValid checks with two regular expressions) and left out
 * when they are not.
 */
export function writeInfoLine(buffer: Buffer, at: number, pieces: InfoPieces, record: InfoRecord): number {
  at = put(buffer, at, LEVEL_TIME);
  at = writeIsoNow(buffer, at);
  at = put(buffer, at, pieces.head);
  at = writeMillis(buffer, at, record.durationMs);
  at = put(buffer, at, REQUEST_ID);
  at = record.requestId === undefined ? writeUuid(buffer, at) : putAscii(buffer, at, record.requestId);
  const { traceId, spanId } = record;
  if (record.idsChecked === true && traceId !== undefined && spanId !== undefined) {
    // One native write of one string: ~1.3 k instructions where checking and copying the 48
    // characters one by one took ~3.5 k (a third of the line).
    at = put(buffer, at, TRACE_ID);
    at += buffer.write(traceId + SPAN_ID_TEXT + spanId, at, "latin1");
  } else if (traceId !== undefined && spanId !== undefined) {
    const ids = put(buffer, at, TRACE_ID);
    const afterTrace = putHexId(buffer, ids, traceId, 32);
    const afterSpan = afterTrace === -1 ? -1 : putHexId(buffer, put(buffer, afterTrace, SPAN_ID), spanId, 16);
    if (afterSpan !== -1) at = afterSpan;
  }
  return put(buffer, at, pieces.message);
}

/** Writes `id` if it is `length` hex digits, not all zeros; else -1 (what was written is ignored). */
function putHexId(buffer: Uint8Array, at: number, id: string, length: number): number {
  if (id.length !== length) return -1;
  let zeros = true;
  for (let i = 0; i < length; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return -1;
    if (c !== 48) zeros = false;
    buffer[at + i] = c;
  }
  return zeros ? -1 : at + length;
}

const LEVEL_TIME = Buffer.from('{"level":"info","time":"');
const REQUEST_ID = Buffer.from(',"request_id":"');
const TRACE_ID = Buffer.from('","trace_id":"');
const SPAN_ID_TEXT = '","span_id":"';
const SPAN_ID = Buffer.from(SPAN_ID_TEXT);

/** The repeating parts of one service's info lines, each quoted and encoded once. */
class LinePieces {
  /** `","service":...,"function":...,"status":...,"duration_ms":` by function, then status. */
  readonly #heads = new Map<string, Map<number, Buffer>>();
  /** `","msg":"POST /f 200"}\n` by path, then status, for POST (the only method a function answers). */
  readonly #posts = new Map<string, Map<number, Buffer>>();

  constructor(private readonly serviceJson: string) {}

  headBytes(fn: string, status: number): Buffer {
    let byStatus = this.#heads.get(fn);
    if (byStatus === undefined) this.#heads.set(fn, (byStatus = new Map()));
    let head = byStatus.get(status);
    if (head === undefined) {
      head = Buffer.from(`","service":${this.serviceJson},"function":${JSON.stringify(fn)},"status":${status},"duration_ms":`);
      // A service has a few functions and statuses; a bound keeps a misbehaving caller from growing it.
      if (byStatus.size < 64) byStatus.set(status, head);
    }
    return head;
  }

  messageBytes(method: string, path: string, status: number): Buffer {
    if (method !== "POST") return messagePiece(method, path, status);
    let byStatus = this.#posts.get(path);
    if (byStatus === undefined) {
      byStatus = new Map();
      // Paths that reach a function are few (`/f`, `/f/`, `/%24f`); anything else is not kept.
      if (this.#posts.size < 256) this.#posts.set(path, byStatus);
    }
    let piece = byStatus.get(status);
    if (piece === undefined) {
      piece = messagePiece(method, path, status);
      if (byStatus.size < 64) byStatus.set(status, piece);
    }
    return piece;
  }
}

function messagePiece(method: string, path: string, status: number): Buffer {
  return Buffer.from(`","msg":${JSON.stringify(`${method} ${path} ${status}`)}}\n`);
}

const piecesByService = new Map<string, LinePieces>();

function piecesFor(serviceJson: string): LinePieces {
  let pieces = piecesByService.get(serviceJson);
  if (pieces === undefined) piecesByService.set(serviceJson, (pieces = new LinePieces(serviceJson)));
  return pieces;
}

/** Copies `bytes` in (TypedArray#set: a copy loop here measured slower). */
function put(buffer: Uint8Array, at: number, bytes: Uint8Array): number {
  buffer.set(bytes, at);
  return at + bytes.length;
}

/** Writes a string known to be ASCII (a checked token or hex). */
function putAscii(buffer: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * `Math.round(ms * 1000) / 1000` as JSON writes it (what pino's line has), from integers: a
 * double's shortest decimal form cost more than the rest of the line's numbers together. Below
 * 10^12 µs (11 days) the three-decimal form is that shortest form (doubles there are far closer
 * than 0.001 apart); anything else takes the double's way (checked in the unit tests).
 */
export function millis(ms: number): string {
  const micros = Math.round(ms * 1000);
  if (!(micros >= 0 && micros < 1e12)) return JSON.stringify(Math.round(ms * 1000) / 1000);
  const whole = Math.floor(micros / 1000);
  const fraction = micros - whole * 1000;
  if (fraction === 0) return `${whole}`;
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? "0" : ""}${fraction / 10}`;
  return `${whole}.${fraction < 10 ? "00" : fraction < 100 ? "0" : ""}${fraction}`;
}

/** `millis(ms)`, written as bytes: table lookups, no division per digit (a line per call). */
export function writeMillis(buffer: Uint8Array, at: number, ms: number): number {
  const micros = Math.round(ms * 1000);
  if (!(micros >= 0 && micros < 1e12)) return putAscii(buffer, at, millis(ms));
  const whole = Math.floor(micros / 1000);
  at = whole < 1000 ? put(buffer, at, WHOLE[whole] ?? wholeBytes(whole)) : putAscii(buffer, at, String(whole));
  const fraction = micros - whole * 1000;
  return put(buffer, at, FRACTION[fraction] ?? fractionBytes(fraction));
}

// Each entry is made the first time it is written: the 2,000 buffers made up front were ~4 % of
// a service's start-up instructions (bench section 5).
/** `0` … `999` as bytes. */
const WHOLE: (Buffer | undefined)[] = new Array(1000);
/** The decimals of n/1000 as JSON writes them: `` for 0, `.5` for 500, `.05` for 50, `.123`. */
const FRACTION: (Buffer | undefined)[] = new Array(1000);

function wholeBytes(n: number): Buffer {
  return (WHOLE[n] = Buffer.from(String(n)));
}

function fractionBytes(n: number): Buffer {
  return (FRACTION[n] = Buffer.from(n === 0 ? "" : `.${String(n).padStart(3, "0").replace(/0+$/, "")}`));
}

const HEX = Buffer.from("0123456789abcdef");
/** Random bytes for request ids, from the CSPRNG, refilled every 256 ids (what randomUUID() does too; Math.random measured slower here). */
const RANDOM = Buffer.alloc(16 * 256);
let randomAt = RANDOM.length;

/** Writes a new random (version 4) UUID, `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`. */
export function writeUuid(buffer: Uint8Array, at: number): number {
  if (randomAt === RANDOM.length) {
    randomFillSync(RANDOM);
    randomAt = 0;
  }
  const from = randomAt;
  randomAt += 16;
  RANDOM[from + 6] = (RANDOM[from + 6]! & 0x0f) | 0x40;
  RANDOM[from + 8] = (RANDOM[from + 8]! & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) buffer[at++] = 45; // -
    const byte = RANDOM[from + i]!;
    buffer[at++] = HEX[byte >> 4]!;
    buffer[at++] = HEX[byte & 15]!;
  }
  return at;
}
