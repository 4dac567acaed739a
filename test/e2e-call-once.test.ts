// One-shot mode end to end: build examples/parity and run service bundles as
// `node index.mjs --call <fn> '<json>'`, the way a Job or cron runs them; each
// process must end by itself with the documented exit code.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { before, describe, test } from "node:test";
import { cachedBuild } from "./helpers/build-cache.ts";
import { EXAMPLES } from "./helpers/paths.ts";
import { startBundle } from "./helpers/services.ts";

let outDir = "";

// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("e2e-call-once", () => {
  before(async () => {
    const result = await cachedBuild({ project: path.join(EXAMPLES, "parity/tsconfig.json") }, "e2e-call-once");
    outDir = result.outDir;
    assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
  });

  interface CallResult {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }

  /** A generous safety bound, not a timing assertion: a process still running after it has hung. */
  const HUNG_AFTER_MS = 60_000;

  /** Runs `node index.mjs ...args` in the service's folder and waits for it to exit by itself; always killed in the end. */
  async function call(service: string, args: string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CallResult> {
    const child = spawn(process.execPath, ["index.mjs", ...args], {
      cwd: path.join(outDir, "services", service),
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.end(options.stdin ?? "");
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<CallResult>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`${service} ${args.join(" ")} did not exit by itself:\n${stdout}${stderr}`)), HUNG_AFTER_MS);
        child.once("error", reject);
        // "close": the exit code and every byte of output are in.
        child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    } finally {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }

  /** A 127.0.0.1 URL where nothing listens: a port taken from the OS and given back. */
  async function closedUrl(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `http://127.0.0.1:${port}`;
  }

  describe("node index.mjs --call (examples/parity)", () => {
    test("prints the JSON result and exits 0, without a port or a 'listening' line", async () => {
      const even = await call("is-even", ["--call", "isEven", '{"x": 7}']);
      assert.deepEqual(even, { code: 0, signal: null, stdout: "false\n", stderr: "" });
      const factorial = await call("factorial", ["--call", "factorial", '{"n": 10}']);
      assert.deepEqual([factorial.code, JSON.parse(factorial.stdout)], [0, 3628800]);
    });

    test("reads the arguments from stdin when they are omitted or '-'", async () => {
      for (const args of [["--call", "isEven"], ["--call", "isEven", "-"]]) {
        const result = await call("is-even", args, { stdin: '{"x": 10}' });
        assert.deepEqual(result, { code: 0, signal: null, stdout: "true\n", stderr: "" }, args.join(" "));
      }
    });

    test("invalid arguments: the 400 error body on stdout, exit 3", async () => {
      const result = await call("is-even", ["--call", "isEven", '{"x": "7"}']);
      assert.equal(result.code, 3, result.stderr);
      const { error } = JSON.parse(result.stdout);
      assert.equal(error.code, "BAD_REQUEST");
      assert.deepEqual(error.issues.map((i: { path: string }) => i.path), ["x"]);
      assert.match(result.stderr, /^is-even: isEven failed with BAD_REQUEST \(exit 3\)/);
    });

    test("the function threw: its error on stdout, exit 1", async () => {
      const result = await call("factorial", ["--call", "factorial", '{"n": -1}']);
      assert.equal(result.code, 1, result.stderr);
      const { error } = JSON.parse(result.stdout);
      assert.deepEqual([error.code, error.name, error.message], ["INTERNAL", "RangeError", "factorial needs a whole number from 0 to 170, got -1"]);
    });

    test("an unknown function: usage with the functions on stderr, exit 2", async () => {
      const result = await call("is-even", ["--call", "isOdd", '{"x": 7}']);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, /service "is-even" has no function "isOdd"/);
      assert.match(result.stderr, /\n {2}isEven\(x\)\n/);
    });

    test("--help prints usage with the functions, exit 0", async () => {
      const result = await call("is-odd", ["--help"]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /\n {2}isOdd\(x\)\n/);
      assert.match(result.stdout, /Exit codes:/);
    });

    test("a downstream service that is not running: UNAVAILABLE, exit 4, and the process ends", async () => {
      const result = await call("is-odd", ["--call", "isOdd", '{"x": 7}'], { env: { TSC_MICRO_IS_EVEN_URL: await closedUrl() } });
      assert.equal(result.code, 4, result.stdout + result.stderr);
      assert.equal(result.signal, null);
      assert.match(JSON.parse(result.stdout).error.code, /^(UNAVAILABLE|CIRCUIT_OPEN)$/);
    });

    test("a downstream call works as usual: is-odd --call reaches a running is-even", async () => {
      // is-even serves as usual; is-odd makes its one call through it.
      const even = await startBundle("is-even", path.join(outDir, "services", "is-even"));
      try {
        const result = await call("is-odd", ["--call", "isOdd", '{"x": 7}'], { env: { TSC_MICRO_IS_EVEN_URL: even.url } });
        assert.deepEqual(result, { code: 0, signal: null, stdout: "true\n", stderr: "" });
      } finally {
        await even.stop();
      }
    });
  });
});
