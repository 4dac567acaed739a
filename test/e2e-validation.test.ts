// The door and the way out: reserved keys never reach a function, and in
// development a result that breaks its declared type is a 500 naming the field.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "../packages/tsc-micro/src/index.ts";
import { FIXTURES, tempOutDir } from "./helpers/paths.ts";
import { post, startBundle, stopAll } from "./helpers/services.ts";
import type { RunningProcess } from "./helpers/services.ts";

const outDir = tempOutDir("e2e-validation");
const dev: Record<string, RunningProcess> = {};
const prod: Record<string, RunningProcess> = {};

before(async () => {
  const result = await build({ project: path.join(FIXTURES, "dev-result-check/tsconfig.json"), outDir });
  assert.ok(result.success, JSON.stringify(result.diagnostics));
  for (const name of ["liar", "stats", "merge"]) {
    const dir = path.join(outDir, "services", name);
    dev[name] = await startBundle(name, dir, { env: { NODE_ENV: "development" } });
    prod[name] = await startBundle(name, dir);
  }
});
after(() => stopAll([...Object.values(dev), ...Object.values(prod)]));

describe("results checked against their schema in development", () => {
  test("a result of the wrong type is a 500 that names the field", async () => {
    const res = await post(`${dev.liar!.url}/liar`, { x: 1 });
    assert.equal(res.status, 500);
    assert.equal(res.body.error.name, "ResponseValidationError");
    assert.equal(res.body.error.code, "INTERNAL");
    assert.deepEqual(res.body.error.issues.map((i: { path: string }) => i.path), ["result"]);
    assert.match(res.body.error.message, /liar/);
    const nested = await post(`${dev.stats!.url}/stats`, { xs: [13] });
    assert.equal(nested.status, 500);
    assert.ok(nested.body.error.issues.some((i: { path: string }) => i.path === "result.mean"), JSON.stringify(nested.body));
  });

  test("a good result passes the check, and production does not check", async () => {
    assert.deepEqual(await post(`${dev.stats!.url}/stats`, { xs: [1, 2] }), { status: 200, body: { count: 2, mean: 1.5 } });
    assert.deepEqual(await post(`${prod.liar!.url}/liar`, { x: 1 }), { status: 200, body: "1" });
  });
});

describe("reserved keys never reach the function", () => {
  test("__proto__ and constructor anywhere in the body are a 400", async () => {
    for (const raw of ['{"patch": {"__proto__": {"polluted": "yes"}}}', '{"patch": {"constructor": "x"}}', '{"patch": {"a": "1"}, "__proto__": {}}', '{"patch": {"__pro\\u0074o__": {"x": "1"}}}']) {
      const res = await post(`${prod.merge!.url}/merge`, raw, true);
      assert.equal(res.status, 400, raw);
      assert.equal(res.body.error.issues[0].rule, "forbiddenKey");
    }
    assert.deepEqual(await post(`${prod.merge!.url}/merge`, { patch: { a: "1", b: "2" } }), { status: 200, body: 2 });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
