// Input edges of a call, in memory: the media type, duplicate keys and bytes that are no UTF-8.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import { mathService, post } from "./helpers.js";

function app() {
  return createApp(mathService(), { env: {}, logError: () => {} }).app;
}

async function errorOf(response: Response) {
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  return ((await response.json()) as { error: Record<string, unknown> }).error;
}

describe("media type", () => {
  const refused = [
    "text/plain;charset=UTF-8", // what fetch() and a no-cors browser POST send for a string body
    "application/x-www-form-urlencoded", // an HTML form; also curl -d without -H
    "multipart/form-data; boundary=x",
    "application/json; charset=latin1",
    "application/jsonx",
    "application/merge-patch+json",
  ];
  for (const type of refused) {
    test(`${type} → 415 UNSUPPORTED_MEDIA_TYPE, the function not called`, async () => {
      const response = await app().request("/isEven", post('{"x": 2}', { "content-type": type }));
      assert.equal(response.status, 415);
      const error = await errorOf(response);
      assert.equal(error.code, "UNSUPPORTED_MEDIA_TYPE");
      assert.equal(error.name, "ServiceError");
      assert.match(String(error.message), /application\/json/);
    });
  }

  test("a body without any content-type → 415; a bare POST without a body still counts as {}", async () => {
    const blob = new Blob(['{"x": 2}']); // no type: no Content-Type header, no CORS preflight either
    const response = await app().request("/isEven", { method: "POST", body: blob });
    assert.equal(response.headers.get("content-type")?.startsWith("application/json"), true);
    assert.equal(response.status, 415);
    assert.equal((await app().request("/nothing", { method: "POST" })).status, 200);
  });

  test("an empty text/plain form POST is refused too (it could still trigger a zero-argument function)", async () => {
    const response = await app().request("/nothing", { method: "POST", body: "", headers: { "content-type": "text/plain" } });
    assert.equal(response.status, 415);
  });

  test("application/json is accepted with or without charset=utf-8, in any case", async () => {
    for (const type of ["application/json", "application/json;charset=utf-8", "APPLICATION/JSON ; Charset=utf8"]) {
      const response = await app().request("/isEven", post('{"x": 2}', { "content-type": type }));
      assert.equal(response.status, 200, type);
    }
  });
});

describe("duplicate keys", () => {
  test("a duplicate argument → 400 naming the key (JSON.parse would keep the last silently)", async () => {
    const response = await app().request("/isEven", post('{"x": 1, "x": 2}'));
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, "BAD_REQUEST");
    assert.equal(error.message, 'request body has the key "x" twice in one object, at x');
    assert.deepEqual(error.issues, [{ path: "x", rule: "duplicateKey", message: 'key "x" appears more than once' }]);
  });

  test("nested, and spelled with an escape, a duplicate is found where it is", async () => {
    const response = await app().request("/tag", post('{"user": {"tags": [{}, {"a": 1, "\\u0061": 2}]}}'));
    const error = await errorOf(response);
    assert.equal(response.status, 400);
    assert.deepEqual(error.issues, [{ path: "user.tags[1].a", rule: "duplicateKey", message: 'key "a" appears more than once' }]);
  });

  test("the same key in sibling objects, and key-like strings in values, are fine", async () => {
    const response = await app().request("/tag", post('{"user": {"tags": ["tags", "{\\"tags\\": 1}"]}}'));
    assert.equal(response.status, 200);
    const twice = await app().request(
      "/failWith",
      post('{"value": [{"k": 1, "j": {"k": 2}}, {"k": 3}]}'),
    );
    assert.equal(twice.status, 500, "reached the function, which throws the value");
  });
});

describe("UTF-8", () => {
  const bad = new Uint8Array([...new TextEncoder().encode('{"value": "'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);

  test("invalid UTF-8 → 400, with a declared length", async () => {
    const response = await app().request("/failWith", post(bad, { "content-length": String(bad.length) }));
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, "BAD_REQUEST");
    assert.equal(error.message, "request body is not valid UTF-8");
  });

  test("invalid UTF-8 → 400, streamed (no length)", async () => {
    const chunks = [bad.slice(0, 8), bad.slice(8)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const init = { method: "POST", body: stream, duplex: "half", headers: { "content-type": "application/json" } };
    const response = await app().request("/failWith", init as RequestInit);
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).message, "request body is not valid UTF-8");
  });

  test("a character split across chunks is still decoded", async () => {
    const bytes = new TextEncoder().encode('{"user": {"tags": ["café"]}}');
    const cut = bytes.indexOf(0xc3) + 1;
    const chunks = [bytes.slice(0, cut), bytes.slice(cut)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const init = { method: "POST", body: stream, duplex: "half", headers: { "content-type": "application/json" } };
    const response = await app().request("/tag", init as RequestInit);
    assert.deepEqual(await response.json(), { tags: ["café"] });
  });
});
