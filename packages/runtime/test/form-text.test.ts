import { test } from "node:test";
import assert from "node:assert/strict";
import { clip, formOf, numberFormOf, numberText, oneOfText, patternText, templateOf } from "../src/server/form-text.js";
import { BASE64_PATTERN, BIGINT_PATTERN, ISO_DATE_PATTERN } from "../src/wire-forms.js";

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

test("the wire forms checked by pattern are named, not quoted", () => {
  assert.equal(patternText(ISO_DATE_PATTERN), "must be an ISO 8601 date-time (e.g. 2024-03-05T10:00:00.000Z)");
  assert.equal(patternText(BIGINT_PATTERN), "must be a bigint as a string of digits");
  assert.equal(patternText(BASE64_PATTERN), "must be base64");
  assert.equal(patternText(`^usr-${NUMBER_TEXT}$`), "must match `usr-${number}`");
  assert.equal(patternText("^[a-z]+$"), undefined, "a user's own @pattern is quoted by Ajv's message");
  // The OpenAPI document also says `format`; the form's name wins.
  assert.equal(formOf({ type: "string", format: "date-time", pattern: ISO_DATE_PATTERN }).name, "ISO 8601 date-time string");
  assert.equal(formOf({ type: "string", pattern: BASE64_PATTERN, contentEncoding: "base64" }).name, "base64 string");
});

test("a number's two wire branches read as one form", () => {
  const plain = { anyOf: [{ type: "number" }, { type: "string", enum: ["Infinity", "-0"] }] };
  const boxed = { anyOf: [{ type: "number" }, { type: "object", properties: { $number: { type: "string", enum: ["NaN"] } }, required: ["$number"], additionalProperties: false }] };
  assert.equal(formOf(plain).name, "number");
  assert.equal(numberText(numberFormOf(plain)!), 'must be a number (or "Infinity", "-0" for the numbers JSON cannot write)');
  assert.equal(numberText(numberFormOf(boxed)!), 'must be a number (or { "$number": "NaN" } for the numbers JSON cannot write)');
  assert.equal(numberFormOf({ anyOf: [{ type: "number" }, { type: "string", enum: ["auto"] }] }), undefined);
});
