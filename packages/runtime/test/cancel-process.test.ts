/**
 * Cancellation on a real socket: when the caller destroys its request,
 * @hono/node-server's close handling aborts the call, and a function that
 * checks `callSignal()` stops. Observed through the fixture's /stats route:
 * counts only, no timing; the child is always killed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/cancel-service.ts", import.meta.url));

interface Stats {
  started: number;
  stopped: number;
  reasons: string[];
}

async function stats(url: string): Promise<Stats> {
  const response = await fetch(`${url}/stats`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  return (await response.json()) as Stats;
}

/** Asks /stats until `condition` holds; a bounded number of asks, no clock. */
async function statsUntil(url: string, condition: (s: Stats) => boolean, what: string): Promise<Stats> {
  for (let ask = 0; ask < 2_000; ask++) {
    const current = await stats(url);
    if (condition(current)) return current;
  }
  assert.fail(`never happened: ${what}`);
}

test("a caller that destroys its request aborts the call with CANCELLED: the spinning function stops", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", fixture], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  try {
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const found = /listening on (http:\/\/\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      child.once("exit", () => reject(new Error(`fixture exited before listening: ${out}`)));
    });

    const request = http.request(`${url}/spin`, { method: "POST", headers: { "content-type": "application/json" } });
    // Not once(): it rejects on the "socket hang up" error that our own destroy causes.
    const requestClosed = new Promise((resolve) => request.once("close", resolve));
    request.on("error", () => {});
    request.end("{}");
    await statsUntil(url, (s) => s.started === 1, "the spin call starts");
    request.destroy();
    await requestClosed;

    const after = await statsUntil(url, (s) => s.stopped === 1, "the spin call stops");
    assert.deepEqual(after, { started: 1, stopped: 1, reasons: ["CANCELLED"] });
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
});
