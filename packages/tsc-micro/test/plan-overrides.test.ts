import assert from "node:assert/strict";
import { test } from "node:test";
import { callPolicy } from "../src/emit/client.ts";
import type { ModelResult } from "../src/model/model.ts";
import { plan } from "../src/plan/plan.ts";
import type { ServiceOptions } from "../src/scan/tag-options.ts";
import type { ScanResult, TaggedFunction } from "../src/scan/types.ts";

function fn(name: string, options: ServiceOptions): TaggedFunction {
  const file = "src/math.ts";
  const location = { file, start: 0, length: name.length, line: 1, column: 1 };
  return { id: `${file}:${name}`, name, exportName: name, file, location, isAsync: false, docs: { params: {} }, options, params: [] };
}

/** Plans `functions` (all of service `math`) with the given config overrides; returns each route's options and call policy. */
function routes(functions: TaggedFunction[], overrides: Record<string, Omit<ServiceOptions, "name">>) {
  const scan: ScanResult = { files: ["src/math.ts"], functions, errorClasses: [], contexts: {}, references: [], diagnostics: [] };
  const models: ModelResult = { functions: Object.fromEntries(functions.map((f) => [f.id, { id: f.id, params: [], result: null }])), components: {}, diagnostics: [] };
  const { plan: planned, diagnostics } = plan(scan, models, { overrides });
  assert.deepEqual(diagnostics, []);
  return Object.fromEntries(planned.services.flatMap((s) => s.routes.map((r) => [r.name, { options: r.options, policy: callPolicy(r) }])));
}

const functions = [fn("add", { name: "math", retry: 5, timeoutMs: 2000, idempotent: false }), fn("sub", { name: "math" }), fn("mul", { name: "math", idempotent: true })];

test("without overrides each route keeps its own tag's call policy; none set, no policy", () => {
  assert.deepEqual(routes(functions, {}), {
    add: { options: { name: "math", retry: 5, timeoutMs: 2000, idempotent: false }, policy: "{ timeoutMs: 2000, retry: 5, idempotent: false }" },
    mul: { options: { name: "math", idempotent: true }, policy: "{ idempotent: true }" },
    sub: { options: { name: "math" }, policy: undefined },
  });
});

test("config overrides of retry, timeout and idempotent reach every route of the service, over the tags", () => {
  const planned = routes(functions, { math: { retry: 1, timeoutMs: 500, idempotent: true } });
  for (const name of ["add", "sub", "mul"]) {
    assert.deepEqual(planned[name]!.options, { name: "math", retry: 1, timeoutMs: 500, idempotent: true }, name);
    assert.equal(planned[name]!.policy, "{ timeoutMs: 500, retry: 1, idempotent: true }", name);
  }
});

test("an override of one option leaves the tags' other options alone", () => {
  const planned = routes(functions, { math: { idempotent: false } });
  assert.deepEqual(planned.add!.options, { name: "math", retry: 5, timeoutMs: 2000, idempotent: false });
  assert.deepEqual(planned.mul!.options, { name: "math", idempotent: false });
  assert.deepEqual(planned.sub!.options, { name: "math", idempotent: false });
});
