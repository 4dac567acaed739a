// Logs and metrics of built services as processes (examples/parity: is-odd calls is-even): after known
// calls, each service's GET /metrics has the exact counts (its requests, and is-odd's calls to is-even),
// and each call wrote one JSON line per service, correlated by trace id. The bundles hold pino and
// prom-client, so this also proves they work bundled. Processes are always stopped.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { REPO } from "./helpers/paths.ts";
import { startSplit } from "./helpers/split.ts";
import type { RunningProcess } from "./helpers/services.ts";

type Line = Record<string, any>;

function samples(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

/** The JSON log lines a process printed (its other lines, like "listening on", are plain text). */
function jsonLines(process: RunningProcess): Line[] {
  return process
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Line);
}

/** Waits (bounded by turns of a short timer, no assertion on time) until `condition` holds. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 2_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`never happened: ${what}`);
}

test("built services: exact /metrics counts and one correlated JSON log line per call", { timeout: 180_000 }, async () => {
  const split = await startSplit(path.join(REPO, "examples/parity/tsconfig.json"), "logs-metrics");
  try {
    const odd = split.processes["is-odd"]!;
    const even = split.processes["is-even"]!;
    const call = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${odd.url}/isOdd`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    assert.equal(await (await call({ x: 3 }, { "x-request-id": "known-1" })).json(), true);
    assert.equal(await (await call({ x: 4 })).json(), false);
    assert.equal((await call({ x: "four" })).status, 400);

    const oddMetrics = await (await fetch(`${odd.url}/metrics`)).text();
    assert.deepEqual(samples(oddMetrics, "tsc_micro_requests_total"), [
      'tsc_micro_requests_total{function="isOdd",status="200"} 2',
      'tsc_micro_requests_total{function="isOdd",status="400"} 1',
    ]);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_request_duration_seconds_count"), [
      'tsc_micro_request_duration_seconds_count{function="isOdd",status="200"} 2',
      'tsc_micro_request_duration_seconds_count{function="isOdd",status="400"} 1',
    ]);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_client_calls_total"), ['tsc_micro_client_calls_total{service="is-even",function="isEven",code="OK"} 2']);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_client_retries_total"), []);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_client_breaker_state"), [`tsc_micro_client_breaker_state{service="is-even",instance="${even.url}"} 0`]);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_requests_in_flight"), ["tsc_micro_requests_in_flight 0"]);
    assert.deepEqual(samples(oddMetrics, "tsc_micro_rejected_total"), []);

    const evenMetrics = await (await fetch(`${even.url}/metrics`)).text();
    assert.deepEqual(samples(evenMetrics, "tsc_micro_requests_total"), ['tsc_micro_requests_total{function="isEven",status="200"} 2']);
    assert.deepEqual(samples(evenMetrics, "tsc_micro_client_calls_total"), [], "is-even calls nothing");

    await until(() => jsonLines(odd).length === 3 && jsonLines(even).length === 2, "3 lines from is-odd and 2 from is-even");
    const oddLines = jsonLines(odd);
    const evenLines = jsonLines(even);
    assert.deepEqual(oddLines.map((line) => [line.level, line.service, line.function, line.status]), [
      ["info", "is-odd", "isOdd", 200],
      ["info", "is-odd", "isOdd", 200],
      ["warn", "is-odd", "isOdd", 400],
    ]);
    assert.deepEqual(evenLines.map((line) => [line.level, line.service, line.function, line.status]), [
      ["info", "is-even", "isEven", 200],
      ["info", "is-even", "isEven", 200],
    ]);
    assert.equal(oddLines[0]!.request_id, "known-1");
    // Each is-odd call and the is-even call it made share one trace id.
    for (const [index, line] of evenLines.entries()) {
      assert.match(line.trace_id, /^[0-9a-f]{32}$/);
      assert.equal(line.trace_id, oddLines[index]!.trace_id);
    }
    assert.notEqual(oddLines[0]!.trace_id, oddLines[1]!.trace_id);
    assert.match(odd.output(), /^is-odd listening on http:\/\/127\.0\.0\.1:\d+$/m, "the human start line is unchanged");
  } finally {
    await split.stop();
  }
});
