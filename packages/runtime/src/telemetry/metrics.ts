/**
 * Prometheus metrics (prom-client). A service app has its own registry, never
 * prom-client's global default one, so two apps in one process do not collide.
 * Client metrics live in one registry per process, shared by every copy of the
 * runtime (like the error-class registry): a service's GET /metrics shows it
 * after its own, and a plain client program reads it with
 * `clientMetricsRegistry().metrics()`.
 */
import { CircuitState } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import { isErrorCode, ServiceError } from "../errors.js";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the gauges read at scrape time (nothing is counted per call for them). */
export interface LoadSource {
  /** Function calls admitted and not yet answered (running, waiting, or reading their body). */
  readonly admitted: number;
  /** Calls waiting for a run slot. */
  readonly waiting: number;
}

export interface ServiceMetrics {
  readonly registry: Registry;
  /** One answered call of a function route. */
  observe(fn: string, status: number, seconds: number): void;
  /** A call refused or given up before it ran: "overloaded", "timeout", "cancelled". */
  rejected(reason: string): void;
  /** The text GET /metrics answers: this service's metrics, then the process's client metrics. */
  text(): Promise<string>;
}

/**
 * The service's metrics. Node's default process metrics (GC, event-loop lag, heap…) only with
 * TSC_MICRO_NODE_METRICS=1: they add an event-loop delay timer and a GC observer to every
 * process, a cost paid on every call whether or not anything scrapes.
 */
export function createServiceMetrics(load: LoadSource, env: Record<string, string | undefined>): ServiceMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: "tsc_micro_requests_total", help: "Calls of the service's functions, by function and HTTP status.", labelNames: ["function", "status"] as const, registers: [registry] });
  const duration = new Histogram({ name: "tsc_micro_request_duration_seconds", help: "Time from request to answer of the service's functions, by function and HTTP status.", labelNames: ["function", "status"] as const, registers: [registry] });
  new Gauge({
    name: "tsc_micro_requests_in_flight",
    help: "Function calls admitted and not yet answered (running, queued, or reading their body).",
    registers: [registry],
    collect() {
      this.set(load.admitted);
    },
  });
  new Gauge({
    name: "tsc_micro_queue_depth",
    help: "Function calls waiting for a run slot (services with concurrency=).",
    registers: [registry],
    collect() {
      this.set(load.waiting);
    },
  });
  const rejections = new Counter({ name: "tsc_micro_rejected_total", help: "Calls refused or given up before they ran, by reason (overloaded, timeout, cancelled).", labelNames: ["reason"] as const, registers: [registry] });
  if (env.TSC_MICRO_NODE_METRICS === "1") collectDefaultMetrics({ register: registry });
  const series = new Map<string, Map<number, { count: { inc(): void }; duration: { observe(value: number): void } }>>();
  return {
    registry,
    observe: function observe(fn, status, seconds) {
      // The labelled series of a function and status, looked up once: prom-client hashes a labels
      // object on every inc/observe (a string built per call).
      let byStatus = series.get(fn);
      if (byStatus === undefined) series.set(fn, (byStatus = new Map()));
      let one = byStatus.get(status);
      if (one === undefined) {
        one = { count: requests.labels(fn, String(status)), duration: duration.labels(fn, String(status)) };
        byStatus.set(status, one);
      }
      one.count.inc();
      one.duration.observe(seconds);
    },
    rejected: function rejected(reason) {
      rejections.inc({ reason });
    },
    text: async function text() {
      const own = await registry.metrics();
      const client = await clientMetricsRegistry().metrics();
      return client === "" ? own : `${own}${own.endsWith("\n") ? "" : "\n"}${client}`;
    },
  };
}

interface ClientMetrics {
  readonly registry: Registry;
  readonly calls: Counter<"service" | "function" | "code">;
  readonly retries: Counter<"service" | "function">;
  readonly breaker: Gauge<"service" | "instance">;
}

/** `globalThis[CLIENT_METRICS_KEY]`: the client metrics every runtime copy in the process shares. */
const CLIENT_METRICS_KEY = Symbol.for("tsc-micro.clientMetrics.v1");

function clientMetrics(): ClientMetrics {
  const holder = globalThis as { [CLIENT_METRICS_KEY]?: ClientMetrics };
  let found = holder[CLIENT_METRICS_KEY];
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
export function clientMetricsRegistry(): Registry {
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
