// Exports the traces of a tsc-micro service to an OpenTelemetry collector (OTLP), with no change to
// the service: the bundle only calls @opentelemetry/api, which records nothing until an SDK is
// registered, and this file registers one before the service starts.
//
// Needs, installed next to the service (not in this repository; e.g. in a Dockerfile layer):
//   npm install @opentelemetry/api@~1.9 @opentelemetry/sdk-node @opentelemetry/exporter-trace-otlp-proto
// @opentelemetry/api must be at least the version the bundle embeds (1.9, pinned so because the SDKs
// ask for an API below 1.10): a copy of the API only accepts a provider registered through the same
// or a newer minor version.
//
// Run (all settings are the standard OpenTelemetry environment variables):
//   OTEL_SERVICE_NAME=is-even \
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318 \
//   NODE_OPTIONS="--import ./otel/register.mjs" \
//   node index.mjs
//
// Useful others: OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1 (keep
// one trace in ten, decided where the trace starts), OTEL_EXPORTER_OTLP_HEADERS=authorization=…,
// OTEL_BSP_SCHEDULE_DELAY (ms between batches; default 5000).
import { trace } from "@opentelemetry/api";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";

// No instrumentations: the runtime makes the server and client spans itself. Add
// @opentelemetry/auto-instrumentations-node only for other libraries (databases, fetch); its
// HTTP instrumentation would add a second span for every call.
const sdk = new NodeSDK({ traceExporter: new OTLPTraceExporter() });
sdk.start();

// The service drains on SIGTERM/SIGINT, then exits: send what is batched when the signal comes.
// (Spans that end during the drain go with the next batch if the process is still there.)
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, function flushSpans() {
    // The API's global provider is a proxy; its delegate is the SDK's provider.
    const provider = trace.getTracerProvider();
    Promise.resolve(provider.getDelegate?.().forceFlush?.()).catch(() => {
      // Exporting must never keep the service from stopping.
    });
  });
}
