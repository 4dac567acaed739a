/**
 * The `tsc-micro dev` dashboard: one page on its own 127.0.0.1 port showing
 * the services (URL, pid, health), each function's API reference from the
 * build's OpenAPI documents, a form that calls a function through this server
 * (a proxy, so the page needs no CORS), and the recent calls with their traces,
 * which the services' dev preload (../tracing-preload.ts) posts here. The page
 * is kept current by Server-Sent Events. node:http only: no framework, no CDN.
 *
 * Routes: GET / (and /app.js, /app.css) · GET /api/services · GET /api/openapi/<service>
 * · GET /api/traces · POST /api/spans (the collector) · POST /api/call/<service>/<function>
 * · GET /api/events (SSE: `services` and `trace` events).
 */
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isDevSpan } from "./dev-span.js";
import { HealthPoller } from "./health.js";
import type { Health } from "./health.js";
import { TraceStore } from "./trace-store.js";
import type { DevTrace } from "./trace-store.js";

export interface DashboardService {
  name: string;
  url: string;
  pid: number | undefined;
}

export interface DashboardOptions {
  /** The running services, read on each request and poll. */
  services: () => readonly DashboardService[];
  /** A service's OpenAPI document (from the build output), or undefined. */
  openapi: (service: string) => Promise<unknown> | unknown;
  /** Port to listen on (127.0.0.1). Default: a free one. */
  port?: number;
  /** Milliseconds between health polls. Default 1000. */
  pollIntervalMs?: number;
  /** A health poll not answered within this shows the service as down. Default 1500. */
  healthTimeoutMs?: number;
  /** Recent traces kept. Default 100. */
  maxTraces?: number;
}

export interface Dashboard {
  /** The page, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Where the services' preload posts finished spans. */
  spansUrl: string;
  /** Stops polling, ends the live streams and closes the server. */
  close(): Promise<void>;
}

export interface DashboardServiceState extends DashboardService {
  health: Health;
}

const PAGE_DIR = new URL("../../../src/dev/dashboard/page/", import.meta.url);
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};
const MAX_BODY = 4 * 1024 * 1024;
const CALL_TIMEOUT_MS = 60_000;

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const traces = new TraceStore(options.maxTraces ?? 100);
  const streams = new Set<ServerResponse>();
  let lastServices = "";

  const poller = new HealthPoller({
    targets: options.services,
    ...(options.pollIntervalMs ? { intervalMs: options.pollIntervalMs } : {}),
    ...(options.healthTimeoutMs ? { timeoutMs: options.healthTimeoutMs } : {}),
    onRound: function sendServicesIfChanged() {
      const json = JSON.stringify(services());
      if (json !== lastServices) broadcast("services", json);
      lastServices = json;
    },
  });

  function services(): DashboardServiceState[] {
    return options.services().map((s) => ({ name: s.name, url: s.url, pid: s.pid, health: poller.health(s.name) }));
  }

  function broadcast(event: string, json: string): void {
    for (const stream of streams) stream.write(`event: ${event}\ndata: ${json}\n\n`);
  }

  function receive(spans: unknown): void {
    if (!Array.isArray(spans)) throw new BadRequest("expected a JSON array of spans");
    const changed: DevTrace[] = traces.add(spans.filter(isDevSpan));
    for (const trace of changed) broadcast("trace", JSON.stringify(trace));
  }

  async function call(serviceName: string, fn: string, body: string): Promise<{ status: number; body: unknown; error?: string }> {
    const service = options.services().find((s) => s.name === serviceName);
    if (!service) return { status: 0, body: null, error: `no service named '${serviceName}'` };
    try {
      const response = await fetch(`${service.url}/${encodeURIComponent(fn)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: shown as text
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      return { status: 0, body: null, error: `${serviceName} did not answer: ${(error as Error).message}` };
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse, port: number): Promise<void> {
    // Only this machine's names: a web page elsewhere cannot reach it through DNS rebinding.
    const host = request.headers.host ?? "";
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(response, 403, { error: "unexpected Host header" });
    const url = new URL(request.url ?? "/", `http://${host}`);
    const { pathname } = url;
    const method = request.method ?? "GET";
    const asset = ASSETS[pathname];
    if (method === "GET" && asset) {
      const text = await readFile(new URL(asset.file, PAGE_DIR), "utf8");
      response.writeHead(200, { "content-type": asset.type, "cache-control": "no-store" });
      return void response.end(text);
    }
    if (method === "GET" && pathname === "/api/services") return send(response, 200, { services: services() });
    if (method === "GET" && pathname === "/api/traces") return send(response, 200, { traces: traces.traces() });
    if (method === "GET" && pathname.startsWith("/api/openapi/")) {
      const name = decodeURIComponent(pathname.slice("/api/openapi/".length));
      if (!options.services().some((s) => s.name === name)) return send(response, 404, { error: `no service named '${name}'` });
      const document = await options.openapi(name);
      return document === undefined ? send(response, 404, { error: `no OpenAPI document for '${name}'` }) : send(response, 200, document);
    }
    if (method === "GET" && pathname === "/api/events") return openStream(response);
    if (method === "POST" && pathname === "/api/spans") {
      receive(parse(await readBody(request)));
      response.writeHead(204);
      return void response.end();
    }
    const callRoute = /^\/api\/call\/([^/]+)\/([^/]+)$/.exec(pathname);
    if (method === "POST" && callRoute) {
      const name = decodeURIComponent(callRoute[1]!);
      // An unknown service is this route's own 404; a service's answer (any status) is a 200 carrying it.
      if (!options.services().some((s) => s.name === name)) return send(response, 404, { status: 0, body: null, error: `no service named '${name}'` });
      const answer = await call(name, decodeURIComponent(callRoute[2]!), await readBody(request));
      return send(response, 200, answer);
    }
    send(response, 404, { error: `no route ${method} ${pathname}` });
  }

  function openStream(response: ServerResponse): void {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    response.write(`event: services\ndata: ${JSON.stringify(services())}\n\n`);
    streams.add(response);
    response.once("close", () => streams.delete(response));
  }

  const server = createServer(function handle(request, response) {
    const { port } = server.address() as AddressInfo;
    route(request, response, port).catch(function fail(error: unknown) {
      if (response.headersSent) return void response.destroy();
      if (error instanceof BadRequest) send(response, 400, { error: error.message });
      else send(response, 500, { error: (error as Error).message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // Keep-alive pings: proxies and browsers drop a silent stream.
  const ping = setInterval(() => {
    for (const stream of streams) stream.write(`: ping\n\n`);
  }, 15_000);
  ping.unref();
  poller.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    spansUrl: `${url}/api/spans`,
    async close() {
      clearInterval(ping);
      poller.close();
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

class BadRequest extends Error {}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  response.end(JSON.stringify(body));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest("the body is not JSON");
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BadRequest(`the body is over ${MAX_BODY} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}
