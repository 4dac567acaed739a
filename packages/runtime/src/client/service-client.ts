/**
 * The client half of a service boundary: generated stubs call
 * `client.call("isEven", { x })` where the monolith called `isEven(x)`.
 */
import { integerFromEnv, POSITIVE } from "../env-integer.js";
import { randomUUID } from "node:crypto";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Agent } from "node:http";
import { BrokenCircuitError } from "cockatiel";
import { currentCall, IDEMPOTENCY_KEY_HEADER, REPLAY_ONLY_HEADER, TIMEOUT_HEADER, wantCallContext } from "../call-context.js";
// For the {@link} in call()'s documentation.
import type { registerErrorClasses } from "../error-classes.js";
import { ServiceError } from "../errors.js";
import { backoffDelay, retryAfterMs, sleep } from "./backoff.js";
import { decodeResponse } from "./decode-response.js";
import { Endpoint, EndpointFailure, EndpointPool, splitUrls } from "./endpoints.js";
import type { BreakerSettings } from "./endpoints.js";
import { postJson } from "./post-json.js";
import type { RawResponse } from "./post-json.js";
import { neverSent, transportError } from "./transport-error.js";
import type { Span } from "@opentelemetry/api";
import { endClientSpan, recordAnswerStatus, recordAttempt, startClientSpan, traceparentOf } from "../telemetry/tracing.js";
import { TRACEPARENT_HEADER } from "../telemetry/trace-context.js";
import { countClientCall, countClientRetry, watchBreaker } from "../telemetry/metrics.js";

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

// Idle pooled sockets are closed after this long. Mostly it switches on
// Node's use of the server's `Keep-Alive: timeout=N` hint: Node 20 only
// applies the hint when the agent has a timeout of its own (it keeps the
// smaller), so without one an idle socket lives until the server drops it,
// and a call that picks it at that moment fails with ECONNRESET.
const IDLE_SOCKET_TIMEOUT_MS = 15_000;

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
  #urlInCode: string | undefined;
  // One pool per client (and protocol) so services do not share sockets.
  readonly #agents = new Map<string, Agent>();
  // Instances (with their breakers) of the URL setting last seen; rebuilt when the setting changes.
  #pool: { setting: string; pool: EndpointPool } | undefined;

  constructor(options: ServiceClientOptions) {
    this.service = options.service;
    this.#envVar = options.envVar;
    this.#defaultUrl = options.defaultUrl;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#breaker = { ...breakerFromEnv(process.env), ...options.breaker };
    // Its calls read the deadline and span of the call being answered: a service must keep them.
    wantCallContext();
  }

  /** URL set in code, else the env var, else the default; no trailing slash. May list several instances. */
  get baseUrl(): string {
    return this.#resolveBase().url;
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
  async call<T>(fn: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<T> {
    // One CLIENT span per logical call (its attempts are events on it), a child of the call being answered.
    const span = startClientSpan(this.service, fn, currentCall()?.span);
    try {
      const value = await this.#call<T>(fn, args, options, span);
      endClientSpan(span, false);
      countClientCall(this.service, fn, "OK");
      return value;
    } catch (error) {
      endClientSpan(span, true, error);
      countClientCall(this.service, fn, error);
      throw error;
    }
  }

  async #call<T>(fn: string, args: Record<string, unknown>, options: CallOptions, span: Span): Promise<T> {
    const base = this.#resolveBase();
    const pool = this.#poolFor(base);
    const payload = JSON.stringify(args);
    // `$` is allowed in a path segment (RFC 3986) and the server matches it unencoded.
    const path = `/${encodeURIComponent(fn).replaceAll("%24", "$")}`;
    const retry = options.retry ?? this.#retry;
    const idempotent = options.idempotent === true;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const parent = currentCall();
    const start = performance.now();
    const own = timeoutMs > 0 ? start + timeoutMs : undefined;
    const deadline = earliest(own, parent?.deadline);
    const budget = deadline === own ? `${timeoutMs} ms` : `the ${Math.round(deadline! - start)} ms left of its caller's deadline`;
    // One key for every attempt of this call, so a repeat the service already ran is answered from memory.
    const key = retry > 0 && !idempotent ? randomUUID() : undefined;
    const hint = base.origin === "default" ? ` (no URL configured; set ${this.#envVar})` : "";

    const failed = new Set<Endpoint>();
    let pinned: Endpoint | undefined; // replay-only attempts go back to the instance that holds the key
    let last: ServiceError | undefined;
    let attempts = 0;
    for (let attempt = 0; ; attempt++) {
      attempts++;
      if (attempt > 0) countClientRetry(this.service, fn);
      const endpoint = pinned ?? pool.pick(failed);
      const site = { service: this.service, url: `${endpoint?.url ?? pool.endpoints[0]!.url}${path}` };
      const outcome: Attempt = endpoint
        ? await this.#attempt(endpoint, site.url, payload, { deadline, budget, parent: parent?.signal, key, replayOnly: pinned !== undefined, hint, span, attempt })
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
          return decodeResponse(outcome.response, site) as T;
        }
        last = responseError(outcome.response, site);
      } else {
        last = outcome.error;
      }
      if (outcome.kind === "final" || attempt >= retry) break;
      if (outcome.kind === "may-have-run") {
        if (pinned) break; // the replay itself was interrupted: stop rather than guess
        if (!idempotent) {
          if (key === undefined || !endpoint) break;
          pinned = endpoint;
        }
      }
      if (endpoint) failed.add(endpoint);
      const wait = Math.max(backoffDelay(attempt), outcome.kind === "not-run" ? (outcome.waitMs ?? 0) : 0);
      if (deadline !== undefined && performance.now() + wait >= deadline) break;
      if (!(await sleep(wait, parent?.signal))) break;
    }
    if (attempts > 1) last!.message += ` (${attempts} attempts)`;
    throw last;
  }

  /** Destroys pooled sockets. The client stays usable; later calls reconnect. */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  /** One attempt on one instance, through its breaker, classified for the retry loop. */
  async #attempt(
    endpoint: Endpoint,
    url: string,
    payload: string,
    call: { deadline: number | undefined; budget: string; parent: AbortSignal | undefined; key: string | undefined; replayOnly: boolean; hint: string; span: Span; attempt: number },
  ): Promise<Attempt> {
    const site = { service: this.service, url };
    const target = parseServiceUrl(url, endpoint.url);
    const remaining = call.deadline === undefined ? 0 : Math.floor(call.deadline - performance.now());
    if (call.deadline !== undefined && remaining <= 0) {
      return { kind: "final", error: new ServiceError({ code: "TIMEOUT", service: this.service, url, message: `the deadline for calling service "${this.service}" passed before the call could be sent` }) };
    }
    const headers: Record<string, string> = {};
    // The service gets a little less than this client waits (a tenth, at most 20 ms: the way back),
    // so at the deadline it answers 504 itself and logs a TIMEOUT, rather than seeing this client
    // hang up at the same instant and logging a CANCELLED (found by a newcomer's trial).
    if (call.deadline !== undefined) headers[TIMEOUT_HEADER] = String(Math.max(1, remaining - Math.min(20, Math.floor(remaining / 10))));
    if (call.key !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = call.key;
    if (call.replayOnly) headers[REPLAY_ONLY_HEADER] = "1";
    // Every attempt names the call's client span as its parent.
    headers[TRACEPARENT_HEADER] = traceparentOf(call.span);
    recordAttempt(call.span, target, call.attempt);

    const agent = this.#agentFor(target.protocol);
    endpoint.outstanding++;
    try {
      const response = await endpoint.breaker.execute(async function send() {
        let answer: RawResponse;
        try {
          answer = await postJson(target, payload, agent, { timeoutMs: remaining, signal: call.parent, headers });
        } catch (failure) {
          // Our own caller giving up says nothing about this instance's health.
          if (call.parent?.aborted) throw failure;
          throw new EndpointFailure(failure);
        }
        return answer;
      });
      recordAnswerStatus(call.span, response.status);
      // Refused before running (overload, rate limit): safe to retry, after its Retry-After. Not a
      // breaker failure: the instance is up and protecting itself, and an open breaker would keep
      // every caller away for its whole open period after a burst that lasted a moment.
      if (refusedBeforeRunning(response)) {
        return { kind: "not-run", error: responseError(response, site), waitMs: retryAfterMs(response.headers["retry-after"]) };
      }
      return { kind: "answered", response };
    } catch (thrown) {
      if (thrown instanceof BrokenCircuitError) return { kind: "not-run", error: circuitOpen(site, endpoint.settings.openMs) };
      const failure = thrown instanceof EndpointFailure ? thrown.failure : thrown;
      const error = transportError(site, failure, call.hint, call.budget);
      if (call.parent?.aborted || error.code === "TIMEOUT" || error.code === "CANCELLED") return { kind: "final", error };
      return neverSent(failure) ? { kind: "not-run", error } : { kind: "may-have-run", error };
    } finally {
      endpoint.outstanding--;
    }
  }

  /** The base URL and where it came from ("setBaseUrl", the env var's name, or "default"). */
  #resolveBase(): { url: string; origin: string } {
    if (this.#urlInCode !== undefined) return { url: trimSlashes(this.#urlInCode), origin: "setBaseUrl" };
    const fromEnv = process.env[this.#envVar];
    if (fromEnv) return { url: trimSlashes(fromEnv), origin: this.#envVar };
    return { url: trimSlashes(this.#defaultUrl), origin: "default" };
  }

  #poolFor(base: { url: string; origin: string }): EndpointPool {
    if (this.#pool?.setting !== base.url) {
      const urls = splitUrls(base.url);
      if (urls.length === 0) parseServiceUrl(base.url, base.origin);
      for (const url of urls) parseServiceUrl(url, base.origin);
      this.#pool = { setting: base.url, pool: new EndpointPool(urls.map((url) => new Endpoint(url, this.#breaker))) };
      for (const endpoint of this.#pool.pool.endpoints) watchBreaker(this.service, endpoint.url, endpoint.breaker);
    }
    return this.#pool.pool;
  }

  #agentFor(protocol: string): Agent {
    let agent = this.#agents.get(protocol);
    if (!agent) {
      const options = {
        keepAlive: true,
        maxSockets: 256,
        scheduling: "lifo" as const, // reuse the warmest socket; let the rest idle out
        timeout: IDLE_SOCKET_TIMEOUT_MS,
      };
      agent = protocol === "https:" ? new HttpsAgent(options) : new HttpAgent(options);
      this.#agents.set(protocol, agent);
    }
    return agent;
  }
}

/** Answers a repeat of an idempotent call may fix: the service was up, but what it called failed or was slow. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** A 503 or 429 carrying Retry-After: the service (or a proxy) refused the call before running it. */
function refusedBeforeRunning(response: RawResponse): boolean {
  return (response.status === 503 || response.status === 429) && response.headers["retry-after"] !== undefined;
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

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, "");
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
