// A service whose stdout nobody reads (a stuck log shipper, a paused `docker logs`) keeps answering:
// its request lines wait in a bounded buffer, the ones that do not fit are dropped and counted, and
// once stdout is read again a warning says how many. Found measuring: pino's synchronous destination
// slept the whole event loop 100 ms per try on a full pipe — with nobody reading, forever.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import { cachedBuild } from "./helpers/build-cache.ts";
import { REPO } from "./helpers/paths.ts";

const CALLS = 3_000; // ≈ 700 KB of lines: ten times what the pipe and the 64 KiB backlog hold

test("an unread stdout never stops a service; every request line is written or counted as dropped", { timeout: 240_000 }, async () => {
  const result = await cachedBuild({ project: path.join(REPO, "examples/parity/tsconfig.json") }, "log-backpressure");
  const child = spawn(process.execPath, [path.join(result.outDir, "services/is-even/index.mjs")], {
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", TSC_MICRO_PRESTOP_MS: "0", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", TSC_MICRO_LOG_BUFFER: "65536" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    let text = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (text += d));
    for (let turn = 0; turn < 2_000 && !/listening on http/.test(text); turn++) await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (http:\/\/\S+)/.exec(text)![1]!;
    // From now on nobody reads the pipe.
    child.stdout!.pause();

    let answered = 0;
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const request = http.request(`${url}/isEven`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (response) => {
          response.resume();
          response.on("end", () => {
            if (response.statusCode === 200) answered++;
            resolve();
          });
        });
        request.on("error", reject);
        // A stuck service fails the test (and the finally kills it) instead of hanging it.
        request.setTimeout(20_000, () => request.destroy(new Error("no answer within 20 s: the service is stuck")));
        request.end('{"x":4}');
      });
    for (let sent = 0; sent < CALLS; sent += 8) await Promise.all(Array.from({ length: 8 }, post));
    assert.equal(answered, CALLS, "every call answered while stdout was not read");

    // Read again: the backlog, then (at the next flush) the warning with the count.
    child.stdout!.resume();
    for (let turn = 0; turn < 3_000 && !/"dropped":\d+/.test(text); turn++) await new Promise((r) => setTimeout(r, 10));
    const lines = text.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { function?: string; dropped?: number; level: string });
    const written = lines.filter((l) => l.function === "isEven").length;
    const dropped = lines.filter((l) => l.dropped !== undefined).reduce((sum, l) => sum + l.dropped!, 0);
    assert.ok(dropped > 0, "some lines did not fit");
    assert.ok(written > 0, "the lines that fit were written");
    assert.equal(written + dropped, CALLS, "every line written or counted");

    // Still a healthy service, and a stop writes out its last line.
    await post();
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    assert.equal(code, 0);
    const after = text.split("\n").filter((l) => l.startsWith("{") && l.includes('"function":"isEven"')).length;
    assert.equal(after, written + 1);
  } finally {
    agent.destroy();
    child.kill("SIGKILL");
  }
});
