import assert from "node:assert/strict";
import { test } from "node:test";
import { boxesNumbers, numberSchema } from "../src/emit/number-schema.ts";

const words = (s: ReturnType<typeof numberSchema>): unknown => {
  const special = (s.anyOf?.[1] ?? {}) as { enum?: string[]; properties?: { $number: { enum: string[] } } };
  return special.enum ?? special.properties?.$number.enum ?? [];
};

test("a plain number admits every word; constraints admit only the words whose numbers meet them", () => {
  assert.deepEqual(words(numberSchema(undefined)), ["NaN", "Infinity", "-Infinity", "-0"]);
  assert.deepEqual(words(numberSchema({ minimum: 0 })), ["Infinity", "-0"]);
  assert.deepEqual(words(numberSchema({ exclusiveMinimum: 0 })), ["Infinity"]);
  assert.deepEqual(words(numberSchema({ maximum: 10 })), ["-Infinity", "-0"]);
  assert.deepEqual(words(numberSchema({ multipleOf: 2 })), ["-0"]);
  assert.deepEqual(numberSchema({ minimum: 1, maximum: 5 }), { type: "number", minimum: 1, maximum: 5 });
});

test("constraints sit beside `type: number`, where Ajv's strict mode wants them", () => {
  assert.deepEqual(numberSchema({ minimum: 0 }).anyOf?.[0], { type: "number", minimum: 0 });
});

test("boxed words in unions that admit strings; the schema and the codecs share the decision", () => {
  assert.deepEqual(numberSchema(undefined, true).anyOf?.[1], {
    type: "object",
    properties: { $number: { type: "string", enum: ["NaN", "Infinity", "-Infinity", "-0"] } },
    required: ["$number"],
    additionalProperties: false,
  });
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "string" }]), true);
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "date" }]), true);
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "literal", value: "a" }]), true);
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "ref", name: "Named" }]), true);
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "null" }]), false);
  assert.equal(boxesNumbers([{ kind: "number" }, { kind: "literal", value: 1 }, { kind: "array", items: { kind: "string" } }]), false);
  assert.equal(boxesNumbers([{ kind: "string" }, { kind: "null" }]), false);
});
