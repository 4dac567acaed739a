/**
 * Behaviour that only shows in a real process: signal handling and whether
 * a client's pooled sockets let the process exit.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { rawServer } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// Only a guard against a hung child; no assertion depends on it.
const HANG_GUARD_MS = 12_000;

interface Child {
  lines: string[];
  /** Resolves with the first stdout line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

function run(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ["--import", "tsx", fixture(script)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let stderr = "";
  let buffered = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal });
    }),
  );
  return {
    lines,
    exit,
    kill: (signal) => child.kill(signal),
    waitFor: (pattern) =>
      new Promise<string>((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        void exit.then(() => reject(new Error(`child exited before printing ${pattern}; stderr:\n${stderr}`)));
      }),
  };
}

function postSlow(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}/slow`, { method: "POST" }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end("{}");
  });
}

test("SIGTERM drains the in-flight request, then exits 0", async () => {
  const child = run("signal-service.ts", {});
  const listening = await child.waitFor(/listening on /);
  const url = listening.replace(/^.* listening on /, "");
  const answer = postSlow(url);
  await child.waitFor(/^slow started$/);
  child.kill("SIGTERM");
  assert.deepEqual(await answer, { status: 200, body: '"done"' });
  assert.deepEqual(await child.exit, { code: 0, signal: null });
  assert.ok(child.lines.some((line) => line === "signals received SIGTERM, stopping"));
});

test("SIGTERM with a request that never finishes exits 1 after the timeout", async () => {
  const child = run("signal-service.ts", { HANG: "1", SHUTDOWN_TIMEOUT_MS: "200" });
  const listening = await child.waitFor(/listening on /);
  const answer = postSlow(listening.replace(/^.* listening on /, "")).then(
    () => "answered",
    () => "cut",
  );
  await child.waitFor(/^slow started$/);
  child.kill("SIGTERM");
  assert.equal(await answer, "cut");
  assert.deepEqual(await child.exit, { code: 1, signal: null });
});

test("a process that made one call exits by itself (pooled sockets are unref'd)", async () => {
  const server = await rawServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("true"));
  });
  // Never close idle connections from the server side: then only the
  // client's unref'd pool can let the child exit before the guard. (The
  // client's own idle timeout, 15 s, is longer than the guard.)
  server.server.keepAliveTimeout = 0;
  try {
    const child = run("one-call.ts", { TSC_MICRO_MATH_URL: server.url });
    assert.deepEqual(await child.exit, { code: 0, signal: null });
    assert.deepEqual(child.lines, ["true"]);
  } finally {
    await server.close();
  }
});
