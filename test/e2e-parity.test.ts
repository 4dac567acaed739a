// End to end on examples/parity: build it, run every service bundle as its own
// process (each from a copy of its folder alone, as in its Docker image), and
// check that the split program answers exactly as the monolith does.
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
import { ServiceError } from "../packages/runtime/src/errors.ts";
import * as evenMonolith from "../examples/parity/src/even.ts";
import * as mathMonolith from "../examples/parity/src/math.ts";
import * as oddMonolith from "../examples/parity/src/odd.ts";
import { cachedBuild } from "./helpers/build-cache.ts";
import { EXAMPLES } from "./helpers/paths.ts";
import { post, startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

let outDir = "";
const procs: Record<string, RunningProcess> = {};
let clients: any;

// The hooks below belong to this file's tests only, so the file can share a process
// (scripts/test-processes.mjs).
describe("e2e-parity", () => {
  before(async () => {
    const result = await cachedBuild({ project: path.join(EXAMPLES, "parity/tsconfig.json") }, "e2e-parity");
    outDir = result.outDir;
    assert.ok(result.success, JSON.stringify(result.diagnostics, null, 2));
    assert.deepEqual(result.services.map((s) => s.name), ["factorial", "fib", "is-even", "is-odd"]);
    const service = (name: string) => path.join(outDir, "services", name);
    procs["is-even"] = await startBundle("is-even", service("is-even"));
    procs.factorial = await startBundle("factorial", service("factorial"));
    procs.fib = await startBundle("fib", service("fib"));
    // is-odd finds is-even through the variable the generated client reads.
    procs["is-odd"] = await startBundle("is-odd", service("is-odd"), { env: { TSC_MICRO_IS_EVEN_URL: procs["is-even"].url } });
    clients = await import(pathToFileURL(path.join(outDir, "clients/index.js")).href);
    clients.isEvenService.setBaseUrl(procs["is-even"].url);
    clients.isOddService.setBaseUrl(procs["is-odd"].url);
    clients.factorialService.setBaseUrl(procs.factorial.url);
    clients.fibService.setBaseUrl(procs.fib.url);
  });

  after(async () => {
    for (const name of ["isEvenService", "isOddService", "factorialService", "fibService"]) clients?.[name]?.close();
    await stopAll(Object.values(procs));
  });

  /** What the monolith does with a call: its value, or the error it throws. */
  async function outcome(f: () => unknown): Promise<{ value?: unknown; error?: { name: string; message: string } }> {
    try {
      return { value: await f() };
    } catch (e) {
      return { error: { name: (e as Error).name, message: (e as Error).message } };
    }
  }

  describe("examples/parity split into four processes", () => {
    test("the generated clients give the monolith's results", async () => {
      const xs = [-7, -2, 0, 1, 2, 7, 10, 1_000_001, Number.MAX_SAFE_INTEGER, 2.5];
      for (const x of xs) {
        assert.deepEqual(await outcome(() => clients.isEven(x)), await outcome(() => evenMonolith.isEven(x)), `isEven(${x})`);
        assert.deepEqual(await outcome(() => clients.isOdd(x)), await outcome(() => oddMonolith.isOdd(x)), `isOdd(${x})`);
      }
      for (const n of [0, 1, 5, 20, 170, -1, 171, 2.5]) {
        assert.deepEqual(await outcome(() => clients.factorial(n)), await outcome(() => mathMonolith.factorial(n)), `factorial(${n})`);
      }
      for (const n of [0, 1, 2, 30, 78, 1476, -1, 1477]) {
        assert.deepEqual(await outcome(() => clients.fib(n)), await outcome(() => mathMonolith.fib(n)), `fib(${n})`);
      }
    });

    test("any HTTP client can call a service: POST /<function> and POST / with named arguments", async () => {
      assert.deepEqual(await post(`${procs["is-even"]!.url}/isEven`, { x: 4 }), { status: 200, body: true });
      assert.deepEqual(await post(`${procs["is-odd"]!.url}/`, { x: 4 }), { status: 200, body: false });
      assert.deepEqual(await post(`${procs.factorial!.url}/factorial`, { n: 5 }), { status: 200, body: 120 });
    });

    test("an error thrown in a service reaches the caller with its name and message", async () => {
      const err = await clients.factorial(-1).then(
        () => assert.fail("factorial(-1) should throw"),
        (e: unknown) => e,
      );
      assert.ok(ServiceError.is(err));
      assert.equal(err.name, "RangeError");
      assert.equal(err.message, "factorial needs a whole number from 0 to 170, got -1");
      assert.equal(err.status, 500);
      assert.equal(err.service, "factorial");
      // Rebuilt as the class that was thrown, as in the monolith (the wire code stays in the body).
      assert.ok(err instanceof RangeError);
      const raw = await post(`${procs.fib!.url}/fib`, { n: -1 });
      assert.equal(raw.status, 500);
      assert.deepEqual(Object.keys(raw.body.error).sort(), ["code", "message", "name"], "no stack trace in production");
      assert.equal(raw.body.error.name, "RangeError");
    });

    test("bad requests get a 400 JSON error naming the field", async () => {
      const url = `${procs["is-even"]!.url}/isEven`;
      const malformed = await post(url, "{ x: ", true);
      assert.equal(malformed.status, 400);
      assert.match(malformed.body.error.message, /not valid JSON/);
      const cases: [unknown, string, RegExp][] = [
        [{}, "x", /missing/],
        [{ x: "4" }, "x", /number/],
        [{ x: 4, y: 1 }, "y", /unknown/],
        [[4], "", /object/],
      ];
      for (const [body, field, message] of cases) {
        const res = await post(url, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error.code, "BAD_REQUEST");
        const issue = res.body.error.issues.find((i: { path: string }) => i.path === field);
        assert.ok(issue, `an issue for '${field}' in ${JSON.stringify(res.body)}`);
        assert.match(issue.message, message);
        if (field) assert.match(res.body.error.message, new RegExp(field));
      }
      // Through the client, a 400 is a ServiceError with the issues.
      const err = await clients.isEven("four").catch((e: unknown) => e);
      assert.ok(ServiceError.is(err));
      assert.equal(err.status, 400);
      assert.equal(err.code, "BAD_REQUEST");
      assert.equal(err.issues?.[0]?.path, "x");
    });

    test("health, readiness and the OpenAPI document are served", async () => {
      for (const p of Object.values(procs)) {
        assert.equal((await fetch(`${p.url}/health/live`)).status, 200);
        assert.equal((await fetch(`${p.url}/health/ready`)).status, 200);
      }
      const doc = (await (await fetch(`${procs["is-odd"]!.url}/openapi.json`)).json()) as { openapi: string; paths: object };
      assert.equal(doc.openapi, "3.1.0");
      assert.deepEqual(Object.keys(doc.paths), ["/isOdd"]);
    });

    test("is-odd really calls is-even: with is-even stopped, isOdd fails naming is-even", async () => {
      assert.equal(await clients.isOdd(3), true);
      assert.equal(await procs["is-even"]!.stop(), 0, "is-even stops cleanly on SIGTERM");
      const err = await clients.isOdd(3).then(
        () => assert.fail("isOdd should fail without is-even"),
        (e: unknown) => e,
      );
      assert.ok(ServiceError.is(err), String(err));
      assert.equal(err.service, "is-odd");
      assert.match(err.message, /"is-even"/);
      // The code keeps its meaning across the hop (503, retryable), and the production body hides is-even's address.
      assert.equal(err.code, "UNAVAILABLE");
      assert.equal(err.status, 503);
      assert.equal(err.message.includes(new URL(procs["is-even"]!.url).host), false, err.message);
      // The services that do not depend on is-even carry on.
      assert.equal(await clients.fib(10), 55);
    });

    test("every service stops cleanly on SIGTERM", async () => {
      for (const name of ["is-odd", "factorial", "fib"]) assert.equal(await procs[name]!.stop(), 0, name);
    });
  });
});
