/**
 * Waiting between attempts: exponential backoff with full jitter (a uniformly
 * random wait up to the exponential bound, AWS's "full jitter"), which spreads
 * the retries of many callers that failed together instead of sending them
 * back in waves; and the server's own `Retry-After`.
 */

/** First bound: up to 100 ms before the first retry, then 200, 400… */
const BASE_MS = 100;
/** No single wait is longer than this (the deadline also bounds it). */
const CAP_MS = 5_000;

/** The wait before retry number `attempt + 1` (attempt 0 = after the first try). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt));
}

/** `Retry-After` (delay-seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves true after `ms`, or false at once when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(function slept() {
      signal?.removeEventListener("abort", woken);
      resolve(true);
    }, ms);
    function woken(): void {
      clearTimeout(timer);
      resolve(false);
    }
    signal?.addEventListener("abort", woken, { once: true });
  });
}
