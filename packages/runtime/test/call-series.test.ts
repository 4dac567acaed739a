// The calls counter and duration histogram kept in plain fields (call-series.ts) give what
// prom-client's own Counter and Histogram give for the same calls: the /metrics text byte for
// byte and get()'s data value for value, over generated sequences of calls (fast-check).
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Counter, Histogram, Registry } from "prom-client";
import { CallSeries, DEFAULT_BUCKETS } from "../src/telemetry/call-series.js";

const COUNTER = { name: "calls_total", help: "Calls, by function and status." };
const HISTOGRAM = { name: "call_seconds", help: "Call time, by function \"and\" status\\n." };

/** The same calls through prom-client's classes and through CallSeries, each in a registry of its own. */
function both(calls: readonly [string, number, number][]) {
  const theirs = new Registry();
  const counter = new Counter({ ...COUNTER, labelNames: ["function", "status"] as const, registers: [theirs] });
  const histogram = new Histogram({ ...HISTOGRAM, labelNames: ["function", "status"] as const, registers: [theirs] });
  const ours = new Registry();
  const series = new CallSeries();
  series.register(ours, COUNTER, HISTOGRAM);
  for (const [fn, status, seconds] of calls) {
    counter.labels(fn, String(status)).inc();
    histogram.labels(fn, String(status)).observe(seconds);
    series.observe(fn, status, seconds);
  }
  return { theirs, ours };
}

const call = fc.tuple(
  fc.constantFrom("isEven", "isOdd", "f$1", "ünïcode", 'quote"d'),
  fc.constantFrom(200, 204, 400, 422, 500, 503),
  fc.oneof(fc.constantFrom(0, ...DEFAULT_BUCKETS, 10.5, 1e9), fc.double({ min: 0, max: 20, noNaN: true })),
);

test("the /metrics text and get()'s data equal prom-client's Counter and Histogram for the same calls", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(call, { maxLength: 40 }), async (calls) => {
      const { theirs, ours } = both(calls);
      assert.equal(await ours.metrics(), await theirs.metrics());
      assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
    }),
    { numRuns: 200 },
  );
});

test("resetMetrics() forgets the series, as prom-client's metrics do", async () => {
  const { theirs, ours } = both([["isEven", 200, 0.001], ["isOdd", 500, 2]]);
  theirs.resetMetrics();
  ours.resetMetrics();
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.doesNotMatch(await ours.metrics(), /isEven/);
});
