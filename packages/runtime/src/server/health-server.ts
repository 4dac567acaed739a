/**
 * The health routes on a port of their own (`TSC_MICRO_HEALTH_PORT`), for
 * probes that must not wait behind work. libuv accepts at most one new
 * connection per listening socket per event-loop turn, and a turn may run
 * CPU-bound calls: a kubelet probe (a new connection each time) on the
 * service's port queues in the kernel behind every new connection that
 * arrived before it. On its own listening socket it is accepted on the next
 * turn. Plain node:http, nothing else served: the same answers as the app's
 * `/health/live` and `/health/ready`, from the same state.
 */
import { integerFromEnv, PORT_RANGE } from "../env-integer.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const JSON_TYPE = { "content-type": "application/json; charset=UTF-8" };

export function startHealthServer(port: number, host: string, state: { ready: boolean }): Promise<HealthServer> {
  const server = createServer(function answerHealth(req, res) {
    req.resume();
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...JSON_TYPE, allow: "GET" }).end(JSON.stringify({ error: { name: "ServiceError", code: "METHOD_NOT_ALLOWED", message: `${req.method} ${path} is not allowed, use GET` } }));
    } else if (path === "/health/live") {
      res.writeHead(200, JSON_TYPE).end(JSON.stringify({ status: "ok" }));
    } else if (path === "/health/ready") {
      res.writeHead(state.ready ? 200 : 503, JSON_TYPE).end(JSON.stringify({ status: state.ready ? "ready" : "stopping" }));
    } else {
      res.writeHead(404, JSON_TYPE).end(JSON.stringify({ error: { name: "ServiceError", code: "NOT_FOUND", message: `no such endpoint ${req.method} ${path} on the health port; GET /health/live or /health/ready` } }));
    }
  });
  // Probes open a connection each time; nothing to keep alive.
  server.keepAliveTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, function listening() {
      server.removeListener("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** `TSC_MICRO_HEALTH_PORT` → a port (0: any free one); unset or empty → undefined (health on the service's port only). */
export function healthPortFromEnv(env: Record<string, string | undefined>): number | undefined {
  return integerFromEnv(env, "TSC_MICRO_HEALTH_PORT", PORT_RANGE);
}
