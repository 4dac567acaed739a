// Preload for service processes in tests: `NODE_OPTIONS=--import <this file's URL>`.
// Registers an OpenTelemetry SDK (sdk-trace-base, a dev dependency of the tsc-micro package)
// whose exporter appends every finished span as one JSON line to the file named by
// TSC_MICRO_TEST_SPANS_FILE. It registers through the repository's @opentelemetry/api — the
// copy the service bundles include — since a copy of the API only reads a global registered
// by the same or a newer 1.x minor (the SDK's own, older copy reads it too).
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import { trace } from "@opentelemetry/api";

const require = createRequire(new URL("../../packages/tsc-micro/package.json", import.meta.url));
const { BasicTracerProvider, SimpleSpanProcessor } = require("@opentelemetry/sdk-trace-base");

const file = process.env.TSC_MICRO_TEST_SPANS_FILE;
if (!file) throw new Error("otel-spans-preload: set TSC_MICRO_TEST_SPANS_FILE");

const exporter = {
  export(spans, done) {
    for (const span of spans) {
      const context = span.spanContext();
      const line = {
        name: span.name,
        kind: span.kind,
        traceId: context.traceId,
        spanId: context.spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        scope: span.instrumentationScope.name,
        attributes: span.attributes,
        status: span.status,
        pid: process.pid,
      };
      appendFileSync(file, JSON.stringify(line) + "\n");
    }
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
};

const registered = trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
if (!registered) throw new Error("otel-spans-preload: a tracer provider was already registered");
