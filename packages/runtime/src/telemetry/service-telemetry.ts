/**
 * A service app's logs and metrics, set up in one place for create-app.ts:
 * the logger (LOG_LEVEL, read at start), the app's own metrics registry, the
 * middleware that logs and measures each request, and the GET /metrics handler.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { DestinationStream, LevelWithSilent, Logger } from "pino";
import { createLogger, logLevelFromEnv } from "./request-log.js";
import { stdoutLines } from "./stdout-lines.js";
import { createServiceMetrics } from "./metrics.js";
import type { LoadSource, ServiceMetrics } from "./metrics.js";
import { callObserver, observeRequests } from "./observe-requests.js";
import type { ObservedCall } from "./observe-requests.js";

export interface TelemetryOptions {
  /** Overrides LOG_LEVEL (default info); "silent" writes no lines. */
  logLevel?: LevelWithSilent;
  /** Where the JSON lines go; default stdout, through a bounded asynchronous buffer (stdout-lines.ts). */
  logDestination?: DestinationStream;
}

export interface ServiceTelemetry {
  logger: Logger;
  metrics: ServiceMetrics;
  middleware: MiddlewareHandler;
  /** Logs and counts one answered call of the Node listener's direct path (the middleware's work). */
  observe(call: ObservedCall): void | Promise<void>;
  /** GET /metrics: Prometheus text format. */
  metricsRoute: (c: Context) => Promise<Response>;
}

export function serviceTelemetry(
  service: { name: string; routes: readonly { name: string }[] },
  options: TelemetryOptions,
  env: Record<string, string | undefined>,
  load: () => LoadSource,
): ServiceTelemetry {
  // Read at start, like the other settings: a bad LOG_LEVEL stops the service before it listens.
  const lines = options.logDestination ?? stdoutLines(env);
  const logger = createLogger(service.name, options.logLevel ?? logLevelFromEnv(env), lines);
  const metrics = createServiceMetrics(
    {
      get admitted() {
        return load().admitted;
      },
      get waiting() {
        return load().waiting;
      },
    },
    env,
  );
  const observing = {
    logger,
    metrics,
    functions: service.routes.map((route) => route.name),
    development: env.NODE_ENV === "development",
    direct: { lines, service: service.name },
  };
  const middleware = observeRequests(observing);
  const observe = callObserver(observing);
  return {
    logger,
    metrics,
    middleware,
    observe,
    metricsRoute: async function answerMetrics(c: Context): Promise<Response> {
      return c.body(await metrics.text(), 200, { "content-type": metrics.registry.contentType });
    },
  };
}
