/**
 * Overload protection for a service's function routes: at most `concurrency`
 * calls run at once, at most `queue` more wait, and the rest are refused at
 * once with 503 UNAVAILABLE and `Retry-After` — safe to retry, as the function
 * never ran. Health checks and /openapi.json never pass through here.
 *
 * Hand-written rather than cockatiel's `bulkhead(limit, queue)` or p-limit:
 * - two stages: a call is admitted (or refused) before its body is read, but
 *   takes a run slot only around the function itself, so a refusal costs no
 *   body read and a slow upload does not hold a run slot;
 * - a function starts, and a freed slot passes to the next waiter, on a later
 *   event-loop turn (setImmediate), not in the same microtask chain as
 *   cockatiel does: with CPU-bound functions a microtask start runs each call
 *   before the next request is even admitted (the limit never bites) and a
 *   microtask hand-off runs the whole queue back to back, starving the socket,
 *   so /health/live could not answer meanwhile (see `run`);
 * - ~80 lines, instead of a dependency bundled into every service.
 */
import { integerFromEnv } from "../env-integer.js";
import { errorResponse } from "./error-response.js";
import { abortCode } from "./call-abort.js";
import type { Abortable } from "./call-abort.js";

/**
 * Without `concurrency=` every admitted call runs at once (a function that
 * awaits I/O or other services would only be slowed by a guessed limit), but
 * a process still refuses past this many calls in flight: each holds its body
 * (≤ the body limit) and its closures, and beyond ~1k calls one event loop only
 * answers everything later rather than more. 5 000 concurrent slow calls used
 * to be accepted, unbounded.
 */
export const DEFAULT_MAX_IN_FLIGHT = 1024;
/** With `concurrency=N` and no TSC_MICRO_QUEUE, N × this many calls may wait. */
export const QUEUE_PER_SLOT = 4;
/** Seconds in `Retry-After`: a queue of a few slots' worth drains in about that. */
export const RETRY_AFTER_SECONDS = 1;

export interface LimitSettings {
  /** Calls running at once; Infinity → no limit. */
  concurrency: number;
  /** Calls admitted in total (running, waiting, or reading their body). */
  maxInFlight: number;
}

/**
 * The settings for one service: `concurrency` from the tag or config (or a test),
 * the queue from the option, else TSC_MICRO_QUEUE, else 4 × concurrency.
 * Without concurrency, TSC_MICRO_MAX_IN_FLIGHT (default 1024) caps calls in flight.
 */
export function limitSettings(
  concurrency: number | undefined,
  queue: number | undefined,
  env: Record<string, string | undefined>,
): LimitSettings {
  if (concurrency === undefined) {
    const maxInFlight = integerFromEnv(env, "TSC_MICRO_MAX_IN_FLIGHT", atLeast(1)) ?? DEFAULT_MAX_IN_FLIGHT;
    return { concurrency: Infinity, maxInFlight };
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  const waiting = queue ?? integerFromEnv(env, "TSC_MICRO_QUEUE", atLeast(0)) ?? concurrency * QUEUE_PER_SLOT;
  if (!Number.isInteger(waiting) || waiting < 0) {
    throw new RangeError(`queue must be a whole number of at least 0, got ${waiting}`);
  }
  return { concurrency, maxInFlight: concurrency + waiting };
}

/** Counts admitted calls and hands out run slots in arrival order. */
export class ConcurrencyLimit {
  private inFlight = 0;
  private running = 0;
  private readonly waiters: Array<() => void> = [];

  /** Told of each call refused ("overloaded") or given up before it ran ("timeout", "cancelled"): for /metrics. */
  onRejected: ((reason: "overloaded" | "timeout" | "cancelled") => void) | undefined;

  constructor(readonly settings: LimitSettings) {}

  /** Calls admitted and not yet left (running, waiting, or reading their body). */
  get admitted(): number {
    return this.inFlight;
  }

  /** Calls waiting for a run slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Admits a call if there is room; every true must be paired with one `leave()`. */
  tryEnter(): boolean {
    if (this.inFlight >= this.settings.maxInFlight) {
      this.onRejected?.("overloaded");
      return false;
    }
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight--;
  }

  /**
   * Runs `fn` in a run slot, waiting for one first if all are busy; frees it on return and on throw.
   * `fn` always starts on a later event-loop turn (setImmediate): Node runs an I/O callback's
   * microtasks before the next callback, so a synchronous CPU-bound function started at once would
   * run before the other requests already on the socket are even admitted or refused, and the
   * limit would never see a queue. Deferred, a burst is admitted (or refused) first, then at most
   * N functions run per turn, with the socket (health checks) served between turns.
   * When `signal` aborts (the call's deadline passed, its caller left) before `fn` starts, the
   * call leaves the line and `fn` never runs: run rejects with the signal's reason.
   */
  run<T>(fn: () => T | Promise<T>, signal?: Abortable): Promise<T> {
    // Plain promises rather than an async function awaiting twice: fewer promises and microtasks
    // per call (bench section 6 counts them).
    if (this.running < this.settings.concurrency) {
      this.running++;
      return new Promise<T>((resolve, reject) => {
        setImmediate(() => this.runInSlot(fn, signal, resolve, reject));
      });
    }
    // The slot is handed over still counted, so a newcomer cannot overtake the waiters.
    return this.waitForSlot(signal).then(
      () => new Promise<T>((resolve, reject) => this.runInSlot(fn, signal, resolve, reject)),
      (reason: unknown) => {
        if (signal?.aborted) this.countAborted(signal);
        throw reason;
      },
    );
  }

  /** Tells `onRejected` that a call left before running because `signal` aborted: its deadline passed, or its caller left. */
  private countAborted(signal: Abortable): void {
    this.onRejected?.(abortCode(signal) === "TIMEOUT" ? "timeout" : "cancelled");
  }

  /** Runs `fn` in the slot this call holds, and frees the slot when it returns, throws or settles. */
  private runInSlot<T>(fn: () => T | Promise<T>, signal: Abortable | undefined, resolve: (value: T) => void, reject: (reason: unknown) => void): void {
    // A call whose deadline passed or whose caller left while it waited never runs.
    if (signal?.aborted) {
      this.countAborted(signal);
      this.release();
      reject(signal.reason);
      return;
    }
    let result: T | Promise<T>;
    let later: boolean;
    try {
      result = fn();
      // Inside the try: reading `then` of what a function returned may throw, as under `await`.
      later = isThenable(result);
    } catch (thrown) {
      this.release();
      reject(thrown);
      return;
    }
    if (!later) {
      this.release();
      resolve(result as T);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        this.release();
        resolve(value);
      },
      (thrown: unknown) => {
        this.release();
        reject(thrown);
      },
    );
  }

  /** Waits in line; leaves the line (rejecting with the signal's reason) if `signal` aborts first. */
  private waitForSlot(signal: Abortable | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiters = this.waiters;
      let unsubscribe = (): void => {};
      function handOver(): void {
        unsubscribe();
        resolve();
      }
      function leaveLine(): void {
        const index = waiters.indexOf(handOver);
        // Not found: the slot was already handed over; handOver settles it on its turn.
        if (index === -1) return;
        waiters.splice(index, 1);
        reject(signal!.reason);
      }
      if (signal) unsubscribe = signal.onAbort(leaveLine);
      waiters.push(handOver);
    });
  }


  private release(): void {
    const next = this.waiters.shift();
    if (next) setImmediate(next);
    else this.running--;
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** Wraps a route handler: refuses with 503 when the service is full, else admits and counts the call. */
export function admitCalls<R, A>(
  service: string,
  limit: ConcurrencyLimit,
  handler: (request: R) => Promise<A>,
) {
  // then() rather than an async function: one promise and one microtask less per call; the two
  // handlers are made once, not per call.
  function left(value: A): A {
    limit.leave();
    return value;
  }
  function leftThrowing(thrown: unknown): never {
    limit.leave();
    throw thrown;
  }
  return function admitCall(request: R): Promise<A | Response> {
    if (!limit.tryEnter()) return Promise.resolve(overloaded(service, limit.settings));
    let answer: Promise<A>;
    try {
      answer = handler(request);
    } catch (thrown) {
      limit.leave();
      return Promise.reject(thrown);
    }
    return answer.then(left, leftThrowing);
  };
}

function overloaded(service: string, settings: LimitSettings): Response {
  const { concurrency, maxInFlight } = settings;
  const held = Number.isFinite(concurrency)
    ? `${concurrency} running and ${maxInFlight - concurrency} waiting`
    : `${maxInFlight} in flight`;
  return errorResponse(
    "UNAVAILABLE",
    `service "${service}" is overloaded (${held}); the call did not run, retry after ${RETRY_AFTER_SECONDS} s`,
    { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } },
  );
}

/** A count's range: a whole number ≥ `min`. */
function atLeast(min: number): { min: number; expected: string } {
  return { min, expected: `a whole number of at least ${min}` };
}
