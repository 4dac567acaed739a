import type { SchemaObject } from "openapi3-ts/oas31";
// The wire forms checked by pattern are defined once, in the runtime that names them in its 400s.
import { BASE64_PATTERN as BASE64, BIGINT_PATTERN as INTEGER, DATE_WIRE_PATTERN as DATE_WIRE } from "@tsc-micro/runtime/wire-forms";
import type { ComponentIR, Constraints, ParameterModel, PropertyIR, TypeIR } from "../model/ir.js";
import type { ComponentKeys } from "./component-keys.js";
import { boxesNumbers, numberSchema, withoutNumeric } from "./number-schema.js";

/** How schemas are written: for OpenAPI documents or for the Ajv validators. */
export interface SchemaDialect {
  /** `#/components/schemas/` in documents, `#/$defs/` in validators. */
  refPrefix: string;
  /** Ajv checks `discriminator` but does not support `mapping`; documents carry it. */
  discriminatorMapping: boolean;
  /**
   * Documents describe Date and URL with `format`; validators do not check those
   * formats (RFC 3339 refuses years a Date can hold, `uri` is not what `new URL`
   * accepts): the pattern and the decoder decide, as the monolith's values would.
   */
  wireFormats: boolean;
  /**
   * Each component's key under `refPrefix`: OpenAPI keys allow only
   * `[a-zA-Z0-9._-]`, TypeScript names more (see component-keys.ts). Every
   * `$ref`, discriminator mapping and component goes through it.
   */
  keys: ComponentKeys;
}

export const DOCUMENT_REFS = "#/components/schemas/";

/** The dialect of the OpenAPI documents. */
export function documentDialect(keys: ComponentKeys): SchemaDialect {
  return { refPrefix: DOCUMENT_REFS, discriminatorMapping: true, wireFormats: true, keys };
}

/** The dialect of the Ajv validators. */
export function validatorDialect(keys: ComponentKeys): SchemaDialect {
  return { refPrefix: "#/$defs/", discriminatorMapping: false, wireFormats: false, keys };
}

/** A component's `$ref` value. */
function refTo(name: string, d: SchemaDialect): string {
  return `${d.refPrefix}${d.keys.key(name)}`;
}

/**
 * Wire IR → JSON Schema 2020-12, the dialect of OpenAPI 3.1, so one schema
 * serves the documents and the request validators. Values JSON has no type for
 * are described by their wire form (see emit/codec.ts).
 */
export function toJsonSchema(type: TypeIR, d: SchemaDialect): SchemaObject {
  switch (type.kind) {
    case "string":
      return type.pattern ? { type: "string", pattern: type.pattern } : { type: "string" };
    case "number":
      return numberSchema(undefined);
    case "boolean":
    case "null":
      return { type: type.kind };
    case "any":
      return {};
    case "literal":
      return { type: typeof type.value as "string" | "number" | "boolean", const: type.value };
    case "array":
      return { type: "array", items: toJsonSchema(type.items, d) };
    case "tuple": {
      const required = type.elements.filter((e) => !e.optional).length;
      const schema: SchemaObject = { type: "array", prefixItems: type.elements.map((e) => toJsonSchema(e.type, d)), minItems: required };
      if (type.rest) schema.items = toJsonSchema(type.rest, d);
      else Object.assign(schema, { items: false, maxItems: type.elements.length });
      return schema;
    }
    case "ref":
      return { $ref: refTo(type.name, d) };
    case "object": {
      const schema = objectSchema(type.properties, d, type.additional);
      if (type.patterns?.length) {
        (schema as Record<string, unknown>).patternProperties = Object.fromEntries(type.patterns.map((p) => [p.pattern, toJsonSchema(p.type, d)]));
      }
      return schema;
    }
    case "union":
      return unionSchema(type, d);
    case "date":
      // A Date whose time is NaN crosses as "Invalid Date" (see the runtime's codec), which the pattern
      // admits; `format` is an annotation in JSON Schema 2020-12, not an assertion.
      return d.wireFormats ? { type: "string", format: "date-time", pattern: DATE_WIRE } : { type: "string", pattern: DATE_WIRE };
    case "bigint":
      return { type: "string", pattern: INTEGER, description: "A bigint, as a string of digits." };
    case "bytes":
      return { type: "string", contentEncoding: "base64", pattern: BASE64 };
    case "url":
      return d.wireFormats ? { type: "string", format: "uri" } : { type: "string", minLength: 1 };
    case "map":
      return {
        type: "array",
        description: "A Map, as an array of [key, value] pairs.",
        items: { type: "array", prefixItems: [toJsonSchema(type.key, d), toJsonSchema(type.value, d)], minItems: 2, maxItems: 2, items: false as never },
      };
    case "set": {
      const schema: SchemaObject = { type: "array", description: "A Set, as an array.", items: toJsonSchema(type.items, d) };
      // Equal primitives cannot both be in a Set; equal-looking objects can.
      if (["string", "number", "boolean", "literal", "bigint"].includes(type.items.kind)) schema.uniqueItems = true;
      return schema;
    }
  }
}

/** A closed object schema: every property listed, unknown ones rejected unless an index signature allows them. */
export function objectSchema(properties: readonly (PropertyIR | ParameterModel)[], d: SchemaDialect, additional?: TypeIR): SchemaObject {
  const schema: SchemaObject = { type: "object", properties: {} };
  for (const p of properties) {
    schema.properties![p.name] = annotate(toJsonSchema(p.type, d), p);
  }
  const required = properties.filter((p) => !p.optional).map((p) => p.name);
  if (required.length > 0) schema.required = required;
  schema.additionalProperties = additional ? toJsonSchema(additional, d) : false;
  return schema;
}

/** Adds a property's description, constraints and annotations to its schema. */
function annotate(schema: SchemaObject, p: PropertyIR | ParameterModel): SchemaObject {
  // A number's constraints shape its schema (which number words it admits), so it is made again with them.
  const numeric = p.type.kind === "number";
  const out: SchemaObject = numeric ? numberSchema(p.constraints) : { ...schema };
  if (p.description && !out.$ref) out.description = p.description;
  if ("readonly" in p && p.readonly) out.readOnly = true;
  Object.assign(out, constraintKeywords(numeric ? withoutNumeric(p.constraints) : p.constraints));
  return out;
}

function constraintKeywords(c: Constraints | undefined): SchemaObject {
  if (!c) return {};
  const { examples, ...rest } = c;
  return { ...rest, ...(examples ? { examples } : {}) } as SchemaObject;
}

/** The request body of a route: an object of the named arguments. */
export function requestSchema(params: readonly ParameterModel[], d: SchemaDialect): SchemaObject {
  return objectSchema(params, d);
}

function unionSchema(type: Extract<TypeIR, { kind: "union" }>, d: SchemaDialect): SchemaObject {
  const { members } = type;
  // Unions of literals (and null) read best as an enum.
  if (members.every((m) => m.kind === "literal" || m.kind === "null")) {
    const values = members.map((m) => (m.kind === "literal" ? m.value : null));
    const types = [...new Set(values.map((v) => (v === null ? "null" : typeof v)))] as SchemaObject["type"][];
    return { type: types.length === 1 ? types[0] : (types as never), enum: values };
  }
  // `T | null` for a primitive T reads best as a type list.
  if (members.every((m) => (m.kind === "string" && !m.pattern) || m.kind === "boolean" || m.kind === "null")) {
    return { type: members.map((m) => m.kind) as never };
  }
  if (type.discriminator) {
    const oneOf = members.map((m) => toJsonSchema(m, d));
    if (!d.discriminatorMapping) {
      // Ajv's discriminator takes non-empty string tags that are no Object.prototype key; otherwise oneOf alone decides.
      const ajvCanUse = type.discriminator.tags.every((t) => typeof t === "string" && t !== "" && !(t in Object.prototype));
      return ajvCanUse ? { type: "object", oneOf, discriminator: { propertyName: type.discriminator.property } } : { type: "object", oneOf };
    }
    // Documents: an OpenAPI discriminator selects among $ref members through its mapping;
    // with inline members tools cannot use it, so it is left out (the tags still tell them apart).
    const mapped = Object.entries(type.discriminator.mapping);
    if (mapped.length !== members.length) return { type: "object", oneOf };
    const mapping = Object.fromEntries(mapped.map(([tag, name]) => [tag, refTo(name, d)]));
    return { type: "object", oneOf, discriminator: { propertyName: type.discriminator.property, mapping } };
  }
  const boxed = boxesNumbers(members);
  return { anyOf: members.map((m) => (boxed && m.kind === "number" ? numberSchema(undefined, true) : toJsonSchema(m, d))) };
}

/**
 * Component schemas for a document or validator, by key. A component whose key
 * is not its TypeScript name keeps that name as `title`: the standard JSON
 * Schema annotation, which Redoc and Swagger UI show as the schema's name and
 * openapi-typescript writes into the generated type's JSDoc.
 */
export function componentSchemas(names: readonly string[], components: Readonly<Record<string, ComponentIR>>, d: SchemaDialect): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const name of names) {
    const c = components[name]!;
    const key = d.keys.key(name);
    const schema = toJsonSchema(c.type, d);
    const described = c.description && !schema.$ref ? { ...schema, description: c.description } : schema;
    out[key] = key === name ? described : { title: name, ...described };
  }
  return out;
}
