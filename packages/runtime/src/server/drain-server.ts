/**
 * Graceful stop for a Node HTTP server: stop accepting, close idle
 * keep-alive connections, let in-flight requests finish, then force.
 *
 * Why more than `server.close()`: Node (20) closes the connections that are
 * idle when close() is called, but a connection that is busy at that moment
 * goes back to keep-alive after its response and then holds close() open
 * until the keep-alive timeout. So every response sent while stopping gets
 * `Connection: close`, which makes Node end the socket right after it.
 *
 * Stopping has two steps so a host can put a pre-stop delay between them:
 * `closeAfterResponses()` (the listener still accepts, but clients are moved
 * off their pooled sockets) and `drain()` (the listener closes).
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export interface DrainResult {
  /** True when every request finished on its own within the timeout. */
  clean: boolean;
  /** Requests still running when the timeout hit, whose connections were cut. */
  cut: number;
}

export interface Drainer {
  /**
   * From now on every response carries `Connection: close` (idempotent). The
   * listener keeps accepting: clients reconnect, and a load balancer that
   * has already dropped this instance sends them elsewhere.
   */
  closeAfterResponses(): void;
  /**
   * Closes the listener and waits for in-flight requests (idempotent: later
   * calls return the same promise), cutting what is left after `timeoutMs`.
   */
  drain(timeoutMs: number): Promise<DrainResult>;
  /** Requests being served right now. */
  inFlight(): number;
}

/** Must be installed before the server handles requests. */
export function trackForDrain(server: Server): Drainer {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  let draining: Promise<DrainResult> | undefined;

  // One listener function for every response (`this` is the response), added with on(): a
  // response closes once, and once() would wrap it in a new closure per request.
  function untrack(this: ServerResponse): void {
    inFlight.delete(this);
  }
  // Prepended so it runs before Hono's listener, which may answer
  // synchronously (and then headers would already be sent).
  server.prependListener("request", function track(_req: IncomingMessage, res: ServerResponse) {
    if (closing) res.setHeader("connection", "close");
    inFlight.add(res);
    res.on("close", untrack);
  });

  function closeAfterResponses(): void {
    closing = true;
    for (const res of inFlight) {
      if (!res.headersSent) res.setHeader("connection", "close");
    }
  }

  function drain(timeoutMs: number): Promise<DrainResult> {
    closeAfterResponses();
    draining ??= new Promise<DrainResult>((resolve) => {
      const force = setTimeout(function cutConnections() {
        const cut = inFlight.size;
        server.closeAllConnections();
        resolve({ clean: false, cut });
      }, timeoutMs);
      // A pending deadline alone must not keep the process alive.
      force.unref();
      server.close(function closed() {
        clearTimeout(force);
        resolve({ clean: true, cut: 0 });
      });
      // close() already does this on Node >= 19; explicit for clarity.
      server.closeIdleConnections();
    });
    return draining;
  }

  return { closeAfterResponses, drain, inFlight: () => inFlight.size };
}
