// GET /metrics: exact counts after known calls, a registry per app, the overload gauges, and the client metrics.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createApp } from "../src/server/index.js";
import type { CreateAppOptions, ServiceDef } from "../src/server/index.js";
import { ServiceClient, clientMetricsRegistry } from "../src/client/index.js";
import { OPENAPI, mathService, post, rawServer, route, startQuiet } from "./helpers.js";

function appFor(def: ServiceDef = mathService(), options: CreateAppOptions = {}) {
  return createApp(def, { env: {}, logError: () => {}, logLevel: "silent", ...options }).app;
}

async function scrape(app: ReturnType<typeof appFor>): Promise<string> {
  const response = await app.request("/metrics");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The sample lines of `text` for metric `name` (exact name, with its labels), in order. */
function samples(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe("service metrics", () => {
  test("request counts and durations by function and status, exact", async () => {
    const app = appFor();
    for (const x of [1, 2, 3]) assert.equal((await app.request("/isEven", post(JSON.stringify({ x })))).status, 200);
    assert.equal((await app.request("/isEven", post('{"x": "no"}'))).status, 400);
    for (let i = 0; i < 2; i++) assert.equal((await app.request("/fail", post("{}"))).status, 500);
    await app.request("/health/live");
    await app.request("/no-such-function", post("{}"));
    const text = await scrape(app);
    assert.deepEqual(samples(text, "tsc_micro_requests_total"), [
      'tsc_micro_requests_total{function="isEven",status="200"} 3',
      'tsc_micro_requests_total{function="isEven",status="400"} 1',
      'tsc_micro_requests_total{function="fail",status="500"} 2',
    ]);
    assert.deepEqual(samples(text, "tsc_micro_request_duration_seconds_count"), [
      'tsc_micro_request_duration_seconds_count{function="isEven",status="200"} 3',
      'tsc_micro_request_duration_seconds_count{function="isEven",status="400"} 1',
      'tsc_micro_request_duration_seconds_count{function="fail",status="500"} 2',
    ]);
    assert.ok(samples(text, "tsc_micro_request_duration_seconds_bucket").includes('tsc_micro_request_duration_seconds_bucket{le="+Inf",function="fail",status="500"} 2'));
    assert.deepEqual(samples(text, "tsc_micro_requests_in_flight"), ["tsc_micro_requests_in_flight 0"]);
    assert.deepEqual(samples(text, "tsc_micro_queue_depth"), ["tsc_micro_queue_depth 0"]);
    assert.equal(text.includes("process_cpu"), false, "no Node default metrics unless TSC_MICRO_NODE_METRICS=1");
  });

  test("TSC_MICRO_NODE_METRICS=1: Node's default metrics, loaded on demand, are in the very first scrape", async () => {
    const app = appFor(mathService(), { env: { TSC_MICRO_NODE_METRICS: "1" } });
    const text = await scrape(app);
    for (const name of ["process_cpu_user_seconds_total", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_total_bytes"]) {
      assert.equal(samples(text, name).length > 0, true, `${name} in the first scrape`);
    }
    // Still the service's own metrics, once each.
    assert.equal(text.split("\n").filter((line) => line === "# TYPE tsc_micro_requests_total counter").length, 1);
  });

  test("two apps in one process count apart (a registry each)", async () => {
    const one = appFor();
    const two = appFor();
    await one.request("/isEven", post('{"x": 1}'));
    await one.request("/isEven", post('{"x": 1}'));
    await two.request("/isEven", post('{"x": 1}'));
    assert.deepEqual(samples(await scrape(one), "tsc_micro_requests_total"), ['tsc_micro_requests_total{function="isEven",status="200"} 2']);
    assert.deepEqual(samples(await scrape(two), "tsc_micro_requests_total"), ['tsc_micro_requests_total{function="isEven",status="200"} 1']);
  });

  test("/metrics is GET only, except that a function may be called metrics", async () => {
    assert.equal((await appFor().request("/metrics", post("{}"))).status, 405);
    const def: ServiceDef = { name: "m", openapi: OPENAPI, routes: [route({ name: "metrics", invoke: () => "mine" }), route({ name: "other", invoke: () => 1 })] };
    const app = appFor(def);
    assert.equal(await (await app.request("/metrics", post("{}"))).json(), "mine");
    assert.match(await scrape(app), /tsc_micro_requests_total\{function="metrics",status="200"\} 1/);
  });

  test("queue depth, calls in flight and rejections (overloaded, timeout) while every slot is busy", async () => {
    const gates: Array<() => void> = [];
    const def: ServiceDef = {
      name: "gated",
      openapi: OPENAPI,
      concurrency: 1,
      routes: [route({ name: "slow", invoke: () => new Promise((resolve) => gates.push(() => resolve("done"))) })],
    };
    const app = appFor(def, { queue: 2 }); // 1 running + 2 waiting
    const running = app.request("/slow", post("{}"));
    const waiting = app.request("/slow", post("{}"));
    await turnsUntil(() => gates.length === 1);
    // Waits too, until its 1 ms deadline passes: it leaves the line unrun.
    const timedOut = await app.request("/slow", post("{}", { "tsc-micro-timeout": "1" }));
    assert.equal(timedOut.status, 504);
    const queued = app.request("/slow", post("{}"));
    const refused = await app.request("/slow", post("{}"));
    assert.equal(refused.status, 503);

    const busy = await scrape(app);
    assert.deepEqual(samples(busy, "tsc_micro_queue_depth"), ["tsc_micro_queue_depth 2"]);
    assert.deepEqual(samples(busy, "tsc_micro_requests_in_flight"), ["tsc_micro_requests_in_flight 3"]);
    assert.deepEqual(samples(busy, "tsc_micro_rejected_total"), ['tsc_micro_rejected_total{reason="timeout"} 1', 'tsc_micro_rejected_total{reason="overloaded"} 1']);

    for (let started = 1; started <= 3; started++) {
      await turnsUntil(() => gates.length === 1);
      gates.shift()!();
    }
    assert.deepEqual([(await running).status, (await waiting).status, (await queued).status], [200, 200, 200]);
    const idle = await scrape(app);
    assert.deepEqual(samples(idle, "tsc_micro_queue_depth"), ["tsc_micro_queue_depth 0"]);
    assert.deepEqual(samples(idle, "tsc_micro_requests_in_flight"), ["tsc_micro_requests_in_flight 0"]);
    assert.deepEqual(samples(idle, "tsc_micro_requests_total"), [
      'tsc_micro_requests_total{function="slow",status="504"} 1',
      'tsc_micro_requests_total{function="slow",status="503"} 1',
      'tsc_micro_requests_total{function="slow",status="200"} 3',
    ]);
  });
});

describe("client metrics", () => {
  test("calls by code, retries, and each instance's breaker, in the client registry and the service's /metrics", async () => {
    const service = await startQuiet(mathService(), { logLevel: "silent" });
    // Answers 503 + Retry-After once, then 200: one retry.
    let answered = 0;
    const flaky = await rawServer((_req, res) => {
      answered++;
      if (answered === 1) {
        res.writeHead(503, { "content-type": "application/json", "retry-after": "0" });
        res.end(JSON.stringify({ error: { name: "ServiceError", code: "UNAVAILABLE", message: "busy" } }));
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("true");
      }
    });
    const closed = await rawServer(() => {});
    const deadUrl = closed.url;
    await closed.close();
    try {
      const math = new ServiceClient({ service: "metrics-math", envVar: "UNSET_METRICS_MATH_URL", defaultUrl: service.url });
      assert.equal(await math.call("isEven", { x: 2 }), true);
      assert.equal(await math.call("isEven", { x: 3 }), false);
      await assert.rejects(math.call("fail", {}), RangeError);
      await assert.rejects(math.call("isEven", { x: "no" }), { code: "BAD_REQUEST" });

      const retried = new ServiceClient({ service: "metrics-flaky", envVar: "UNSET_METRICS_FLAKY_URL", defaultUrl: flaky.url });
      assert.equal(await retried.call("f", {}), true);

      const dead = new ServiceClient({ service: "metrics-dead", envVar: "UNSET_METRICS_DEAD_URL", defaultUrl: deadUrl, retry: 0, breaker: { failures: 1, openMs: 60_000 } });
      await assert.rejects(dead.call("f", {}), { code: "UNAVAILABLE" });

      for (const text of [await clientMetricsRegistry().metrics(), await (await fetch(`${service.url}/metrics`)).text()]) {
        const calls = samples(text, "tsc_micro_client_calls_total").filter((line) => line.includes('"metrics-'));
        assert.deepEqual(calls, [
          'tsc_micro_client_calls_total{service="metrics-math",function="isEven",code="OK"} 2',
          'tsc_micro_client_calls_total{service="metrics-math",function="fail",code="INTERNAL"} 1',
          'tsc_micro_client_calls_total{service="metrics-math",function="isEven",code="BAD_REQUEST"} 1',
          'tsc_micro_client_calls_total{service="metrics-flaky",function="f",code="OK"} 1',
          'tsc_micro_client_calls_total{service="metrics-dead",function="f",code="UNAVAILABLE"} 1',
        ]);
        assert.deepEqual(samples(text, "tsc_micro_client_retries_total").filter((line) => line.includes('"metrics-')), [
          'tsc_micro_client_retries_total{service="metrics-flaky",function="f"} 1',
        ]);
        assert.deepEqual(samples(text, "tsc_micro_client_breaker_state").filter((line) => line.includes('"metrics-')), [
          `tsc_micro_client_breaker_state{service="metrics-math",instance="${service.url}"} 0`,
          `tsc_micro_client_breaker_state{service="metrics-flaky",instance="${flaky.url}"} 0`,
          `tsc_micro_client_breaker_state{service="metrics-dead",instance="${deadUrl}"} 1`,
        ]);
      }
      // The service's own requests come first, the process's client metrics after them.
      const served = await (await fetch(`${service.url}/metrics`)).text();
      assert.ok(served.indexOf("tsc_micro_requests_total") < served.indexOf("tsc_micro_client_calls_total"));
      assert.match(served, /tsc_micro_requests_total\{function="isEven",status="200"\} 2/);
      math.close();
      retried.close();
    } finally {
      await service.close();
      await flaky.close();
    }
  });
});

/** Lets the event loop turn until `condition` holds; a bounded number of turns, no clock. */
async function turnsUntil(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail("never happened");
}
