// A service built with `callContext: false` (nothing in it reads the call) runs its functions outside
// AsyncLocalStorage; a ServiceClient made in the process (a call to another service) turns it back on.
// Its own file: the switch is per process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { ServiceDef } from "../src/server/index.js";
import { currentCall } from "../src/call-context.js";
import { ServiceClient } from "../src/client/index.js";
import { OPENAPI, route } from "./helpers.js";

function app(callContext: boolean | undefined) {
  const def: ServiceDef = {
    name: "probe",
    openapi: OPENAPI,
    ...(callContext === undefined ? {} : { callContext }),
    routes: [route({ name: "inCall", invoke: () => currentCall() !== undefined })],
  };
  return createApp(def, { env: {}, logLevel: "silent" }).app;
}

async function seesCall(callContext: boolean | undefined): Promise<boolean> {
  const response = await app(callContext).request("/inCall", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(response.status, 200);
  return (await response.json()) as boolean;
}

test("callContext: false runs the function outside the call context; absent or true keeps it", async () => {
  assert.equal(await seesCall(false), false);
  assert.equal(await seesCall(undefined), true);
  assert.equal(await seesCall(true), true);
});

test("once a ServiceClient exists in the process, every service keeps the context", async () => {
  new ServiceClient({ service: "elsewhere", envVar: "TSC_MICRO_ELSEWHERE_URL", defaultUrl: "http://127.0.0.1:9" }).close();
  assert.equal(await seesCall(false), true);
});
