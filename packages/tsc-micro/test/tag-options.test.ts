import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTagOptions } from "../src/scan/tag-options.ts";

test("parses every option", () => {
  const { options, problems } = parseTagOptions("name=billing retry=5 timeout=2s concurrency=16 replicas=3 tags=b,a,b");
  assert.deepEqual(problems, []);
  assert.deepEqual(options, { name: "billing", retry: 5, timeoutMs: 2000, concurrency: 16, replicas: 3, tags: ["a", "b"] });
});

test("durations in ms, s and m", () => {
  assert.equal(parseTagOptions("timeout=250ms").options.timeoutMs, 250);
  assert.equal(parseTagOptions("timeout=1.5s").options.timeoutMs, 1500);
  assert.equal(parseTagOptions("timeout=1m").options.timeoutMs, 60_000);
  for (const bad of ["timeout=5", "timeout=0ms", "timeout=2h", "timeout=1.5ms", "timeout=s"]) {
    assert.equal(parseTagOptions(bad).problems.length, 1, bad);
  }
});

test("an empty tag line has no options and no problems", () => {
  assert.deepEqual(parseTagOptions(""), { options: {}, problems: [] });
});

test("unknown keys suggest the nearest known one, with the token's offset", () => {
  const { problems } = parseTagOptions("retry=1 retries=3 timout=1s");
  assert.deepEqual(
    problems.map((p) => [p.kind, p.offset, p.length, p.hint.split("?")[0]]),
    [
      ["unknown", 8, 9, "Did you mean 'retry='"],
      ["unknown", 18, 9, "Did you mean 'timeout='"],
    ],
  );
});

test("bad values, missing values and repeated keys are each a problem", () => {
  const { problems } = parseTagOptions("name=Bad_Name retry=11 concurrency=0 replicas tags=a,,b name=x");
  assert.deepEqual(
    problems.map((p) => p.message.split(" ")[0]),
    ["Service", "retry=11", "concurrency=0", "@microservice", "tags=a,,b", "@microservice"],
  );
  assert.ok(problems.every((p) => p.kind === "invalid" && p.hint.startsWith("Write it as") || p.hint === "Keep one."));
});

test("an invalid service name suggests the whole name in kebab-case", () => {
  assert.equal(parseTagOptions("service=Billing_Svc").problems[0]!.hint, "Write it as service=billing-svc.");
  assert.equal(parseTagOptions("name=BillingService").problems[0]!.hint, "Write it as name=billing-service.");
});

test("idempotent is a bare flag, also written =true or =false", () => {
  assert.deepEqual(parseTagOptions("idempotent retry=3"), { options: { idempotent: true, retry: 3 }, problems: [] });
  assert.deepEqual(parseTagOptions("idempotent=true").options, { idempotent: true });
  assert.deepEqual(parseTagOptions("idempotent=false").options, { idempotent: false });
});

test("a bad idempotent value, a misspelling or a repeat is a problem with a hint", () => {
  const { problems } = parseTagOptions("idempotent=yes idempotant idempotent");
  assert.deepEqual(
    problems.map((p) => [p.kind, p.offset, p.message, p.hint.split("?")[0]]),
    [
      ["invalid", 0, "idempotent=yes must be true or false; 'idempotent' alone means true.", "Write it as idempotent or idempotent=false."],
      ["unknown", 15, "Unknown @microservice option 'idempotant'.", "Did you mean 'idempotent'"],
      ["invalid", 26, "@microservice option 'idempotent' is given twice.", "Keep one."],
    ],
  );
});

test("the options list in hints names every option, a flag without '='", () => {
  const hint = parseTagOptions("bogus").problems[0]!.hint;
  assert.equal(hint, "Options are service=, name=, retry=, timeout=, idempotent, concurrency=, replicas=, tags=; text after the options belongs on the next line.");
});
