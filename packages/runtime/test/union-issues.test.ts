// Failed unions become one readable issue each, never one per branch: the
// validators are compiled by Ajv with the options the compiler uses
// (packages/tsc-micro/src/emit/validators.ts), so the error shapes are real.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { toIssues } from "../src/server/index.js";
import type { IssueContext, ValidateFunction } from "../src/server/index.js";

const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true, discriminator: true });

/** A request schema like the compiler's: the named arguments, closed, with the components in $defs. */
function request(properties: Record<string, object>, $defs: Record<string, object> = {}) {
  const schema = { type: "object", properties, required: Object.keys(properties), additionalProperties: false, $defs };
  return { schema, validate: ajv.compile(schema) as ValidateFunction };
}

/** Validates `body` (which must fail) and maps the errors, with or without the schema at hand. */
function issuesOf(compiled: ReturnType<typeof request>, body: unknown, withSchema = true) {
  assert.equal(compiled.validate(body), false, "the body should be invalid");
  const context: IssueContext = withSchema ? { data: body, schema: compiled.schema, definitions: compiled.schema.$defs } : {};
  return toIssues(compiled.validate.errors, context);
}

// What the compiler makes of `${number}` (packages/tsc-micro/src/model/library-types.ts).
const NUMBER_TEXT = "\\s*(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+)\\s*";
const colors = Array.from({ length: 97 }, (_, i) => `c${String(i).padStart(2, "0")}`);
/** `${Color}-${"light" | "dark"}-${number}`: 97 × 2 = 194 template-literal forms, as TypeScript expands it. */
const tokenForms = colors.flatMap((c) => ["light", "dark"].map((tone) => ({ type: "string", pattern: `^${c}-${tone}-${NUMBER_TEXT}$` })));

describe("template-literal unions", () => {
  const paint = request({ token: { anyOf: tokenForms } });

  test("194 forms are one issue that counts them and names the closest", () => {
    const issues = issuesOf(paint, { token: "c05-light-x" });
    assert.deepEqual(issues, [
      { path: "token", rule: "pattern", message: "must be one of 194 forms; closest: `c05-light-${number}`, `c05-dark-${number}`, `c00-light-${number}`" },
    ]);
    assert.ok(JSON.stringify(issues).length < 4096);
    assert.deepEqual(issuesOf(paint, { token: 7 }), [
      { path: "token", rule: "type", message: "must be one of 194 forms, e.g. `c00-light-${number}`, `c00-dark-${number}`, `c01-light-${number}`" },
    ]);
  });

  test("without the schema or the value the errors alone still give one short issue", () => {
    assert.deepEqual(issuesOf(paint, { token: 7 }, false), [
      { path: "token", rule: "type", message: "must be string (one of 194 forms)" },
    ]);
    assert.deepEqual(issuesOf(paint, { token: "zz" }, false), [
      { path: "token", rule: "pattern", message: "must be one of 194 forms, e.g. `c00-light-${number}`, `c00-dark-${number}`, `c01-light-${number}`" },
    ]);
  });

  test("a single template literal reads as one", () => {
    const one = request({ id: { type: "string", pattern: `^usr-${NUMBER_TEXT}$` } });
    assert.deepEqual(issuesOf(one, { id: "usr-x" }), [{ path: "id", rule: "pattern", message: "must match `usr-${number}`" }]);
  });
});

describe("unions of values", () => {
  const limit = request({ limit: { anyOf: [{ type: "string", const: "auto" }, { type: "number" }] } });

  test("few forms are all named", () => {
    for (const withSchema of [true, false]) {
      for (const value of [true, "x", null]) {
        assert.deepEqual(issuesOf(limit, { limit: value }, withSchema), [{ path: "limit", rule: value === "x" ? "const" : "type", message: 'must be one of "auto", number' }], `${value} ${withSchema}`);
      }
    }
  });

  test("a number that also crosses as a word (NaN, Infinity…) still reads as a type error", () => {
    const words = request({ x: { anyOf: [{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity", "-0"] }] } });
    for (const value of ["abc", true]) {
      assert.deepEqual(issuesOf(words, { x: value }), [{ path: "x", rule: "type", message: 'must be a number (or "NaN", "Infinity", "-Infinity", "-0" for the numbers JSON cannot write)' }]);
    }
  });

  test("an enum names its values when there are few, else counts them", () => {
    const few = request({ size: { type: "string", enum: ["s", "m", "l"] } });
    assert.deepEqual(issuesOf(few, { size: "xl" }), [{ path: "size", rule: "enum", message: 'must be one of "s", "m", "l"' }]);
    const many = request({ code: { type: "string", enum: Array.from({ length: 40 }, (_, i) => `v${i}`) } });
    assert.deepEqual(issuesOf(many, { code: "x" }), [{ path: "code", rule: "enum", message: 'must be one of 40 values, e.g. "v0", "v1", "v2"' }]);
    const one = request({ mode: { type: "string", const: "on" } });
    assert.deepEqual(issuesOf(one, { mode: "off" }), [{ path: "mode", rule: "const", message: 'must be "on"' }]);
  });

  test("one issue per field and rule: a rule two schemas break at one place is said once", () => {
    const code = request({ code: { type: "string", minLength: 3, pattern: "^x", allOf: [{ minLength: 2 }] } });
    assert.deepEqual(issuesOf(code, { code: "y" }), [
      { path: "code", rule: "minLength", message: "must NOT have fewer than 2 characters; must NOT have fewer than 3 characters" },
      { path: "code", rule: "pattern", message: 'must match pattern "^x"' },
    ]);
  });
});

const shapes = {
  Circle: { type: "object", properties: { kind: { type: "string", const: "circle" }, radius: { type: "number" } }, required: ["kind", "radius"], additionalProperties: false },
  Square: { type: "object", properties: { kind: { type: "string", const: "square" }, side: { type: "number" } }, required: ["kind", "side"], additionalProperties: false },
  Triangle: { type: "object", properties: { kind: { type: "string", const: "triangle" }, a: { type: "number" } }, required: ["kind", "a"], additionalProperties: false },
  Shape: { type: "object", oneOf: ["Circle", "Square", "Triangle"].map((n) => ({ $ref: `#/$defs/${n}` })), discriminator: { propertyName: "kind" } },
};

describe("discriminated unions", () => {
  const area = request({ shape: { $ref: "#/$defs/Shape" }, more: { type: "array", items: { $ref: "#/$defs/Shape" } } }, shapes);
  const TAGS = '"circle", "square", "triangle"';

  test("an unknown tag names the allowed ones, at the tag", () => {
    assert.deepEqual(issuesOf(area, { shape: { kind: "hexagon" }, more: [] }), [
      { path: "shape.kind", rule: "discriminator", message: `must be one of ${TAGS}` },
    ]);
    assert.deepEqual(issuesOf(area, { shape: { kind: "circle", radius: 1 }, more: [{ kind: 5 }, { side: 1 }] }), [
      { path: "more[0].kind", rule: "discriminator", message: `must be one of ${TAGS}` },
      { path: "more[1].kind", rule: "discriminator", message: `missing property; must be one of ${TAGS}` },
    ]);
  });

  test("a known tag reports that form's own issues only", () => {
    assert.deepEqual(issuesOf(area, { shape: { kind: "square", radius: 1 }, more: [] }), [
      { path: "shape.side", rule: "required", message: "missing property" },
      { path: "shape.radius", rule: "additionalProperties", message: "unknown property" },
    ]);
  });

  test("inline members are read from the schema too", () => {
    const event = request({
      event: {
        type: "object",
        oneOf: [
          { type: "object", properties: { type: { type: "string", const: "click" }, x: { type: "number" } }, required: ["type", "x"], additionalProperties: false },
          { type: "object", properties: { type: { type: "string", const: "key" }, key: { type: "string" } }, required: ["type", "key"], additionalProperties: false },
        ],
        discriminator: { propertyName: "type" },
      },
    });
    assert.deepEqual(issuesOf(event, { event: { type: "scroll" } }), [{ path: "event.type", rule: "discriminator", message: 'must be one of "click", "key"' }]);
    assert.deepEqual(issuesOf(event, { event: { type: "scroll" } }, false), [{ path: "event.type", rule: "discriminator", message: "is not one of the union's tags" }]);
  });
});

const contacts = {
  EmailContact: { type: "object", properties: { email: { type: "string" } }, required: ["email"], additionalProperties: false },
  PhoneContact: { type: "object", properties: { phone: { type: "string" }, ext: { type: "number" } }, required: ["phone"], additionalProperties: false },
  Address: { type: "object", properties: { city: { type: "string" }, zip: { type: "string" } }, required: ["city", "zip"], additionalProperties: false },
};

describe("unions of objects", () => {
  const reach = request(
    {
      contact: { anyOf: [{ $ref: "#/$defs/EmailContact" }, { $ref: "#/$defs/PhoneContact" }] },
      address: { anyOf: [{ $ref: "#/$defs/Address" }, { type: "null" }] },
    },
    contacts,
  );

  test("the union says its forms and the closest; the closest form's issues follow", () => {
    assert.deepEqual(issuesOf(reach, { contact: { phone: 5 }, address: null }), [
      { path: "contact", rule: "anyOf", message: "must match one of 2 forms (EmailContact, PhoneContact); closest: PhoneContact" },
      { path: "contact.phone", rule: "type", message: "must be string" },
    ]);
    assert.deepEqual(issuesOf(reach, { contact: { email: "a" }, address: { city: null } }), [
      { path: "address", rule: "anyOf", message: "must match one of 2 forms (Address, null); closest: Address" },
      { path: "address.zip", rule: "required", message: "missing property" },
      { path: "address.city", rule: "type", message: "must be string" },
    ]);
  });

  test("a value of no form's type names the forms", () => {
    assert.deepEqual(issuesOf(reach, { contact: 5, address: "x" }), [
      { path: "contact", rule: "type", message: "must be one of EmailContact, PhoneContact" },
      { path: "address", rule: "type", message: "must be one of Address, null" },
    ]);
  });

  test("without the schema the forms are counted from the errors", () => {
    assert.deepEqual(issuesOf(reach, { contact: { phone: 5 }, address: null }, false), [
      { path: "contact", rule: "anyOf", message: "must match one of 2 forms; closest: form 2" },
      { path: "contact.phone", rule: "type", message: "must be string" },
    ]);
    assert.deepEqual(issuesOf(reach, { contact: 5, address: "x" }, false), [
      { path: "contact", rule: "type", message: "must be object (one of 2 forms)" },
      { path: "address", rule: "type", message: "must be one of object, null" },
    ]);
  });

  test("a recursive member (compiled by Ajv as a function of its own) is still told apart", () => {
    const tree = { type: "object", properties: { v: { type: "number" }, kids: { type: "array", items: { $ref: "#/$defs/Tree" } } }, required: ["v", "kids"], additionalProperties: false };
    const grow = request({ tree: { anyOf: [{ $ref: "#/$defs/Tree" }, { type: "null" }] } }, { Tree: tree });
    const body = { tree: { v: 1, kids: [{ v: 2, kids: [] }, { v: "x", kids: [], leaf: true }] } };
    assert.deepEqual(issuesOf(grow, body), [
      { path: "tree", rule: "anyOf", message: "must match one of 2 forms (Tree, null); closest: Tree" },
      { path: "tree.kids[1].leaf", rule: "additionalProperties", message: "unknown property" },
      { path: "tree.kids[1].v", rule: "type", message: "must be number" },
    ]);
    assert.deepEqual(issuesOf(grow, body, false)[0], { path: "tree", rule: "anyOf", message: "must match one of 2 forms; closest: form 1" });
  });

  test("unions nested in arrays and in other unions: one issue per failing element", () => {
    const slot = {
      type: "object",
      properties: { v: { anyOf: [{ type: "string", const: "on" }, { type: "number" }] } },
      required: ["v"],
      additionalProperties: false,
    };
    const slots = request({ xs: { type: "array", items: { anyOf: [slot, { type: "null" }] } } });
    const xs = [null, { v: true }, 3, ...Array.from({ length: 100 }, () => ({ v: "off" }))];
    const issues = issuesOf(slots, { xs });
    assert.equal(issues.length, 3 + 2 * 100);
    assert.deepEqual(issues.slice(0, 4), [
      { path: "xs[1]", rule: "anyOf", message: "must match one of 2 forms ({ v }, null); closest: { v }" },
      { path: "xs[1].v", rule: "type", message: 'must be one of "on", number' },
      { path: "xs[2]", rule: "type", message: "must be one of { v }, null" },
      { path: "xs[3]", rule: "anyOf", message: "must match one of 2 forms ({ v }, null); closest: { v }" },
    ]);
  });
});
