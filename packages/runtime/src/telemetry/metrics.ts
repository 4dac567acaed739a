/**
 * Prometheus metrics (prom-client). A service app has its own registry, never
 * prom-client's global default one, so two apps in one process do not collide.
 * Client metrics live in one registry per process, shared by every copy of the
 * runtime (like the error-class registry; client-metrics.ts): a service's GET
 * /metrics shows it after its own.
 *
 * prom-client's classes come from their own files, not the package's index: the index also
 * loads Summary (with tdigest and bintrees), the Pushgateway (node:https), the cluster
 * aggregator (node:cluster) and every default metric (node:v8, perf_hooks, a second copy of
 * @opentelemetry/api), all evaluated when a service starts: ~170 KB of a service's bundle and
 * about a sixth of its start-up instructions (bench section 5). prom-client 15 has no
 * `exports` map, so the paths are importable; the types are the index's (prom-client-parts.d.ts).
 * The default metrics are loaded only when asked for (TSC_MICRO_NODE_METRICS=1).
 */
/// <reference path="./prom-client-parts.d.ts" />
import type { Counter as CounterType, Gauge as GaugeType, Registry as RegistryType } from "prom-client";
import Counter from "prom-client/lib/counter.js";
import Gauge from "prom-client/lib/gauge.js";
import Registry from "prom-client/lib/registry.js";
import { CallSeries } from "./call-series.js";

/** What the gauges read at scrape time (nothing is counted per call for them). */
export interface LoadSource {
  /** Function calls admitted and not yet answered (running, waiting, or reading their body). */
  readonly admitted: number;
  /** Calls waiting for a run slot. */
  readonly waiting: number;
}

export interface ServiceMetrics {
  readonly registry: RegistryType;
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
  // Counted in plain fields per call, made into metric data when scraped (call-series.ts).
  const calls = new CallSeries();
  calls.register(
    registry,
    { name: "tsc_micro_requests_total", help: "Calls of the service's functions, by function and HTTP status." },
    { name: "tsc_micro_request_duration_seconds", help: "Time from request to answer of the service's functions, by function and HTTP status." },
  );
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
  // Loaded, and its collectors registered, before the first scrape reads the registry (text() waits for it).
  const defaults = env.TSC_MICRO_NODE_METRICS === "1" ? registerDefaultMetrics(registry) : undefined;
  return {
    registry,
    observe: function observe(fn, status, seconds) {
      calls.observe(fn, status, seconds);
    },
    rejected: function rejected(reason) {
      rejections.inc({ reason });
    },
    text: async function text() {
      if (defaults !== undefined) await defaults;
      const own = await registry.metrics();
      const client = (await sharedClientMetrics()?.registry.metrics()) ?? "";
      return client === "" ? own : `${own}${own.endsWith("\n") ? "" : "\n"}${client}`;
    },
  };
}

/** Node's default process metrics (GC, event-loop lag, heap…) into `registry`, loaded on demand. */
async function registerDefaultMetrics(registry: RegistryType): Promise<void> {
  const { default: collectDefaultMetrics } = await import("prom-client/lib/defaultMetrics.js");
  collectDefaultMetrics({ register: registry });
}

/** The client metrics every runtime copy in the process shares (client-metrics.ts makes them). */
export interface ClientMetrics {
  readonly registry: RegistryType;
  readonly calls: CounterType<"service" | "function" | "code">;
  readonly retries: CounterType<"service" | "function">;
  readonly breaker: GaugeType<"service" | "instance">;
}

/** `globalThis[CLIENT_METRICS_KEY]`: the client metrics every runtime copy in the process shares. */
export const CLIENT_METRICS_KEY = Symbol.for("tsc-micro.clientMetrics.v1");

/**
 * The process's client metrics if a client made them, without making them: a service that calls
 * no other service loads nothing of the client (nor cockatiel) to answer GET /metrics.
 */
export function sharedClientMetrics(): ClientMetrics | undefined {
  return (globalThis as { [CLIENT_METRICS_KEY]?: ClientMetrics })[CLIENT_METRICS_KEY];
}
