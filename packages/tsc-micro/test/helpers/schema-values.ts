// Random JSON values for a JSON Schema of tsc-micro's keyword subset (emit/json-schema.ts):
// close to valid, not always valid (a property test filters them with Ajv, the judge).
import fc from "fast-check";
import { BASE64_PATTERN, BIGINT_PATTERN, DATE_WIRE_PATTERN } from "@tsc-micro/runtime/wire-forms";

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** An arbitrary of values for `schema`, `$ref`s resolved in `root`; recursion stops `depth` levels down. */
export function valuesOf(schema: unknown, root: unknown, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true || schema === undefined) return fc.jsonValue({ maxDepth: 1 });
  // A schema whose recursion is required all the way down admits no value: give up (Ajv refuses what comes out).
  if (!isNode(schema) || depth > 8) return fc.constant(null);
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.slice(schema.$ref.lastIndexOf("/") + 1);
    const defs = isNode(root) && isNode(root.$defs) ? root.$defs : {};
    return valuesOf(defs[decodeURIComponent(name)], root, depth + 1);
  }
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const members = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (members) return fc.oneof(...members.map((m) => valuesOf(m, root, depth)));
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length > 1) return fc.oneof(...types.map((t) => valuesOf({ ...schema, type: t }, root, depth)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "number":
    case "integer":
      return numbers(schema);
    case "string":
      return strings(schema);
    case "array":
      return arrays(schema, root, depth);
    case "object":
      return objects(schema, root, depth);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function numbers(s: Node): fc.Arbitrary<unknown> {
  const min = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : -1000;
  const max = typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - 1 : 1000;
  return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) }), fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true }));
}

function strings(s: Node): fc.Arbitrary<unknown> {
  const minLength = typeof s.minLength === "number" ? s.minLength : 0;
  const maxLength = typeof s.maxLength === "number" ? s.maxLength : Math.max(8, minLength);
  if (maxLength < minLength) return fc.constant(""); // admits no string
  if (s.pattern === DATE_WIRE_PATTERN) return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (s.pattern === BIGINT_PATTERN) return fc.bigInt().map(String);
  if (s.pattern === BASE64_PATTERN) return fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString("base64"));
  if (s.format === "uri") return fc.webUrl();
  if (typeof s.pattern === "string") return fc.stringMatching(new RegExp(s.pattern, "u")).filter((x) => [...x].length >= minLength && [...x].length <= maxLength);
  return fc.string({ minLength, maxLength });
}

function arrays(s: Node, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  const min = typeof s.minItems === "number" ? s.minItems : 0;
  const max = typeof s.maxItems === "number" ? s.maxItems : prefix.length + 3;
  const rest = s.items === false ? undefined : s.items;
  const head = fc.tuple(...prefix.map((p) => valuesOf(p, root, depth + 1)));
  const tail = rest === undefined || depth > 3 ? fc.constant([] as unknown[]) : fc.array(valuesOf(rest, root, depth + 1), { maxLength: Math.max(0, Math.min(3, max - prefix.length)) });
  const items = fc.tuple(head, tail, fc.nat({ max: Math.max(0, prefix.length - min) })).map(([h, t, drop]) => (t.length > 0 ? [...h, ...t] : h.slice(0, h.length - drop)));
  return s.uniqueItems === true ? items.map((xs) => xs.filter((x, i) => xs.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i)) : items;
}

function objects(s: Node, root: unknown, depth: number): fc.Arbitrary<unknown> {
  const props = isNode(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  // Deep down, optional properties are left out so that recursive types end.
  const names = Object.keys(props).filter((n) => required.has(n) || depth < 3);
  const record = fc.record(Object.fromEntries(names.map((n) => [n, valuesOf(props[n], root, depth + 1)])), { requiredKeys: names.filter((n) => required.has(n)) });
  const extra = s.additionalProperties !== undefined && s.additionalProperties !== false && depth < 3 ? fc.dictionary(fc.constantFrom("x", "y", "zz"), valuesOf(s.additionalProperties, root, depth + 1), { maxKeys: 2 }) : fc.constant({});
  return fc.tuple(record, extra).map(([r, e]) => ({ ...e, ...r }));
}
