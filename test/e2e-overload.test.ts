// concurrency= in a real process: a built service with concurrency=2 (queue 4 × 2 = 8) takes a
// burst of 40 calls that block until the test signals the process. Exactly 10 are admitted, 30
// are refused with 503 + Retry-After at once, /health/live answers meanwhile, and after the
// signal the 10 finish and the process stops cleanly. Then the same through the generated client
// (concurrency=2 retry=3, CPU-bound): every call succeeds or fails UNAVAILABLE, the service ran
// exactly the successes, health answers, RSS stays bounded. Counts only; processes always killed.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import diagnostics from "node:diagnostics_channel";
import http from "node:http";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
// Another copy of the runtime than the one dist/clients resolves: ServiceError.is checks the name, not the class.
import { ServiceError } from "../packages/runtime/src/errors.ts";
import { REPO, TMP } from "./helpers/paths.ts";
import { startBundle } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const SOURCE = `// The calls wait until the process gets SIGUSR2, so the test decides when they finish.
const proc = (globalThis as any).process;
let open: () => void = () => {};
const gate = new Promise<void>((resolve) => (open = resolve));
proc.once("SIGUSR2", () => open());

/** @microservice concurrency=2 */
export async function hold(n: number): Promise<number> {
  await gate;
  return n;
}
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] },
  include: ["src"],
};

const BURST = 40;
const ADMITTED = 2 + 2 * 4;
const HANG_GUARD_MS = 30_000;

test("concurrency=2 under a burst of 40: 10 admitted, 30 refused with Retry-After, health answers, clean stop", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(TMP, "e2e-overload-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/hold.ts"), SOURCE);
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
  assert.ok(result.success, formatDiagnostics(result.diagnostics));

  let service: RunningProcess | undefined;
  try {
    service = await startBundle("hold", path.join(result.outDir, "services/hold"));
    const url = service.url;
    const answers: Array<{ status: number; retryAfter: string | null; body: any }> = [];
    let refusalsIn: () => void = () => {};
    const refusals = new Promise<void>((resolve) => (refusalsIn = resolve));
    const calls = Array.from({ length: BURST }, (_, n) =>
      fetch(`${url}/hold`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ n }) }).then(async (response) => {
        const answer = { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
        answers.push(answer);
        if (answers.length === BURST - ADMITTED) refusalsIn();
        return answer;
      }),
    );
    // The refusals come back while the admitted calls still wait on the gate (a failed call fails the test here).
    await Promise.race([refusals, Promise.all(calls), hangGuard(`fewer than ${BURST - ADMITTED} refusals`)]);
    const live = await fetch(`${url}/health/live`);
    assert.equal(live.status, 200);
    assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    assert.equal(answers.length, BURST - ADMITTED, "no admitted call finished before the gate opened");
    for (const refused of answers) {
      assert.equal(refused.status, 503);
      assert.equal(refused.retryAfter, "1");
      assert.equal(refused.body.error.code, "UNAVAILABLE");
    }

    service.child.kill("SIGUSR2");
    const all = await Promise.all(calls);
    const ok = all.filter((a) => a.status === 200);
    assert.equal(ok.length, ADMITTED);
    assert.equal(all.filter((a) => a.status === 503).length, BURST - ADMITTED);
    assert.equal(new Set(ok.map((a) => a.body)).size, ADMITTED, "each admitted call answered its own n");

    assert.equal(await service.stop(), 0, service.output());
    service = undefined;
  } finally {
    // Only reached with the service still up when the test failed: then its calls may never finish.
    service?.child.kill("SIGKILL");
    await service?.stop();
  }
});

const BURN_SOURCE = `// CPU-bound: each run busy-loops about 20 ms and is counted, so the test can compare runs with successes.
let runCount = 0;

/** @microservice service=burn concurrency=2 retry=3 */
export function burn(n: number): number {
  const until = Date.now() + 20;
  while (Date.now() < until);
  runCount++;
  return n;
}

/** @microservice service=burn concurrency=2 */
export function runs(): number {
  return runCount;
}
`;

const BURN_BURST = 20 * 2;

/** undici's diagnostics channel for a response's status and headers (the client's transport, runtime/src/client/pool-transport.ts). */
const CLIENT_RESPONSE_CHANNEL = "undici:request:headers";

/** The burn project, built once for the tests below. */
let burnBuild: Promise<string> | undefined;
function buildBurn(): Promise<string> {
  burnBuild ??= (async () => {
    const dir = mkdtempSync(path.join(TMP, "e2e-overload-client-"));
    mkdirSync(path.join(dir, "src"));
    writeFileSync(path.join(dir, "src/burn.ts"), BURN_SOURCE);
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
    const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
    assert.ok(result.success, formatDiagnostics(result.diagnostics));
    return result.outDir;
  })();
  return burnBuild;
}

test("overload at 10× concurrency through the generated client", { timeout: 120_000 }, async () => {
  // Default breaker settings: a refusal (503 + Retry-After) is the instance protecting itself and
  // does not count against its breaker (it once did, and a burst opened it for 5 s).
  await burstThroughClient({}, "client-burst");
});

/**
 * 40 calls at once through the generated client to a service with concurrency=2 retry=3: each call
 * succeeds or fails UNAVAILABLE, the service ran exactly the successful ones, /health/live answers
 * during the burst, RSS stays bounded, and the process stops cleanly.
 */
async function burstThroughClient(clientEnv: Record<string, string>, label: string): Promise<void> {
  const outDir = await buildBurn();
  // Every attempt's answer, as the client's HTTP layer (undici) saw it: the refusals the client retried.
  const attempts = new Map<number, number>();
  function countAttempt(message: unknown): void {
    const { request, response } = message as { request: { path: string }; response: { statusCode: number } };
    if (request.path === "/burn") attempts.set(response.statusCode, (attempts.get(response.statusCode) ?? 0) + 1);
  }
  let service: RunningProcess | undefined;
  let clients: any;
  try {
    service = await startBundle("burn", path.join(outDir, "services/burn"));
    clients = await importClients(outDir, label, clientEnv);
    clients.burnService.setBaseUrl(service.url);
    const pid = service.child.pid!;
    // Warm up: one call per burst call fills the client's pool with open keep-alive connections, so
    // the burst reaches the service at once, as from a busy caller (see the todo test below for a
    // burst on new connections). `runs` is limited too: some of these are refused and retried.
    await Promise.allSettled(Array.from({ length: BURN_BURST }, () => clients.runs()));
    assert.equal(await clients.runs(), 0, "the warm-up ran no burn");
    const rssBefore = rssOf(pid);

    diagnostics.subscribe(CLIENT_RESPONSE_CHANNEL, countAttempt);
    let settled = 0;
    const calls = Array.from({ length: BURN_BURST }, (_, n) =>
      (clients.burn(n) as Promise<number>)
        .then(
          (value) => ({ ok: true as const, n, value }),
          (error: unknown) => ({ ok: false as const, n, error }),
        )
        .finally(() => settled++),
    );
    // Liveness answers while the burst is being worked through: before its last call settles
    // (a refused call waits Retry-After, 1 s, before it tries again).
    const live = await fetch(`${service.url}/health/live`);
    const settledWhenLive = settled;
    assert.equal(live.status, 200);
    const outcomes = await Promise.race([Promise.all(calls), hangGuard(`${BURN_BURST} calls through the client`)]);
    const rssAfter = rssOf(pid);
    diagnostics.unsubscribe(CLIENT_RESPONSE_CHANNEL, countAttempt);

    const successes = outcomes.filter((o) => o.ok);
    const failures = outcomes.filter((o) => !o.ok);
    const codes = failures.map((o) => (o.error as any)?.code);
    console.log(`# ${label}: burst of ${BURN_BURST}: ${successes.length} succeeded, ${failures.length} failed [${[...new Set(codes)].join(", ")}]; attempts answered ${[...attempts].map(([status, count]) => `${count} × ${status}`).join(", ")}; /health/live answered with ${settledWhenLive} settled; RSS ${rssBefore} KiB before, ${rssAfter} KiB after`);
    assert.ok(settledWhenLive < BURN_BURST, "/health/live answered only after the whole burst");
    for (const success of successes) assert.equal(success.value, success.n, "each call answered its own n");
    for (const failure of failures) {
      const error = failure.error as any;
      assert.ok(ServiceError.is(error), `call ${failure.n} failed with something other than a ServiceError: ${error}`);
      assert.equal(error.code, "UNAVAILABLE", `call ${failure.n}: ${error.message}`);
    }
    assert.equal(successes.length + failures.length, BURN_BURST);
    assert.ok((attempts.get(503) ?? 0) > 0, "the burst was refused in part: it overloaded the service");
    assert.equal(attempts.get(200) ?? 0, successes.length, "every attempt answered 200 or 503");
    assert.equal([...attempts.values()].reduce((a, b) => a + b, 0), successes.length + (attempts.get(503) ?? 0));
    // A refused call never ran: the service ran exactly the calls that succeeded. Asked over a new
    // client, whose breaker the burst did not touch.
    const counter = await importClients(outDir, `${label}-count`, {});
    counter.burnService.setBaseUrl(service.url);
    try {
      assert.equal(await counter.runs(), successes.length, "runs counted by the service = successful calls");
    } finally {
      counter.burnService.close();
    }
    assert.ok(rssAfter < 2 * rssBefore + 64 * 1024, `RSS ${rssBefore} KiB before, ${rssAfter} KiB after the burst`);

    clients.burnService.close();
    assert.equal(await service.stop(), 0, service.output());
    service = undefined;
  } finally {
    diagnostics.unsubscribe(CLIENT_RESPONSE_CHANNEL, countAttempt);
    clients?.burnService.close();
    service?.child.kill("SIGKILL");
    await service?.stop();
  }
}

/** A fresh instance of the generated clients (own pool and breakers), created with `env` set (the breaker reads it then). */
async function importClients(outDir: string, label: string, env: Record<string, string>): Promise<any> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await import(`${pathToFileURL(path.join(outDir, "clients/index.js")).href}?${label}`);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// libuv (since 1.45, libuv/libuv#3696, in Node 20) accepts one new connection per listening socket
// per event-loop turn, and each turn runs at most `concurrency` CPU-bound calls. A burst on NEW
// connections that arrives while a call runs waits in the kernel's accept backlog, and a health
// check on a new connection to the service's port (as a kubelet probe opens) is accepted only after
// every connection ahead of it. TSC_MICRO_HEALTH_PORT puts the health routes on a listening socket
// of their own, accepted on the next turn: that is the port for probes.
test("a burst on new connections while busy: /health/live on the health port answers before the burst drains", { timeout: 120_000 }, async () => {
  const outDir = await buildBurn();
  let service: RunningProcess | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  try {
    service = await startBundle("burn", path.join(outDir, "services/burn"), { env: { TSC_MICRO_HEALTH_PORT: "0" } });
    const url = service.url;
    while (!/health checks on http:\/\/127\.0\.0\.1:\d+/.test(service.output())) await new Promise((resolve) => setTimeout(resolve, 10));
    const healthUrl = /health checks on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.output())![1]!;
    function post(n: number): Promise<number> {
      return new Promise((resolve, reject) => {
        const request = http.request(`${url}/burn`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode!));
        });
        request.on("error", reject);
        request.end(JSON.stringify({ n }));
      });
    }
    // One pooled connection: the burst's first call takes it and keeps the loop busy as the other
    // 39 connections (and the health check's) arrive.
    assert.equal(await post(-1), 200);
    let settled = 0;
    const calls = Array.from({ length: BURN_BURST }, (_, n) => post(n).finally(() => settled++));
    const live = await new Promise<number>((resolve, reject) =>
      http.get(`${healthUrl}/health/live`, { agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode!));
      }).on("error", reject),
    );
    const settledWhenLive = settled;
    const statuses = await Promise.all(calls);
    console.log(`# burst of ${BURN_BURST} on new connections: ${statuses.filter((s) => s === 200).length} × 200, ${statuses.filter((s) => s === 503).length} × 503; /health/live (${live}) answered with ${settledWhenLive} settled`);
    assert.equal(live, 200);
    assert.ok(settledWhenLive < BURN_BURST, "/health/live answered only after the whole burst");
    agent.destroy();
    assert.equal(await service.stop(), 0, service.output());
    service = undefined;
  } finally {
    agent.destroy();
    service?.child.kill("SIGKILL");
    await service?.stop();
  }
});

/** The resident set size of process `pid` in KiB (Linux: VmRSS in /proc/<pid>/status). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  assert.ok(match, `no VmRSS for process ${pid}`);
  return Number(match[1]);
}

/** Rejects after HANG_GUARD_MS, so a failure ends the test (and its process) instead of hanging; no assertion depends on it. */
function hangGuard(what: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`still waiting: ${what}`)), HANG_GUARD_MS).unref());
}
