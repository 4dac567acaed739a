import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { ServiceClient, ServiceError } from "../src/client/index.js";
import { startService } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { mathService, route, startQuiet } from "./helpers.js";

/** A service whose `slow` call waits until the test releases it. */
function slowService() {
  let started: () => void = () => {};
  const whenStarted = new Promise<void>((resolve) => (started = resolve));
  let release: (value: string) => void = () => {};
  const released = new Promise<string>((resolve) => (release = resolve));
  const def: ServiceDef = {
    name: "slow",
    openapi: {},
    routes: [
      route({
        name: "slow",
        invoke: () => {
          started();
          return released;
        },
      }),
      route({ name: "quick", invoke: () => "quick" }),
    ],
  };
  return { def, whenStarted, release };
}

function clientFor(url: string): ServiceClient {
  return new ServiceClient({ service: "slow", envVar: "UNUSED_TEST_URL", defaultUrl: url });
}

test("logs one 'listening' line with the real port", async () => {
  const lines: string[] = [];
  const service = await startService(mathService(), {
    env: { PORT: "0", HOST: "127.0.0.1" },
    handleSignals: false,
    log: (line) => lines.push(line),
  });
  try {
    assert.notEqual(service.port, 0);
    assert.equal(service.host, "127.0.0.1");
    assert.equal(service.url, `http://127.0.0.1:${service.port}`);
    assert.deepEqual(lines, [`math listening on http://127.0.0.1:${service.port}`]);
    const response = await fetch(`${service.url}/health/live`);
    assert.deepEqual(await response.json(), { status: "ok" });
  } finally {
    await service.close();
  }
});

test("options.port beats env.PORT; a bad PORT is refused", async () => {
  const service = await startQuiet(mathService(), { env: { PORT: "1" } });
  try {
    assert.notEqual(service.port, 1, "port 0 from options wins over env");
  } finally {
    await service.close();
  }
  await assert.rejects(
    startService(mathService(), { env: { PORT: "eighty" }, host: "127.0.0.1", handleSignals: false, log: () => {} }),
    { name: "RangeError", message: /PORT must be an integer/ },
  );
});

test("a port in use rejects instead of throwing later", async () => {
  const first = await startQuiet(mathService());
  try {
    await assert.rejects(startQuiet(mathService(), { port: first.port }), { code: "EADDRINUSE" });
  } finally {
    await first.close();
  }
});

test("close() lets an in-flight call finish, closes keep-alive, then refuses", async () => {
  const { def, whenStarted, release } = slowService();
  const service = await startQuiet(def);
  const client = clientFor(service.url);
  try {
    assert.equal(await client.call("quick", {}), "quick"); // leaves an idle pooled socket
    const inFlight = client.call("slow", {});
    await whenStarted;
    const closing = service.close();
    release("finished");
    assert.equal(await inFlight, "finished");
    await closing;
    const error = await client.call("quick", {}).then(
      () => assert.fail("the service should be gone"),
      (reason: unknown) => reason,
    );
    assert.ok(ServiceError.is(error));
    assert.equal(error.code, "UNAVAILABLE");
  } finally {
    client.close();
  }
});

test("responses sent while draining carry Connection: close", async () => {
  const { def, whenStarted, release } = slowService();
  const service = await startQuiet(def);
  const agent = new http.Agent({ keepAlive: true });
  try {
    const response = new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(`${service.url}/slow`, { method: "POST", agent, headers: { "content-type": "application/json" } }, resolve);
      request.on("error", reject);
      request.end("{}");
    });
    await whenStarted;
    const closing = service.close();
    release("finished");
    const answered = await response;
    answered.resume();
    assert.equal(answered.statusCode, 200);
    assert.equal(answered.headers.connection, "close");
    await closing;
  } finally {
    agent.destroy();
  }
});

test("close() cuts requests that outlive shutdownTimeoutMs", async () => {
  const { def, whenStarted } = slowService(); // never released
  const service = await startQuiet(def, { shutdownTimeoutMs: 100 });
  const client = clientFor(service.url);
  try {
    const inFlight = client.call("slow", {}).then(
      () => assert.fail("a cut request cannot succeed"),
      (reason: unknown) => reason,
    );
    await whenStarted;
    await service.close();
    const error = await inFlight;
    assert.ok(ServiceError.is(error));
    assert.equal(error.code, "UNAVAILABLE");
  } finally {
    client.close();
  }
});
