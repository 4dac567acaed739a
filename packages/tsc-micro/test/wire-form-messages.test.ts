// A 400 names a pattern-checked wire form (Date, bigint, bytes) by what it is,
// never by its regular expression: the compiler's schemas (emit/json-schema.ts)
// and the runtime's messages (server/form-text.ts) share one set of patterns.
// Real schemas from the compiler, real Ajv errors, the runtime's toIssues.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { toIssues } from "@tsc-micro/runtime/server";
import type { ValidateFunction } from "@tsc-micro/runtime/server";
import { WIRE_FORMS, wireFormOf } from "@tsc-micro/runtime/wire-forms";
import { documentDialect, requestSchema, toJsonSchema, validatorDialect } from "../src/emit/json-schema.ts";
import { documentKeys } from "../src/emit/openapi.ts";
import type { ParameterModel, TypeIR } from "../src/model/ir.ts";

const keys = documentKeys({});
const DIALECTS = [validatorDialect(keys), documentDialect(keys)];

const DATE = 'must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z), or "Invalid Date"';
const BIGINT = "must be a bigint as a string of digits";
const BASE64 = "must be base64";

test("every pattern the compiler writes for a wire form is one the runtime names", () => {
  for (const kind of ["date", "bigint", "bytes"] as const) {
    for (const dialect of DIALECTS) {
      const pattern = toJsonSchema({ kind }, dialect).pattern;
      assert.equal(typeof pattern, "string", kind);
      assert.ok(wireFormOf(pattern!), `${kind}: ${pattern} is not one of the runtime's wire forms`);
    }
  }
  assert.deepEqual(
    (["date", "bigint", "bytes"] as const).map((kind) => wireFormOf(toJsonSchema({ kind }, DIALECTS[0]!).pattern!)?.message),
    [DATE, BIGINT, BASE64],
  );
  assert.equal(new Set(WIRE_FORMS.map((f) => f.pattern)).size, WIRE_FORMS.length, "one pattern, one form");
});

/** The issues for `body` against the request schema of `params`, as a service answers them. */
function issuesFor(params: Record<string, TypeIR>, body: unknown) {
  const models: ParameterModel[] = Object.entries(params).map(([name, type]) => ({ name, type, optional: false }));
  const schema = requestSchema(models, validatorDialect(keys));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true, discriminator: true });
  const validate = ajv.compile(schema) as ValidateFunction;
  assert.equal(validate(body), false, "the body should be invalid");
  // Services look schemas up in their OpenAPI document: the other dialect, with `format` beside the pattern.
  const documented = requestSchema(models, documentDialect(keys));
  return toIssues(validate.errors, { data: body, schema: documented, definitions: {} });
}

test("a bad Date, bigint or base64 string is named by its form", () => {
  const issues = issuesFor({ d: { kind: "date" }, n: { kind: "bigint" }, b: { kind: "bytes" } }, { d: "yesterday", n: "12a", b: "%%%" });
  assert.deepEqual(issues, [
    { path: "d", rule: "pattern", message: DATE },
    { path: "n", rule: "pattern", message: BIGINT },
    { path: "b", rule: "pattern", message: BASE64 },
  ]);
  for (const issue of issues) assert.doesNotMatch(issue.message, /\^|\\d|pattern/);
});

test("a Date that is not even a string, in an array or an object, is named by its form too", () => {
  const date: TypeIR = { kind: "date" };
  const issues = issuesFor(
    { ds: { kind: "array", items: date }, o: { kind: "object", properties: [{ name: "at", type: date, optional: false }] } },
    { ds: ["2024-03-05T10:00:00.000Z", 5, "soon"], o: { at: true } },
  );
  assert.deepEqual(issues, [
    { path: "ds[1]", rule: "type", message: DATE },
    { path: "ds[2]", rule: "pattern", message: DATE },
    { path: "o.at", rule: "type", message: DATE },
  ]);
});

test("in a union, a wire form is listed by its name", () => {
  const issues = issuesFor({ d: { kind: "union", members: [{ kind: "date" }, { kind: "null" }] }, n: { kind: "union", members: [{ kind: "bigint" }, { kind: "null" }] } }, { d: 5, n: 1 });
  assert.deepEqual(
    issues.map((i) => i.message),
    ["must be one of ISO 8601 date-time string, null", "must be one of bigint string, null"],
  );
});

test("a number that is no number says so once, naming the words for the numbers JSON cannot write", () => {
  assert.deepEqual(issuesFor({ x: { kind: "number" } }, { x: "lots" }), [
    { path: "x", rule: "type", message: 'must be a number (or "NaN", "Infinity", "-Infinity", "-0" for the numbers JSON cannot write)' },
  ]);
  // Inside a larger union the number is one form, not its two wire branches.
  const union = issuesFor({ x: { kind: "union", members: [{ kind: "number" }, { kind: "boolean" }] } }, { x: {} });
  assert.deepEqual(union.map((i) => [i.path, i.message]), [["x", "must be one of number, boolean"]]);
});
