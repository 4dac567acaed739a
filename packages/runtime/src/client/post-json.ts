/**
 * One HTTP exchange: POST a JSON payload, collect the whole response.
 * Knows nothing about services or error bodies; it only guarantees that the
 * returned promise settles (response, error, or timeout) and never hangs.
 */
import http from "node:http";
import https from "node:https";
import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from "node:http";

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
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

export interface PostOptions {
  /** Bounds the whole exchange; 0 disables. */
  timeoutMs: number;
  /** Aborts the exchange (the request is destroyed, so the server sees the caller leave). */
  signal?: AbortSignal;
  /** Extra request headers (deadline, idempotency key). */
  headers?: Record<string, string>;
}

/**
 * POST `payload` to `url` through `agent`; see {@link PostOptions}.
 *
 * Never retries, not even ECONNRESET on a reused keep-alive socket (Node's
 * docs suggest it for GETs): from here, "the server closed the idle socket
 * before reading the request" looks the same as "the server ran the call and
 * then died". Whether to try again is the caller's decision (service-client.ts),
 * which knows whether the function may run twice.
 */
export function postJson(url: URL, payload: string, agent: Agent, options: PostOptions): Promise<RawResponse> {
  const body = Buffer.from(payload, "utf8");
  const transport = url.protocol === "https:" ? https : http;
  const headers = {
    ...options.headers,
    "content-type": "application/json",
    accept: "application/json",
    "content-length": String(body.byteLength),
  };
  const { timeoutMs, signal } = options;

  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    function settle(outcome: () => void): void {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", aborted);
      outcome();
    }

    function aborted(): void {
      settle(() => reject(new CallAborted(signal?.reason)));
      request.destroy();
    }

    if (signal?.aborted) {
      reject(new CallAborted(signal.reason));
      return;
    }
    const request: ClientRequest = transport.request(url, { method: "POST", agent, headers }, collect);
    request.on("error", (error) => settle(() => reject(error)));
    signal?.addEventListener("abort", aborted, { once: true });
    if (timeoutMs > 0) {
      // One timer for the whole call (queueing for a socket, connecting,
      // waiting, reading), unlike socket timeouts which reset on activity.
      timer = setTimeout(function timedOut() {
        settle(() => reject(new CallTimeout(timeoutMs)));
        // Destroying drops the socket rather than returning a busy one to the
        // pool, and the server sees the caller leave (its work is aborted).
        request.destroy();
      }, timeoutMs);
    }
    request.end(body);

    function collect(response: IncomingMessage): void {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", function ended() {
        settle(() =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      response.on("error", (error) => settle(() => reject(error)));
      // The connection died mid-body: 'close' without a complete message.
      response.on("close", function closed() {
        if (!response.complete) {
          const error: NodeJS.ErrnoException = new Error("response ended before it was complete");
          error.code = "ECONNRESET";
          settle(() => reject(error));
        }
      });
    }
  });
}
