/**
 * `concurrency=N`: at most N calls run, a bounded queue waits, the rest get
 * 503 UNAVAILABLE with Retry-After; health and /openapi.json are never held.
 * The functions await promises the test settles, so nothing depends on time.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef } from "../src/server/index.js";
import { ConcurrencyLimit, DEFAULT_MAX_IN_FLIGHT, limitSettings } from "../src/server/concurrency-limit.js";
import { OPENAPI, post, route } from "./helpers.js";

/** A service whose `slow` calls each wait on a gate the test opens (or fails). */
function gatedService(concurrency?: number) {
  const gates: Array<{ open(): void; fail(): void }> = [];
  const def: ServiceDef = {
    name: "gated",
    openapi: OPENAPI,
    ...(concurrency !== undefined ? { concurrency } : {}),
    routes: [
      route({
        name: "slow",
        invoke: () =>
          new Promise((resolve, reject) => {
            gates.push({ open: () => resolve("done"), fail: () => reject(new RangeError("gate failed")) });
          }),
      }),
      route({ name: "fast", invoke: () => "fast" }),
    ],
  };
  return { def, gates };
}

function appFor(def: ServiceDef, options: CreateAppOptions = {}) {
  return createApp(def, { env: {}, logError: () => {}, ...options }).app;
}

/** Starts `count` calls at once; `settled` fills as they answer. */
function burst(app: ReturnType<typeof appFor>, count: number) {
  const settled: Response[] = [];
  const all = Array.from({ length: count }, () =>
    Promise.resolve(app.request("/slow", post("{}"))).then((response) => {
      settled.push(response);
      return response;
    }),
  );
  return { settled, all: Promise.all(all) };
}

/** Lets the event loop turn until `condition` holds; a bounded number of turns, no clock. */
async function turnsUntil(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

async function assertRefused(response: Response) {
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "1");
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "UNAVAILABLE");
  assert.match(body.error.message, /overloaded .*did not run/);
}

describe("concurrency=2, queue=2", () => {
  test("10 simultaneous calls: 2 run, 2 wait, 6 get 503 with Retry-After; slots free on success and throw", async () => {
    const { def, gates } = gatedService(2);
    const app = appFor(def, { queue: 2 });

    for (const round of [1, 2]) {
      const { settled, all } = burst(app, 10);
      await turnsUntil(() => settled.length === 6 && gates.length === 2, `round ${round}: 6 refusals, 2 running`);
      for (const response of settled) await assertRefused(response);

      // Every slot is busy, yet health and the document answer at once.
      assert.equal((await app.request("/health/live")).status, 200);
      assert.equal((await app.request("/health/ready")).status, 200);
      assert.equal((await app.request("/openapi.json")).status, 200);
      assert.equal(gates.length, 2, "nothing else started meanwhile");

      // A success frees a slot for the first waiter; a throw frees one for the second.
      gates.shift()!.open();
      await turnsUntil(() => gates.length === 2 && settled.length === 7, "first waiter started");
      gates.shift()!.fail();
      await turnsUntil(() => gates.length === 2 && settled.length === 8, "second waiter started");
      for (const gate of gates.splice(0)) gate.open();

      const statuses = (await all).map((response) => response.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 500, 503, 503, 503, 503, 503, 503]);
      // Round 2 proves every admission and slot was given back.
    }
  });

  test("the concurrency in the service definition (what the generated entry passes) applies", async () => {
    const { def, gates } = gatedService(1);
    const app = appFor(def, { env: { TSC_MICRO_QUEUE: "0" } });
    const { settled, all } = burst(app, 3);
    await turnsUntil(() => settled.length === 2 && gates.length === 1, "1 running, 2 refused");
    gates[0]!.open();
    assert.deepEqual((await all).map((r) => r.status).sort(), [200, 503, 503]);
  });
});

describe("without concurrency=", () => {
  test("calls all run at once, up to the in-flight cap (TSC_MICRO_MAX_IN_FLIGHT)", async () => {
    const { def, gates } = gatedService();
    const app = appFor(def, { env: { TSC_MICRO_MAX_IN_FLIGHT: "3" } });
    const { settled, all } = burst(app, 5);
    await turnsUntil(() => settled.length === 2 && gates.length === 3, "3 running, 2 refused");
    for (const response of settled) await assertRefused(response);
    for (const gate of gates.splice(0)) gate.open();
    assert.deepEqual((await all).map((r) => r.status).sort(), [200, 200, 200, 503, 503]);
    assert.equal((await app.request("/fast", post("{}"))).status, 200);
  });
});

describe("limitSettings", () => {
  test("defaults: no run limit and 1024 in flight; with concurrency, a queue of 4 × N", () => {
    assert.deepEqual(limitSettings(undefined, undefined, {}), { concurrency: Infinity, maxInFlight: DEFAULT_MAX_IN_FLIGHT });
    assert.deepEqual(limitSettings(3, undefined, {}), { concurrency: 3, maxInFlight: 15 });
    assert.deepEqual(limitSettings(3, undefined, { TSC_MICRO_QUEUE: "7" }), { concurrency: 3, maxInFlight: 10 });
    assert.deepEqual(limitSettings(3, 0, { TSC_MICRO_QUEUE: "7" }), { concurrency: 3, maxInFlight: 3 });
  });

  test("junk is refused loudly at startup", () => {
    assert.throws(() => limitSettings(2, undefined, { TSC_MICRO_QUEUE: "lots" }), /TSC_MICRO_QUEUE must be a whole number/);
    assert.throws(() => limitSettings(undefined, undefined, { TSC_MICRO_MAX_IN_FLIGHT: "0" }), /TSC_MICRO_MAX_IN_FLIGHT/);
    assert.throws(() => limitSettings(0, undefined, {}), /concurrency must be/);
  });
});

describe("ConcurrencyLimit", () => {
  test("waiters get slots in arrival order, and a newcomer does not overtake them", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxInFlight: 10 });
    const order: string[] = [];
    let openFirst: () => void = () => {};
    const gate = new Promise<void>((resolve) => (openFirst = resolve));
    let started = false;
    const first = limit.run(() => {
      started = true;
      return gate.then(() => order.push("a"));
    });
    const waiting = ["b", "c"].map((name) => limit.run(() => order.push(name)));
    await turnsUntil(() => started, "the first call started");
    openFirst();
    const late = limit.run(() => order.push("d"));
    await Promise.all([first, ...waiting, late]);
    assert.deepEqual(order, ["a", "b", "c", "d"]);
  });

  test("a synchronous throw frees the slot", async () => {
    const limit = new ConcurrencyLimit({ concurrency: 1, maxInFlight: 10 });
    await assert.rejects(
      limit.run(() => {
        throw new Error("sync");
      }),
      /sync/,
    );
    assert.equal(await limit.run(() => "next"), "next");
  });
});
