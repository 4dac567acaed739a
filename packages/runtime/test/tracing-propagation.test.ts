// Trace context without any OpenTelemetry SDK registered (the runtime's own parsing and ids):
// a service continues the caller's trace, starts one when there is none, and passes it on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { trace } from "@opentelemetry/api";
import { ServiceClient } from "../src/client/index.js";
import { createApp } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { parseTraceparent } from "../src/telemetry/trace-context.js";
import { OPENAPI, post, recordingDownstream, route } from "./helpers.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPAN = "b7ad6b7169203331";

describe("without an SDK", () => {
  // The downstream service: records the headers of each request; refuseNext(n) answers the next n with a 503 + Retry-After.
  const seen: IncomingHttpHeaders[] = [];
  let downstream: Awaited<ReturnType<typeof recordingDownstream>>;
  let client: ServiceClient;
  let app: ReturnType<typeof createApp>["app"];

  before(async () => {
    assert.equal(trace.getTracerProvider().getTracer("probe").startSpan("probe").isRecording(), false, "no SDK in this test process");
    downstream = await recordingDownstream(seen);
    client = new ServiceClient({ service: "down", envVar: "TSC_MICRO_TEST_UNSET_URL", defaultUrl: downstream.url });
    const def: ServiceDef = {
      name: "relay",
      openapi: OPENAPI,
      routes: [route({ name: "relay", invoke: () => client.call("echo", {}) })],
    };
    ({ app } = createApp(def, { logError: () => {} }));
  });
  after(async () => {
    client.close();
    await downstream.close();
  });

  function lastParent(): ReturnType<typeof parseTraceparent> {
    const value = seen.at(-1)?.traceparent;
    assert.equal(typeof value, "string", "the downstream request carries traceparent");
    const parsed = parseTraceparent(value as string);
    assert.ok(parsed, `a valid traceparent: ${String(value)}`);
    return parsed;
  }

  test("a call with traceparent continues its trace (flags kept) under a new span id", async () => {
    seen.length = 0;
    const response = await app.request("/relay", post("{}", { traceparent: `00-${TRACE}-${SPAN}-01` }));
    assert.equal(response.status, 200);
    assert.equal(seen.length, 1);
    const parent = lastParent()!;
    assert.equal(parent.traceId, TRACE);
    assert.notEqual(parent.spanId, SPAN);
    assert.equal(parent.traceFlags, 1);

    // Not sampled upstream: still propagated, still not sampled.
    await app.request("/relay", post("{}", { traceparent: `00-${TRACE}-${SPAN}-00` }));
    assert.equal(seen.length, 2);
    assert.equal(lastParent()!.traceId, TRACE);
    assert.equal(lastParent()!.traceFlags, 0);
  });

  test("a call without traceparent, or with an invalid one, starts a new trace each time", async () => {
    seen.length = 0;
    await app.request("/relay", post("{}"));
    await app.request("/relay", post("{}", { traceparent: `ff-${TRACE}-${SPAN}-01` }));
    await app.request("/relay", post("{}", { traceparent: "garbage" }));
    assert.equal(seen.length, 3);
    const traces = seen.map((headers) => parseTraceparent(headers.traceparent as string)!.traceId);
    assert.equal(new Set(traces).size, 3);
    assert.ok(!traces.includes(TRACE));
  });

  test("a plain client call (no service call around it) starts a trace; every attempt names the same parent", async () => {
    seen.length = 0;
    downstream.refuseNext(1);
    assert.equal(await client.call("echo", {}), true);
    assert.equal(seen.length, 2, "refused once, then answered");
    assert.equal(seen[0]!.traceparent, seen[1]!.traceparent);
    assert.ok(parseTraceparent(seen[0]!.traceparent as string));

    await client.call("echo", {});
    assert.equal(seen.length, 3);
    assert.notEqual(parseTraceparent(seen[2]!.traceparent as string)!.traceId, parseTraceparent(seen[0]!.traceparent as string)!.traceId);
  });
});
