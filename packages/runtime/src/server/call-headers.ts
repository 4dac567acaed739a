/**
 * The per-call request headers a service reads before it runs anything: the
 * caller's remaining budget, the idempotency key and the replay-only flag.
 * Junk is refused with 400 naming the header, never guessed at: a budget
 * misread as "none" would let a call outlive its caller.
 */
import { IDEMPOTENCY_KEY_HEADER, REPLAY_ONLY_HEADER, TIMEOUT_HEADER } from "../call-context.js";
import { errorResponse } from "./error-response.js";
import type { HeaderReader } from "./request-headers.js";

/** The largest budget accepted: one hour, as a guard against a unit mix-up (µs, s). */
export const MAX_TIMEOUT_MS = 3_600_000;
/** The IETF draft leaves the key's form open; 255 printable ASCII characters fit any UUID, ULID or hash. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface CallHeaders {
  /** Whole milliseconds left for the call; undefined when the caller set no deadline. */
  timeoutMs: number | undefined;
  idempotencyKey: string | undefined;
  /** True: answer from the key's stored outcome only, never run. */
  replayOnly: boolean;
}

/** The call's headers, or the 400 response that names the bad one. */
export function readCallHeaders(headers: HeaderReader): { ok: true; value: CallHeaders } | { ok: false; response: Response } {
  const timeout = headers.get(TIMEOUT_HEADER);
  let timeoutMs: number | undefined;
  if (timeout !== null) {
    timeoutMs = /^\d{1,7}$/.test(timeout) ? Number(timeout) : NaN;
    if (!(timeoutMs <= MAX_TIMEOUT_MS)) {
      return bad(`header ${TIMEOUT_HEADER} must be whole milliseconds from 0 to ${MAX_TIMEOUT_MS}, got "${clip(timeout)}"`);
    }
  }

  const key = headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key !== null && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(key)) {
    // Headers arrive trimmed, so an all-space key arrives as "" and is refused here too.
    return bad(`header ${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, got "${clip(key)}"`);
  }
  if (key !== null && key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return bad(`header ${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, got ${key.length}`);
  }

  const replay = headers.get(REPLAY_ONLY_HEADER);
  if (replay !== null && replay !== "1") {
    return bad(`header ${REPLAY_ONLY_HEADER} must be "1" when sent, got "${clip(replay)}"`);
  }
  if (replay !== null && key === null) {
    return bad(`header ${REPLAY_ONLY_HEADER} needs an ${IDEMPOTENCY_KEY_HEADER} header: there is nothing to replay without one`);
  }
  return { ok: true, value: { timeoutMs, idempotencyKey: key ?? undefined, replayOnly: replay === "1" } };
}

function bad(message: string): { ok: false; response: Response } {
  return { ok: false, response: errorResponse("BAD_REQUEST", message) };
}

/** A header value quoted in a message: short, and without control characters. */
function clip(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
