import { test } from "node:test";
import assert from "node:assert/strict";
import { healthPortFromEnv, startHealthServer } from "../src/server/health-server.js";

test("the health port answers live and ready from the service's state, and nothing else", async () => {
  const state = { ready: true };
  const health = await startHealthServer(0, "127.0.0.1", state);
  const url = `http://127.0.0.1:${health.port}`;
  try {
    assert.deepEqual(await (await fetch(`${url}/health/live`)).json(), { status: "ok" });
    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    state.ready = false;
    const stopping = await fetch(`${url}/health/ready`);
    assert.equal(stopping.status, 503);
    assert.deepEqual(await stopping.json(), { status: "stopping" });
    assert.equal((await fetch(`${url}/health/live`)).status, 200, "alive while draining");
    const other = await fetch(`${url}/isEven`, { method: "POST", body: "{}" });
    assert.equal(other.status, 405);
    assert.equal((await other.json()).error.code, "METHOD_NOT_ALLOWED");
    const missing = await fetch(`${url}/isEven`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, "NOT_FOUND");
  } finally {
    await health.close();
  }
});

test("TSC_MICRO_HEALTH_PORT: unset means no health port; junk stops the start naming the variable", () => {
  assert.equal(healthPortFromEnv({}), undefined);
  assert.equal(healthPortFromEnv({ TSC_MICRO_HEALTH_PORT: "" }), undefined);
  assert.equal(healthPortFromEnv({ TSC_MICRO_HEALTH_PORT: "8081" }), 8081);
  assert.throws(() => healthPortFromEnv({ TSC_MICRO_HEALTH_PORT: "http" }), /TSC_MICRO_HEALTH_PORT must be an integer from 0 to 65535, got "http"/);
});
