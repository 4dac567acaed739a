// Spans with an OpenTelemetry SDK registered in the test process (in-memory exporter): server and
// client spans, their names, kinds, attributes and parents, as the README's "Traces" describes.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { ServiceClient } from "../src/client/index.js";
import { createApp } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { parseTraceparent } from "../src/telemetry/trace-context.js";
import { argsValidator, OPENAPI, post, recordingDownstream, route } from "./helpers.js";
import { registerMemoryTracing } from "./otel-memory.js";
import type { FinishedSpan } from "./otel-memory.js";

const otel = registerMemoryTracing();
const { SpanKind, SpanStatusCode } = otel.api;

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";

/** Lets pending callbacks run until `count` spans have ended (a failed call's server span ends a few ticks after its answer). */
async function spans(count: number): Promise<FinishedSpan[]> {
  for (let turn = 0; turn < 1000 && otel.finished().length < count; turn++) await new Promise((resolve) => setImmediate(resolve));
  const finished = otel.finished();
  assert.equal(finished.length, count, `spans: ${finished.map((s) => s.name).join(", ")}`);
  return finished;
}

function one(list: FinishedSpan[], name: string): FinishedSpan {
  const found = list.filter((span) => span.name === name);
  assert.equal(found.length, 1, `one span named ${name} in ${list.map((s) => s.name).join(", ")}`);
  return found[0]!;
}

describe("with an SDK registered", () => {
  const seen: IncomingHttpHeaders[] = [];
  let downstream: Awaited<ReturnType<typeof recordingDownstream>>;
  let client: ServiceClient;
  let app: ReturnType<typeof createApp>["app"];

  before(async () => {
    downstream = await recordingDownstream(seen);
    client = new ServiceClient({ service: "down", envVar: "TSC_MICRO_TEST_UNSET_URL", defaultUrl: downstream.url, retry: 1 });
    const def: ServiceDef = {
      name: "front",
      openapi: OPENAPI,
      routes: [
        route({ name: "relay", invoke: () => client.call("echo", {}) }),
        route({
          name: "own",
          // The function's own span (a library it uses, instrumented): a child of the server span.
          invoke: () => otel.api.trace.getTracer("user").startActiveSpan("own work", (span) => span.end()),
        }),
        route({ name: "square", params: ["x"], validate: argsValidator({ x: { type: "number" } }), invoke: (args) => (args.x as number) ** 2 }),
        route({
          name: "fail",
          invoke: () => {
            throw new RangeError("out of range");
          },
        }),
      ],
    };
    ({ app } = createApp(def, { logError: () => {} }));
  });
  beforeEach(() => {
    otel.reset();
    seen.length = 0;
  });
  after(async () => {
    client.close();
    await downstream.close();
  });

  test("a server span continues the caller's trace, named and described per the RPC/HTTP conventions", async () => {
    const response = await app.request("/square", post('{"x":3}', { traceparent: `00-${TRACE}-${SPAN}-01` }));
    assert.equal(await response.text(), "9");
    const server = one(await spans(1), "POST /square");
    assert.equal(server.kind, SpanKind.SERVER);
    assert.equal(server.instrumentationScope.name, "@tsc-micro/runtime");
    assert.equal(server.spanContext().traceId, TRACE);
    assert.equal(server.parentSpanContext?.spanId, SPAN);
    assert.deepEqual(server.attributes, {
      "rpc.system": "tsc-micro",
      "rpc.service": "front",
      "rpc.method": "square",
      "http.request.method": "POST",
      "http.route": "/square",
      "http.response.status_code": 200,
    });
    assert.equal(server.status.code, SpanStatusCode.UNSET);
  });

  test("a call made from inside is a client span, child of the server span, and the request names it as parent", async () => {
    const response = await app.request("/relay", post("{}", { traceparent: `00-${TRACE}-${SPAN}-01` }));
    assert.equal(response.status, 200);
    const finished = await spans(2);
    const server = one(finished, "POST /relay");
    const call = one(finished, "down/echo");
    assert.equal(call.kind, SpanKind.CLIENT);
    assert.equal(call.spanContext().traceId, TRACE);
    assert.equal(call.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.deepEqual(call.attributes, {
      "rpc.system": "tsc-micro",
      "rpc.service": "down",
      "rpc.method": "echo",
      "server.address": "127.0.0.1",
      "server.port": Number(new URL(downstream.url).port),
      "http.response.status_code": 200,
    });
    assert.deepEqual(call.events.map((event) => [event.name, event.attributes?.["tsc-micro.attempt"]]), [["attempt", 0]]);
    assert.equal(seen.length, 1);
    const sent = parseTraceparent(seen[0]!.traceparent as string);
    assert.deepEqual(sent && [sent.traceId, sent.spanId, sent.traceFlags], [TRACE, call.spanContext().spanId, 1]);
  });

  test("without traceparent the SDK starts the trace", async () => {
    await app.request("/square", post('{"x":2}'));
    const server = one(await spans(1), "POST /square");
    assert.equal(server.parentSpanContext, undefined);
    assert.notEqual(server.spanContext().traceId, TRACE);
  });

  test("the function's own spans are children of the server span", async () => {
    await app.request("/own", post("{}"));
    const finished = await spans(2);
    assert.equal(one(finished, "own work").parentSpanContext?.spanId, one(finished, "POST /own").spanContext().spanId);
  });

  test("a function that throws: error.type is the error code and the span status ERROR (5xx)", async () => {
    const response = await app.request("/fail", post("{}"));
    assert.equal(response.status, 500);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "INTERNAL");
    const server = one(await spans(1), "POST /fail");
    assert.equal(server.attributes["http.response.status_code"], 500);
    assert.equal(server.attributes["error.type"], "INTERNAL");
    assert.equal(server.status.code, SpanStatusCode.ERROR);
  });

  test("a bad request: error.type BAD_REQUEST, status left unset (the caller's fault)", async () => {
    const response = await app.request("/square", post('{"x":"three"}'));
    assert.equal(response.status, 400);
    const server = one(await spans(1), "POST /square");
    assert.equal(server.attributes["error.type"], "BAD_REQUEST");
    assert.equal(server.status.code, SpanStatusCode.UNSET);
  });

  test("a failed client call: one span for its attempts, status ERROR, error.type its code", async () => {
    downstream.refuseNext(2);
    await assert.rejects(client.call("echo", {}), { code: "UNAVAILABLE" });
    const call = one(await spans(1), "down/echo");
    assert.equal(call.status.code, SpanStatusCode.ERROR);
    assert.equal(call.attributes["error.type"], "UNAVAILABLE");
    assert.equal(call.attributes["http.response.status_code"], 503);
    assert.deepEqual(call.events.map((event) => event.attributes?.["tsc-micro.attempt"]), [0, 1]);
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.traceparent, seen[1]!.traceparent);
    assert.equal(parseTraceparent(seen[0]!.traceparent as string)?.spanId, call.spanContext().spanId);
  });

  test("in a client program, a call is a child of OTel's active span", async () => {
    await otel.api.trace.getTracer("program").startActiveSpan("main", async (main) => {
      await client.call("echo", {});
      main.end();
    });
    const finished = await spans(2);
    const main = one(finished, "main");
    const call = one(finished, "down/echo");
    assert.equal(call.spanContext().traceId, main.spanContext().traceId);
    assert.equal(call.parentSpanContext?.spanId, main.spanContext().spanId);
  });
});
