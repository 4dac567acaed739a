import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef, ValidateFunction } from "../src/server/index.js";
import { OPENAPI, mathService, post, route } from "./helpers.js";

function appFor(def: ServiceDef = mathService(), options: CreateAppOptions = {}) {
  const logged: string[] = [];
  const made = createApp(def, { env: {}, logError: (line) => logged.push(line), ...options });
  return { ...made, logged };
}

async function errorOf(response: Response) {
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = (await response.json()) as { error: Record<string, unknown> };
  assert.equal(typeof body.error, "object");
  return body.error;
}

describe("calls", () => {
  test("POST /<name> answers the result as JSON", async () => {
    const { app } = appFor();
    const response = await app.request("/isEven", post('{"x": 4}', { "content-type": "application/json" }));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(await response.json(), true);
  });

  test("application/json with charset=utf-8 is accepted (other types: see request-edges.test.ts)", async () => {
    const { app } = appFor();
    const response = await app.request("/isEven", post('{"x": 3}', { "content-type": "Application/JSON; charset=\"UTF-8\"" }));
    assert.equal(response.status, 200);
    assert.equal(await response.json(), false);
  });

  test("nested objects round trip", async () => {
    const { app } = appFor();
    const response = await app.request("/tag", post('{"user": {"tags": ["a"]}}'));
    assert.deepEqual(await response.json(), { tags: ["a"] });
  });

  test("an empty body counts as {}", async () => {
    const { app } = appFor();
    const response = await app.request("/nothing", post(undefined));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "null", "undefined from a non-void function is sent as null");
    assert.equal((await app.request("/nothing", post("  \n"))).status, 200);
  });

  test("a void function answers 204 with no body", async () => {
    const { app } = appFor();
    const response = await app.request("/log", post("{}"));
    assert.equal(response.status, 204);
    assert.equal(await response.text(), "");
  });

  test("POST / is an alias when the service has exactly one function", async () => {
    const def: ServiceDef = { ...mathService(), routes: [mathService().routes[0]!] };
    const { app } = appFor(def);
    const response = await app.request("/", post('{"x": 2}'));
    assert.equal(response.status, 200);
    assert.equal(await response.json(), true);
    const many = await appFor().app.request("/", post('{"x": 2}'));
    assert.equal(many.status, 404, "no alias with several functions");
  });

  test("a trailing slash is tolerated", async () => {
    const { app } = appFor();
    assert.equal((await app.request("/isEven/", post('{"x": 2}'))).status, 200);
  });
});

describe("bad requests", () => {
  test("malformed JSON → 400 naming the parse problem", async () => {
    const { app } = appFor();
    const response = await app.request("/isEven", post('{"x": '));
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, "BAD_REQUEST");
    assert.equal(error.name, "ServiceError");
    assert.match(String(error.message), /^request body is not valid JSON: .+/);
  });

  for (const body of ["[1]", "null", "42", '"x"']) {
    test(`a body that is not an object (${body}) → 400 with an issue at ""`, async () => {
      const { app } = appFor();
      const response = await app.request("/isEven", post(body));
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, "BAD_REQUEST");
      assert.equal(error.message, 'request body must be a JSON object of named arguments, e.g. {"x": 1}');
      assert.deepEqual(error.issues, [{ path: "", rule: "type", message: "must be object" }]);
    });
  }

  test("missing, extra and wrong-typed arguments are all reported", async () => {
    const { app } = appFor();
    const missing = await errorOf(await app.request("/isEven", post("{}")));
    assert.equal(missing.message, "invalid request to isEven: x: missing argument");
    assert.deepEqual(missing.issues, [{ path: "x", rule: "required", message: "missing argument" }]);

    const response = await app.request("/isEven", post('{"x": "2", "y": 1}'));
    assert.equal(response.status, 400);
    const both = await errorOf(response);
    assert.equal(both.code, "BAD_REQUEST");
    assert.equal(both.message, "invalid request to isEven: x: must be number; y: unknown argument");
    assert.deepEqual(both.issues, [
      { path: "x", rule: "type", message: "must be number" },
      { path: "y", rule: "additionalProperties", message: "unknown argument" },
    ]);
  });

  test("a hand-written validator works too (only the Ajv error shape matters)", async () => {
    // Same contract as Ajv standalone code: set .errors on itself, return false.
    const validate: ValidateFunction = function handWritten(data: unknown) {
      const ok = (data as { ok?: boolean }).ok === true;
      validate.errors = ok
        ? null
        : [{ instancePath: "/list/1", keyword: "minimum", params: { limit: 0 }, message: "must be >= 0" }];
      return ok;
    };
    const { app } = appFor({ name: "h", openapi: {}, routes: [route({ name: "h", validate, invoke: () => 1 })] });
    const error = await errorOf(await app.request("/h", post('{"list": [1, -1]}')));
    assert.equal(error.message, "invalid request to h: list[1]: must be >= 0");
    assert.equal((await app.request("/h", post('{"ok": true}'))).status, 200);
  });

  test("bodies over the limit → 413, with or without content-length", async () => {
    const { app } = appFor(mathService(), { bodyLimit: 16 });
    const big = JSON.stringify({ x: 1, pad: "a".repeat(100) });
    const declared = await app.request("/isEven", post(big, { "content-length": String(big.length) }));
    assert.equal(declared.status, 413);
    assert.equal((await errorOf(declared)).code, "PAYLOAD_TOO_LARGE");

    const chunks = [new TextEncoder().encode(big.slice(0, 50)), new TextEncoder().encode(big.slice(50))];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await app.request("/isEven", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal((await app.request("/isEven", post('{"x": 1}'))).status, 200, "small bodies pass");
  });
});

describe("thrown errors", () => {
  test("a thrown RangeError → 500 INTERNAL with its name and message, no stack", async () => {
    const { app, logged } = appFor();
    const response = await app.request("/fail", post("{}"));
    assert.equal(response.status, 500);
    const error = await errorOf(response);
    assert.deepEqual(error, { name: "RangeError", message: "x out of range", code: "INTERNAL" });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /^math: fail failed: RangeError: x out of range$/);
  });

  test("the stack is sent only with NODE_ENV=development", async () => {
    const production = appFor(mathService(), { env: { NODE_ENV: "production" } });
    assert.ok(!("stack" in (await errorOf(await production.app.request("/fail", post("{}"))))));
    const development = appFor(mathService(), { env: { NODE_ENV: "development" } });
    const error = await errorOf(await development.app.request("/fail", post("{}")));
    assert.match(String(error.stack), /^RangeError: x out of range\n\s+at /);
  });

  test("non-Error throws get name Error, their string form, and the value itself to rethrow", async () => {
    const { app } = appFor();
    for (const [value, message] of [["nope", "nope"], [42, "42"], [null, "null"]] as const) {
      const error = await errorOf(await app.request("/failWith", post(JSON.stringify({ value }))));
      assert.deepEqual(error, { name: "Error", message, code: "INTERNAL", thrown: { value } });
    }
  });

  test("a downstream ServiceError passes its name, message and code through (503 UNAVAILABLE, not 500)", async () => {
    const { ServiceError } = await import("../src/index.js");
    const downstream = new ServiceError({
      name: "TypeError",
      message: "deep failure",
      code: "UNAVAILABLE",
      service: "deep",
      url: "http://deep:8080/f",
    });
    const def: ServiceDef = {
      name: "mid",
      openapi: {},
      routes: [route({ name: "f", invoke: async () => Promise.reject(downstream) })],
    };
    const { app, logged } = appFor(def);
    const response = await app.request("/f", post("{}"));
    assert.equal(response.status, 503);
    assert.deepEqual(await errorOf(response), { name: "TypeError", message: 'f on service "mid" failed: deep failure', code: "UNAVAILABLE" });
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /service "deep" at http:\/\/deep:8080\/f/);
  });

  test("a result JSON cannot encode (BigInt) → 500 rather than a broken body", async () => {
    const def: ServiceDef = { name: "b", openapi: {}, routes: [route({ name: "big", invoke: () => 1n })] };
    const error = await errorOf(await appFor(def).app.request("/big", post("{}")));
    assert.equal(error.name, "TypeError");
    assert.equal(error.code, "INTERNAL");
  });
});

describe("routing and health", () => {
  test("unknown path → 404 JSON naming the functions", async () => {
    const { app } = appFor();
    const response = await app.request("/nope", post("{}"));
    assert.equal(response.status, 404);
    const error = await errorOf(response);
    assert.equal(error.code, "NOT_FOUND");
    assert.match(String(error.message), /isEven, tag/);
  });

  test("known path with the wrong method → 405 with Allow", async () => {
    const { app } = appFor();
    const response = await app.request("/isEven");
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "POST");
    assert.equal((await errorOf(response)).code, "METHOD_NOT_ALLOWED");
    const onHealth = await app.request("/health/live", post("{}"));
    assert.equal(onHealth.status, 405);
    assert.equal(onHealth.headers.get("allow"), "GET");
  });

  test("liveness and readiness", async () => {
    const { app, state } = appFor();
    const live = await app.request("/health/live");
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { status: "ok" });
    const ready = await app.request("/health/ready");
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready" });

    state.ready = false; // what close() and SIGTERM do first
    const stopping = await app.request("/health/ready");
    assert.equal(stopping.status, 503);
    assert.deepEqual(await stopping.json(), { status: "stopping" });
    assert.equal((await app.request("/health/live")).status, 200, "still alive while stopping");
  });

  test("GET /openapi.json serves the document", async () => {
    const { app } = appFor();
    const response = await app.request("/openapi.json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(await response.json(), OPENAPI);
  });
});
