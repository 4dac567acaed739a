/**
 * `Idempotency-Key`: a repeat is answered from memory (`tsc-micro-replayed: 1`),
 * a repeat during the first run joins it, other arguments under the same key
 * are refused (422), replay-only for an unknown key is refused (502) without
 * running, and the store stays bounded. Runs are counted; nothing is timed.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef } from "../src/server/index.js";
import { IdempotencyStore, idempotencySettings } from "../src/server/idempotency-store.js";
import { argsValidator, OPENAPI, post, route } from "./helpers.js";

interface Counter {
  runs: Record<string, number>;
  gates: Array<() => void>;
}

function countingService(): { def: ServiceDef; counter: Counter } {
  const counter: Counter = { runs: {}, gates: [] };
  function count(name: string): void {
    counter.runs[name] = (counter.runs[name] ?? 0) + 1;
  }
  const def: ServiceDef = {
    name: "counting",
    openapi: OPENAPI,
    routes: [
      route({
        name: "echo",
        params: ["x"],
        validate: argsValidator({ x: { type: "number" } }),
        invoke: (args) => {
          count("echo");
          return { x: args.x, run: counter.runs.echo };
        },
      }),
      route({
        name: "big",
        params: ["n"],
        validate: argsValidator({ n: { type: "number" } }),
        invoke: (args) => {
          count("big");
          return "x".repeat(args.n as number);
        },
      }),
      route({ name: "log", returnsVoid: true, invoke: () => void count("log") }),
      route({
        name: "fail",
        invoke: () => {
          count("fail");
          throw new RangeError(`failure ${counter.runs.fail}`);
        },
      }),
      route({
        name: "gated",
        invoke: () => {
          count("gated");
          return new Promise((resolve) => counter.gates.push(() => resolve(`gated run ${counter.runs.gated}`)));
        },
      }),
    ],
  };
  return { def, counter };
}

function appFor(def: ServiceDef, options: CreateAppOptions = {}) {
  return createApp(def, { env: {}, logError: () => {}, ...options }).app;
}

const key = (value: string, extra: Record<string, string> = {}) => ({ "idempotency-key": value, ...extra });

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

describe("Idempotency-Key header", () => {
  for (const [label, value] of [
    ["256 characters", "k".repeat(256)],
    ["a tab", "a\tb"],
  ] as const) {
    test(`${label} → 400 naming the header, not run`, async () => {
      const { def, counter } = countingService();
      const response = await appFor(def).request("/log", post("{}", key(value)));
      assert.equal(response.status, 400);
      assert.match((await errorOf(response)).message, /idempotency-key/);
      assert.equal(counter.runs.log, undefined);
    });
  }

  test("255 printable characters are a valid key", async () => {
    const { def, counter } = countingService();
    const response = await appFor(def).request("/log", post("{}", key("k ~".repeat(85))));
    assert.equal(response.status, 204);
    assert.equal(counter.runs.log, 1);
  });

  test("tsc-micro-replay-only other than 1, or without a key → 400 naming the header", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    for (const headers of [key("a", { "tsc-micro-replay-only": "yes" }), { "tsc-micro-replay-only": "1" }]) {
      const response = await app.request("/log", post("{}", headers));
      assert.equal(response.status, 400);
      assert.match((await errorOf(response)).message, /tsc-micro-replay-only/);
    }
    assert.equal(counter.runs.log, undefined);
  });
});

describe("replay", () => {
  test("a repeat of 200, 204 and a thrown 500 is answered from memory with tsc-micro-replayed: 1; runs once each", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    for (const [path, body] of [["/echo", '{"x":7}'], ["/log", "{}"], ["/fail", "{}"]] as const) {
      const first = await app.request(path, post(body, key("k1")));
      const again = await app.request(path, post(body, key("k1")));
      assert.equal(again.status, first.status, path);
      assert.equal(await again.text(), await first.text(), path);
      assert.equal(again.headers.get("content-type"), first.headers.get("content-type"), path);
      assert.equal(first.headers.get("tsc-micro-replayed"), null, path);
      assert.equal(again.headers.get("tsc-micro-replayed"), "1", path);
    }
    assert.deepEqual(counter.runs, { echo: 1, log: 1, fail: 1 });
    // The key is per route: the same key on another route is another call.
    assert.equal((await app.request("/echo", post('{"x":7}', key("other")))).status, 200);
    assert.equal(counter.runs.echo, 2);
  });

  test("a 400 is not remembered: the corrected call with the same key runs", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    assert.equal((await app.request("/echo", post('{"x":"seven"}', key("k")))).status, 400);
    const fixed = await app.request("/echo", post('{"x":7}', key("k")));
    assert.equal(fixed.status, 200);
    assert.equal(fixed.headers.get("tsc-micro-replayed"), null);
    assert.equal(counter.runs.echo, 1);
  });

  test("same key, other arguments → 422 IDEMPOTENCY_KEY_REUSED, during and after the run", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    const pending = app.request("/gated", post("{}", key("k")));
    await turnsUntil(() => counter.gates.length === 1, "the first run starts");
    const during = await app.request("/gated", post('{"other":1}', key("k")));
    // gated accepts no arguments, so a different body fails validation first: use echo below for the 422 after.
    assert.equal(during.status, 400);
    counter.gates[0]!();
    assert.equal((await pending).status, 200);

    assert.equal((await app.request("/echo", post('{"x":1}', key("e")))).status, 200);
    const reused = await app.request("/echo", post('{"x":2}', key("e")));
    assert.equal(reused.status, 422);
    const error = await errorOf(reused);
    assert.equal(error.code, "IDEMPOTENCY_KEY_REUSED");
    assert.match(error.message, /"e"/);
    assert.equal(counter.runs.echo, 1);
  });

  test("3 concurrent repeats while the first runs wait for its outcome: exactly 1 run, 4 equal answers", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    const calls = Array.from({ length: 4 }, () => Promise.resolve(app.request("/gated", post("{}", key("join")))));
    await turnsUntil(() => counter.gates.length === 1, "the first run starts");
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(counter.runs.gated, 1);
    counter.gates[0]!();
    const answers = await Promise.all(calls);
    assert.deepEqual(await Promise.all(answers.map((r) => r.json())), Array(4).fill("gated run 1"));
    assert.deepEqual(answers.map((r) => r.headers.get("tsc-micro-replayed")).sort(), ["1", "1", "1", null]);
    assert.equal(counter.runs.gated, 1);
  });

  test("first attempt answered 504 while its run goes on: the repeat gets the run's real outcome, 1 run", async (t) => {
    // The deadline passes when the test says (mocked setTimeout), after the run has started.
    t.mock.timers.enable({ apis: ["setTimeout"] });
    const { def, counter } = countingService();
    const app = appFor(def);
    const pending = app.request("/gated", post("{}", key("slow", { "tsc-micro-timeout": "1000" })));
    await turnsUntil(() => counter.gates.length === 1, "the first run starts");
    t.mock.timers.tick(1000);
    const first = await pending;
    assert.equal(first.status, 504);
    const repeat = app.request("/gated", post("{}", key("slow")));
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    counter.gates[0]!();
    const answer = await repeat;
    assert.equal(answer.status, 200);
    assert.equal(await answer.json(), "gated run 1");
    assert.equal(answer.headers.get("tsc-micro-replayed"), "1");
    assert.equal(counter.runs.gated, 1);
  });
});

describe("replay-only", () => {
  test("an unknown key → 502 UNKNOWN_OUTCOME and never runs; a known key → the stored outcome", async () => {
    const { def, counter } = countingService();
    const app = appFor(def);
    const unknown = await app.request("/echo", post('{"x":1}', key("lost", { "tsc-micro-replay-only": "1" })));
    assert.equal(unknown.status, 502);
    const error = await errorOf(unknown);
    assert.equal(error.code, "UNKNOWN_OUTCOME");
    assert.match(error.message, /no record of idempotency key "lost".*not run again/);
    assert.equal(counter.runs.echo, undefined);

    const first = await app.request("/echo", post('{"x":1}', key("known")));
    const replay = await app.request("/echo", post('{"x":1}', key("known", { "tsc-micro-replay-only": "1" })));
    assert.equal(replay.status, 200);
    assert.equal(await replay.text(), await first.text());
    assert.equal(replay.headers.get("tsc-micro-replayed"), "1");
    assert.equal(counter.runs.echo, 1);
  });
});

describe("bounds", () => {
  test("TSC_MICRO_IDEMPOTENCY_MAX_ENTRIES=2: the least recently used key is forgotten first; a running one never", async () => {
    const { def, counter } = countingService();
    const app = appFor(def, { env: { TSC_MICRO_IDEMPOTENCY_MAX_ENTRIES: "2" } });
    const running = app.request("/gated", post("{}", key("running")));
    await turnsUntil(() => counter.gates.length === 1, "the gated run starts");
    for (const k of ["a", "b"]) await app.request("/echo", post('{"x":1}', key(k)));
    // Touch a: b is now the least recently used.
    assert.equal((await app.request("/echo", post('{"x":1}', key("a")))).headers.get("tsc-micro-replayed"), "1");
    await app.request("/echo", post('{"x":1}', key("c")));
    assert.equal(counter.runs.echo, 3);

    const again = await Promise.all(["a", "c", "b"].map((k) => app.request("/echo", post('{"x":1}', key(k)))));
    assert.deepEqual(again.map((r) => r.headers.get("tsc-micro-replayed")), ["1", "1", null]);
    assert.equal(counter.runs.echo, 4);

    // Three keys came and went meanwhile, yet the running key still joins its run.
    const join = app.request("/gated", post("{}", key("running")));
    counter.gates[0]!();
    assert.equal(await (await join).json(), "gated run 1");
    assert.equal((await running).status, 200);
    assert.equal(counter.runs.gated, 1);
  });

  test("TSC_MICRO_IDEMPOTENCY_MAX_BYTES: older outcomes are forgotten to fit; one larger than the limit is not kept", async () => {
    const { def, counter } = countingService();
    // Each 1000-character outcome takes ~1.25 KB with its key and overhead: two fit in 3000 bytes, not three.
    const app = appFor(def, { env: { TSC_MICRO_IDEMPOTENCY_MAX_BYTES: "3000" } });
    for (const k of ["a", "b", "c"]) await app.request("/big", post('{"n":1000}', key(k)));
    const again = [];
    for (const k of ["c", "b", "a"]) again.push((await app.request("/big", post('{"n":1000}', key(k)))).headers.get("tsc-micro-replayed"));
    assert.deepEqual(again, ["1", "1", null]);
    assert.equal(counter.runs.big, 4);

    await app.request("/big", post('{"n":5000}', key("huge")));
    const huge = await app.request("/big", post('{"n":5000}', key("huge")));
    assert.equal(huge.headers.get("tsc-micro-replayed"), null);
    assert.equal(counter.runs.big, 6);
  });

  test("TTL: an outcome older than the TTL is forgotten (store with a test clock)", () => {
    // Not 0: lru-cache takes a start time of 0 for "no TTL".
    let now = 1_000;
    const store = new IdempotencyStore({ ttlMs: 100, maxEntries: 10, maxBytes: 1_000_000 }, { now: () => now });
    const outcome = { status: 200, contentType: null, body: "1" };
    const first = store.lookup("f", "k", "h", false);
    assert.equal(first.kind, "new");
    if (first.kind === "new") first.finish(outcome);
    now = 1_099;
    assert.equal(store.lookup("f", "k", "h", true).kind, "done");
    now = 1_101;
    assert.equal(store.lookup("f", "k", "h", true).kind, "unknown");
    assert.equal(store.size, 0);
  });

  test("junk in the TSC_MICRO_IDEMPOTENCY_* variables fails at start, naming the variable; defaults otherwise", () => {
    for (const name of ["TSC_MICRO_IDEMPOTENCY_TTL_MS", "TSC_MICRO_IDEMPOTENCY_MAX_ENTRIES", "TSC_MICRO_IDEMPOTENCY_MAX_BYTES"]) {
      for (const value of ["0", "-5", "1.5", "ten"]) {
        assert.throws(() => createApp(countingService().def, { env: { [name]: value } }), new RegExp(`${name} must be a positive integer, got "${value}"`));
      }
    }
    assert.deepEqual(idempotencySettings({}), { ttlMs: 600_000, maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 });
  });
});

test("argumentsHash: the SHA-256 (base64url) of the arguments re-serialised, whichever of Node's digests makes it", async () => {
  const { createHash } = await import("node:crypto");
  const { argumentsHash } = await import("../src/server/idempotency-store.ts");
  for (const args of [{ x: 7 }, { b: [1, "two", null], a: { nested: true } }, {}, { text: "é ✓ 😀" }]) {
    assert.equal(argumentsHash(args), createHash("sha256").update(JSON.stringify(args)).digest("base64url"));
  }
  // Key order is part of the serialisation: the same object built in another order is other arguments.
  assert.notEqual(argumentsHash({ a: 1, b: 2 }), argumentsHash({ b: 2, a: 1 }));
});
