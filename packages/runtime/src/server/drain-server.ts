/**
 * Graceful stop for a Node HTTP server: stop accepting, close idle
 * keep-alive connections, let in-flight requests finish, then force.
 *
 * Why more than `server.close()`: Node (20) closes the connections that are
 * idle when close() is called, but a connection that is busy at that moment
 * goes back to keep-alive after its response and then holds close() open
 * until the keep-alive timeout. So every response sent while draining gets
 * `Connection: close`, which makes Node end the socket right after it.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export interface Drainer {
  /**
   * Starts draining (idempotent: later calls return the same promise).
   * Resolves `true` when every connection closed on its own within
   * `timeoutMs`, `false` when the rest had to be cut.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Must be installed before the server handles requests. */
export function trackForDrain(server: Server): Drainer {
  const inFlight = new Set<ServerResponse>();
  let draining: Promise<boolean> | undefined;

  // Prepended so it runs before Hono's listener, which may answer
  // synchronously (and then headers would already be sent).
  server.prependListener("request", function track(_req: IncomingMessage, res: ServerResponse) {
    if (draining) res.setHeader("connection", "close");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
  });

  function drain(timeoutMs: number): Promise<boolean> {
    draining ??= new Promise<boolean>((resolve) => {
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader("connection", "close");
      }
      const force = setTimeout(function cutConnections() {
        server.closeAllConnections();
        resolve(false);
      }, timeoutMs);
      // A pending deadline alone must not keep the process alive.
      force.unref();
      server.close(function closed() {
        clearTimeout(force);
        resolve(true);
      });
      // close() already does this on Node >= 19; explicit for clarity.
      server.closeIdleConnections();
    });
    return draining;
  }

  return { drain };
}
