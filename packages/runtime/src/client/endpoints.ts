/**
 * The instances behind one service URL setting, each with its own circuit
 * breaker and count of calls in flight. A setting may list several instances
 * (`http://a:8080,http://b:8080`); calls go to the one with the fewest
 * outstanding calls, skipping those whose breaker is open.
 */
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";

export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  failures: number;
  /** How long it stays open before one probe call may pass (half-open). */
  openMs: number;
}

/** Marks an error the breaker counts: the instance did not serve the call (see service-client.ts). */
export class EndpointFailure extends Error {
  constructor(readonly failure: unknown) {
    super("endpoint failure");
  }
}

export class Endpoint {
  /** Calls sent to this instance and not yet answered. */
  outstanding = 0;
  #openedAt = 0;
  readonly breaker: CircuitBreakerPolicy;

  constructor(
    /** Base URL without a trailing slash. */
    readonly url: string,
    readonly settings: BreakerSettings,
  ) {
    // cockatiel's breaker (the TypeScript port of Polly's): consecutive failures open it, after
    // `openMs` one call probes (half-open), its success closes it, its failure opens it again.
    this.breaker = circuitBreaker(handleWhen((error) => error instanceof EndpointFailure), {
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
  pick(exclude: ReadonlySet<Endpoint>): Endpoint | undefined {
    const open = this.endpoints.filter((endpoint) => endpoint.available);
    const fresh = open.filter((endpoint) => !exclude.has(endpoint));
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
    .map((part) => part.replace(/\/+$/, ""));
}
