// TSC_MICRO_TRACING=off: no traceparent is read or sent, no trace ids are logged; a bad value stops
// the start (service) or the client's construction, naming the variable. On is the default.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingHttpHeaders } from "node:http";
import { ServiceClient } from "../src/client/index.js";
import { createApp } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { tracingFromEnv } from "../src/telemetry/tracing.js";
import { OPENAPI, post, recordingDownstream, route } from "./helpers.js";

const CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

type Line = Record<string, unknown>;

/** A ServiceClient made while process.env.TSC_MICRO_TRACING is `value` (read when the client is made). */
function clientWith(value: string | undefined, url: string): ServiceClient {
  const before = process.env.TSC_MICRO_TRACING;
  if (value === undefined) delete process.env.TSC_MICRO_TRACING;
  else process.env.TSC_MICRO_TRACING = value;
  try {
    return new ServiceClient({ service: "down", envVar: "TSC_MICRO_TEST_UNSET_URL", defaultUrl: url });
  } finally {
    if (before === undefined) delete process.env.TSC_MICRO_TRACING;
    else process.env.TSC_MICRO_TRACING = before;
  }
}

describe("TSC_MICRO_TRACING", () => {
  const seen: IncomingHttpHeaders[] = [];
  let downstream: Awaited<ReturnType<typeof recordingDownstream>>;
  const clients: ServiceClient[] = [];

  before(async () => {
    downstream = await recordingDownstream(seen);
  });
  after(async () => {
    for (const client of clients) client.close();
    await downstream.close();
  });

  /** A relay service (its function calls the downstream through `client`) and the lines it logs. */
  function relay(env: Record<string, string>, client: ServiceClient) {
    const lines: Line[] = [];
    const def: ServiceDef = { name: "relay", openapi: OPENAPI, routes: [route({ name: "relay", invoke: () => client.call("echo", {}) })] };
    const { app } = createApp(def, { env, logError: () => {}, logDestination: { write: (text: string) => void lines.push(JSON.parse(text) as Line) } });
    return { app, lines };
  }

  test("off: the caller's traceparent is not continued, none is sent on, the line has no trace ids", async () => {
    const client = clientWith("off", downstream.url);
    clients.push(client);
    const { app, lines } = relay({ TSC_MICRO_TRACING: "off" }, client);
    seen.length = 0;
    const response = await app.request("/relay", post("{}", { traceparent: CALLER }));
    assert.equal(response.status, 200);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.traceparent, undefined, "no traceparent on the downstream request");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.function, "relay");
    assert.equal(lines[0]!.status, 200);
    assert.equal("trace_id" in lines[0]!, false);
    assert.equal("span_id" in lines[0]!, false);
    assert.equal(typeof lines[0]!.request_id, "string", "the request id stays");
  });

  test("unset (and `on`, any case, blank): the trace is continued and passed on, its ids in the line", async () => {
    for (const setting of [undefined, "on", "ON", " "]) {
      const client = clientWith(setting, downstream.url);
      clients.push(client);
      const { app, lines } = relay(setting === undefined ? {} : { TSC_MICRO_TRACING: setting }, client);
      seen.length = 0;
      await app.request("/relay", post("{}", { traceparent: CALLER }));
      assert.equal(seen.length, 1);
      assert.match(String(seen[0]!.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/, `setting ${String(setting)}`);
      assert.equal(lines[0]!.trace_id, "0af7651916cd43dd8448eb211c80319c");
      assert.match(String(lines[0]!.span_id), /^[0-9a-f]{16}$/);
    }
  });

  test("anything else is refused, naming the variable: by the service at start and by a client when made", () => {
    const message = 'TSC_MICRO_TRACING must be one of on, off, got "no"';
    assert.throws(() => tracingFromEnv({ TSC_MICRO_TRACING: "no" }), { name: "RangeError", message });
    const def: ServiceDef = { name: "svc", openapi: OPENAPI, routes: [route({ name: "relay", invoke: () => true })] };
    assert.throws(() => createApp(def, { env: { TSC_MICRO_TRACING: "no" }, logError: () => {} }), { name: "RangeError", message });
    assert.throws(() => clientWith("no", downstream.url), { name: "RangeError", message });
  });
});
