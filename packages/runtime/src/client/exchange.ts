/**
 * What one HTTP exchange of a client call gives back, whatever carries it
 * (pool-transport.ts): the answer, or why there is none.
 */

/** A whole response: its status, its body, and the one header the client reads. */
export interface RawResponse {
  status: number;
  body: Buffer;
  /** `Retry-After` as sent (the first one if repeated); undefined when absent. */
  retryAfter: string | undefined;
}

export interface PostOptions {
  /** Bounds the whole exchange: queueing for a connection, connecting, sending, waiting, reading. 0 disables. */
  timeoutMs: number;
  /** Aborts the exchange; the connection is destroyed, so the server sees the caller leave. */
  signal?: AbortSignal | undefined;
  /** Extra request headers (deadline, idempotency key, traceparent) as name, value, name, value…; lower-case names. */
  headers?: string[];
}

/** Rejection reason when the whole call outlived its time budget. */
export class CallTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
  }
}

/** Rejection reason when the caller's own signal aborted the exchange (its deadline, or its caller left). */
export class CallAborted extends Error {
  constructor(readonly reason: unknown) {
    super("the call was aborted by its caller");
  }
}
