/**
 * One HTTP exchange over kept-alive undici connections (ConnectionPool, one
 * per instance): POST a JSON payload, collect the whole response. Knows
 * nothing about services or error bodies.
 *
 * Guarantees (the retry loop in service-client.ts relies on each):
 * - the promise always settles: with the response, with an error, or with
 *   CallTimeout once `timeoutMs` passed, however the server behaves;
 * - it never retries by itself, not even ECONNRESET on a reused keep-alive
 *   socket: from here, "the server closed the idle socket before reading the
 *   request" looks the same as "the server ran the call and then died".
 *   Whether to try again is the caller's decision, which knows whether the
 *   function may run twice (undici's Client retries nothing either: only its
 *   RetryAgent and retry interceptor do, and they are not used);
 * - the caller's signal aborting, or the timeout, destroys the connection the
 *   request is on (the server sees the caller leave and aborts its work); a
 *   request still queued for a connection is never written;
 * - failures below HTTP keep the codes and messages node:http gives
 *   (transport-error.ts classifies them; see `fromUndici`).
 *
 * Why undici rather than node:http's keep-alive Agent (the transport until
 * issue 13), chosen by measurement (bench section 6's method: callgrind
 * instructions per call in the calling process, (total_B − total_A)/(B − A)
 * over 10,000 and 20,000 sequential calls to is-even, node --single-threaded):
 *
 *   bare node:http keep-alive Agent request            232.8 k
 *   bare undici Pool.request                           105.7 k
 *   bare undici Client.dispatch, plain handler          65.9 k
 *   generated client over the Agent (before)           297.1 k   ×2.81 of Pool.request
 *   generated client over this file                     97.6 k   ×0.92 of Pool.request
 *
 * and 136 against 188 µs median per call on loopback (Pool.request 124,
 * the Agent 145). The price: undici in the bundle of every service that has a
 * client (is-odd: +409 KB, 659 → 1,069 KB with its shared chunk; services
 * without a client do not load it) and ~11 ms more to its first answer. The
 * dispatch API rather than `request()`: no Readable stream for the body, no
 * AsyncResource, no promise but ours. Details in the README ("Transport").
 */
/// <reference path="./undici-client.d.ts" />
import type { ConnectionOptions } from "node:tls";
import type { Client as UndiciClient, Dispatcher } from "undici";
import Client from "undici/lib/dispatcher/client.js";
import { CallAborted, CallTimeout } from "./exchange.js";
import type { PostOptions, RawResponse } from "./exchange.js";

/** Connections per instance, as the node:http Agent's `maxSockets` was. */
const CONNECTIONS = 256;

/**
 * Idle kept-alive connections are closed after this long, or sooner when the
 * server announces its own `Keep-Alive: timeout=N` (then N minus a second, as
 * Node's Agent does), so a call rarely picks a socket the server is closing.
 */
const IDLE_SOCKET_TIMEOUT_MS = 15_000;

const CLIENT_OPTIONS = {
  keepAliveTimeout: IDLE_SOCKET_TIMEOUT_MS,
  keepAliveMaxTimeout: IDLE_SOCKET_TIMEOUT_MS,
  keepAliveTimeoutThreshold: 1_000,
  // The call's own timer bounds the whole exchange (and 0 means no limit): none of undici's
  // own timeouts may end it first with an error of their own.
  connectTimeout: 0,
  headersTimeout: 0,
  bodyTimeout: 0,
};

/** One undici Client (one connection, one request at a time) and how many of our requests it holds. */
interface Connection {
  readonly client: UndiciClient;
  readonly pool: ConnectionPool;
  inFlight: number;
}

/**
 * The kept-alive connections to one origin (`http://host:port`, `https://…`),
 * up to 256: a request goes to the first connection with none
 * in flight, else a new one, else the least busy.
 *
 * Not undici's Pool: since its fix for GHSA-35p6-xmwp-9g52, a connection that
 * just answered stays "busy" until the next event-loop turn (it first reads
 * whatever the server may have sent unasked before writing again), and Pool
 * opens a second connection for a call made in the meantime: one caller making
 * calls in sequence held two connections. Here that call waits in the first
 * connection's queue for that turn, so calls in sequence share one connection,
 * as they did over node:http's Agent.
 */
export class ConnectionPool {
  readonly #connections: Connection[] = [];
  readonly #limit: number;
  readonly #clientOptions: UndiciClient.Options;

  /** `tls` adds TLS options (a test's own CA, client certificates); `connections` caps the connections (default 256). */
  constructor(
    readonly origin: string,
    options: { tls?: ConnectionOptions; connections?: number } = {},
  ) {
    this.#limit = options.connections ?? CONNECTIONS;
    this.#clientOptions = options.tls ? { ...CLIENT_OPTIONS, connect: options.tls } : CLIENT_OPTIONS;
  }

  /** Sends one request on the connection {@link ConnectionPool} picks. */
  dispatch(options: Dispatcher.DispatchOptions, handler: Exchange): void {
    const connections = this.#connections;
    let best: Connection | undefined;
    for (let i = 0; i < connections.length; i++) {
      const one = connections[i]!;
      if (one.inFlight === 0) {
        best = one;
        break;
      }
      if (best === undefined || one.inFlight < best.inFlight) best = one;
    }
    if (best === undefined || (best.inFlight > 0 && connections.length < this.#limit)) best = this.#open();
    best.inFlight++;
    handler.connection = best;
    best.client.dispatch(options, handler);
  }

  /** Destroys every connection; requests on them fail as a closed connection fails them. */
  destroy(): void {
    for (const { client } of this.#connections.splice(0)) client.destroy().catch(ignore);
  }

  /** Closes one connection for good (its socket is destroyed now) and forgets it. */
  drop(connection: Connection, reason: Error): void {
    const index = this.#connections.indexOf(connection);
    if (index !== -1) this.#connections.splice(index, 1);
    connection.client.destroy(reason).catch(ignore);
  }

  #open(): Connection {
    const client = new Client(this.origin, this.#clientOptions);
    const connection: Connection = { client, pool: this, inFlight: 0 };
    const connections = this.#connections;
    // A connection that could not be made (refused, TLS) is dropped, as undici's Pool drops it:
    // the next request opens a fresh one.
    client.on("connectionError", function dropConnection() {
      const index = connections.indexOf(connection);
      if (index !== -1) connections.splice(index, 1);
    });
    connections.push(connection);
    return connection;
  }
}

/** The pools of one client: one per origin, made on first use. */
export class PoolTransport {
  readonly #pools = new Map<string, ConnectionPool>();

  /** POSTs `payload` to `origin` + `path`; see {@link postJson}. */
  post(origin: string, path: string, payload: string, options: PostOptions): Promise<RawResponse> {
    let pool = this.#pools.get(origin);
    if (pool === undefined) this.#pools.set(origin, (pool = new ConnectionPool(origin)));
    return postJson(pool, path, payload, options);
  }

  /** Destroys every pooled connection (calls in flight fail as their connection closing would); later calls reconnect. */
  close(): void {
    for (const pool of this.#pools.values()) pool.destroy();
    this.#pools.clear();
  }
}

function ignore(): void {}

const JSON_HEADERS = ["content-type", "application/json", "accept", "application/json"];

/**
 * POSTs `payload` to `path` (with any base path prefix) on `pool`'s origin; see the file comment.
 */
export function postJson(pool: ConnectionPool, path: string, payload: string, options: PostOptions): Promise<RawResponse> {
  const signal = options.signal;
  if (signal?.aborted) return Promise.reject(new CallAborted(signal.reason));
  return new Promise<RawResponse>(function exchange(resolve, reject) {
    const handler = new Exchange(resolve, reject, signal);
    if (options.timeoutMs > 0) {
      // One timer for the whole call, unlike socket timeouts which reset on activity.
      handler.timer = setTimeout(timedOut, options.timeoutMs, handler, options.timeoutMs);
    }
    signal?.addEventListener("abort", handler, { once: true });
    const extra = options.headers;
    pool.dispatch({ path, method: "POST", body: payload, headers: extra === undefined || extra.length === 0 ? JSON_HEADERS : JSON_HEADERS.concat(extra) }, handler);
  });
}

function timedOut(handler: Exchange, timeoutMs: number): void {
  handler.timer = undefined;
  handler.stop(new CallTimeout(timeoutMs));
}

/**
 * undici's handler for one request, and the abort listener of the caller's
 * signal (`handleEvent`): one object per call, no closures.
 */
class Exchange implements Dispatcher.DispatchHandlers {
  timer: NodeJS.Timeout | undefined;
  /** The connection the request was given to; undici is done with it at onComplete or onError. */
  connection: Connection | undefined;
  #settled = false;
  #status = 0;
  #retryAfter: string | undefined;
  #first: Buffer | undefined;
  #more: Buffer[] | undefined;
  /** Why stop() ended the exchange. */
  #stopped: Error | undefined;
  /** Destroys the request's connection; set once the request has one. */
  #abort: ((error?: Error) => void) | undefined;

  constructor(
    private readonly resolve: (response: RawResponse) => void,
    private readonly reject: (reason: unknown) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.stop(new CallAborted(this.signal?.reason));
  }

  /** Rejects now and ends the request: its connection is destroyed, or, still queued, it is never written. */
  stop(reason: Error): void {
    if (this.#settled) return;
    this.#finish();
    this.#stopped = reason;
    this.reject(reason);
    const connection = this.connection!;
    if (connection.inFlight === 1) {
      // The connection holds this request alone: close it for good. undici's own abort would
      // destroy the socket too, then connect again only to discard the aborted request.
      connection.pool.drop(connection, reason);
    } else {
      // Others wait behind it: end this one (a queued one when it reaches the connection).
      this.#abort?.(reason);
    }
  }

  onConnect(abort: (error?: Error) => void): void {
    // Stopped while it waited for the connection (timeout, abort): undici ends a request whose
    // onConnect throws before writing a byte, and keeps the connection for the next one (its
    // `abort` would destroy the socket, and the next request would have to connect again).
    if (this.#settled) throw this.#stopped;
    this.#abort = abort;
  }

  onHeaders(status: number, headers: Buffer[]): boolean {
    if (status < 200) return true; // 1xx informational: the answer follows
    this.#status = status;
    for (let i = 0; i < headers.length; i += 2) {
      const name = headers[i]!;
      if (name.length === 11 && name.toString("latin1").toLowerCase() === "retry-after") {
        this.#retryAfter = headers[i + 1]!.toString("latin1");
        break;
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#first === undefined) this.#first = chunk;
    else (this.#more ??= [this.#first]).push(chunk);
    return true;
  }

  onComplete(): void {
    this.connection!.inFlight--;
    if (this.#settled) return;
    this.#finish();
    const body = this.#more !== undefined ? Buffer.concat(this.#more) : (this.#first ?? EMPTY);
    this.resolve({ status: this.#status, body, retryAfter: this.#retryAfter });
  }

  onError(error: Error): void {
    this.connection!.inFlight--;
    if (this.#settled) return; // our own stop() aborting the request
    this.#finish();
    this.reject(fromUndici(error, this.#status !== 0));
  }

  #finish(): void {
    this.#settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.signal?.removeEventListener("abort", this);
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * undici's errors where node:http's differ, so that transport-error.ts and the
 * messages callers read stay what they were: the connection closing before
 * the answer began is node:http's "socket hang up" (ECONNRESET), closing
 * mid-answer is "response ended before it was complete" (ECONNRESET), a
 * header block over the limit is llhttp's HPE_HEADER_OVERFLOW. Errors of the
 * socket itself (ECONNREFUSED, ENOTFOUND, read ECONNRESET, EPIPE…) and
 * llhttp's HPE_* parse errors come through unchanged, as in node:http.
 */
export function fromUndici(error: Error, answerStarted: boolean): Error {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "UND_ERR_SOCKET": // "other side closed", "closed", "bad response"
    case "UND_ERR_CLOSED":
    case "UND_ERR_DESTROYED":
    case "UND_ERR_ABORTED":
    case "UND_ERR_INFO":
    case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
      return Object.assign(new Error(answerStarted ? "response ended before it was complete" : "socket hang up", { cause: error }), { code: "ECONNRESET" });
    case "UND_ERR_HEADERS_OVERFLOW":
      return Object.assign(new Error(`Parse Error: ${error.message}`, { cause: error }), { code: "HPE_HEADER_OVERFLOW" });
    default:
      return error;
  }
}
