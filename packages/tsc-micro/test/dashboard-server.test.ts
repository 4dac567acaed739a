// The dev dashboard's server (src/dev/dashboard/server.ts) against stand-in services: health polled
// from /health/ready (a service that does not answer is down), the OpenAPI documents, the call
// proxy, the span collector grouping spans by trace (newest first) and pushing each changed trace
// over Server-Sent Events, the Host check, and the page's files. Also the exporter the services'
// preload registers: real SDK spans arrive with their parent links, and a dashboard that is gone
// costs the service nothing. Counts and order only.
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { trace, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startDashboard } from "../src/dev/dashboard/server.ts";
import type { DevSpan } from "../src/dev/dashboard/dev-span.ts";
import { DashboardExporter } from "../src/dev/dashboard/span-exporter.ts";
import { freePort } from "../src/dev/free-port.ts";

async function standIn(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === "/health/ready") return void res.end("ok");
    if (req.method === "POST" && req.url === "/double") {
      let body = "";
      req.on("data", (d) => (body += d)).on("end", () => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(JSON.parse(body).x * 2));
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition not reached");
}

function span(traceId: string, spanId: string, parentSpanId: string | undefined, name: string, service: string, start: number): DevSpan {
  return { traceId, spanId, ...(parentSpanId ? { parentSpanId } : {}), name, kind: 1, service, start, duration: 1, status: 0, attributes: {} };
}

/** Reads Server-Sent Events from the dashboard until `want` events of `type` arrived. */
async function events(url: string, type: string, want: number, whileOpen: () => Promise<void>): Promise<unknown[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const found: unknown[] = [];
  let buffer = "";
  let started = false;
  try {
    while (found.length < want) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === type && data) found.push(JSON.parse(data));
      }
      if (!started) {
        started = true; // the stream is open (its first event arrived): now act
        await whileOpen();
      }
    }
  } finally {
    controller.abort();
  }
  return found;
}

test("the dashboard polls health, serves OpenAPI documents, proxies calls and serves its page", { timeout: 60_000 }, async () => {
  const service = await standIn();
  const gonePort = await freePort(); // nothing listens there
  const dashboard = await startDashboard({
    services: () => [
      { name: "doubler", url: service.url, pid: 11 },
      { name: "gone", url: `http://127.0.0.1:${gonePort}`, pid: 12 },
    ],
    openapi: (name) => (name === "doubler" ? { openapi: "3.1.0", paths: { "/double": {} } } : undefined),
    pollIntervalMs: 50,
  });
  try {
    const services = await until(async () => {
      const body = (await (await fetch(`${dashboard.url}/api/services`)).json()) as { services: { name: string; health: string; pid: number }[] };
      return body.services.every((s) => s.health !== "unknown") ? body.services : undefined;
    });
    assert.deepEqual(services.map((s) => [s.name, s.health, s.pid]), [["doubler", "up", 11], ["gone", "down", 12]]);

    assert.deepEqual(await (await fetch(`${dashboard.url}/api/openapi/doubler`)).json(), { openapi: "3.1.0", paths: { "/double": {} } });
    assert.equal((await fetch(`${dashboard.url}/api/openapi/gone`)).status, 404);
    assert.equal((await fetch(`${dashboard.url}/api/openapi/nobody`)).status, 404);

    const call = await fetch(`${dashboard.url}/api/call/doubler/double`, { method: "POST", body: JSON.stringify({ x: 21 }) });
    assert.deepEqual(await call.json(), { status: 200, body: 42 });
    const missingAnswer = await fetch(`${dashboard.url}/api/call/nobody/double`, { method: "POST", body: "{}" });
    assert.equal(missingAnswer.status, 404, "an unknown service is the proxy's own 404");
    const missing = (await missingAnswer.json()) as { status: number; error: string };
    assert.equal(missing.status, 0);
    assert.match(missing.error, /no service named 'nobody'/);
    const down = (await (await fetch(`${dashboard.url}/api/call/gone/anything`, { method: "POST", body: "{}" })).json()) as { status: number; error: string };
    assert.equal(down.status, 0);
    assert.match(down.error, /gone did not answer/);

    const page = await fetch(`${dashboard.url}/`);
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    assert.match(await page.text(), /<title>tsc-micro dev<\/title>/);
    assert.match(await (await fetch(`${dashboard.url}/app.js`)).text(), /EventSource/);

    // Another site's page reaching 127.0.0.1 through DNS rebinding is refused.
    const status = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(dashboard.url);
      request({ host: "127.0.0.1", port, path: "/api/services", headers: { host: "evil.example:80" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on("error", reject).end();
    });
    assert.equal(status, 403);
  } finally {
    await dashboard.close();
    service.server.close();
  }
});

test("the collector groups spans by trace, newest trace first, and streams each changed trace", { timeout: 60_000 }, async () => {
  const dashboard = await startDashboard({ services: () => [], openapi: () => undefined, maxTraces: 2 });
  try {
    const streamed = (await events(dashboard.url, "trace", 2, async () => {
      const posted = await fetch(dashboard.spansUrl, {
        method: "POST",
        body: JSON.stringify([span("t1", "b", "a", "is-even/isEven", "is-odd", 2), span("t1", "a", undefined, "POST /isOdd", "is-odd", 1), { not: "a span" }]),
      });
      assert.equal(posted.status, 204);
      await fetch(dashboard.spansUrl, { method: "POST", body: JSON.stringify([span("t2", "c", undefined, "POST /fib", "fib", 3)]) });
    })) as { traceId: string; spans: DevSpan[] }[];
    assert.deepEqual(streamed.map((t) => [t.traceId, t.spans.length]), [["t1", 2], ["t2", 1]]);

    // A late span of t1 makes it the newest again; a third trace drops the oldest (maxTraces 2).
    await fetch(dashboard.spansUrl, { method: "POST", body: JSON.stringify([span("t1", "d", "b", "POST /isEven", "is-even", 2.5)]) });
    let traces = ((await (await fetch(`${dashboard.url}/api/traces`)).json()) as { traces: { traceId: string; spans: DevSpan[] }[] }).traces;
    assert.deepEqual(traces.map((t) => t.traceId), ["t1", "t2"]);
    assert.deepEqual(traces[0]!.spans.map((s) => s.spanId), ["a", "b", "d"], "spans ordered by start");
    await fetch(dashboard.spansUrl, { method: "POST", body: JSON.stringify([span("t3", "e", undefined, "POST /fib", "fib", 4)]) });
    traces = ((await (await fetch(`${dashboard.url}/api/traces`)).json()) as { traces: { traceId: string }[] }).traces as typeof traces;
    assert.deepEqual(traces.map((t) => t.traceId), ["t3", "t1"]);

    assert.equal((await fetch(dashboard.spansUrl, { method: "POST", body: "not json" })).status, 400);
    assert.equal((await fetch(dashboard.spansUrl, { method: "POST", body: "{}" })).status, 400);
  } finally {
    await dashboard.close();
  }
});

test("the preload's exporter sends SDK spans with their parents and service; a gone dashboard costs nothing", { timeout: 60_000 }, async () => {
  const dashboard = await startDashboard({ services: () => [], openapi: () => undefined });
  const exporter = new DashboardExporter({ url: dashboard.spansUrl, service: "is-odd" });
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  try {
    const tracer = provider.getTracer("test");
    const server = tracer.startSpan("POST /isOdd", { kind: SpanKind.SERVER, attributes: { "rpc.method": "isOdd" } }, ROOT_CONTEXT);
    const client = tracer.startSpan("is-even/isEven", { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server));
    client.end();
    server.end();
    await exporter.forceFlush();
    const traces = await until(async () => {
      const body = (await (await fetch(`${dashboard.url}/api/traces`)).json()) as { traces: { traceId: string; spans: DevSpan[] }[] };
      return body.traces[0]?.spans.length === 2 ? body.traces : undefined;
    });
    assert.equal(traces.length, 1);
    const [first, second] = traces[0]!.spans;
    assert.equal(first!.name, "POST /isOdd");
    assert.equal(first!.parentSpanId, undefined);
    assert.equal(first!.kind, SpanKind.SERVER);
    assert.deepEqual(first!.attributes, { "rpc.method": "isOdd" });
    assert.equal(second!.name, "is-even/isEven");
    assert.equal(second!.parentSpanId, first!.spanId);
    assert.equal(traces[0]!.traceId, server.spanContext().traceId);
    assert.deepEqual(traces[0]!.spans.map((s) => s.service), ["is-odd", "is-odd"]);
  } finally {
    await dashboard.close();
  }
  // The dashboard is gone now: ending spans neither throws nor hangs the flush.
  const tracer = provider.getTracer("test");
  for (let i = 0; i < 5; i++) tracer.startSpan(`after ${i}`).end();
  await exporter.forceFlush();
  await provider.shutdown();
});
