// One JSON log line per request: its fields, LOG_LEVEL, request ids, and what an error line may carry.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef } from "../src/server/index.js";
import { observeRequests } from "../src/telemetry/observe-requests.js";
import { createLogger, writeRequestLine } from "../src/telemetry/request-log.js";
import { infoLine, millis } from "../src/telemetry/info-line.js";
import type { RequestRecord } from "../src/telemetry/request-log.js";
import { isoNow } from "../src/telemetry/iso-now.js";
import { createServiceMetrics } from "../src/telemetry/metrics.js";
import { OPENAPI, mathService, post, route } from "./helpers.js";

type Line = Record<string, unknown>;

/** An app whose log lines land in `lines`, parsed. */
function appFor(def: ServiceDef = mathService(), options: CreateAppOptions = {}) {
  const lines: Line[] = [];
  const made = createApp(def, { env: {}, logError: () => {}, logDestination: { write: (text: string) => void lines.push(JSON.parse(text) as Line) }, ...options });
  return { ...made, lines };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("request log lines", () => {
  test("one line per call: time, level, service, function, status, duration, request id", async () => {
    const { app, lines } = appFor();
    const response = await app.request("/isEven", post('{"x": 4}', { "x-request-id": "req-42" }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-request-id"), "req-42");
    await app.request("/isEven", post('{"x": 5}'));
    assert.equal(lines.length, 2);
    const [line] = lines;
    assert.deepEqual(Object.keys(line!).filter((key) => !["trace_id", "span_id"].includes(key)), ["level", "time", "service", "function", "status", "duration_ms", "request_id", "msg"]);
    assert.equal(line!.level, "info");
    assert.ok(!Number.isNaN(Date.parse(line!.time as string)), "ISO time");
    assert.equal(line!.service, "math");
    assert.equal(line!.function, "isEven");
    assert.equal(line!.status, 200);
    assert.equal(typeof line!.duration_ms, "number");
    assert.equal(line!.request_id, "req-42");
    assert.equal(line!.msg, "POST /isEven 200");
    assert.equal("pid" in line! || "hostname" in line!, false);
  });

  test("a missing or malformed x-request-id is replaced by a new UUID in the line, not sent back", async () => {
    const { app, lines } = appFor();
    const bad = await app.request("/isEven", post('{"x": 1}', { "x-request-id": "two words\u00e9" }));
    const none = await app.request("/isEven", post('{"x": 1}'));
    // Only a caller's own id comes back: setting a header before Node writes the answer sends every
    // header down its slow path, a cost per call for an id nobody asked for.
    assert.equal(bad.headers.get("x-request-id"), null);
    assert.equal(none.headers.get("x-request-id"), null);
    assert.match(lines[0]!.request_id as string, UUID);
    assert.match(lines[1]!.request_id as string, UUID);
    assert.notEqual(lines[0]!.request_id, lines[1]!.request_id);
  });

  test("with no line to write (LOG_LEVEL=silent) a caller's own x-request-id still comes back", async () => {
    const { app } = appFor(mathService(), { logLevel: "silent" });
    const answer = await app.request("/isEven", post('{"x": 1}', { "x-request-id": "req-7" }));
    assert.equal(answer.headers.get("x-request-id"), "req-7");
  });

  test("trace and span ids come from the context variable \"span\"; absent when no span was set", async () => {
    const lines: Line[] = [];
    const logger = createLogger("svc", "info", { write: (text: string) => void lines.push(JSON.parse(text) as Line) });
    const metrics = createServiceMetrics({ admitted: 0, waiting: 0 }, {});
    const app = new Hono();
    app.use(observeRequests({ logger, metrics, functions: ["traced", "plain"], development: false }));
    const context = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 };
    app.post("/traced", (c) => {
      c.set("span" as never, { spanContext: () => context } as never);
      return c.json(1);
    });
    app.post("/plain", (c) => c.json(2));
    await app.request("/traced", { method: "POST" });
    await app.request("/plain", { method: "POST" });
    assert.equal(lines[0]!.trace_id, context.traceId);
    assert.equal(lines[0]!.span_id, context.spanId);
    assert.equal("trace_id" in lines[1]!, false);
    assert.equal("span_id" in lines[1]!, false);
  });

  test("a function's span (set by the route handler) gives the line its trace id", async () => {
    const { app, lines } = appFor();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await app.request("/isEven", post('{"x": 2}', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }));
    assert.equal(lines[0]!.trace_id, traceId);
    assert.match(lines[0]!.span_id as string, /^[0-9a-f]{16}$/);
  });

  test("a 500 is logged at error with the error as the answer showed it; no stack outside development", async () => {
    const { app, lines } = appFor();
    const response = await app.request("/fail", post("{}"));
    assert.equal(response.status, 500);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, "error");
    assert.equal(lines[0]!.status, 500);
    assert.deepEqual(lines[0]!.error, { type: "RangeError", code: "INTERNAL", message: "x out of range" });
  });

  test("NODE_ENV=development adds the stack", async () => {
    const { app, lines } = appFor(mathService(), { env: { NODE_ENV: "development" } });
    await app.request("/fail", post("{}"));
    const err = lines[0]!.error as { stack?: string };
    assert.match(err.stack ?? "", /RangeError: x out of range\n\s+at /);
  });

  test("production lines carry nothing the answer does not: no error fields, addresses or paths", async () => {
    const def: ServiceDef = {
      name: "io",
      openapi: OPENAPI,
      routes: [
        route({
          name: "read",
          invoke: () => {
            throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", address: "10.1.2.3", path: "/srv/secret.txt", port: 5432 });
          },
        }),
      ],
    };
    const { app, lines } = appFor(def, { env: { NODE_ENV: "production" } });
    const response = await app.request("/read", post("{}"));
    const answer = (await response.json()) as { error: { name: string; code: string; message: string } };
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0]!.error, { type: answer.error.name, code: answer.error.code, message: answer.error.message });
    const text = JSON.stringify(lines[0]);
    for (const secret of ["10.1.2.3", "/srv/secret.txt", "5432", "stack"]) assert.equal(text.includes(secret), false, secret);
  });

  test("4xx at warn; health checks only at debug, with their path", async () => {
    const quiet = appFor();
    await quiet.app.request("/isEven", post('{"x": "no"}'));
    await quiet.app.request("/health/live");
    assert.deepEqual(quiet.lines.map((line) => [line.level, line.status]), [["warn", 400]]);
    assert.equal((quiet.lines[0]!.error as { code: string }).code, "BAD_REQUEST");

    const verbose = appFor(mathService(), { env: { LOG_LEVEL: "debug" } });
    await verbose.app.request("/health/live");
    assert.deepEqual(verbose.lines.map((line) => [line.level, line.path, line.status, "function" in line]), [["debug", "/health/live", 200, false]]);
  });

  test("LOG_LEVEL filters lines; silent writes none; an unknown level stops the start, naming the variable", async () => {
    const warn = appFor(mathService(), { env: { LOG_LEVEL: "WARN" } });
    await warn.app.request("/isEven", post('{"x": 4}'));
    await warn.app.request("/fail", post("{}"));
    assert.deepEqual(warn.lines.map((line) => line.status), [500]);

    const silent = appFor(mathService(), { env: { LOG_LEVEL: "silent" } });
    await silent.app.request("/fail", post("{}"));
    assert.equal(silent.lines.length, 0);

    assert.throws(() => appFor(mathService(), { env: { LOG_LEVEL: "verbose" } }), /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"/);
  });

  test("the hand-built line of an answered call is the line pino writes for it, whatever the names", () => {
    const records: RequestRecord[] = [
      { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 0.1234567, requestId: "req-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", error: undefined },
      { method: "POST", function: "caf\u00e9$\"q\"", path: "/caf%C3%A9$%22q%22/", status: 204, durationMs: 12, requestId: "0b6c2f3e-1111-4222-8333-444455556666", traceId: undefined, spanId: undefined, error: undefined },
      // The same function again with another status and duration, and another method: the pieces
      // made once per function, status and path must not leak from one line into the next.
      { method: "POST", function: "isEven", path: "/isEven", status: 201, durationMs: 3.05, requestId: "req-2", traceId: undefined, spanId: undefined, error: undefined },
      { method: "PUT", function: "isEven", path: "/isEven", status: 200, durationMs: 0, requestId: "req-3", traceId: undefined, spanId: undefined, error: undefined },
      { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 99.9999, requestId: "req-4", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", error: undefined },
    ];
    for (const service of ["is-even", "we\u00efrd \"svc\"", "is-even"]) {
      for (const record of records) {
        const viaPino: Line[] = [];
        writeRequestLine(createLogger(service, "info", { write: (text: string) => void viaPino.push(JSON.parse(text) as Line) }), record);
        const direct = infoLine(JSON.stringify(service), { ...record, function: record.function! });
        assert.ok(direct.endsWith("}\n"));
        const parsed = JSON.parse(direct) as Line;
        // Same keys in the same order, same values; the times are both ISO, a moment apart.
        assert.deepEqual(Object.keys(parsed), Object.keys(viaPino[0]!));
        assert.deepEqual({ ...parsed, time: 0 }, { ...viaPino[0], time: 0 });
        assert.ok(!Number.isNaN(Date.parse(parsed.time as string)));
      }
    }
  });

  test("millis writes a duration as JSON writes Math.round(ms * 1000) / 1000", () => {
    const edges = [0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.12, 0.1234567, 1, 1.5, 2.05, 9.999, 9.9995, 10.01, 100.1, 1_000, 65_432.109, 1e9 - 0.001, 1e9, 1e12, 5e15, 1e300, -1, -0.0001, Number.MAX_VALUE];
    const random = Array.from({ length: 20_000 }, (_, i) => Math.random() * 10 ** ((i % 12) - 3));
    for (const ms of [...edges, ...random]) {
      assert.equal(millis(ms), JSON.stringify(Math.round(ms * 1000) / 1000), String(ms));
    }
  });

  test("isoNow is toISOString, across seconds and for every millisecond form", () => {
    for (const now of [0, 7, 45, 999, 1_000, 1_764_556_800_123, 1_764_556_800_005, 1_764_556_801_050, 1_764_556_800_999]) {
      assert.equal(isoNow(now), new Date(now).toISOString(), String(now));
    }
  });
});
