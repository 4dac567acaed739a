/**
 * Registers an OpenTelemetry SDK (sdk-trace-base: BasicTracerProvider, SimpleSpanProcessor,
 * InMemorySpanExporter) in this test process, plus a small AsyncLocalStorage context manager
 * so a program's active span can be seen. The SDK is a dev dependency of the tsc-micro package,
 * not of the runtime (which uses the API only), so it is loaded from there. It registers through
 * the runtime's copy of @opentelemetry/api: the copies share one global registry (Symbol.for),
 * and a copy only reads what a copy of the same or a newer 1.x minor registered (the SDK's older
 * copy reads it; the other way round the runtime would see no provider).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as api from "@opentelemetry/api";
import type * as Api from "@opentelemetry/api";

const require = createRequire(fileURLToPath(new URL("../../tsc-micro/package.json", import.meta.url)));

/** A finished span as the SDK hands it to exporters (the fields the tests read). */
export interface FinishedSpan {
  name: string;
  kind: Api.SpanKind;
  attributes: Api.Attributes;
  status: { code: Api.SpanStatusCode; message?: string };
  events: { name: string; attributes?: Api.Attributes }[];
  parentSpanContext?: Api.SpanContext;
  instrumentationScope: { name: string };
  spanContext(): Api.SpanContext;
}

interface Sdk {
  BasicTracerProvider: new (config: { spanProcessors: unknown[] }) => Api.TracerProvider & { shutdown(): Promise<void> };
  SimpleSpanProcessor: new (exporter: unknown) => unknown;
  InMemorySpanExporter: new () => { getFinishedSpans(): FinishedSpan[]; reset(): void };
}

export function registerMemoryTracing(): { api: typeof Api; finished(): FinishedSpan[]; reset(): void } {
  const sdk = require("@opentelemetry/sdk-trace-base") as Sdk;
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.BasicTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter)] });
  assert(api.trace.setGlobalTracerProvider(provider), "tracer provider registered");
  assert(api.context.setGlobalContextManager(new StorageContextManager(api.ROOT_CONTEXT)), "context manager registered");
  return { api, finished: () => exporter.getFinishedSpans(), reset: () => exporter.reset() };
}

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`${what}: failed (another copy of @opentelemetry/api registered first?)`);
}

/** The context manager @opentelemetry/context-async-hooks provides, reduced to what the tests need. */
class StorageContextManager implements Api.ContextManager {
  readonly #storage = new AsyncLocalStorage<Api.Context>();
  constructor(readonly root: Api.Context) {}
  active(): Api.Context {
    return this.#storage.getStore() ?? this.root;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Api.Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(_context: Api.Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}
