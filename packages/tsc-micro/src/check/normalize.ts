/**
 * A JSON Schema as the comparer reads it: a union of branches, one JSON type
 * each, with the keywords that constrain it. Only the keywords tsc-micro's
 * schemas use (emit/json-schema.ts) are understood; any other assertion makes
 * the schema "opaque", compared by equality alone, so the comparer never
 * guesses about what it does not model.
 */
import { admitsValue, jsonTypeOf } from "./values.js";

export type JsonType = "null" | "boolean" | "number" | "string" | "array" | "object";
export const JSON_TYPES: readonly JsonType[] = ["null", "boolean", "number", "string", "array", "object"];

export type SchemaNode = Record<string, unknown>;

export interface Branch {
  type: JsonType;
  /** The schema object whose keywords constrain this branch. */
  node: SchemaNode;
  /** `type: "integer"`: whole numbers only. */
  integer: boolean;
  /** The only values it admits (enum, const, booleans, null), already filtered by the node's other keywords. */
  values?: unknown[];
  /**
   * An object member of an `anyOf` with other object members: a client's decoder
   * tells such members apart by their keys (runtime `looksLike`), so an unknown
   * key there matters even in a result.
   */
  keyed?: boolean;
}

export type Shape =
  /** No assertion at all (`{}`, `true`): any JSON value. */
  | { kind: "any" }
  | { kind: "branches"; branches: Branch[] }
  /** Uses something this comparer does not model: compared by equality only. */
  | { kind: "opaque"; reason: string };

/**
 * Keywords that assert nothing: JSON Schema 2020-12 annotations, OpenAPI's
 * discriminator (oneOf already decides), and the definitions `$ref`s point into.
 */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  "$defs",
  "definitions",
  "title",
  "description",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "$schema",
  "$id",
  "$anchor",
  "discriminator",
  "externalDocs",
  "xml",
  "example",
]);

/** The assertions the comparer models: those tsc-micro's schemas use. */
const SUPPORTED: ReadonlySet<string> = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "pattern",
  "minLength",
  "maxLength",
  "format",
  "contentEncoding",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
]);

const ANY: Shape = { kind: "any" };

export function isNode(v: unknown): v is SchemaNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The schema a local `$ref` (`#/components/schemas/Quote`, `#/$defs/Quote`) points at in `root`. */
export function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let at: unknown = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isNode(at) && !Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
    if (at === undefined) return undefined;
  }
  return at;
}

/** Follows `$ref`s (a chain of them) to the schema that says something. */
export function deref(schema: unknown, root: unknown): unknown {
  const seen = new Set<string>();
  while (isNode(schema) && typeof schema.$ref === "string" && !seen.has(schema.$ref)) {
    seen.add(schema.$ref);
    const target = resolveRef(root, schema.$ref);
    if (target === undefined) return schema;
    schema = target;
  }
  return schema;
}

/** The keys of a schema object that assert something. */
export function assertionKeys(node: SchemaNode): string[] {
  return Object.keys(node).filter((k) => !ANNOTATIONS.has(k));
}

/** A schema as branches; `$ref`s are followed (the ones inside properties and items stay, read when reached). */
export function normalize(schema: unknown, root: unknown, seen: ReadonlySet<string> = new Set()): Shape {
  if (schema === true || schema === undefined) return ANY;
  if (schema === false) return { kind: "branches", branches: [] };
  if (!isNode(schema)) return { kind: "opaque", reason: "not a schema" };
  const keys = assertionKeys(schema);
  const unknown = keys.find((k) => !SUPPORTED.has(k));
  if (unknown) return { kind: "opaque", reason: `the keyword '${unknown}'` };
  if (typeof schema.$ref === "string") {
    if (keys.length > 1) return { kind: "opaque", reason: "a $ref beside other keywords" };
    // A $ref chain that comes back to itself without a property or item in between describes no value.
    if (seen.has(schema.$ref)) return { kind: "opaque", reason: `the $ref '${schema.$ref}', which refers to itself` };
    const target = resolveRef(root, schema.$ref);
    if (target === undefined) return { kind: "opaque", reason: `the $ref '${schema.$ref}', which points nowhere` };
    return normalize(target, root, new Set([...seen, schema.$ref]));
  }
  if (keys.length === 0) return ANY;
  if (schema.anyOf !== undefined || schema.oneOf !== undefined) return unionShape(schema, keys, root, seen);
  const types = typesOf(schema.type);
  if (!types) return { kind: "opaque", reason: "an unknown type" };
  const listed = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (listed?.some((v) => typeof v === "object" && v !== null)) return { kind: "opaque", reason: "an enum of objects or arrays" };
  return { kind: "branches", branches: types.flatMap(({ type, integer }) => branchOf(type, integer, schema, listed)) };
}

/** A branch of `type` under `node`'s keywords; none when its values are all refused. */
function branchOf(type: JsonType, integer: boolean, node: SchemaNode, listed: unknown[] | undefined): Branch[] {
  const domain = listed ?? (type === "boolean" ? [true, false] : type === "null" ? [null] : undefined);
  if (!domain) return [{ type, node, integer }];
  const values = domain.filter((v) => jsonTypeOf(v) === type && (!integer || Number.isInteger(v)) && admitsValue(type, node, v) === undefined);
  return values.length === 0 ? [] : [{ type, node, integer, values }];
}

/** `type` as a list of JSON types; `integer` is a number branch of whole numbers. */
function typesOf(type: unknown): { type: JsonType; integer: boolean }[] | undefined {
  if (type === undefined) return JSON_TYPES.map((t) => ({ type: t, integer: false }));
  const list = Array.isArray(type) ? type : [type];
  if (!list.every((t) => typeof t === "string" && (t === "integer" || (JSON_TYPES as readonly string[]).includes(t)))) return undefined;
  const out: { type: JsonType; integer: boolean }[] = [];
  for (const t of JSON_TYPES) {
    if (list.includes(t)) out.push({ type: t, integer: false });
    else if (t === "number" && list.includes("integer")) out.push({ type: t, integer: true });
  }
  return out;
}

function unionShape(schema: SchemaNode, keys: string[], root: unknown, seen: ReadonlySet<string>): Shape {
  const members = schema.anyOf ?? schema.oneOf;
  if (schema.anyOf !== undefined && schema.oneOf !== undefined) return { kind: "opaque", reason: "both anyOf and oneOf" };
  if (!Array.isArray(members)) return { kind: "opaque", reason: "an anyOf or oneOf that is not a list" };
  if (keys.some((k) => k !== "type" && k !== "anyOf" && k !== "oneOf")) return { kind: "opaque", reason: "keywords beside anyOf or oneOf" };
  const allowed = typesOf(schema.type);
  if (!allowed) return { kind: "opaque", reason: "an unknown type" };
  const branches: Branch[] = [];
  for (const member of members) {
    const shape = normalize(member, root, seen);
    if (shape.kind === "opaque") return shape;
    const list = shape.kind === "any" ? JSON_TYPES.flatMap((t) => branchOf(t, false, {}, undefined)) : shape.branches;
    for (const b of list) {
      const outer = allowed.find((a) => a.type === b.type);
      if (outer) branches.push({ ...b, integer: b.integer || outer.integer });
    }
  }
  if (schema.oneOf !== undefined && !pairwiseDisjoint(branches, root)) return { kind: "opaque", reason: "a oneOf whose members may overlap" };
  const objects = branches.filter((b) => b.type === "object").length;
  return { kind: "branches", branches: schema.anyOf !== undefined && objects > 1 ? branches.map((b) => (b.type === "object" ? { ...b, keyed: true } : b)) : branches };
}

/**
 * oneOf refuses a value two members accept; read as anyOf only when no value
 * can match two members: different types, disjoint value lists, or objects
 * with a required tag property of different constant values.
 */
function pairwiseDisjoint(branches: readonly Branch[], root: unknown): boolean {
  for (let i = 0; i < branches.length; i++) {
    for (let j = i + 1; j < branches.length; j++) {
      const a = branches[i]!;
      const b = branches[j]!;
      if (a.type !== b.type) continue;
      if (a.values && b.values && !a.values.some((v) => b.values!.some((w) => sameValue(v, w)))) continue;
      if (a.type === "object" && tagsDiffer(a.node, b.node, root)) continue;
      return false;
    }
  }
  return true;
}

function tagsDiffer(a: SchemaNode, b: SchemaNode, root: unknown): boolean {
  const tags = (n: SchemaNode) => Object.entries(tagValues(n, root));
  const other = tagValues(b, root);
  return tags(a).some(([p, v]) => p in other && !sameValue(v, other[p]));
}

/** Required properties of an object schema whose schema admits one value: the member's tags (`kind: "circle"`). */
export function tagValues(node: SchemaNode, root: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = isNode(node.properties) ? node.properties : {};
  const required = Array.isArray(node.required) ? node.required : [];
  for (const name of required) {
    if (typeof name !== "string") continue;
    const schema = deref(props[name], root);
    if (!isNode(schema)) continue;
    if ("const" in schema) out[name] = schema.const;
    else if (Array.isArray(schema.enum) && schema.enum.length === 1) out[name] = schema.enum[0];
  }
  return out;
}

/** JSON equality of two primitives (0 and -0 are one JSON number). */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
