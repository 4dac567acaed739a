// The client's call policies against misbehaving servers: retries only when safe,
// Retry-After within the deadline, the breaker, least-outstanding balancing, and
// the deadline and abort signal carried from the call being served.
import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ServiceClient, ServiceError } from "../src/client/index.js";
import type { CallOptions, ServiceClientOptions } from "../src/client/index.js";
import { runInCall } from "../src/call-context.js";
import { rawServer } from "./helpers.js";

function clientFor(url: string, options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = new ServiceClient({ service: "math", envVar: "TSC_MICRO_TEST_POLICIES_URL", defaultUrl: "http://math.invalid:8080", ...options });
  client.setBaseUrl(url);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => assert.fail("expected the call to fail"),
    (reason: unknown) => reason,
  );
  assert.ok(ServiceError.is(error), `expected a ServiceError, got ${String(error)}`);
  return error;
}

/** A server whose answer to its n-th request (1-based) the test decides; records each request's headers. */
async function scripted(answer: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  const seen: IncomingMessage["headers"][] = [];
  const server = await rawServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on("end", () => answer(seen.length, req, res));
  });
  return { ...server, seen };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const refusal = { error: { name: "ServiceError", code: "UNAVAILABLE", message: "overloaded" } };

/** A URL nothing listens on: a server's port, closed again. */
async function deadUrl(): Promise<string> {
  const server = await rawServer(() => {});
  await server.close();
  return server.url;
}

test("a refused connection is retried on another instance; every call succeeds", async () => {
  const live = await scripted((n, _req, res) => json(res, 200, n));
  const client = clientFor(`${await deadUrl()},${live.url}`);
  try {
    for (let i = 0; i < 10; i++) assert.equal(typeof (await client.call("f", {})), "number");
    assert.equal(live.seen.length, 10, "each call ran once");
  } finally {
    client.close();
    await live.close();
  }
});

test("with every instance down the call fails UNAVAILABLE (retryable) after its retries, saying so", async () => {
  const client = clientFor(await deadUrl(), { retry: 2 });
  try {
    const error = await failure(client.call("f", {}));
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(error.retryable, true);
    assert.match(error.message, /is unavailable at .*ECONNREFUSED.*\(3 attempts\)$/);
  } finally {
    client.close();
  }
});

test("503 with Retry-After was refused before running: retried, the function ran once, one key for both attempts", async () => {
  const server = await scripted((n, _req, res) => (n === 1 ? json(res, 503, refusal, { "retry-after": "0" }) : json(res, 200, "ran")));
  const client = clientFor(server.url);
  try {
    assert.equal(await client.call("f", {}), "ran");
    assert.equal(server.seen.length, 2);
    const keys = server.seen.map((h) => h["idempotency-key"]);
    assert.ok(typeof keys[0] === "string" && keys[0].length > 0);
    assert.equal(keys[1], keys[0]);
    assert.equal(server.seen[1]!["tsc-micro-replay-only"], undefined, "a refused call is simply sent again");
  } finally {
    client.close();
    await server.close();
  }
});

test("503 without Retry-After (a failure the function passed on) is retried only for an idempotent function", async () => {
  const server = await scripted((_n, _req, res) => json(res, 503, { error: { name: "ServiceError", code: "UNAVAILABLE", message: "f failed: downstream down" } }));
  const client = clientFor(server.url, { retry: 2 });
  try {
    const plain = await failure(client.call("f", {}));
    assert.equal(plain.code, "UNAVAILABLE");
    assert.equal(plain.retryable, false);
    assert.equal(server.seen.length, 1, "not repeated: the function had started");
    await failure(client.call("f", {}, { idempotent: true }));
    assert.equal(server.seen.length, 1 + 3, "idempotent: the first try and two retries");
    assert.equal(server.seen[1]!["idempotency-key"], undefined, "an idempotent call needs no key");
  } finally {
    client.close();
    await server.close();
  }
});

test("a connection reset mid-call: an idempotent function is retried and answers", async () => {
  const server = await scripted((n, req, res) => (n === 1 ? req.socket.destroy() : json(res, 200, n)));
  const client = clientFor(server.url);
  try {
    assert.equal(await client.call("f", {}, { idempotent: true }), 2);
  } finally {
    client.close();
    await server.close();
  }
});

test("Retry-After never takes the call past its deadline: one attempt, then the refusal", async () => {
  const server = await scripted((_n, _req, res) => json(res, 503, refusal, { "retry-after": "30" }));
  const client = clientFor(server.url, { timeoutMs: 2_000 });
  try {
    const error = await failure(client.call("f", {}));
    assert.equal(error.code, "UNAVAILABLE");
    assert.equal(server.seen.length, 1);
  } finally {
    client.close();
    await server.close();
  }
});

test("the breaker opens after 5 consecutive failures, fails fast without sending, and a probe closes it", async () => {
  let healthy = false;
  const server = await scripted((n, req, res) => (healthy ? json(res, 200, n) : req.socket.destroy()));
  const client = clientFor(server.url, { retry: 0, breaker: { failures: 5, openMs: 100 } });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await failure(client.call("f", {}))).code, "UNKNOWN_OUTCOME");
    assert.equal(server.seen.length, 5);
    const fast = await failure(client.call("f", {}));
    assert.equal(fast.code, "CIRCUIT_OPEN");
    assert.equal(fast.retryable, true);
    assert.match(fast.message, /circuit breaker is open \(nothing was sent/);
    assert.equal(server.seen.length, 5, "nothing reached the server while open");
    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await client.call("f", {}), 6, "the half-open probe went through");
    assert.equal(await client.call("f", {}), 7, "closed again");
  } finally {
    client.close();
    await server.close();
  }
});

test("a function's own error (500) does not open the breaker", async () => {
  const server = await scripted((_n, _req, res) => json(res, 500, { error: { name: "RangeError", code: "INTERNAL", message: "no" } }));
  const client = clientFor(server.url, { retry: 0, breaker: { failures: 2, openMs: 60_000 } });
  try {
    for (let i = 0; i < 5; i++) assert.ok((await client.call("f", {}).catch((e: unknown) => e)) instanceof RangeError);
    assert.equal(server.seen.length, 5);
  } finally {
    client.close();
    await server.close();
  }
});

test("calls in flight spread over the instances by outstanding calls", async () => {
  const held: ServerResponse[] = [];
  const a = await scripted((_n, _req, res) => held.push(res));
  const b = await scripted((_n, _req, res) => held.push(res));
  const client = clientFor(`${a.url} ${b.url}`);
  try {
    const calls = Array.from({ length: 10 }, () => client.call("f", {}));
    while (held.length < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual([a.seen.length, b.seen.length], [5, 5]);
    for (const res of held) json(res, 200, 1);
    await Promise.all(calls);
  } finally {
    client.close();
    await a.close();
    await b.close();
  }
});

test("the deadline travels in tsc-micro-timeout, never past the deadline of the call being served", async () => {
  const server = await scripted((_n, _req, res) => json(res, 200, 1));
  const client = clientFor(server.url);
  const options: CallOptions = { timeoutMs: 5_000 };
  try {
    await client.call("f", {}, options);
    const own = Number(server.seen[0]!["tsc-micro-timeout"]);
    // A little less than the client waits (20 ms here), so the service's own 504 comes first.
    assert.ok(own > 0 && own <= 5_000 - 20, `own budget sent: ${own}`);
    const controller = new AbortController();
    await runInCall({ signal: controller.signal, deadline: performance.now() + 1_000 }, () => client.call("f", {}, options));
    const inherited = Number(server.seen[1]!["tsc-micro-timeout"]);
    assert.ok(inherited > 0 && inherited <= 1_000, `the caller's smaller deadline wins: ${inherited}`);
  } finally {
    client.close();
    await server.close();
  }
});

test("aborting the call being served aborts the calls it made: the server sees the request close, the call fails CANCELLED", async () => {
  let closed = 0;
  const server = await rawServer((req) => {
    req.resume();
    req.socket.on("close", () => closed++);
  });
  const client = clientFor(server.url);
  const controller = new AbortController();
  try {
    const call = runInCall({ signal: controller.signal, deadline: undefined }, () => client.call("f", {}));
    await once(server.server, "request");
    controller.abort(new Error("caller left"));
    const error = await failure(call);
    assert.equal(error.code, "CANCELLED");
    assert.match(error.message, /cancelled by its caller/);
    while (closed === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(closed, 1);
  } finally {
    client.close();
    await server.close();
  }
});

test("no Idempotency-Key when nothing may be repeated: retry=0, or an idempotent function", async () => {
  const server = await scripted((_n, _req, res) => json(res, 200, 1));
  const client = clientFor(server.url);
  try {
    await client.call("f", {}, { retry: 0 });
    await client.call("f", {}, { idempotent: true });
    await client.call("f", {});
    assert.deepEqual(server.seen.map((h) => typeof h["idempotency-key"]), ["undefined", "undefined", "string"]);
  } finally {
    client.close();
    await server.close();
  }
});

test("overload refusals (503 + Retry-After) do not open the breaker: the instance is up and protecting itself", async () => {
  const server = await scripted((_n, _req, res) => json(res, 503, refusal, { "retry-after": "0" }));
  const client = clientFor(server.url, { retry: 0, breaker: { failures: 2, openMs: 60_000 } });
  try {
    for (let i = 0; i < 5; i++) assert.equal((await failure(client.call("f", {}))).code, "UNAVAILABLE");
    assert.equal(server.seen.length, 5, "every call reached the service");
  } finally {
    client.close();
    await server.close();
  }
});
