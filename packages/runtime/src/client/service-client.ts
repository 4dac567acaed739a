/**
 * The client half of a service boundary: generated stubs call
 * `client.call("isEven", { x })` where the monolith called `isEven(x)`.
 */
import { integerFromEnv, POSITIVE } from "../env-integer.js";
import { randomUUID } from "../node-crypto.js";
import { BrokenCircuitError } from "cockatiel";
import { currentCall, IDEMPOTENCY_KEY_HEADER, REPLAY_ONLY_HEADER, TIMEOUT_HEADER, wantCallContext } from "../call-context.js";
import type { CallContext } from "../call-context.js";
// For the {@link} in call()'s documentation.
import type { registerErrorClasses } from "../error-classes.js";
import { ServiceError } from "../errors.js";
import { backoffDelay, retryAfterMs, sleep } from "./backoff.js";
import { decodeResponse } from "./decode-response.js";
import type { CallSite } from "./decode-response.js";
import { Endpoint, EndpointPool, splitUrls, trimSlashes } from "./endpoints.js";
import type { BreakerSettings } from "./endpoints.js";
import type { PostOptions, RawResponse } from "./exchange.js";
import { PoolTransport } from "./pool-transport.js";
import { neverSent, transportError } from "./transport-error.js";
import type { Span } from "@opentelemetry/api";
import { endClientSpan, NO_SPAN, recordAnswerStatus, recordAttempt, startClientSpan, traceparentOf, tracingFromEnv } from "../telemetry/tracing.js";
import { TRACEPARENT_HEADER } from "../telemetry/trace-context.js";
import { countClientCall, countClientRetry, watchBreaker } from "../telemetry/client-metrics.js";
import { callCounter } from "./call-counter.js";

export interface ServiceClientOptions {
  /** The service's name, e.g. "is-even"; used in error messages. */
  service: string;
  /**
   * Env var holding the base URL, e.g. "TSC_MICRO_IS_EVEN_URL"; read at call time while no URL
   * was set in code. It may list several instances, separated by commas or spaces.
   */
  envVar: string;
  /** URL used when neither code nor env var set one, e.g. "http://is-even:8080". */
  defaultUrl: string;
  /** Per-call time budget in ms, retries included; default 30 000; 0 disables. */
  timeoutMs?: number;
  /** Retries of a failed call that is safe to repeat; default 2. */
  retry?: number;
  /** Per instance: consecutive failures that open its breaker (default 5) and how long it stays open (default 5 000 ms). */
  breaker?: Partial<BreakerSettings>;
}

export interface CallOptions {
  /** Overrides the client's `timeoutMs` for this call; 0 disables. */
  timeoutMs?: number;
  /** Overrides the client's `retry` for this call. */
  retry?: number;
  /** The function may run twice without harm: a failure that may have run it is retried too. */
  idempotent?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY = 2;
const DEFAULT_BREAKER: BreakerSettings = { failures: 5, openMs: 5_000 };
const NO_OPTIONS: CallOptions = {};

/** The instances of the URL setting last seen, and where that setting came from. */
interface Instances {
  /** The setting as read (before trimming), to notice a change without re-parsing. */
  setting: string;
  /** "setBaseUrl", the env var's name, or "default". */
  origin: string;
  pool: EndpointPool;
}

/** What one attempt came to, as the retry loop sees it. */
type Attempt =
  | { kind: "answered"; response: RawResponse }
  /** The function did not run: never sent, or refused before running (503/429 with Retry-After), or the breaker is open. */
  | { kind: "not-run"; error: ServiceError; waitMs?: number }
  /** Sent, answer lost: the function may have run. */
  | { kind: "may-have-run"; error: ServiceError }
  /** Nothing more to try: the caller's deadline or cancellation. */
  | { kind: "final"; error: ServiceError };

export class ServiceClient {
  readonly service: string;
  readonly #envVar: string;
  readonly #defaultUrl: string;
  readonly #timeoutMs: number;
  readonly #retry: number;
  readonly #breaker: BreakerSettings;
  /** TSC_MICRO_TRACING, read when the client is made: when off, no span and no `traceparent`. */
  readonly #tracing: boolean;
  #urlInCode: string | undefined;
  // Connections of this client only (a pool per instance), so services do not share sockets.
  readonly #transport = new PoolTransport();
  // Instances (with their breakers) of the URL setting last seen; rebuilt when the setting changes.
  #instances: Instances | undefined;
  // Request path of each function called, encoded once.
  readonly #paths = new Map<string, string>();
  // Each function's count of successful calls (tsc_micro_client_calls_total, code OK).
  readonly #okCounters = new Map<string, { inc(): void }>();

  constructor(options: ServiceClientOptions) {
    this.service = options.service;
    this.#envVar = options.envVar;
    this.#defaultUrl = options.defaultUrl;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#breaker = { ...breakerFromEnv(process.env), ...options.breaker };
    this.#tracing = tracingFromEnv(process.env);
    // Its calls read the deadline and span of the call being answered: a service must keep them.
    wantCallContext();
  }

  /** URL set in code, else the env var, else the default; no trailing slash. May list several instances. */
  get baseUrl(): string {
    return trimSlashes(this.#urlInCode ?? (process.env[this.#envVar] || this.#defaultUrl));
  }

  /** Pins the base URL (or a comma-separated list of instances); `undefined` goes back to env var / default. Throws on a non-http(s) URL. */
  setBaseUrl(url: string | undefined): void {
    if (url !== undefined) {
      const urls = splitUrls(url);
      if (urls.length === 0) parseServiceUrl(url, "setBaseUrl");
      for (const one of urls) parseServiceUrl(one, "setBaseUrl");
    }
    this.#urlInCode = url;
  }

  /**
   * POSTs `args` to `<baseUrl>/<fn>` and resolves with the decoded result.
   *
   * When the function throws, rejects with that error rebuilt: an instance of
   * the class registered for its name with {@link registerErrorClasses} (the
   * generated service bundles register the program's classes; other callers
   * register the ones they catch), else of the built-in error of that name,
   * else a plain Error carrying the name; with its message, data fields and
   * cause chain. It also passes `ServiceError.is` and carries non-enumerable
   * `service`, `url`, `status` (and `remoteStack` in development). Any other
   * failure (transport, timeout, bad request, unknown function) rejects with
   * a {@link ServiceError}.
   *
   * Policies: one deadline for the whole call (`timeoutMs`, and never past the
   * deadline of the call this one is made from, which it also aborts with);
   * up to `retry` retries with exponential backoff and full jitter of failures
   * that cannot have run the function (never sent, refused with Retry-After,
   * breaker open), or of any failure when `idempotent`; otherwise a failure
   * that may have run it is retried only as a replay of its Idempotency-Key,
   * which the service answers from memory or refuses, never running it twice.
   */
  async call<T>(fn: string, args: Record<string, unknown>, options: CallOptions = NO_OPTIONS): Promise<T> {
    const parent = currentCall();
    // One CLIENT span per logical call (its attempts are events on it), a child of the call being answered.
    const span = this.#tracing ? startClientSpan(this.service, fn, parent?.span) : NO_SPAN;
    try {
      const instances = this.#currentInstances();
      const pool = instances.pool;
      const path = this.#pathOf(fn);
      const retry = options.retry ?? this.#retry;
      const idempotent = options.idempotent === true;
      const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
      const start = performance.now();
      const own = timeoutMs > 0 ? start + timeoutMs : undefined;
      const call: LogicalCall = {
        path,
        payload: JSON.stringify(args),
        start,
        timeoutMs,
        own,
        deadline: earliest(own, parent?.deadline),
        signal: parent?.signal,
        // One key for every attempt of this call, so a repeat the service already ran is answered from memory.
        key: retry > 0 && !idempotent ? randomUUID() : undefined,
        settingOrigin: instances.origin,
        span,
      };

      let failed: Set<Endpoint> | undefined;
      let pinned: Endpoint | undefined; // replay-only attempts go back to the instance that holds the key
      let last: ServiceError | undefined;
      let attempts = 0;
      for (let attempt = 0; ; attempt++) {
        attempts++;
        if (attempt > 0) countClientRetry(this.service, fn);
        const endpoint = pinned ?? pool.pick(failed);
        const site = { service: this.service, url: `${endpoint?.url ?? pool.endpoints[0]!.url}${path}` };
        const outcome: Attempt = endpoint
          ? await this.#attempt(endpoint, site, call, attempt, pinned !== undefined)
          : { kind: "not-run", error: circuitOpen(site, this.#breaker.openMs) };
        if (outcome.kind === "answered" && pinned && last && outcome.response.status === 502 && responseError(outcome.response, site).code === "UNKNOWN_OUTCOME") {
          // The instance that got the first attempt has no record of its key (it restarted, or
          // the attempt never reached it): the outcome stays unknown, and nothing ran twice.
          last.message += "; a replay of its Idempotency-Key found no record of it there, so it was not run again";
          break;
        }
        if (outcome.kind === "answered") {
          // A gateway-class failure the service answered with (passed on from its own downstream
          // call, or its deadline): it had started, so only an idempotent function is tried again.
          if (!idempotent || !GATEWAY_STATUSES.has(outcome.response.status) || attempt >= retry) {
            // Throws the remote error, if that is the answer (counted below).
            const value = decodeResponse(outcome.response, site) as T;
            endClientSpan(span, false);
            this.#okCounter(fn).inc();
            return value;
          }
          last = responseError(outcome.response, site);
        } else {
          last = outcome.error;
        }
        if (outcome.kind === "final" || attempt >= retry) break;
        if (outcome.kind === "may-have-run") {
          if (pinned) break; // the replay itself was interrupted: stop rather than guess
          if (!idempotent) {
            if (call.key === undefined || !endpoint) break;
            pinned = endpoint;
          }
        }
        if (endpoint) (failed ??= new Set()).add(endpoint);
        const wait = Math.max(backoffDelay(attempt), outcome.kind === "not-run" ? (outcome.waitMs ?? 0) : 0);
        if (call.deadline !== undefined && performance.now() + wait >= call.deadline) break;
        if (!(await sleep(wait, call.signal))) break;
      }
      if (attempts > 1) last!.message += ` (${attempts} attempts)`;
      throw last;
    } catch (error) {
      endClientSpan(span, true, error);
      countClientCall(this.service, fn, error);
      throw error;
    }
  }

  /** Destroys pooled connections. The client stays usable; later calls reconnect. */
  close(): void {
    this.#transport.close();
  }

  /** One attempt on one instance, through its breaker, classified for the retry loop. */
  async #attempt(endpoint: Endpoint, site: CallSite, call: LogicalCall, attempt: number, replayOnly: boolean): Promise<Attempt> {
    const remaining = call.deadline === undefined ? 0 : Math.floor(call.deadline - performance.now());
    if (call.deadline !== undefined && remaining <= 0) {
      return { kind: "final", error: new ServiceError({ code: "TIMEOUT", service: this.service, url: site.url, message: `the deadline for calling service "${this.service}" passed before the call could be sent` }) };
    }
    const headers: string[] = [];
    // The service gets a little less than this client waits (a tenth, at most 20 ms: the way back),
    // so at the deadline it answers 504 itself and logs a TIMEOUT, rather than seeing this client
    // hang up at the same instant and logging a CANCELLED (found by a newcomer's trial).
    if (call.deadline !== undefined) headers.push(TIMEOUT_HEADER, String(Math.max(1, remaining - Math.min(20, Math.floor(remaining / 10)))));
    if (call.key !== undefined) headers.push(IDEMPOTENCY_KEY_HEADER, call.key);
    if (replayOnly) headers.push(REPLAY_ONLY_HEADER, "1");
    // Every attempt names the call's client span as its parent.
    if (call.span !== NO_SPAN) headers.push(TRACEPARENT_HEADER, traceparentOf(call.span));
    recordAttempt(call.span, endpoint.target, attempt);

    const transport = this.#transport;
    const post: PostOptions = { timeoutMs: remaining, signal: call.signal, headers };
    endpoint.outstanding++;
    try {
      // Every failure of the exchange counts against the instance, except our own caller giving
      // up (CallAborted), which says nothing about its health (see endpoints.ts).
      const response = await endpoint.breaker.execute(function send() {
        return transport.post(endpoint.origin, endpoint.basePath + call.path, call.payload, post);
      });
      recordAnswerStatus(call.span, response.status);
      // Refused before running (overload, rate limit): safe to retry, after its Retry-After. Not a
      // breaker failure: the instance is up and protecting itself, and an open breaker would keep
      // every caller away for its whole open period after a burst that lasted a moment.
      if (refusedBeforeRunning(response)) {
        return { kind: "not-run", error: responseError(response, site), waitMs: retryAfterMs(response.retryAfter) };
      }
      return { kind: "answered", response };
    } catch (failure) {
      if (failure instanceof BrokenCircuitError) return { kind: "not-run", error: circuitOpen(site, endpoint.settings.openMs) };
      const error = transportError(site, failure, hintOf(call, this.#envVar), budgetOf(call));
      if (call.signal?.aborted || error.code === "TIMEOUT" || error.code === "CANCELLED") return { kind: "final", error };
      return neverSent(failure) ? { kind: "not-run", error } : { kind: "may-have-run", error };
    } finally {
      endpoint.outstanding--;
    }
  }

  /** The instances of the current URL setting (code, else env var, else default), rebuilt when it changes. */
  #currentInstances(): Instances {
    let setting: string;
    let origin: string;
    if (this.#urlInCode !== undefined) {
      setting = this.#urlInCode;
      origin = "setBaseUrl";
    } else {
      // Read at every call: the env var may be set after the client was made.
      const fromEnv = process.env[this.#envVar];
      setting = fromEnv || this.#defaultUrl;
      origin = fromEnv ? this.#envVar : "default";
    }
    const known = this.#instances;
    if (known !== undefined && known.setting === setting) {
      known.origin = origin;
      return known;
    }
    const url = trimSlashes(setting);
    if (known !== undefined && trimSlashes(known.setting) === url) {
      // The same instances written differently (a trailing slash): keep their breakers.
      known.setting = setting;
      known.origin = origin;
      return known;
    }
    const urls = splitUrls(url);
    if (urls.length === 0) parseServiceUrl(url, origin);
    const endpoints = urls.map((one) => new Endpoint(one, this.#breaker, parseServiceUrl(one, origin)));
    this.#instances = { setting, origin, pool: new EndpointPool(endpoints) };
    for (const endpoint of endpoints) watchBreaker(this.service, endpoint.url, endpoint.breaker);
    return this.#instances;
  }

  #okCounter(fn: string): { inc(): void } {
    let counter = this.#okCounters.get(fn);
    if (counter === undefined) this.#okCounters.set(fn, (counter = callCounter(this.service, fn, "OK")));
    return counter;
  }

  /** `/<fn>`, encoded: `$` is allowed in a path segment (RFC 3986) and the server matches it unencoded. */
  #pathOf(fn: string): string {
    let path = this.#paths.get(fn);
    if (path === undefined) this.#paths.set(fn, (path = `/${encodeURIComponent(fn).replaceAll("%24", "$")}`));
    return path;
  }
}

/** One logical call (all its attempts), as its attempts read it. */
interface LogicalCall {
  /** `/<fn>`, encoded. */
  readonly path: string;
  readonly payload: string;
  /** `performance.now()` when the call began. */
  readonly start: number;
  readonly timeoutMs: number;
  /** The call's own deadline (`start + timeoutMs`), undefined when it has no timeout. */
  readonly own: number | undefined;
  /** The earlier of its own deadline and the deadline of the call it is made from. */
  readonly deadline: number | undefined;
  /** The signal of the call it is made from: aborts this one with it. */
  readonly signal: AbortSignal | undefined;
  readonly key: string | undefined;
  /** Where the URL setting came from when the call began ("default": the hint names the env var). */
  readonly settingOrigin: string;
  readonly span: Span;
}

/** What an "unavailable" message adds when the URL was only the built-in default. */
function hintOf(call: LogicalCall, envVar: string): string {
  return call.settingOrigin === "default" ? ` (no URL configured; set ${envVar})` : "";
}

/** The time budget a TIMEOUT message names: the call's own, or what was left of its caller's. */
function budgetOf(call: LogicalCall): string {
  return call.deadline === call.own ? `${call.timeoutMs} ms` : `the ${Math.round(call.deadline! - call.start)} ms left of its caller's deadline`;
}

/** Answers a repeat of an idempotent call may fix: the service was up, but what it called failed or was slow. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** A 503 or 429 carrying Retry-After: the service (or a proxy) refused the call before running it. */
function refusedBeforeRunning(response: RawResponse): boolean {
  return (response.status === 503 || response.status === 429) && response.retryAfter !== undefined;
}

/** The ServiceError a refusal decodes to (UNAVAILABLE for our services' 503, RATE_LIMITED for a 429). */
function responseError(response: RawResponse, site: { service: string; url: string }): ServiceError {
  try {
    decodeResponse(response, site);
  } catch (error) {
    if (error instanceof ServiceError) return error;
  }
  return new ServiceError({ code: "UNAVAILABLE", service: site.service, url: site.url, message: `service "${site.service}" refused the call (${response.status})` });
}

function circuitOpen(site: { service: string; url: string }, openMs: number): ServiceError {
  return new ServiceError({
    code: "CIRCUIT_OPEN",
    service: site.service,
    url: site.url,
    message: `service "${site.service}" is failing: its circuit breaker is open (nothing was sent; it lets a probe through after ${openMs} ms)`,
  });
}

/**
 * Breaker settings from TSC_MICRO_BREAKER_FAILURES / TSC_MICRO_BREAKER_OPEN_MS, read when the
 * client is created (generated clients: when their module loads); defaults otherwise.
 */
function breakerFromEnv(env: Record<string, string | undefined>): BreakerSettings {
  return {
    failures: integerFromEnv(env, "TSC_MICRO_BREAKER_FAILURES", POSITIVE) ?? DEFAULT_BREAKER.failures,
    openMs: integerFromEnv(env, "TSC_MICRO_BREAKER_OPEN_MS", POSITIVE) ?? DEFAULT_BREAKER.openMs,
  };
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * A URL object for http(s) URLs; a TypeError naming where the bad value came
 * from otherwise ("is-even:8080" parses as a URL with scheme "is-even:").
 */
function parseServiceUrl(url: string, origin: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new TypeError(
      `invalid service URL ${JSON.stringify(url)} (from ${origin}); expected http://host:port or https://host:port`,
    );
  }
  return parsed;
}
