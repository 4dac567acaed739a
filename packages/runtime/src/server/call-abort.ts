/**
 * The abort signal of one call: aborted with a TIMEOUT ServiceError when the
 * caller's budget (`tsc-micro-timeout`) passes, or with a CANCELLED one when
 * the caller goes away first. @hono/node-server 2.x aborts the Request's own
 * signal when the response closes before it finished (the client closed or
 * reset the socket), so that is what "went away" means here; in memory
 * (`app.request()`) it is whatever signal the test's Request carries.
 */
import { ServiceError } from "../errors.js";
import type { CallContext } from "../call-context.js";

export interface CallAbort extends CallContext {
  /** Stops the deadline timer and the disconnect listener; call once the work settled. */
  dispose(): void;
}

export function callAbort(options: {
  service: string;
  url: string;
  timeoutMs: number | undefined;
  /** The Request's signal: aborted when the caller disconnects. */
  disconnected: AbortSignal;
}): CallAbort {
  const { service, url, timeoutMs, disconnected } = options;
  const controller = new AbortController();
  const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;

  function cancel(): void {
    controller.abort(
      new ServiceError({ code: "CANCELLED", message: `the caller of ${url} on service "${service}" disconnected before its answer`, service, url }),
    );
  }
  if (disconnected.aborted) cancel();
  else disconnected.addEventListener("abort", cancel, { once: true });

  // Not unref'd: in memory (app.request()) nothing else may keep the loop alive until it fires.
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(function deadlinePassed() {
          controller.abort(
            new ServiceError({ code: "TIMEOUT", message: `the deadline of ${url} on service "${service}" passed (${timeoutMs} ms budget)`, service, url }),
          );
        }, timeoutMs);

  return {
    signal: controller.signal,
    deadline,
    dispose() {
      clearTimeout(timer);
      disconnected.removeEventListener("abort", cancel);
    },
  };
}

/** The code an aborted call's signal carries (TIMEOUT or CANCELLED). */
export function abortCode(signal: AbortSignal): "TIMEOUT" | "CANCELLED" {
  const reason: unknown = signal.reason;
  return ServiceError.is(reason) && reason.code === "CANCELLED" ? "CANCELLED" : "TIMEOUT";
}
