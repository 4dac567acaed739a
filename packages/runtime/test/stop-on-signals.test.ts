import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_DRAIN_MS, DEFAULT_PRESTOP_MS, shutdownSettings, signalExitCode } from "../src/server/stop-on-signals.js";

test("defaults: a pre-stop delay only in production, and both fit Docker's 10 s stop timeout", () => {
  assert.deepEqual(shutdownSettings({ NODE_ENV: "production" }), { preStopMs: DEFAULT_PRESTOP_MS, drainMs: DEFAULT_DRAIN_MS });
  assert.deepEqual(shutdownSettings({}), { preStopMs: 0, drainMs: DEFAULT_DRAIN_MS });
  assert.deepEqual(shutdownSettings({ NODE_ENV: "development" }), { preStopMs: 0, drainMs: DEFAULT_DRAIN_MS });
  assert.ok(DEFAULT_PRESTOP_MS > 0 && DEFAULT_PRESTOP_MS + DEFAULT_DRAIN_MS < 10_000);
});

test("the longest delay a timer can wait is accepted", () => {
  assert.deepEqual(shutdownSettings({ TSC_MICRO_PRESTOP_MS: "2147483647", TSC_MICRO_DRAIN_MS: "2147483647" }), { preStopMs: 2_147_483_647, drainMs: 2_147_483_647 });
});

test("options beat the environment, which beats the defaults", () => {
  const env = { NODE_ENV: "production", TSC_MICRO_PRESTOP_MS: "0", TSC_MICRO_DRAIN_MS: "2500" };
  assert.deepEqual(shutdownSettings(env), { preStopMs: 0, drainMs: 2500 });
  assert.deepEqual(shutdownSettings(env, { preStopMs: 7, shutdownTimeoutMs: 9 }), { preStopMs: 7, drainMs: 9 });
  assert.deepEqual(shutdownSettings({ TSC_MICRO_PRESTOP_MS: " " }), { preStopMs: 0, drainMs: DEFAULT_DRAIN_MS });
});

test("junk in the environment is refused loudly, and so is a delay no timer can wait", () => {
  // 2^31 ms and more: Node would fire the timer after 1 ms, draining nothing.
  for (const value of ["-1", "1.5", "soon", "2147483648", "9999999999"]) {
    assert.throws(() => shutdownSettings({ TSC_MICRO_DRAIN_MS: value }), { name: "RangeError", message: /TSC_MICRO_DRAIN_MS/ });
    assert.throws(() => shutdownSettings({ TSC_MICRO_PRESTOP_MS: value }), { name: "RangeError", message: /TSC_MICRO_PRESTOP_MS/ });
  }
});

test("a forced exit uses 128 + the signal number", () => {
  assert.equal(signalExitCode("SIGINT"), 130);
  assert.equal(signalExitCode("SIGTERM"), 143);
});
