// The 400 (and the development result check's 500) stay a few KiB however bad
// the value: issues are capped and the rest counted.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { createApp } from "../src/server/index.js";
import type { RouteDef, ServiceDef, ValidateFunction } from "../src/server/index.js";
import { post, route } from "./helpers.js";

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true, discriminator: true });
const NUMBER_TEXT = "\\s*(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*";
const tokenForms = Array.from({ length: 97 }, (_, i) => `c${String(i).padStart(2, "0")}`).flatMap((c) =>
  ["light", "dark"].map((tone) => ({ type: "string", pattern: `^${c}-${tone}-${NUMBER_TEXT}$` })),
);
const TOKEN = { anyOf: tokenForms };

function requestSchema(properties: Record<string, object>) {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

/** A service whose OpenAPI document carries the request schemas, as generated services do. */
function service(routes: { name: string; properties: Record<string, object>; extra?: Partial<RouteDef> }[], withDocument = true): ServiceDef {
  const paths = Object.fromEntries(
    routes.map((r) => [`/${r.name}`, { post: { requestBody: { content: { "application/json": { schema: requestSchema(r.properties) } } } } }]),
  );
  return {
    name: "paint",
    openapi: withDocument ? { openapi: "3.1.0", info: { title: "paint", version: "1" }, paths, components: { schemas: {} } } : {},
    routes: routes.map((r) =>
      route({ name: r.name, params: Object.keys(r.properties), validate: ajv.compile(requestSchema(r.properties)) as ValidateFunction, invoke: () => 1, ...r.extra }),
    ),
  };
}

async function call(def: ServiceDef, name: string, body: unknown, env: Record<string, string> = {}) {
  const { app } = createApp(def, { env, logError: () => {} });
  const response = await app.request(`/${name}`, post(JSON.stringify(body)));
  const text = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(text), error: JSON.parse(text).error };
}

describe("400 bodies stay small", () => {
  const def = service([
    { name: "paint", properties: { token: TOKEN } },
    { name: "paintAll", properties: { tokens: { type: "array", items: TOKEN }, note: { type: "string" } } },
  ]);

  test("one bad argument of a 194-form template-literal union: one issue naming the field", async () => {
    for (const withDocument of [true, false]) {
      const res = await call(withDocument ? def : service([{ name: "paint", properties: { token: TOKEN } }], false), "paint", { token: "c05-light-x" });
      assert.equal(res.status, 400);
      assert.ok(res.bytes < 4096, `${res.bytes} bytes`);
      assert.equal(res.error.issues.length, 1);
      assert.equal(res.error.issues[0].path, "token");
      assert.match(res.error.issues[0].message, /194 forms/);
      assert.match(res.error.message, /^invalid request to paint: token: must be one of 194 forms/);
      assert.equal("omittedIssues" in res.error, false);
    }
  });

  test("hundreds of bad elements: the first 20 issues, in parameter order, and a count of the rest", async () => {
    const res = await call(def, "paintAll", { extra: 1, note: 5, tokens: Array.from({ length: 300 }, (_, i) => `bad-${i}`) });
    assert.equal(res.status, 400);
    assert.ok(res.bytes < 4096, `${res.bytes} bytes`);
    assert.equal(res.error.issues.length, 20);
    assert.equal(res.error.omittedIssues, 302 - 20);
    assert.deepEqual(res.error.issues.slice(0, 2).map((i: { path: string }) => i.path), ["tokens[0]", "tokens[1]"]);
    assert.match(res.error.message, /^invalid request to paintAll: tokens\[0\]: must be one of 194 forms.*; and 299 more issues$/);
  });

  test("huge keys and values cannot blow the body up", async () => {
    const key = "k".repeat(50_000);
    const res = await call(def, "paint", { token: "c".repeat(50_000), [key]: 1 });
    assert.equal(res.status, 400);
    assert.ok(res.bytes < 4096, `${res.bytes} bytes`);
    assert.equal(res.error.issues.length, 2);
  });
});

describe("the development result check", () => {
  test("names a tuple element result[3], as request paths do", async () => {
    const tuple = { type: "array", prefixItems: [{ type: "number" }, { type: "number" }, { type: "number" }, { type: "number" }], minItems: 4, items: false, maxItems: 4 };
    const def = service([
      { name: "quad", properties: {}, extra: { invoke: () => [1, 2, 3, "4"], validateResult: ajv.compile(tuple) as ValidateFunction } },
    ]);
    const res = await call(def, "quad", {}, { NODE_ENV: "development" });
    assert.equal(res.status, 500);
    assert.equal(res.error.name, "ResponseValidationError");
    assert.deepEqual(res.error.issues, [{ path: "result[3]", rule: "type", message: "must be number" }]);
    assert.match(res.error.message, /result\[3\]: must be number/);
  });
});
