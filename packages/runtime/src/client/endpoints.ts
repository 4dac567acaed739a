/**
 * The instances behind one service URL setting, each with its own circuit
 * breaker and count of calls in flight. A setting may list several instances
 * (`http://a:8080,http://b:8080`); calls go to the one with the fewest
 * outstanding calls, skipping those whose breaker is open.
 */
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import { CallAborted } from "./exchange.js";

export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  failures: number;
  /** How long it stays open before one probe call may pass (half-open). */
  openMs: number;
}


export class Endpoint {
  /** Calls sent to this instance and not yet answered. */
  outstanding = 0;
  #openedAt = 0;
  readonly breaker: CircuitBreakerPolicy;
  /** `http://host:port` (or https): what connections are pooled by. */
  readonly origin: string;
  /** The base URL's path, without a trailing slash ("" for none): request paths start with it. */
  readonly basePath: string;

  constructor(
    /** Base URL without a trailing slash. */
    readonly url: string,
    readonly settings: BreakerSettings,
    /** `url`, parsed (an http or https URL). */
    readonly target: URL = new URL(url),
  ) {
    this.origin = target.origin;
    this.basePath = trimSlashes(target.pathname);
    // cockatiel's breaker (the TypeScript port of Polly's): consecutive failures open it, after
    // `openMs` one call probes (half-open), its success closes it, its failure opens it again.
    // Counted: every failure of an exchange (refused, reset, timed out…) but the caller's own
    // abort (CallAborted: its deadline or its caller left), which says nothing about this instance.
    // Answers are not failures: a function's own error or a refusal comes back as a response.
    this.breaker = circuitBreaker(handleWhen((error) => !(error instanceof CallAborted)), {
      halfOpenAfter: settings.openMs,
      breaker: new ConsecutiveBreaker(settings.failures),
    });
    this.breaker.onBreak(() => {
      this.#openedAt = performance.now();
    });
  }

  /**
   * Whether a call may be tried here now: closed, or open long enough that
   * the next call is the half-open probe (cockatiel moves to half-open only
   * inside `execute`, so the time is tracked here to know it beforehand).
   */
  get available(): boolean {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return true;
    if (state === CircuitState.Open) return performance.now() - this.#openedAt >= this.settings.openMs;
    return false; // half-open: its one probe is in flight; isolated: held open
  }
}

/** The instances of one URL setting, in the order written. */
export class EndpointPool {
  #next = 0;

  constructor(readonly endpoints: readonly Endpoint[]) {}

  /**
   * The available instance with the fewest outstanding calls, not in
   * `exclude` (instances that just failed this call) unless nothing else is
   * left; ties go round-robin so a quiet service still spreads its calls.
   * Undefined when every breaker is open.
   */
  pick(exclude: ReadonlySet<Endpoint> | undefined): Endpoint | undefined {
    if (this.endpoints.length === 1) {
      // One instance (the usual setting): no choice to make, and no arrays to build per call.
      const only = this.endpoints[0]!;
      return only.available ? only : undefined;
    }
    const open = this.endpoints.filter((endpoint) => endpoint.available);
    const fresh = exclude === undefined ? open : open.filter((endpoint) => !exclude.has(endpoint));
    const candidates = fresh.length > 0 ? fresh : open;
    if (candidates.length === 0) return undefined;
    const start = this.#next++ % this.endpoints.length;
    let best: Endpoint | undefined;
    let bestRank = Infinity;
    for (const endpoint of candidates) {
      // Round-robin among equals: rank by outstanding, then by distance from the rotating start.
      const distance = (this.endpoints.indexOf(endpoint) - start + this.endpoints.length) % this.endpoints.length;
      const rank = endpoint.outstanding * this.endpoints.length + distance;
      if (rank < bestRank) {
        best = endpoint;
        bestRank = rank;
      }
    }
    return best;
  }
}

/** `"http://a:1, http://b:2/"` → the base URLs (split on commas and white space, trailing slashes trimmed). */
export function splitUrls(setting: string): string[] {
  return setting
    .split(/[\s,]+/)
    .filter((part) => part !== "")
    .map(trimSlashes);
}

/** `url` without trailing slashes: base URLs and base paths are joined with `/<function>`. */
export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, "");
}
