// A downstream call's failure keeps its code across hops, and production bodies keep
// internal addresses and Node error fields out (the log has them).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { ServiceClient, ServiceError } from "../src/client/index.js";
import { createApp } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { serializeThrown } from "../src/server/serialize-thrown.js";
import { post, route, startQuiet } from "./helpers.js";

/** What the client makes of a refused connection (see transport-error.ts), with Node's fields on the cause. */
function refused(): ServiceError {
  const cause = Object.assign(new Error("connect ECONNREFUSED 10.1.2.3:8080"), {
    errno: -111,
    code: "ECONNREFUSED",
    syscall: "connect",
    address: "10.1.2.3",
    port: 8080,
  });
  return new ServiceError({
    code: "UNAVAILABLE",
    service: "is-even",
    url: "http://10.1.2.3:8080/isEven",
    message: 'service "is-even" is unavailable at http://10.1.2.3:8080/isEven: connect ECONNREFUSED 10.1.2.3:8080',
    cause,
  });
}

function midService(thrown: () => unknown): ServiceDef {
  return { name: "is-odd", openapi: {}, routes: [route({ name: "isOdd", invoke: async () => Promise.reject(thrown()) })] };
}

async function callMid(thrown: () => unknown, env: Record<string, string> = {}) {
  const logged: string[] = [];
  const { app } = createApp(midService(thrown), { env, logError: (line) => logged.push(line) });
  const response = await app.request("/isOdd", post("{}"));
  const text = await response.text();
  return { status: response.status, text, error: JSON.parse(text).error as Record<string, unknown>, logged };
}

describe("a downstream ServiceError the function lets through", () => {
  test("keeps its code and status (503 UNAVAILABLE), naming both services; no address in production", async () => {
    const { status, text, error, logged } = await callMid(refused);
    assert.equal(status, 503);
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(error.name, "ServiceError");
    assert.match(String(error.message), /is-odd/);
    assert.match(String(error.message), /is-even" is unavailable/);
    for (const internal of ["10.1.2.3", "8080", "syscall", "errno", "address", '"port"', "cause", "className"]) {
      assert.equal(text.includes(internal), false, `${internal} in ${text}`);
    }
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /http:\/\/10\.1\.2\.3:8080\/isEven/, "the log keeps the address");
  });

  test("TIMEOUT and BAD_RESPONSE keep theirs too", async () => {
    for (const code of ["TIMEOUT", "BAD_RESPONSE"] as const) {
      const { status, error } = await callMid(() => new ServiceError({ code, service: "is-even", url: "http://h:1/f", message: "m" }));
      assert.equal(error.code, code);
      assert.equal(status, code === "TIMEOUT" ? 504 : 502);
    }
  });

  test("a downstream 4xx is no fault of this caller's request: 500 INTERNAL naming it", async () => {
    const { status, error } = await callMid(() => new ServiceError({ code: "BAD_REQUEST", service: "is-even", url: "http://h:1/f", message: "invalid request to isEven: x: must be number" }));
    assert.equal(status, 500);
    assert.equal(error.code, "INTERNAL");
    assert.equal(error.name, "ServiceError");
    assert.match(String(error.message), /BAD_REQUEST.*invalid request to isEven/);
  });

  test("in development the body keeps the address and the cause", async () => {
    const { status, text } = await callMid(refused, { NODE_ENV: "development" });
    assert.equal(status, 503);
    assert.match(text, /10\.1\.2\.3:8080/);
    assert.match(text, /"syscall":"connect"/);
  });

  test("as the cause of the program's own error, in production: no address, no Node fields", async () => {
    const { status, text, error } = await callMid(() => new Error("lookup failed", { cause: refused() }));
    assert.equal(status, 500);
    assert.equal(error.message, "lookup failed");
    assert.equal((error.cause as { name: string }).name, "ServiceError");
    for (const internal of ["10.1.2.3", "syscall", "errno"]) assert.equal(text.includes(internal), false, `${internal} in ${text}`);
  });
});

test("a ServiceError of another bundled copy, minified as _ServiceError, sends no className", () => {
  // What esbuild makes of the class when another `ServiceError` is in scope.
  class _ServiceError extends Error {
    code = "UNAVAILABLE";
  }
  Object.defineProperty(_ServiceError.prototype, Symbol.for("@tsc-micro/runtime.ServiceError"), { value: true });
  Object.defineProperty(_ServiceError.prototype, "name", { value: "ServiceError", writable: true, configurable: true });
  const wire = serializeThrown(new _ServiceError("down"), { stacks: false });
  assert.equal(wire.className, undefined);
  assert.equal(wire.name, "ServiceError");
});

/** A 127.0.0.1 port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test("two hops: caller → is-odd → is-even down: the caller sees 503 UNAVAILABLE naming both, no address", async () => {
  const downPort = await closedPort();
  const isEven = new ServiceClient({ service: "is-even", envVar: "TSC_MICRO_TEST_UNSET_URL", defaultUrl: `http://127.0.0.1:${downPort}` });
  const logged: string[] = [];
  const isOdd = await startQuiet(
    { name: "is-odd", openapi: {}, routes: [route({ name: "isOdd", invoke: () => isEven.call("isEven", {}) })] },
    { env: {}, logError: (line) => logged.push(line) },
  );
  const caller = new ServiceClient({ service: "is-odd", envVar: "TSC_MICRO_TEST_UNSET_URL", defaultUrl: isOdd.url });
  try {
    const error = await caller.call("isOdd", {}).then(
      () => assert.fail("the call succeeded"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(error.status, 503);
    // The code keeps its meaning, but this function had started (no Retry-After): repeating it is
    // only safe if it is idempotent, which the client decides from the tag, not from this error.
    assert.equal(error.retryable, false);
    assert.equal(error.service, "is-odd");
    assert.match(error.message, /is-odd/);
    assert.match(error.message, /is-even/);
    assert.equal(error.message.includes(`127.0.0.1:${downPort}`), false, error.message);

    const raw = await fetch(`${isOdd.url}/isOdd`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const text = await raw.text();
    assert.equal(raw.status, 503);
    assert.equal(text.includes(String(downPort)), false, text);
    assert.equal(logged.length, 2);
    assert.ok(logged.every((line) => line.includes(`127.0.0.1:${downPort}`)), "the log names the address");
  } finally {
    caller.close();
    isEven.close();
    await isOdd.close();
  }
});
