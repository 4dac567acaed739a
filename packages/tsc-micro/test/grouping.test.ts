import assert from "node:assert/strict";
import { test } from "node:test";
import { DiagnosticCode } from "../src/diagnostics/diagnostic.ts";
import type { Diagnostic } from "../src/diagnostics/diagnostic.ts";
import { groupServices } from "../src/plan/grouping.ts";
import type { GroupingOptions } from "../src/plan/grouping.ts";
import type { TaggedFunction } from "../src/scan/types.ts";

function fn(name: string, file = "src/a.ts", service?: string): TaggedFunction {
  const location = { file, start: 0, length: name.length, line: 1, column: 1 };
  return { id: `${file}:${name}`, name, exportName: name, file, location, isAsync: false, docs: { params: {} }, options: service ? { name: service } : {}, params: [] };
}

function group(functions: TaggedFunction[], options: GroupingOptions = {}) {
  const diagnostics: Diagnostic[] = [];
  const byId = groupServices(functions, options, diagnostics);
  return { services: Object.fromEntries(functions.filter((f) => byId.has(f.id)).map((f) => [f.name, byId.get(f.id)])), diagnostics };
}

const fns = [fn("isEven"), fn("getHTTPStatus"), fn("add", "src/m.ts", "math"), fn("sub", "src/m.ts", "math")];

test("one service per function name in kebab-case, or per service= name (shared names colocate)", () => {
  assert.deepEqual(group(fns), { services: { isEven: "is-even", getHTTPStatus: "get-http-status", add: "math", sub: "math" }, diagnostics: [] });
});

test("configuration colocates whole services under the group's first name, or puts all in one", () => {
  assert.deepEqual(group(fns, { colocate: [["math", "is-even"]] }).services, { isEven: "math", getHTTPStatus: "get-http-status", add: "math", sub: "math" });
  assert.deepEqual(new Set(Object.values(group(fns, { mode: "monolith" }).services)), new Set(["monolith"]));
  assert.deepEqual(new Set(Object.values(group(fns, { mode: "monolith", monolithName: "all" }).services)), new Set(["all"]));
});

test("two functions of one name: an error at the second, which gets no service", () => {
  const { services, diagnostics } = group([fn("f", "src/a.ts"), fn("f", "src/b.ts")]);
  assert.deepEqual(services, { f: "f" });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.file]), [[DiagnosticCode.DuplicateRoute, "src/b.ts"]]);
  assert.match(diagnostics[0]!.message, /src\/a\.ts/);
});

test("colocate naming an unknown service is a configuration error listing the known ones", () => {
  const { diagnostics } = group(fns, { colocate: [["math", "nope"]] });
  assert.deepEqual(diagnostics.map((d) => d.code), [DiagnosticCode.ConfigInvalid]);
  assert.match(diagnostics[0]!.message, /'nope'/);
  assert.equal(diagnostics[0]!.hint, "Known services: get-http-status, is-even, math.");
});
