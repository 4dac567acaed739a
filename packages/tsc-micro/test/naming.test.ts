import assert from "node:assert/strict";
import { test } from "node:test";
import { camelCase, kebabCase, upperSnake, urlEnvVar } from "../src/plan/naming.ts";

test("service names from function names", () => {
  assert.equal(kebabCase("isEven"), "is-even");
  assert.equal(kebabCase("getHTTPStatus"), "get-http-status");
  assert.equal(kebabCase("fib2"), "fib2");
  assert.equal(kebabCase("snake_case_name"), "snake-case-name");
  assert.equal(kebabCase("XMLParser"), "xml-parser");
});

test("env var and client names from service names", () => {
  assert.equal(upperSnake("is-even"), "IS_EVEN");
  assert.equal(urlEnvVar("is-even"), "TSC_MICRO_IS_EVEN_URL");
  assert.equal(camelCase("get-http-status"), "getHttpStatus");
});
