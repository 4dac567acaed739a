/**
 * The call a service is answering right now: its deadline and the signal that
 * aborts it. The server runs each function inside one (AsyncLocalStorage), and
 * every generated client call made from inside reads it: a downstream call
 * never waits past the caller's deadline, and aborting the outer call aborts
 * the calls it made. Outside a call (the monolith, a script) nothing is set
 * and the accessors say so harmlessly.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Span } from "@opentelemetry/api";

/** Request header carrying the caller's remaining budget in whole milliseconds (as gRPC's `grpc-timeout`: relative, so clocks need not agree). */
export const TIMEOUT_HEADER = "tsc-micro-timeout";
/** Request header naming one logical call across its attempts; the service answers a repeat from memory. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
/**
 * Request header on a retry after a failure that may have run the function (a reset, a lost
 * answer): run nothing new; answer from the key's stored outcome, or refuse with UNKNOWN_OUTCOME.
 */
export const REPLAY_ONLY_HEADER = "tsc-micro-replay-only";
/** Response header set when the answer came from the idempotency store rather than a new run. */
export const REPLAYED_HEADER = "tsc-micro-replayed";

export interface CallContext {
  /** Aborted when the deadline passes or the caller goes away; `signal.reason` says which. */
  readonly signal: AbortSignal;
  /** `performance.now()` time by which the call must be answered; undefined when unbounded. */
  readonly deadline: number | undefined;
  /** The call's SERVER span (telemetry/tracing.ts): the parent of the client spans of calls made from inside. */
  readonly span?: Span;
}

const storage = new AsyncLocalStorage<CallContext>();

let wanted = false;

/**
 * Says that something in this process reads the call context (a ServiceClient exists): services
 * built with `callContext: false` keep it from now on. @internal
 */
export function wantCallContext(): void {
  wanted = true;
}

/** Whether a ServiceClient was made in this process (see `wantCallContext`). @internal */
export function callContextWanted(): boolean {
  return wanted;
}

/** Runs `fn` as the body of `context`: calls it makes (and their callbacks) see it. */
export function runInCall<T>(context: CallContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The call being answered, or undefined outside one. @internal */
export function currentCall(): CallContext | undefined {
  return storage.getStore();
}

const NEVER = new AbortController().signal;

/**
 * The signal of the call this service function is answering: aborted when the
 * caller's deadline passes (`timeout=`, carried from caller to callee) or the
 * caller disconnects. Pass it to your own I/O (`fetch(url, { signal: callSignal() })`)
 * or check `callSignal().aborted` in long loops; calls to other services made
 * through tsc-micro's clients use it already. Outside a service call (the
 * monolith run as is) it is a signal that never aborts.
 */
export function callSignal(): AbortSignal {
  return storage.getStore()?.signal ?? NEVER;
}

/** Milliseconds left before the current call's deadline (≥ 0), or undefined when it has none or outside a call. */
export function callTimeRemaining(): number | undefined {
  const deadline = storage.getStore()?.deadline;
  return deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
}
