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
    const request = http.request(`${url}/slow`, { method: "POST", headers: { "content-type": "application/json" } }, (response) => {
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

// ---- shutdown sequence (stop-on-signals.ts), with fixtures/shutdown-service.ts ----

/** One request; resolves with the status, or with the error code (ECONNREFUSED, ECONNRESET…). */
function send(url: string, method: string, path: string, agent: http.Agent | false = false): Promise<number | string> {
  return new Promise((resolve) => {
    const headers = method === "POST" ? { "content-type": "application/json" } : {};
    const request = http.request(`${url}${path}`, { method, agent, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
    request.end(method === "POST" ? "{}" : undefined);
  });
}

async function startShutdownService(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = run("shutdown-service.ts", env);
  const listening = await child.waitFor(/listening on /);
  return { child, url: listening.replace(/^.* listening on /, "") };
}

/** The shutdown lines the service printed, without the service name. */
function shutdownLines(child: Child): string[] {
  return child.lines.filter((line) => line.startsWith("shutdown ") && !line.includes("listening on")).map((line) => line.slice(9));
}

test("after SIGTERM, readiness is 503 while live and calls still answer; a second SIGTERM exits 143 at once", async () => {
  // The pre-stop delay outlasts the hang guard: only the second signal can end this child in time.
  const { child, url } = await startShutdownService({ TSC_MICRO_PRESTOP_MS: "60000" });
  assert.equal(await send(url, "GET", "/health/ready"), 200);
  child.kill("SIGTERM");
  await child.waitFor(/received SIGTERM, stopping$/);
  // Fresh connections each: the listener still accepts during the pre-stop delay.
  assert.equal(await send(url, "GET", "/health/ready"), 503);
  assert.equal(await send(url, "GET", "/health/live"), 200);
  assert.equal(await send(url, "POST", "/quick"), 200);
  child.kill("SIGTERM");
  assert.deepEqual(await child.exit, { code: 143, signal: null });
  assert.deepEqual(shutdownLines(child), [
    "received SIGTERM, stopping",
    "received a second SIGTERM, exiting at once with 143, cut 0 request(s)",
  ]);
});

test("a steady stream of calls across SIGTERM loses none when routing follows readiness", async () => {
  // A stand-in for Kubernetes: callers keep routing here until a readiness
  // poller has seen 503 three times in a row (failureThreshold 3), which
  // happens some time after the signal. The pre-stop delay covers that.
  const { child, url } = await startShutdownService({ TSC_MICRO_PRESTOP_MS: "2000", TSC_MICRO_DRAIN_MS: "5000" });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const outcomes = new Map<number | string, number>();
  let routed = true;
  let signalled = false;
  let sentAfterSignal = 0;
  let answered = 0;
  let onWarm: () => void = () => {};
  const warm = new Promise<void>((resolve) => (onWarm = resolve));
  async function caller(): Promise<void> {
    for (let i = 0; routed && i < 3000; i++) {
      if (signalled) sentAfterSignal++;
      const outcome = await send(url, "POST", "/quick", agent);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (++answered === 40) onWarm();
    }
  }
  async function readinessPoller(): Promise<void> {
    for (let failures = 0; failures < 3; ) {
      const status = await send(url, "GET", "/health/ready");
      failures = status === 200 ? 0 : failures + 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    routed = false;
  }
  try {
    const callers = Promise.all([caller(), caller(), caller(), caller()]);
    await warm;
    const poller = readinessPoller();
    child.kill("SIGTERM");
    signalled = true;
    await Promise.all([callers, poller]);
    assert.deepEqual(await child.exit, { code: 0, signal: null });
    assert.deepEqual([...outcomes.keys()], [200], `every call must be answered: ${JSON.stringify([...outcomes])}`);
    assert.ok(sentAfterSignal > 0, "calls kept arriving after the signal");
    assert.deepEqual(shutdownLines(child), [
      "received SIGTERM, stopping",
      "closed its listener, draining 0 request(s) for up to 5000 ms",
      "stopped cleanly",
    ]);
  } finally {
    agent.destroy();
  }
});

test("a long call in flight completes during the drain, while new connections are refused cleanly", async () => {
  const { child, url } = await startShutdownService({ TSC_MICRO_PRESTOP_MS: "200", TSC_MICRO_DRAIN_MS: "10000" });
  const answer = send(url, "POST", "/long");
  await child.waitFor(/^long started$/);
  child.kill("SIGTERM");
  await child.waitFor(/closed its listener/);
  assert.equal(await send(url, "POST", "/quick"), "ECONNREFUSED");
  child.kill("SIGUSR2"); // lets the long call finish
  assert.equal(await answer, 200);
  assert.deepEqual(await child.exit, { code: 0, signal: null });
  assert.deepEqual(shutdownLines(child), [
    "received SIGTERM, stopping",
    "closed its listener, draining 1 request(s) for up to 10000 ms",
    "stopped cleanly",
  ]);
});

test("a drain that times out exits 1 and says how many calls it cut", async () => {
  const { child, url } = await startShutdownService({ TSC_MICRO_PRESTOP_MS: "0", TSC_MICRO_DRAIN_MS: "200" });
  const answer = send(url, "POST", "/long");
  await child.waitFor(/^long started$/);
  child.kill("SIGTERM");
  assert.equal(await answer, "ECONNRESET");
  assert.deepEqual(await child.exit, { code: 1, signal: null });
  assert.deepEqual(shutdownLines(child).at(-1), "drain timed out after 200 ms, cut 1 request(s)");
});

test("a second SIGINT during the drain exits 130 at once, cutting the call", async () => {
  const { child, url } = await startShutdownService({ TSC_MICRO_PRESTOP_MS: "0", TSC_MICRO_DRAIN_MS: "60000" });
  const answer = send(url, "POST", "/long");
  await child.waitFor(/^long started$/);
  child.kill("SIGINT");
  await child.waitFor(/closed its listener/);
  child.kill("SIGINT");
  assert.deepEqual(await child.exit, { code: 130, signal: null });
  assert.notEqual(await answer, 200);
  assert.deepEqual(shutdownLines(child), [
    "received SIGINT, stopping",
    "closed its listener, draining 1 request(s) for up to 60000 ms",
    "received a second SIGINT, exiting at once with 130, cut 1 request(s)",
  ]);
});
