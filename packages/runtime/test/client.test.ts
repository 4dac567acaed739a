import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import diagnostics from "node:diagnostics_channel";
import { ServiceClient, ServiceError } from "../src/client/index.js";
import type { RunningService } from "../src/server/index.js";
import { mathService, rawServer, startQuiet } from "./helpers.js";

const ENV_VAR = "TSC_MICRO_TEST_MATH_URL";

function clientFor(url: string | undefined, timeoutMs?: number): ServiceClient {
  const client = new ServiceClient({
    service: "math",
    envVar: ENV_VAR,
    defaultUrl: "http://math.invalid:8080",
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  client.setBaseUrl(url);
  return client;
}

/** Awaits a rejection and returns it as a ServiceError. */
async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => assert.fail("expected the call to fail"),
    (reason: unknown) => reason,
  );
  assert.ok(ServiceError.is(error), `expected a ServiceError, got ${String(error)}`);
  return error;
}

describe("against a running service", () => {
  let service: RunningService;
  let client: ServiceClient;
  before(async () => {
    service = await startQuiet(mathService());
    client = clientFor(service.url);
  });
  after(async () => {
    client.close();
    await service.close();
  });

  test("values round trip", async () => {
    assert.equal(await client.call<boolean>("isEven", { x: 4 }), true);
    assert.equal(await client.call<boolean>("isEven", { x: 5 }), false);
    assert.deepEqual(await client.call("tag", { user: { tags: ["a", "b"] } }), { tags: ["a", "b"] });
    assert.equal(await client.call("nothing", {}), null);
  });

  test("204 → undefined", async () => {
    assert.equal(await client.call("log", {}), undefined);
  });

  test("a remote RangeError arrives as a RangeError that also passes ServiceError.is", async () => {
    const error = await failure(client.call("fail", {}));
    assert.ok(error instanceof RangeError);
    assert.equal(error.name, "RangeError");
    assert.equal(error.message, "x out of range");
    assert.equal(String(error), "RangeError: x out of range");
    // Like the monolith's RangeError: no code of ours (it used to be "INTERNAL").
    assert.equal(error.code, undefined);
    assert.equal(error.status, 500);
    assert.equal(error.service, "math");
    assert.equal(error.url, `${service.url}/fail`);
    assert.equal(error.remoteStack, undefined, "no stack outside development");
    assert.ok(!error.retryable);
  });

  test("validation issues surface on the error", async () => {
    const error = await failure(client.call("isEven", { x: "2" }));
    assert.equal(error.code, "BAD_REQUEST");
    assert.equal(error.status, 400);
    assert.equal(error.name, "ServiceError");
    assert.equal(error.message, "invalid request to isEven: x: must be number");
    assert.deepEqual(error.issues, [{ path: "x", rule: "type", message: "must be number" }]);
  });

  test("an unknown function → NOT_FOUND", async () => {
    const error = await failure(client.call("nope", {}));
    assert.equal(error.code, "NOT_FOUND");
    assert.equal(error.status, 404);
  });

  test("sequential calls reuse one pooled socket (client side count)", async () => {
    // Our own service on the other end, so its keep-alive behaviour counts too.
    let sockets = 0;
    const count = () => sockets++;
    const fresh = clientFor(service.url);
    diagnostics.subscribe("net.client.socket", count);
    try {
      for (let i = 0; i < 20; i++) assert.equal(await fresh.call("isEven", { x: i * 2 }), true);
    } finally {
      diagnostics.unsubscribe("net.client.socket", count);
      fresh.close();
    }
    assert.equal(sockets, 1);
  });
});

test("sequential calls reuse one connection (server side count)", async () => {
  let connections = 0;
  const raw = await rawServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end("true");
    });
  });
  raw.server.on("connection", () => connections++);
  const client = clientFor(raw.url);
  try {
    for (let i = 0; i < 20; i++) assert.equal(await client.call("isEven", { x: i }), true);
    assert.equal(connections, 1);
  } finally {
    client.close();
    await raw.close();
  }
});

describe("transport failures", () => {
  test("a refused connection → UNAVAILABLE naming service and URL", async () => {
    const dead = await startQuiet(mathService());
    const url = dead.url;
    await dead.close();
    const client = clientFor(url);
    try {
      const error = await failure(client.call("isEven", { x: 1 }));
      assert.equal(error.code, "UNAVAILABLE");
      assert.equal(error.name, "ServiceError");
      assert.equal(error.retryable, true);
      assert.equal(error.url, `${url}/isEven`);
      // Refused means never sent: tried again (retry default 2), then reported with the count.
      assert.match(error.message, /^service "math" is unavailable at http:\/\/127\.0\.0\.1:\d+\/isEven: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(3 attempts\)$/);
      assert.equal((error.cause as NodeJS.ErrnoException).code, "ECONNREFUSED");
    } finally {
      client.close();
    }
  });

  test("a server that never answers → TIMEOUT, not a hang", async () => {
    const silent = await rawServer(() => {});
    const client = clientFor(silent.url, 200);
    try {
      const error = await failure(client.call("isEven", { x: 1 }));
      assert.equal(error.code, "TIMEOUT");
      assert.equal(error.status, 504);
      // It may have run (or still run): only an idempotent function may be repeated.
      assert.equal(error.retryable, false);
      assert.match(error.message, /^service "math" did not answer within 200 ms at http:\/\/127\.0\.0\.1:\d+\/isEven \(the call may have run\)$/);
      // The per-call option overrides the client's default.
      const perCall = await failure(client.call("isEven", { x: 1 }, { timeoutMs: 50 }));
      assert.match(perCall.message, /within 50 ms/);
    } finally {
      client.close();
      await silent.close();
    }
  });

  test("a non-JSON response → BAD_RESPONSE naming service, URL and status", async () => {
    const html = await rawServer((req, res) => {
      req.resume();
      res.writeHead(req.url === "/ok" ? 200 : 500, { "content-type": "text/html" });
      res.end("<h1>oops</h1>");
    });
    const client = clientFor(html.url);
    try {
      const error = await failure(client.call("broken", {}));
      assert.equal(error.code, "BAD_RESPONSE");
      assert.equal(error.status, 500);
      assert.match(error.message, /^service "math" at http:\/\/127\.0\.0\.1:\d+\/broken answered 500 with a body that is not JSON/);
      const onOk = await failure(client.call("ok", {}));
      assert.equal(onOk.code, "BAD_RESPONSE");
      assert.match(onOk.message, /answered 200 with a body that is not JSON/);
    } finally {
      client.close();
      await html.close();
    }
  });

  test("a proxy's plain 503 still means UNAVAILABLE (retryable)", async () => {
    const proxy = await rawServer((req, res) => {
      req.resume();
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("no healthy upstream");
    });
    const client = clientFor(proxy.url);
    try {
      const error = await failure(client.call("isEven", { x: 1 }));
      assert.equal(error.code, "UNAVAILABLE");
      assert.equal(error.status, 503);
      assert.match(error.message, /no healthy upstream/);
    } finally {
      client.close();
      await proxy.close();
    }
  });

  test("a kept-alive socket dropped mid-call → UNKNOWN_OUTCOME, never run again", async () => {
    let runs = 0;
    const replays: Array<string | undefined> = [];
    const keys: Array<string | undefined> = [];
    const flaky = await rawServer((req, res) => {
      req.resume();
      keys.push(req.headers["idempotency-key"] as string | undefined);
      // A retry of a call that may have run asks for the stored outcome only: this server
      // (like a restarted instance) has none, so it refuses as a tsc-micro service does.
      if (req.headers["tsc-micro-replay-only"] === "1") {
        replays.push(req.headers["idempotency-key"] as string | undefined);
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { name: "ServiceError", code: "UNKNOWN_OUTCOME", message: "no record of this idempotency key" } }));
        return;
      }
      runs++;
      // The second call arrives on the kept-alive socket: drop it without
      // answering. The handler may have run, so it must not run again.
      if (runs === 2) {
        req.socket.destroy();
        return;
      }
      req.on("end", () => res.end(JSON.stringify(runs)));
    });
    const client = clientFor(flaky.url);
    try {
      assert.equal(await client.call("f", {}), 1);
      const error = await failure(client.call("f", {}));
      assert.equal(error.code, "UNKNOWN_OUTCOME");
      assert.equal(error.retryable, false);
      assert.match(error.message, /was interrupted: socket hang up \(the call may have run\); a replay of its Idempotency-Key found no record of it there, so it was not run again \(2 attempts\)$/);
      assert.equal(runs, 2, "the dropped call ran once");
      assert.equal(replays.length, 1, "one replay-only retry, answered from no store");
      assert.equal(replays[0], keys[1], "the retry carries the first attempt's key");
      assert.ok(keys[1] !== undefined && keys[1] !== keys[0], "each call has its own key");
      assert.equal(await client.call("f", {}), 3, "the client recovers on a new socket");

      // Without retries nothing is repeated at all, and the error says why it is not retryable.
      runs = 1;
      const once = await failure(client.call("f", {}, { retry: 0 }));
      assert.equal(once.code, "UNKNOWN_OUTCOME");
      assert.match(once.message, /was interrupted: socket hang up \(the call may have run\)/);
      assert.equal((once.cause as NodeJS.ErrnoException).code, "ECONNRESET");
      assert.equal(replays.length, 1);
    } finally {
      client.close();
      await flaky.close();
    }
  });
});

describe("base URL", () => {
  const saved = process.env[ENV_VAR];
  after(() => {
    if (saved === undefined) delete process.env[ENV_VAR];
    else process.env[ENV_VAR] = saved;
  });

  test("code beats env var beats default; trailing slashes are trimmed", () => {
    const client = clientFor(undefined);
    delete process.env[ENV_VAR];
    assert.equal(client.baseUrl, "http://math.invalid:8080");
    process.env[ENV_VAR] = "http://from-env:9000/";
    assert.equal(client.baseUrl, "http://from-env:9000", "env var is read at call time");
    client.setBaseUrl("http://from-code:7000//");
    assert.equal(client.baseUrl, "http://from-code:7000");
    client.setBaseUrl(undefined);
    assert.equal(client.baseUrl, "http://from-env:9000");
    process.env[ENV_VAR] = "";
    assert.equal(client.baseUrl, "http://math.invalid:8080", "an empty env var counts as unset");
  });

  test("calls go to the env var's URL", async () => {
    const service = await startQuiet(mathService());
    const client = clientFor(undefined);
    try {
      process.env[ENV_VAR] = service.url;
      assert.equal(await client.call("isEven", { x: 8 }), true);
    } finally {
      delete process.env[ENV_VAR];
      client.close();
      await service.close();
    }
  });

  test("a URL without http(s) is rejected with a clear TypeError", async () => {
    const client = clientFor(undefined);
    assert.throws(() => client.setBaseUrl("math:8080"), { name: "TypeError", message: /invalid service URL "math:8080"/ });
    process.env[ENV_VAR] = "not a url";
    await assert.rejects(client.call("isEven", { x: 1 }), { name: "TypeError", message: new RegExp(ENV_VAR) });
    delete process.env[ENV_VAR];
  });
});
