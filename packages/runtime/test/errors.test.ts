import { test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_CODES, ServiceError, codeOfStatus, statusOf } from "../src/index.js";

const where = { service: "is-even", url: "http://is-even:8080/isEven" };

test("statusOf and codeOfStatus agree with the table", () => {
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    assert.equal(statusOf(code as keyof typeof ERROR_CODES), status);
    // Several codes may share a status (503: UNAVAILABLE, CIRCUIT_OPEN); a bare status reads as the
    // general one, and a status only a specific code has (422, 499) by its class.
    if (code !== "IDEMPOTENCY_KEY_REUSED" && code !== "CANCELLED") assert.equal(statusOf(codeOfStatus(status)), status);
  }
  assert.equal(codeOfStatus(502), "BAD_RESPONSE");
  assert.equal(codeOfStatus(503), "UNAVAILABLE");
  assert.equal(codeOfStatus(504), "TIMEOUT");
  assert.equal(codeOfStatus(429), "RATE_LIMITED");
});

test("codeOfStatus maps unknown statuses by class", () => {
  assert.equal(codeOfStatus(401), "BAD_REQUEST");
  // A foreign 422 or 499 is not ours: no specific code is guessed from a status alone.
  assert.equal(codeOfStatus(422), "BAD_REQUEST");
  assert.equal(codeOfStatus(499), "BAD_REQUEST");
  assert.equal(codeOfStatus(501), "INTERNAL");
  assert.equal(codeOfStatus(302), "BAD_RESPONSE");
  assert.equal(codeOfStatus(200), "BAD_RESPONSE");
});

test("a remote error keeps its name, and String() shows it", () => {
  const error = new ServiceError({ ...where, name: "RangeError", message: "x", code: "INTERNAL" });
  assert.equal(error.name, "RangeError");
  assert.equal(error.message, "x");
  assert.equal(String(error), "RangeError: x");
  assert.equal(error.status, 500);
  assert.equal(error.service, "is-even");
  assert.equal(error.url, where.url);
  assert.equal(error.retryable, false);
  assert.ok(error instanceof Error);
  assert.ok(Object.hasOwn(error, "name"));
  assert.ok(!Object.keys(error).includes("name"), "name is not enumerable");
  error.name = "Renamed";
  assert.equal(error.name, "Renamed", "name stays writable");
});

test("transport errors are named ServiceError and carry their cause", () => {
  const cause = new Error("connect ECONNREFUSED");
  const error = new ServiceError({ ...where, message: "down", code: "UNAVAILABLE", cause });
  assert.equal(error.name, "ServiceError");
  assert.equal(error.status, 503);
  assert.equal(error.retryable, true);
  assert.equal(error.cause, cause);
  // A deadline that passed says nothing of whether the function ran: only an idempotent one may be repeated.
  assert.equal(new ServiceError({ ...where, message: "t", code: "TIMEOUT" }).retryable, false);
  assert.equal(new ServiceError({ ...where, message: "u", code: "UNKNOWN_OUTCOME" }).retryable, false);
  // The client may know better than the table for one answer.
  assert.equal(new ServiceError({ ...where, message: "d", code: "UNAVAILABLE", retryable: false }).retryable, false);
  assert.ok(!("cause" in new ServiceError({ ...where, message: "m", code: "INTERNAL" })));
});

test("status can differ from the code's default; issues and remoteStack are kept", () => {
  const issues = [{ path: "x", rule: "type", message: "must be number" }];
  const error = new ServiceError({
    ...where,
    message: "bad",
    code: "BAD_REQUEST",
    status: 422,
    issues,
    remoteStack: "Error: bad\n    at remote",
  });
  assert.equal(error.status, 422);
  assert.deepEqual(error.issues, issues);
  assert.equal(error.remoteStack, "Error: bad\n    at remote");
  assert.ok(!("issues" in new ServiceError({ ...where, message: "m", code: "INTERNAL" })));
});

test("ServiceError.is works on a copy from another bundle (brand, not prototype)", () => {
  const brand = Symbol.for("@tsc-micro/runtime.ServiceError");
  // What another bundled copy of this module produces: a different class, same brand.
  class OtherCopy extends Error {}
  Object.defineProperty(OtherCopy.prototype, brand, { value: true });
  const foreign = new OtherCopy("from elsewhere");
  assert.equal(ServiceError.is(foreign), true);
  assert.ok(foreign instanceof ServiceError);
  assert.equal(ServiceError.is(new Error("plain")), false);
  assert.equal(ServiceError.is(null), false);
  assert.equal(ServiceError.is("ServiceError"), false);
  assert.ok(!(new Error("plain") instanceof ServiceError));
});
