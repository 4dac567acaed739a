// The Node listener serves POST /<function> directly (direct-routes.ts), Hono everything else: both
// must answer alike. Each request below goes once through a real socket (the direct path) and once
// through Hono in memory (`app.request()`), and the answers are compared: status, content type,
// the headers a caller reads, and the body (error messages included).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createApp } from "../src/server/index.js";
import type { RunningService } from "../src/server/index.js";
import { mathService, startQuiet } from "./helpers.js";

interface Case {
  name: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const JSON_TYPE = { "content-type": "application/json" };
const CASES: Case[] = [
  { name: "a result", path: "/isEven", headers: JSON_TYPE, body: '{"x":4}' },
  { name: "undefined is null", path: "/nothing", headers: JSON_TYPE, body: "{}" },
  { name: "void is 204", path: "/log", headers: JSON_TYPE, body: "{}" },
  { name: "a bare POST is {}", path: "/nothing" },
  { name: "a wrong type", path: "/isEven", headers: JSON_TYPE, body: '{"x":"4"}' },
  { name: "an unknown argument", path: "/isEven", headers: JSON_TYPE, body: '{"x":4,"y":1}' },
  { name: "not JSON", path: "/isEven", headers: JSON_TYPE, body: "{x:4}" },
  { name: "a key twice", path: "/isEven", headers: JSON_TYPE, body: '{"x":4,"x":5}' },
  { name: "a reserved key", path: "/tag", headers: JSON_TYPE, body: '{"user":{"tags":[],"__proto__":{}}}' },
  { name: "not an object", path: "/isEven", headers: JSON_TYPE, body: "[4]" },
  { name: "text/plain", path: "/isEven", headers: { "content-type": "text/plain" }, body: '{"x":4}' },
  { name: "no content type with a body", path: "/isEven", body: '{"x":4}' },
  { name: "too large (declared)", path: "/isEven", headers: JSON_TYPE, body: `{"x":4,"pad":"${"a".repeat(2048)}"}` },
  { name: "the function throws", path: "/fail", headers: JSON_TYPE, body: "{}" },
  { name: "a thrown value", path: "/failWith", headers: JSON_TYPE, body: '{"value":{"code":"E1"}}' },
  { name: "no time left", path: "/isEven", headers: { ...JSON_TYPE, "tsc-micro-timeout": "0" }, body: '{"x":4}' },
  { name: "a junk deadline", path: "/isEven", headers: { ...JSON_TYPE, "tsc-micro-timeout": "soon" }, body: '{"x":4}' },
  { name: "a junk idempotency key", path: "/isEven", headers: { ...JSON_TYPE, "idempotency-key": " " }, body: '{"x":4}' },
  { name: "a caller's request id", path: "/isEven", headers: { ...JSON_TYPE, "x-request-id": "req-1" }, body: '{"x":3}' },
  { name: "a keyed call", path: "/isEven", headers: { ...JSON_TYPE, "idempotency-key": "k-1" }, body: '{"x":3}' },
  { name: "the same key replayed", path: "/isEven", headers: { ...JSON_TYPE, "idempotency-key": "k-1" }, body: '{"x":3}' },
  { name: "the key with other arguments", path: "/isEven", headers: { ...JSON_TYPE, "idempotency-key": "k-1" }, body: '{"x":4}' },
  { name: "trailing slash (Hono on both)", path: "/isEven/", headers: JSON_TYPE, body: '{"x":4}' },
  { name: "a query string (Hono on both)", path: "/isEven?x=1", headers: JSON_TYPE, body: '{"x":4}' },
];

const READ_HEADERS = ["content-type", "x-request-id", "tsc-micro-replayed", "retry-after"];

let running: RunningService;
const memory = createApp(mathService(), { env: {}, logError: () => {}, logLevel: "silent", bodyLimit: 1024 }).app;

// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("direct-routes", () => {
  before(async () => {
    running = await startQuiet(mathService(), { bodyLimit: 1024 });
  });
  after(() => running.close());

  function overSocket(c: Case): Promise<{ status: number; headers: Record<string, string | undefined>; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(`${running.url}${c.path}`, { method: "POST", headers: c.headers ?? {} }, (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (d: string) => (body += d));
        response.on("end", () =>
          resolve({ status: response.statusCode!, headers: Object.fromEntries(READ_HEADERS.map((h) => [h, response.headers[h] as string | undefined])), body }),
        );
      });
      request.on("error", reject);
      request.end(c.body);
    });
  }

  async function inMemory(c: Case) {
    // Bytes, not a string: a string body would get a text/plain content type the socket request lacks.
    const response = await memory.request(c.path, { method: "POST", headers: c.headers ?? {}, ...(c.body === undefined ? {} : { body: new TextEncoder().encode(c.body) }) });
    return { status: response.status, headers: Object.fromEntries(READ_HEADERS.map((h) => [h, response.headers.get(h) ?? undefined])), body: await response.text() };
  }

  test("every kind of request is answered alike by the direct path and by Hono", async () => {
    for (const c of CASES) {
      const direct = await overSocket(c);
      const hono = await inMemory(c);
      assert.deepEqual(direct, hono, c.name);
    }
  });
});
