import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { ServiceError } from "../src/errors.js";
import { createApp } from "../src/server/create-app.js";
import { isJsonSafe } from "../src/server/json-safe.js";
import { serializeThrown } from "../src/server/serialize-thrown.js";
import { NotFoundError } from "./fixtures/user-errors.js";
import { post, route } from "./helpers.js";

/** The wire form as the client would parse it. */
function wire(thrown: unknown, stacks = false): any {
  return JSON.parse(JSON.stringify(serializeThrown(thrown, { stacks })));
}

describe("serializeThrown", () => {
  test("a plain error is name and message only, as before", () => {
    assert.deepEqual(wire(new RangeError("x")), { name: "RangeError", message: "x" });
  });

  test("a thrown non-Error travels as itself, so the caller can rethrow the very value", () => {
    assert.deepEqual(wire("nope"), { name: "Error", message: "nope", thrown: { value: "nope" } });
    assert.deepEqual(wire({ reason: 1 }), { name: "Error", message: "[object Object]", thrown: { value: { reason: 1 } } });
  });

  test("a class whose instances carry an inherited name is named by its class", () => {
    class QuietError extends Error {}
    assert.deepEqual(wire(new QuietError("q")), { name: "Error", message: "q", className: "QuietError" });
  });

  test("own enumerable properties go under fields; name/message/stack/cause never do", () => {
    assert.deepEqual(wire(new NotFoundError("gone", 7)), {
      name: "NotFoundError",
      message: "gone",
      fields: { code: "E_NOT_FOUND", id: 7 },
    });
  });

  test("each field is kept only if JSON carries it unchanged", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const twice = { x: 1 };
    const error = Object.assign(new Error("m"), {
      fn() {},
      big: 1n,
      sym: Symbol("s"),
      cycle,
      date: new Date(0),
      nan: Number.NaN,
      undef: undefined,
      holey: [1, , 3], // eslint-disable-line no-sparse-arrays
      inner: new Error("not data"),
      ok: { list: [1, "a", true, null], deep: { x: 1 } },
      shared: { a: twice, b: twice }, // the same object twice is no cycle
    });
    Object.defineProperty(error, "boom", { enumerable: true, get: () => { throw new Error("getter"); } });
    assert.deepEqual(wire(error).fields, { ok: { list: [1, "a", true, null], deep: { x: 1 } }, shared: { a: { x: 1 }, b: { x: 1 } } });
  });

  test("a field named __proto__ stays a field", () => {
    const error = new Error("m");
    Object.defineProperty(error, "__proto__", { value: { polluted: true }, enumerable: true });
    const body = JSON.stringify(serializeThrown(error, { stacks: false }));
    assert.match(body, /"fields":\{"__proto__":\{"polluted":true\}\}/);
  });

  test("causes nest, a non-Error cause is { value } or dropped, cycles end", () => {
    const error = new Error("a", { cause: new TypeError("b", { cause: { reason: 42 } }) });
    assert.deepEqual(wire(error), {
      name: "Error",
      message: "a",
      cause: { name: "TypeError", message: "b", cause: { value: { reason: 42 } } },
    });
    assert.deepEqual(wire(new Error("f", { cause: () => 1 })), { name: "Error", message: "f" });
    const loop = new Error("loop");
    (loop as { cause?: unknown }).cause = loop;
    assert.deepEqual(wire(loop), { name: "Error", message: "loop" });
  });

  test("AggregateError: errors capped at 100, unsendable entries as {} placeholders", () => {
    const many = Array.from({ length: 150 }, (_, i) => new Error(`e${i}`));
    assert.equal(wire(new AggregateError(many, "m")).errors.length, 100);
    assert.deepEqual(wire(new AggregateError([new RangeError("r"), 1, undefined, 2n], "m")).errors, [
      { name: "RangeError", message: "r" },
      { value: 1 },
      {},
      {},
    ]);
  });

  test("stacks only when asked, at every level", () => {
    const error = new Error("a", { cause: new Error("b") });
    assert.equal(wire(error).stack, undefined);
    const withStacks = wire(error, true);
    assert.match(withStacks.stack, /^Error: a\n/);
    assert.match(withStacks.cause.stack, /^Error: b\n/);
  });

  test("a ServiceError's own call data is not sent as fields", () => {
    const downstream = new ServiceError({ message: "down", code: "UNAVAILABLE", service: "deep", url: "http://deep/f", remoteStack: "s" });
    assert.deepEqual(wire(downstream), { name: "ServiceError", message: "down" });
  });
});

test("a 500 body carries fields and cause next to the wire code", async () => {
  const { app } = createApp(
    {
      name: "users",
      openapi: {},
      routes: [
        route({
          name: "find",
          invoke: () => {
            throw new NotFoundError("gone", 7);
          },
        }),
        route({
          name: "wrapped",
          invoke: () => {
            throw new Error("lookup failed", { cause: new NotFoundError("gone", 7) });
          },
        }),
      ],
    },
    { env: {}, logError: () => {} },
  );
  const find = await app.request("/find", post("{}"));
  assert.equal(find.status, 500);
  assert.deepEqual(await find.json(), {
    error: { name: "NotFoundError", message: "gone", code: "INTERNAL", fields: { code: "E_NOT_FOUND", id: 7 } },
  });
  const wrapped = await app.request("/wrapped", post("{}"));
  assert.deepEqual(await wrapped.json(), {
    error: {
      name: "Error",
      message: "lookup failed",
      code: "INTERNAL",
      cause: { name: "NotFoundError", message: "gone", fields: { code: "E_NOT_FOUND", id: 7 } },
    },
  });
});

test("isJsonSafe", () => {
  for (const ok of [null, true, "s", 0, -1.5, [], {}, [1, [2, [3]]], Object.create(null)]) assert.ok(isJsonSafe(ok), inspect(ok));
  for (const bad of [undefined, Infinity, 1n, Symbol(), () => 1, new Date(), new Map(), [undefined], { a: undefined }, new (class X {})()]) {
    assert.ok(!isJsonSafe(bad), inspect(bad));
  }
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  assert.ok(!isJsonSafe(deep), "nesting past the limit");
});
