/**
 * The client half of a service boundary: generated stubs call
 * `client.call("isEven", { x })` where the monolith called `isEven(x)`.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Agent } from "node:http";
// For the {@link} in call()'s documentation.
import type { registerErrorClasses } from "../error-classes.js";
import type { ServiceError } from "../errors.js";
import { decodeResponse } from "./decode-response.js";
import { postJson } from "./post-json.js";
import { transportError } from "./transport-error.js";

export interface ServiceClientOptions {
  /** The service's name, e.g. "is-even"; used in error messages. */
  service: string;
  /** Env var holding the base URL, e.g. "TSC_MICRO_IS_EVEN_URL"; read at call time while no URL was set in code. */
  envVar: string;
  /** URL used when neither code nor env var set one, e.g. "http://is-even:8080". */
  defaultUrl: string;
  /** Per-call time budget in ms; default 30 000; 0 disables. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Overrides the client's `timeoutMs` for this call; 0 disables. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

// Idle pooled sockets are closed after this long. Mostly it switches on
// Node's use of the server's `Keep-Alive: timeout=N` hint: Node 20 only
// applies the hint when the agent has a timeout of its own (it keeps the
// smaller), so without one an idle socket lives until the server drops it,
// and a call that picks it at that moment fails with ECONNRESET.
const IDLE_SOCKET_TIMEOUT_MS = 15_000;

export class ServiceClient {
  readonly service: string;
  readonly #envVar: string;
  readonly #defaultUrl: string;
  readonly #timeoutMs: number;
  #urlInCode: string | undefined;
  // One pool per client (and protocol) so services do not share sockets.
  readonly #agents = new Map<string, Agent>();

  constructor(options: ServiceClientOptions) {
    this.service = options.service;
    this.#envVar = options.envVar;
    this.#defaultUrl = options.defaultUrl;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** URL set in code, else the env var, else the default; no trailing slash. */
  get baseUrl(): string {
    return this.#resolveBase().url;
  }

  /** Pins the base URL; `undefined` goes back to env var / default. Throws on a non-http(s) URL. */
  setBaseUrl(url: string | undefined): void {
    if (url !== undefined) parseServiceUrl(url, "setBaseUrl");
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
   */
  async call<T>(fn: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<T> {
    const base = this.#resolveBase();
    // `$` is allowed in a path segment (RFC 3986) and the server matches it unencoded.
    const url = `${base.url}/${encodeURIComponent(fn).replaceAll("%24", "$")}`;
    const target = parseServiceUrl(url, base.origin);
    const payload = JSON.stringify(args);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const site = { service: this.service, url };

    let response;
    try {
      response = await postJson(target, payload, this.#agentFor(target.protocol), timeoutMs);
    } catch (failure) {
      // The usual reason for calling the built-in default is a missing env var.
      const hint = base.origin === "default" ? ` (no URL configured; set ${this.#envVar})` : "";
      throw transportError(site, failure, hint);
    }
    return decodeResponse(response, site) as T;
  }

  /** Destroys pooled sockets. The client stays usable; later calls reconnect. */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }

  /** The base URL and where it came from ("setBaseUrl", the env var's name, or "default"). */
  #resolveBase(): { url: string; origin: string } {
    if (this.#urlInCode !== undefined) return { url: trimSlashes(this.#urlInCode), origin: "setBaseUrl" };
    const fromEnv = process.env[this.#envVar];
    if (fromEnv) return { url: trimSlashes(fromEnv), origin: this.#envVar };
    return { url: trimSlashes(this.#defaultUrl), origin: "default" };
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
