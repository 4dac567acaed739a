// The line per answered call written as bytes (info-line.ts): the line pino writes for it, field
// by field and in the same order (request-log.test.ts checks the string form, the same bytes
// decoded, the same way); its numbers, time and ids.
import { test } from "node:test";
import assert from "node:assert/strict";
import { infoLine, infoLineMost, linePieces, millis, writeInfoLine, writeMillis, writeUuid } from "../src/telemetry/info-line.js";
import type { InfoRecord } from "../src/telemetry/info-line.js";
import { isSpanContextValid } from "@opentelemetry/api";
import { isoNow, writeIsoNow } from "../src/telemetry/iso-now.js";
import { createLogger, writeRequestLine } from "../src/telemetry/request-log.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The line without its time and request id, which differ between two writes by design. */
function steady(line: string): { line: Record<string, unknown>; requestId: unknown } {
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.ok(!Number.isNaN(Date.parse(parsed.time as string)));
  return { line: { ...parsed, time: 0, request_id: 0 }, requestId: parsed.request_id };
}

test("writeInfoLine writes pino's line for the call, keys in the same order, whatever the names", () => {
  const records: InfoRecord[] = [
    { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 0.1234567, requestId: "req-1", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" },
    { method: "POST", function: "caf\u00e9$\"q\"\u{1F600}", path: "/caf%C3%A9$%22q%22/", status: 204, durationMs: 12, requestId: undefined, traceId: undefined, spanId: undefined },
    { method: "POST", function: "isEven", path: "/isEven", status: 201, durationMs: 3.05, requestId: undefined, traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7" },
    { method: "PUT", function: "isEven", path: "/isEven", status: 200, durationMs: 0, requestId: "a.b:c-d_e", traceId: undefined, spanId: undefined },
    { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 1e13, requestId: "x".repeat(128), traceId: "4BF92F3577B34DA6A3CE929D0E0E4736", spanId: "00F067AA0BA902B7" },
    // Ids of the runtime's own span contexts, written without checking them again: the same line.
    { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 0.5, requestId: undefined, traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", idsChecked: true },
    { method: "POST", function: "caf\u00e9", path: "/caf%C3%A9", status: 200, durationMs: 7, requestId: "req-2", traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", idsChecked: true },
  ];
  for (const service of ["is-even", "we\u00efrd \"svc\"\n", "is-even"]) {
    const serviceJson = JSON.stringify(service);
    for (const record of records) {
      const pieces = linePieces(serviceJson, record);
      const buffer = Buffer.alloc(infoLineMost(pieces, record) + 10, 0xff);
      const end = writeInfoLine(buffer, 5, pieces, record);
      assert.ok(end - 5 <= infoLineMost(pieces, record), "within the bound it announced");
      assert.equal(buffer[4], 0xff, "nothing before where it was told to write");
      assert.equal(buffer[end], 0xff, "nothing after the end it returned");
      const bytes = buffer.subarray(5, end).toString("utf8");
      assert.ok(bytes.endsWith("}\n"));
      const fromBytes = steady(bytes);
      if (record.requestId === undefined) assert.match(fromBytes.requestId as string, UUID_V4);
      else assert.equal(fromBytes.requestId, record.requestId);
      // pino's line for the same call, with the request id the byte line made.
      const viaPino: string[] = [];
      writeRequestLine(createLogger(service, "info", { write: (text: string) => void viaPino.push(text) }), { ...record, requestId: fromBytes.requestId as string, error: undefined });
      const fromPino = steady(viaPino[0]!);
      assert.deepEqual(Object.keys(fromBytes.line), Object.keys(fromPino.line));
      assert.deepEqual(fromBytes.line, fromPino.line);
      // The string form is these bytes decoded.
      assert.deepEqual(steady(infoLine(serviceJson, record)).line, fromBytes.line);
    }
  }
});

test("trace and span ids that are not valid (as the API's isSpanContextValid sees them) are left out of the byte line", () => {
  const serviceJson = JSON.stringify("is-even");
  const good = { trace: "4bf92f3577b34da6a3ce929d0e0e4736", span: "00f067aa0ba902b7" };
  const cases: Array<[string | undefined, string | undefined]> = [
    ["0".repeat(32), good.span],
    [good.trace, "0".repeat(16)],
    [good.trace.slice(1), good.span],
    [good.trace, `${good.span}0`],
    [`${good.trace.slice(0, 31)}"`, good.span],
    [good.trace, "00f067aa0ba902bg"],
    [undefined, good.span],
    [good.trace, undefined],
  ];
  for (const [traceId, spanId] of cases) {
    const record: InfoRecord = { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 1, requestId: "r", traceId, spanId };
    assert.equal(isSpanContextValid({ traceId: traceId ?? "", spanId: spanId ?? "", traceFlags: 1 }), false);
    const pieces = linePieces(serviceJson, record);
    const buffer = Buffer.alloc(infoLineMost(pieces, record));
    const line = JSON.parse(buffer.subarray(0, writeInfoLine(buffer, 0, pieces, record)).toString()) as Record<string, unknown>;
    assert.equal("trace_id" in line || "span_id" in line, false, `${traceId} ${spanId}`);
    assert.deepEqual({ ...line, time: 0 }, { ...(JSON.parse(infoLine(serviceJson, { ...record, traceId: undefined, spanId: undefined })) as object), time: 0 });
  }
});

test("writeMillis writes what millis returns", () => {
  const values = [0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.12, 1, 1.5, 2.05, 9.999, 9.9995, 10.01, 100.1, 1_000, 65_432.109, 1e9 - 0.001, 1e9, 1e12, 1e300, -1, Number.MAX_VALUE];
  for (let i = 0; i < 20_000; i++) values.push(Math.random() * 10 ** ((i % 12) - 3));
  const buffer = Buffer.alloc(64);
  for (const ms of values) {
    const end = writeMillis(buffer, 3, ms);
    assert.equal(buffer.subarray(3, end).toString("latin1"), millis(ms), String(ms));
  }
});

test("writeIsoNow writes what isoNow returns, across seconds and for every millisecond form", () => {
  const buffer = Buffer.alloc(40);
  for (const now of [0, 7, 45, 999, 1_000, 1_764_556_800_123, 1_764_556_800_005, 1_764_556_801_050, 1_764_556_800_999, Date.now()]) {
    const end = writeIsoNow(buffer, 2, now);
    assert.equal(end, 26);
    assert.equal(buffer.subarray(2, end).toString("latin1"), isoNow(now), String(now));
  }
});

test("writeUuid writes random version-4 UUIDs, each new", () => {
  const seen = new Set<string>();
  const buffer = Buffer.alloc(40);
  // Past the 256 ids of one refill of the random bytes.
  for (let i = 0; i < 1_000; i++) {
    const end = writeUuid(buffer, 1);
    const id = buffer.subarray(1, end).toString("latin1");
    assert.match(id, UUID_V4);
    seen.add(id);
  }
  assert.equal(seen.size, 1_000);
});

test("the no-SDK spans' ids are an OwnSpanContext's, and its line holds them as the checked path writes them", async () => {
  const { startServerSpan, startClientSpan } = await import("../src/telemetry/tracing.js");
  const { OwnSpanContext } = await import("../src/telemetry/trace-context.js");
  const server = startServerSpan("is-even", "isEven", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  const client = startClientSpan("is-even", "isEven", server);
  const fresh = startServerSpan("is-even", "isEven", undefined);
  for (const span of [server, client, fresh]) {
    const context = span.spanContext();
    assert.ok(context instanceof OwnSpanContext);
    assert.ok(isSpanContextValid(context));
    const record: InfoRecord = { method: "POST", function: "isEven", path: "/isEven", status: 200, durationMs: 1, requestId: "r", traceId: context.traceId, spanId: context.spanId };
    const pieces = linePieces('"is-even"', record);
    const unchecked = Buffer.alloc(infoLineMost(pieces, record));
    const checked = Buffer.alloc(infoLineMost(pieces, record));
    const a = JSON.parse(unchecked.toString("utf8", 0, writeInfoLine(unchecked, 0, pieces, { ...record, idsChecked: true })));
    const b = JSON.parse(checked.toString("utf8", 0, writeInfoLine(checked, 0, pieces, record)));
    assert.deepEqual({ ...a, time: 0 }, { ...b, time: 0 });
    assert.equal(a.trace_id, context.traceId);
    assert.equal(a.span_id, context.spanId);
  }
  assert.equal(server.spanContext().traceId, "4bf92f3577b34da6a3ce929d0e0e4736", "the caller's trace continued");
  assert.equal(client.spanContext().traceId, "4bf92f3577b34da6a3ce929d0e0e4736");
});
