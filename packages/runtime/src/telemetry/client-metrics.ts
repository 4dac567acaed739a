/**
 * The client metrics: one registry per process, shared by every copy of the runtime (like the
 * error-class registry), made by the first client that counts a call. A service's GET /metrics
 * shows them after its own (metrics.ts reads them without loading this file, so a service that
 * calls nobody loads no cockatiel); a plain client program reads them with
 * `clientMetricsRegistry().metrics()`.
 */
/// <reference path="./prom-client-parts.d.ts" />
import { CircuitState } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import type { Registry as RegistryType } from "prom-client";
import Counter from "prom-client/lib/counter.js";
import Gauge from "prom-client/lib/gauge.js";
import Registry from "prom-client/lib/registry.js";
import { isErrorCode, ServiceError } from "../errors.js";
import { CLIENT_METRICS_KEY, sharedClientMetrics } from "./metrics.js";
import type { ClientMetrics } from "./metrics.js";

function clientMetrics(): ClientMetrics {
  let found = sharedClientMetrics();
  if (!found) {
    const registry = new Registry();
    found = {
      registry,
      calls: new Counter({ name: "tsc_micro_client_calls_total", help: "Calls made to other services, by service, function and outcome code (OK or the error code).", labelNames: ["service", "function", "code"] as const, registers: [registry] }),
      retries: new Counter({ name: "tsc_micro_client_retries_total", help: "Attempts after the first of calls to other services.", labelNames: ["service", "function"] as const, registers: [registry] }),
      breaker: new Gauge({ name: "tsc_micro_client_breaker_state", help: "Circuit breaker of each instance called: 0 closed, 1 open, 2 half-open.", labelNames: ["service", "instance"] as const, registers: [registry] }),
    };
    // Not enumerable, so it never shows in a dump of globalThis.
    Object.defineProperty(globalThis, CLIENT_METRICS_KEY, { value: found, writable: false, enumerable: false, configurable: true });
  }
  return found;
}

/** The registry holding the client metrics of this process (every ServiceClient's calls, retries, breakers). */
export function clientMetricsRegistry(): RegistryType {
  return clientMetrics().registry;
}

/** A finished client call: "OK", or the code of the error it rejected with. */
export function countClientCall(service: string, fn: string, outcome: unknown): void {
  clientMetrics().calls.inc({ service, function: fn, code: codeOf(outcome) });
}

export function countClientRetry(service: string, fn: string): void {
  clientMetrics().retries.inc({ service, function: fn });
}

/** Reports an instance's breaker state from now on (closed until it changes). */
export function watchBreaker(service: string, instance: string, breaker: CircuitBreakerPolicy): void {
  const gauge = clientMetrics().breaker;
  const labels = { service, instance };
  gauge.set(labels, 0);
  breaker.onStateChange(function breakerChanged(state) {
    gauge.set(labels, state === CircuitState.Closed ? 0 : state === CircuitState.HalfOpen ? 2 : 1);
  });
}

/** A ServiceError's code; an error the called function threw (rebuilt, its `code` the program's own) counts as INTERNAL. */
function codeOf(outcome: unknown): string {
  if (outcome === "OK") return "OK";
  // A rebuilt error passes ServiceError.is but has no `retryable` (its prototype is the thrown class's).
  const genuine = ServiceError.is(outcome) && typeof (outcome as { retryable?: unknown }).retryable === "boolean";
  return genuine && isErrorCode(outcome.code) ? outcome.code : "INTERNAL";
}
