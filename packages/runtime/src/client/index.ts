/** "@tsc-micro/runtime/client": what generated call stubs import. No Hono here. */
export { ServiceClient } from "./service-client.js";
export type { CallOptions, ServiceClientOptions } from "./service-client.js";
export { ServiceError, ERROR_CODES } from "../errors.js";
export type { ErrorCode, ValidationIssue, WireCause, WireError, WireThrown } from "../errors.js";
export { registerErrorClasses } from "../error-classes.js";
export type { ErrorClass } from "../error-classes.js";
// The process's client metrics (calls, retries, breaker states) in Prometheus text: `await clientMetricsRegistry().metrics()`.
export { clientMetricsRegistry } from "../telemetry/client-metrics.js";
