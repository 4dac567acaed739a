import { test } from "node:test";
import assert from "node:assert/strict";
import { clip, formOf, oneOfText, templateOf } from "../src/server/form-text.js";

// What the compiler makes of `${number}` (packages/tsc-micro/src/model/library-types.ts).
const NUMBER_TEXT = "\\s*(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*";

test("the compiler's template-literal patterns read back as the types", () => {
  assert.equal(templateOf(`^usr-${NUMBER_TEXT}$`), "`usr-${number}`");
  assert.equal(templateOf("^[\\s\\S]*-id$"), "`${string}-id`");
  assert.equal(templateOf("^on-(?:true|false)$"), "`on-${boolean}`");
  assert.equal(templateOf("^n-?\\d+$"), "`n${bigint}`");
  assert.equal(templateOf("^a\\.b\\/c\\(d\\)$"), "`a.b/c(d)`");
});

test("other patterns are not mistaken for templates", () => {
  for (const pattern of ["^[a-z]+$", "a-b", "^a\\$", "^a.b$", "^x`y$", "^$x"]) {
    assert.equal(templateOf(pattern), undefined, pattern);
  }
});

test("forms are named like TypeScript", () => {
  assert.deepEqual(formOf({ type: "string", enum: ["a", "b"] }), { name: '"a" | "b"', choices: ['"a"', '"b"'] });
  assert.equal(formOf({ $ref: "#/components/schemas/Cafe" }, { Cafe: { title: "Café", type: "object" } }).name, "Café");
  assert.equal(formOf({ type: "object", properties: { type: { const: "click" }, x: {}, y: {}, z: {} }, required: ["type", "x"] }).name, '{ type: "click", x, y?, … }');
  assert.equal(formOf({ type: "array", items: { type: ["string", "null"] } }).name, "(string | null)[]");
  assert.equal(formOf({ type: "string", format: "date-time" }).name, "date-time string");
  assert.equal(formOf({}).name, "any value");
});

test("long lists are counted, with the closest examples first", () => {
  const forms = Array.from({ length: 12 }, (_, i) => `"v${i}"`);
  assert.equal(oneOfText(forms, "v11"), 'must be one of 12 forms; closest: "v11", "v1", "v10"');
  assert.equal(oneOfText(forms, 5), 'must be one of 12 forms, e.g. "v0", "v1", "v2"');
  assert.equal(oneOfText(['"a"'], "b"), 'must be "a"');
});

test("clipping never splits a surrogate pair", () => {
  assert.equal(clip("abcdef", 4), "abc…");
  assert.equal(clip("ab🙂🙂", 4), "ab…");
  assert.equal(clip("abc", 4), "abc");
});
