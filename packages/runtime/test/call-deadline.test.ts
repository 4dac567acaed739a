/**
 * Server side of deadlines and cancellation: `tsc-micro-timeout` parsing,
 * 504 at once when the budget passes (the function keeps running with its
 * signal aborted), a caller that goes away aborts with CANCELLED, and a call
 * waiting in the concurrency queue leaves it without running. Functions wait
 * on promises the test settles or on their own abort signal, so nothing
 * depends on how long anything takes.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef } from "../src/server/index.js";
import { callSignal, callTimeRemaining } from "../src/call-context.js";
import { OPENAPI, post, route } from "./helpers.js";

interface Probe {
  runs: number;
  /** The code of each run's abort reason, in the order they saw it. */
  aborts: string[];
  gates: Array<() => void>;
  remaining: Array<number | undefined>;
}

/**
 * `untilAborted` waits for its call's signal and records the reason's code;
 * `gated` waits for the test to open its gate, ignoring the signal.
 */
function probeService(concurrency?: number): { def: ServiceDef; probe: Probe } {
  const probe: Probe = { runs: 0, aborts: [], gates: [], remaining: [] };
  const def: ServiceDef = {
    name: "probe",
    openapi: OPENAPI,
    ...(concurrency !== undefined ? { concurrency } : {}),
    routes: [
      route({
        name: "untilAborted",
        invoke: () => {
          probe.runs++;
          probe.remaining.push(callTimeRemaining());
          const signal = callSignal();
          return new Promise((resolve) =>
            signal.addEventListener("abort", () => {
              probe.aborts.push((signal.reason as { code: string }).code);
              resolve("saw abort");
            }),
          );
        },
      }),
      route({
        name: "gated",
        invoke: () => {
          probe.runs++;
          probe.remaining.push(callTimeRemaining());
          return new Promise((resolve) => probe.gates.push(() => resolve({ aborted: callSignal().aborted })));
        },
      }),
    ],
  };
  return { def, probe };
}

function appFor(def: ServiceDef, options: CreateAppOptions = {}) {
  const logged: string[] = [];
  const { app } = createApp(def, { env: {}, logError: (line) => logged.push(line), ...options });
  return { app, logged };
}

async function turnsUntil(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("tsc-micro-timeout header", () => {
  for (const value of ["abc", "-1", "1.5", "1e3", "3600001", "99999999", "0x10", "12 3"]) {
    test(`"${value}" → 400 BAD_REQUEST naming the header, not run`, async () => {
      const { def, probe } = probeService();
      const { app } = appFor(def);
      const response = await app.request("/gated", post("{}", { "tsc-micro-timeout": value }));
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, "BAD_REQUEST");
      assert.match(error.message, /tsc-micro-timeout/);
      assert.equal(probe.runs, 0);
    });
  }

  test("0 → 504 TIMEOUT at once, not run", async () => {
    const { def, probe } = probeService();
    const { app } = appFor(def);
    const response = await app.request("/gated", post("{}", { "tsc-micro-timeout": "0" }));
    assert.equal(response.status, 504);
    const error = await errorOf(response);
    assert.equal(error.code, "TIMEOUT");
    assert.match(error.message, /not run/);
    assert.equal(probe.runs, 0);
  });

  test("a budget that passes → 504 TIMEOUT while the function still runs; its signal aborts with TIMEOUT; one log line", async (t) => {
    // The deadline passes when the test says (mocked setTimeout), after the function has started.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const { def, probe } = probeService();
    const { app, logged } = appFor(def);
    const pending = app.request("/gated", post("{}", { "tsc-micro-timeout": "1000" }));
    await turnsUntil(() => probe.gates.length === 1, "the function starts");
    t.mock.timers.tick(1000);
    const response = await pending;
    assert.equal(response.status, 504);
    assert.equal((await errorOf(response)).code, "TIMEOUT");
    // Answered although the gated function has not settled.
    assert.equal(probe.runs, 1);
    assert.equal(probe.gates.length, 1);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /gated timed out/);
    probe.gates[0]!();

    const untilAborted = app.request("/untilAborted", post("{}", { "tsc-micro-timeout": "1000" }));
    await turnsUntil(() => probe.runs === 2, "the second function starts");
    t.mock.timers.tick(1000);
    assert.equal((await untilAborted).status, 504);
    await turnsUntil(() => probe.aborts.length === 1, "the function sees its abort");
    assert.deepEqual(probe.aborts, ["TIMEOUT"]);
  });

  test("within the budget: answered normally, callTimeRemaining() is set; without the header it is undefined", async () => {
    const { def, probe } = probeService();
    const { app } = appFor(def);
    const pending = app.request("/gated", post("{}", { "tsc-micro-timeout": "3600000" }));
    await turnsUntil(() => probe.gates.length === 1, "the call runs");
    probe.gates[0]!();
    const response = await pending;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { aborted: false });

    const unbounded = app.request("/gated", post("{}"));
    await turnsUntil(() => probe.gates.length === 2, "the second call runs");
    probe.gates[1]!();
    assert.equal((await unbounded).status, 200);
    assert.equal(typeof probe.remaining[0], "number");
    assert.ok(probe.remaining[0]! > 0 && probe.remaining[0]! <= 3_600_000);
    assert.equal(probe.remaining[1], undefined);
  });
});

describe("cancellation", () => {
  test("the caller's request signal aborting aborts the function's signal with CANCELLED", async () => {
    const { def, probe } = probeService();
    const { app } = appFor(def);
    const caller = new AbortController();
    const pending = app.request("/untilAborted", { ...post("{}"), signal: caller.signal });
    await turnsUntil(() => probe.runs === 1, "the call runs");
    caller.abort();
    const response = await pending;
    assert.equal(response.status, 499);
    await turnsUntil(() => probe.aborts.length === 1, "the function sees its abort");
    assert.deepEqual(probe.aborts, ["CANCELLED"]);
  });
});

describe("the concurrency queue", () => {
  test("a queued call whose deadline passes answers 504 and never runs; health answers meanwhile", async () => {
    const { def, probe } = probeService(1);
    const { app } = appFor(def);
    const first = app.request("/gated", post("{}"));
    await turnsUntil(() => probe.gates.length === 1, "the first call runs");

    const queued = await app.request("/gated", post("{}", { "tsc-micro-timeout": "1" }));
    assert.equal(queued.status, 504);
    assert.equal((await errorOf(queued)).code, "TIMEOUT");
    assert.equal((await app.request("/health/live")).status, 200);

    probe.gates[0]!();
    assert.equal((await first).status, 200);
    // The slot is free again: a new call runs, and it is the second run, not the third.
    const third = app.request("/gated", post("{}"));
    await turnsUntil(() => probe.gates.length === 2, "the third call runs");
    probe.gates[1]!();
    assert.equal((await third).status, 200);
    assert.equal(probe.runs, 2);
  });

  test("a queued call whose caller goes away leaves the queue and never runs", async () => {
    const { def, probe } = probeService(1);
    const { app } = appFor(def);
    const first = app.request("/gated", post("{}"));
    await turnsUntil(() => probe.gates.length === 1, "the first call runs");

    const caller = new AbortController();
    const queued = app.request("/gated", { ...post("{}"), signal: caller.signal });
    const behind = app.request("/gated", post("{}"));
    // Both are waiting (not running) before the first one's caller leaves.
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(probe.runs, 1);
    caller.abort();
    assert.equal((await queued).status, 499);

    probe.gates[0]!();
    assert.equal((await first).status, 200);
    await turnsUntil(() => probe.gates.length === 2, "the call behind runs");
    probe.gates[1]!();
    assert.equal((await behind).status, 200);
    assert.equal(probe.runs, 2);
  });
});
