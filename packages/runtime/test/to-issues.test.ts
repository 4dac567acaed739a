import { test } from "node:test";
import assert from "node:assert/strict";
import { toIssues } from "../src/server/index.js";
import { argsValidator } from "./helpers.js";

// Real Ajv output, so the mapping is checked against the shapes Ajv emits.
const validate = argsValidator({
  x: { type: "number" },
  user: {
    type: "object",
    properties: {
      tags: { type: "array", items: { type: "string" } },
      "odd/key~name": { type: "string" },
    },
    required: ["tags"],
    additionalProperties: false,
  },
});

function issuesFor(body: unknown) {
  assert.equal(validate(body), false);
  return toIssues(validate.errors);
}

test("missing and unknown top-level arguments", () => {
  assert.deepEqual(issuesFor({ user: { tags: [] }, y: 1 }), [
    { path: "x", rule: "required", message: "missing argument" },
    { path: "y", rule: "additionalProperties", message: "unknown argument" },
  ]);
});

test("wrong type at the top level uses Ajv's message", () => {
  assert.deepEqual(issuesFor({ x: "1", user: { tags: [] } }), [
    { path: "x", rule: "type", message: "must be number" },
  ]);
});

test("nested paths read like code: user.tags[2]", () => {
  assert.deepEqual(issuesFor({ x: 1, user: { tags: ["a", "b", 3] } }), [
    { path: "user.tags[2]", rule: "type", message: "must be string" },
  ]);
});

test("nested missing and unknown properties say 'property'", () => {
  assert.deepEqual(issuesFor({ x: 1, user: { extra: true } }), [
    { path: "user.tags", rule: "required", message: "missing property" },
    { path: "user.extra", rule: "additionalProperties", message: "unknown property" },
  ]);
});

test("JSON Pointer escapes are decoded and odd keys are quoted", () => {
  assert.deepEqual(issuesFor({ x: 1, user: { tags: [], "odd/key~name": 5 } }), [
    { path: 'user["odd/key~name"]', rule: "type", message: "must be string" },
  ]);
});

test("the body itself has path ''", () => {
  assert.deepEqual(issuesFor([]), [{ path: "", rule: "type", message: "must be object" }]);
});

test("null or missing errors give no issues", () => {
  assert.deepEqual(toIssues(null), []);
  assert.deepEqual(toIssues(undefined), []);
});
