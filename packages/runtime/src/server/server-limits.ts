/**
 * The HTTP server's own limits, set on purpose rather than left to Node's
 * defaults, each overridable by an environment variable; and the JSON error
 * body for what Node's HTTP parser refuses before any route sees a request.
 */
import { integerFromEnv, POSITIVE } from "../env-integer.js";
import type { Server, ServerOptions } from "node:http";
import type { Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import { statusOf } from "../errors.js";
import type { ErrorCode, WireError } from "../errors.js";

export interface ServerLimits {
  /** Time to receive a request's headers: slow-loris clients are cut (408) instead of holding sockets. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (408); the function's own run time is not counted. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open; announced as `Keep-Alive: timeout=N`. */
  keepAliveTimeoutMs: number;
  /** Largest request line + headers in bytes (431 beyond). */
  maxHeaderSize: number;
  /** Connections held at once; more are closed on accept (the caller's client sees UNAVAILABLE, retryable). */
  maxConnections: number;
}

/**
 * Why these defaults:
 * - keep-alive 5 s (Node's own default, now explicit): our clients honour the
 *   server's `Keep-Alive: timeout=5` hint and idle out first, so they never
 *   pick a socket we are closing. A load balancer that pools connections to
 *   the service (AWS ALB: 60 s idle) must time out first instead: raise this
 *   above its idle timeout there.
 * - headers 10 s (Node: 60 s): a caller on a network sends headers in well
 *   under a second; 10 s frees a socket held by a slow-loris client 6× sooner.
 *   Node requires it above the keep-alive timeout.
 * - request 30 s (Node 20: 300 s): the body is at most 1 MiB by default; 30 s
 *   is 35 KiB/s, slower than any caller worth waiting for. It matches the
 *   client's default call timeout: past that the caller has given up anyway.
 * - header size 16 KiB (Node's default, explicit): our calls send a few
 *   hundred bytes; large cookies from a browser-facing proxy still fit.
 * - 1000 connections (Node: unlimited): over that, accepting more only adds
 *   queueing, and near the usual 1024 open-files limit accept() would fail
 *   with EMFILE, which also breaks this service's own outgoing calls.
 */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
  maxConnections: 1000,
};

/** The environment variable for each limit. */
export const LIMIT_ENV: Readonly<Record<keyof ServerLimits, string>> = {
  headersTimeoutMs: "TSC_MICRO_HEADERS_TIMEOUT_MS",
  requestTimeoutMs: "TSC_MICRO_REQUEST_TIMEOUT_MS",
  keepAliveTimeoutMs: "TSC_MICRO_KEEP_ALIVE_TIMEOUT_MS",
  maxHeaderSize: "TSC_MICRO_MAX_HEADER_SIZE",
  maxConnections: "TSC_MICRO_MAX_CONNECTIONS",
};

/** The limits from `env`, else the defaults. Throws a RangeError naming the variable for junk or an inconsistent set. */
export function serverLimits(env: Record<string, string | undefined>): ServerLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_ENV) as (keyof ServerLimits)[]) {
    limits[key] = integerFromEnv(env, LIMIT_ENV[key], POSITIVE) ?? limits[key];
  }
  if (limits.headersTimeoutMs <= limits.keepAliveTimeoutMs) {
    // Else a request that starts just as the keep-alive window ends can be cut mid-headers.
    throw new RangeError(`${LIMIT_ENV.headersTimeoutMs} (${limits.headersTimeoutMs}) must be above ${LIMIT_ENV.keepAliveTimeoutMs} (${limits.keepAliveTimeoutMs})`);
  }
  if (limits.requestTimeoutMs < limits.headersTimeoutMs) {
    throw new RangeError(`${LIMIT_ENV.requestTimeoutMs} (${limits.requestTimeoutMs}) must be at least ${LIMIT_ENV.headersTimeoutMs} (${limits.headersTimeoutMs})`);
  }
  return limits;
}

/** Options for `http.createServer` (what @hono/node-server passes as `serverOptions`). */
export function serverOptionsOf(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxHeaderSize: limits.maxHeaderSize,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks both timeouts only this often (default 30 s, which would triple a 10 s limit).
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  } as ServerOptions;
}

/** The limits that are server properties rather than constructor options. */
export function applyLimits(server: Server, limits: ServerLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.maxConnections = limits.maxConnections;
}

/**
 * Answers what Node's HTTP parser refuses (bad framing, headers too large,
 * a request too slow) with the JSON error shape instead of Node's bare text,
 * then closes the connection: after a parse error the stream cannot be trusted.
 */
export function answerClientErrors(server: Server): void {
  server.on("clientError", function answerClientError(error: NodeJS.ErrnoException, socket: Socket) {
    // As Node's own handler: write only when no response on this socket has begun.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [code, message] = describeClientError(error);
    const status = statusOf(code);
    const wire: WireError = { name: "ServiceError", message, code };
    const body = JSON.stringify({ error: wire });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
        "content-type: application/json; charset=UTF-8\r\n" +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        "connection: close\r\n\r\n" +
        body,
    );
    // The socket allows half-open: without this a client that never closes would keep it.
    socket.once("finish", () => socket.destroy());
  });
}

function describeClientError(error: NodeJS.ErrnoException): [ErrorCode, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return ["HEADERS_TOO_LARGE", "request line and headers are larger than the server's limit (TSC_MICRO_MAX_HEADER_SIZE)"];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return ["REQUEST_TIMEOUT", "the request was not received in time (TSC_MICRO_HEADERS_TIMEOUT_MS / TSC_MICRO_REQUEST_TIMEOUT_MS)"];
    default: {
      // llhttp's reason ("Invalid method encountered") says what was wrong; nothing internal in it.
      const reason = (error as { reason?: unknown }).reason;
      const detail = typeof reason === "string" && reason !== "" ? `: ${reason}` : error.code ? ` (${error.code})` : "";
      return ["BAD_REQUEST", `malformed HTTP request${detail}`];
    }
  }
}
