// Faults of a split program on real processes, through the generated clients:
// - kill -9 a service in the middle of a stream of non-idempotent calls and restart it:
//   every call succeeds or fails with a clear error, and no call ran twice (the service
//   appends each execution to a log file, which survives the kill);
// - a slow service at the end of a chain of three: the caller's deadline travels down
//   (each hop sees less time left), the call fails TIMEOUT and the slow work is aborted;
// - a service that is down: the breaker opens, calls fail fast without a connection,
//   and after the open period a probe gets through once the service is back.
// Counts and order only; every process is killed in `finally`.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import type { BuildResult } from "../packages/tsc-micro/src/index.ts";
import { REPO, TMP } from "./helpers/paths.ts";
import { startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const LEDGER = `import { appendFileSync, readFileSync } from "node:fs";

const proc = (globalThis as any).process;

/** Not idempotent: each execution appends a line. @microservice retry=3 */
export function record(id: string): string {
  appendFileSync(proc.env.FAULT_LOG, id + "\\n");
  return id;
}
`;

const CHAIN = `import { appendFileSync } from "node:fs";
import { callSignal, callTimeRemaining } from "@tsc-micro/runtime";

const proc = (globalThis as any).process;
function note(line: string): void {
  appendFileSync(proc.env.FAULT_LOG, line + "\\n");
}

/** @microservice timeout=600ms retry=0 */
export async function front(steps: number): Promise<number> {
  note("front " + Math.round(callTimeRemaining() ?? -1));
  return await middle(steps);
}

/** @microservice retry=0 */
export async function middle(steps: number): Promise<number> {
  note("middle " + Math.round(callTimeRemaining() ?? -1));
  return await slow(steps);
}

/** Well-behaved long work: checks its call's signal between steps. @microservice retry=0 */
export async function slow(steps: number): Promise<number> {
  note("slow " + Math.round(callTimeRemaining() ?? -1));
  const signal = callSignal();
  for (let i = 0; i < steps; i++) {
    if (signal.aborted) {
      note("slow cancelled at step " + i);
      throw new Error("cancelled");
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  note("slow done");
  return steps;
}
`;

const TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"] },
  include: ["src"],
};

async function buildProject(label: string, files: Record<string, string>): Promise<{ dir: string; result: BuildResult; clients: Record<string, any> }> {
  const dir = mkdtempSync(path.join(TMP, `e2e-faults-${label}-`));
  mkdirSync(path.join(dir, "src"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, "src", name), text);
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
  const result = await build({ project: path.join(dir, "tsconfig.json"), outDir: path.join(dir, "dist") });
  assert.ok(result.success, formatDiagnostics(result.diagnostics));
  const clients = (await import(pathToFileURL(path.join(result.outDir, "clients/index.js")).href)) as Record<string, any>;
  return { dir, result, clients };
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : [];
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

test("kill -9 mid-stream and restart, retries on: every call succeeds or fails clearly, none ran twice", { timeout: 180_000 }, async () => {
  const { dir, result, clients } = await buildProject("ledger", { "ledger.ts": LEDGER });
  const log = path.join(dir, "executions.log");
  const serviceDir = path.join(result.outDir, "services/record");
  const env = { FAULT_LOG: log };
  let ledger: RunningProcess | undefined = await startBundle("record", serviceDir, { env });
  const port = ledger.port;
  const client = clients.recordService;
  client.setBaseUrl(ledger.url);
  const CALLS = 300;
  const KILL_AT = 100;
  const outcomes: Array<{ id: string; ok: boolean; code?: string; message?: string }> = [];
  try {
    let next = 0;
    let killed: Promise<void> | undefined;
    async function worker(): Promise<void> {
      while (next < CALLS) {
        const n = next++;
        const id = `call-${n}`;
        if (n === KILL_AT) killed = killAndRestart();
        try {
          assert.equal(await clients.record(id), id);
          outcomes.push({ id, ok: true });
        } catch (error: any) {
          outcomes.push({ id, ok: false, code: error.code, message: error.message });
        }
      }
    }
    async function killAndRestart(): Promise<void> {
      ledger!.child.kill("SIGKILL");
      await ledger!.stop();
      ledger = await startBundle("record", serviceDir, { env, port });
    }
    await Promise.all(Array.from({ length: 4 }, worker));
    await killed;

    const executions = lines(log);
    const counts = new Map<string, number>();
    for (const id of executions) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts].filter(([, c]) => c > 1);
    assert.deepEqual(twice, [], "no call ran twice");
    const ok = outcomes.filter((o) => o.ok);
    for (const o of ok) assert.equal(counts.get(o.id), 1, `${o.id} succeeded, so it ran exactly once`);
    const failed = outcomes.filter((o) => !o.ok);
    for (const o of failed) {
      // A clear error: never sent (UNAVAILABLE, CIRCUIT_OPEN), or sent and its answer lost (UNKNOWN_OUTCOME).
      assert.ok(["UNAVAILABLE", "UNKNOWN_OUTCOME", "CIRCUIT_OPEN"].includes(o.code!), `${o.id}: ${o.code} ${o.message}`);
      if (o.code !== "UNKNOWN_OUTCOME") assert.equal(counts.get(o.id), undefined, `${o.id} failed before it was sent, so it never ran`);
    }
    assert.equal(outcomes.length, CALLS);
    // How many calls fall into the breaker's open period depends on the machine's speed; that the
    // program recovers does not: once the breaker lets a probe through, calls succeed again.
    let recovered: string | undefined;
    for (let i = 0; i < 200 && recovered === undefined; i++) {
      recovered = await clients.record(`after-${i}`).catch(() => undefined);
      if (recovered === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(recovered, "calls succeed again after the restart");
    assert.equal(lines(log).filter((id) => id === recovered).length, 1);
    const byCode = Object.fromEntries([...new Set(failed.map((o) => o.code))].map((c) => [c, failed.filter((o) => o.code === c).length]));
    console.log(`kill -9 at call ${KILL_AT} of ${CALLS}: ${ok.length} succeeded, failed ${JSON.stringify(byCode)}, executions ${executions.length}, ran twice 0`);
  } finally {
    client.close();
    await stopAll([ledger]);
  }
});

test("a slow service at the end of a chain of three: the deadline travels down, the call fails TIMEOUT, the slow work stops", { timeout: 180_000 }, async () => {
  const { dir, result, clients } = await buildProject("chain", { "chain.ts": CHAIN });
  const log = path.join(dir, "chain.log");
  const processes: RunningProcess[] = [];
  try {
    const env: Record<string, string> = { FAULT_LOG: log };
    for (const name of ["slow", "middle", "front"]) {
      const service = result.plan!.services.find((s) => s.name === name)!;
      const p = await startBundle(name, path.join(result.outDir, "services", name), { env: { ...env } });
      processes.push(p);
      env[service.envVar] = p.url;
      clients[service.clientName].setBaseUrl(p.url);
    }
    // 3,000 steps of 10 ms: far longer than front's 600 ms budget.
    const error = await clients.front(3_000).then(
      () => assert.fail("the call should time out"),
      (e: any) => e,
    );
    assert.equal(error.code, "TIMEOUT", error.message);
    await until(() => lines(log).some((l) => l.startsWith("slow cancelled")), "the slow work to see its abort");
    const seen = lines(log);
    const remaining = (name: string) => Number(seen.find((l) => l.startsWith(`${name} `))!.split(" ")[1]);
    assert.ok(remaining("front") <= 600 && remaining("front") > 0, seen.join("\n"));
    assert.ok(remaining("middle") <= remaining("front"), `middle got no more time than front: ${seen.join(", ")}`);
    assert.ok(remaining("slow") <= remaining("middle"), `slow got no more time than middle: ${seen.join(", ")}`);
    assert.equal(seen.filter((l) => l === "slow done").length, 0, "the slow work never ran to its end");
    assert.equal(seen.filter((l) => l.startsWith("slow cancelled")).length, 1);
    console.log(`deadline chain: ${seen.join(" | ")}`);
  } finally {
    for (const service of result.plan!.services) clients[service.clientName]?.close();
    await stopAll(processes);
  }
});

const OPEN_MS = 5_000;

test("a service that is down: the breaker opens, calls fail fast without connecting, then recover after a probe", { timeout: 180_000 }, async () => {
  // The generated client reads the breaker settings when its module loads: a short open period for the test.
  // Long enough for a loaded machine to start the service again while the breaker is still open.
  process.env.TSC_MICRO_BREAKER_OPEN_MS = String(OPEN_MS);
  let built;
  try {
    built = await buildProject("breaker", { "ledger.ts": LEDGER.replace("retry=3", "retry=0") });
  } finally {
    delete process.env.TSC_MICRO_BREAKER_OPEN_MS;
  }
  const { dir, result, clients } = built;
  const log = path.join(dir, "executions.log");
  const serviceDir = path.join(result.outDir, "services/record");
  let ledger: RunningProcess | undefined = await startBundle("record", serviceDir, { env: { FAULT_LOG: log } });
  const port = ledger.port;
  clients.recordService.setBaseUrl(ledger.url);
  try {
    assert.equal(await clients.record("before"), "before");
    await ledger.stop();
    ledger = undefined;
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) codes.push(await clients.record(`down-${i}`).then(() => "ok", (e: any) => e.code));
    // The fifth refusal opened the breaker, the three calls since failed fast: it opened just before this.
    const openedAt = performance.now();
    // Five refused connections open the breaker; the next calls fail fast with their own code.
    assert.deepEqual(codes, ["UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE", "CIRCUIT_OPEN", "CIRCUIT_OPEN", "CIRCUIT_OPEN"]);
    ledger = await startBundle("record", serviceDir, { env: { FAULT_LOG: log }, port });
    // While open, even a live service is not called…
    const restartMs = performance.now() - openedAt;
    assert.ok(restartMs < OPEN_MS - 500, `the service took ${Math.round(restartMs)} ms to start again, the breaker's open period is ${OPEN_MS} ms`);
    assert.equal(await clients.record("still-open").then(() => "ok", (e: any) => e.code), "CIRCUIT_OPEN");
    // …until the open period has passed: then one probe goes through and closes the breaker.
    await new Promise((resolve) => setTimeout(resolve, OPEN_MS + 100 - (performance.now() - openedAt)));
    assert.equal(await clients.record("probe"), "probe");
    assert.equal(await clients.record("after"), "after");
    assert.deepEqual(lines(log), ["before", "probe", "after"]);
  } finally {
    clients.recordService.close();
    await stopAll([ledger]);
  }
});

