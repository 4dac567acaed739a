// concurrency= in a real process: a built service with concurrency=2 (queue 4 × 2 = 8) takes a
// burst of 40 calls that block until the test signals the process. Exactly 10 are admitted, 30
// are refused with 503 + Retry-After at once, /health/live answers meanwhile, and after the
// signal the 10 finish and the process stops cleanly. Counts only; the process is always killed.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { build, formatDiagnostics } from "../packages/tsc-micro/src/index.ts";
import { REPO } from "./helpers/paths.ts";
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
  const dir = mkdtempSync(path.join(REPO, ".tmp", "e2e-overload-"));
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

/** Rejects after HANG_GUARD_MS, so a failure ends the test (and its process) instead of hanging; no assertion depends on it. */
function hangGuard(what: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`still waiting: ${what}`)), HANG_GUARD_MS).unref());
}
