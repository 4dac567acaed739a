import type { SchemaObject } from "openapi3-ts/oas31";
import type { ComponentIR, ParameterModel, TypeIR } from "../model/ir.js";

/**
 * Wire IR → JSON Schema 2020-12, the dialect of OpenAPI 3.1, so the same
 * schema serves the OpenAPI documents and the request validators.
 * `refPrefix` is `#/components/schemas/` in documents and `#/$defs/` in validators.
 */
export function toJsonSchema(type: TypeIR, refPrefix: string): SchemaObject {
  switch (type.kind) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return { type: type.kind };
    case "literal":
      return { type: typeof type.value as "string" | "number" | "boolean", const: type.value };
    case "array":
      return { type: "array", items: toJsonSchema(type.items, refPrefix) };
    case "ref":
      return { $ref: `${refPrefix}${type.name}` };
    case "object":
      return objectSchema(
        type.properties.map((p) => ({ name: p.name, optional: p.optional, type: p.type, description: p.description })),
        refPrefix,
      );
    case "union":
      return unionSchema(type.members, refPrefix);
  }
}

/** A closed object schema: every property listed, unknown ones rejected. */
export function objectSchema(
  properties: readonly { name: string; optional: boolean; type: TypeIR; description?: string | undefined }[],
  refPrefix: string,
): SchemaObject {
  const schema: SchemaObject = { type: "object", properties: {} };
  for (const p of properties) {
    const prop = toJsonSchema(p.type, refPrefix);
    schema.properties![p.name] = p.description && !prop.$ref ? { ...prop, description: p.description } : prop;
  }
  const required = properties.filter((p) => !p.optional).map((p) => p.name);
  if (required.length > 0) schema.required = required;
  schema.additionalProperties = false;
  return schema;
}

/** The request body of a route: an object of the named arguments. */
export function requestSchema(params: readonly ParameterModel[], refPrefix: string): SchemaObject {
  return objectSchema(params, refPrefix);
}

function unionSchema(members: readonly TypeIR[], refPrefix: string): SchemaObject {
  // Unions of literals (and null) read best as an enum.
  if (members.every((m) => m.kind === "literal" || m.kind === "null")) {
    const values = members.map((m) => (m.kind === "literal" ? m.value : null));
    const types = [...new Set(values.map((v) => (v === null ? "null" : typeof v)))] as SchemaObject["type"][];
    return { type: types.length === 1 ? types[0] : (types as never), enum: values };
  }
  // `T | null` for a primitive T reads best as a type list.
  const primitives = members.every((m) => m.kind === "string" || m.kind === "number" || m.kind === "boolean" || m.kind === "null");
  if (primitives) return { type: members.map((m) => m.kind) as never };
  return { anyOf: members.map((m) => toJsonSchema(m, refPrefix)) };
}

/** Component schemas for a document or validator, by name. */
export function componentSchemas(names: readonly string[], components: Readonly<Record<string, ComponentIR>>, refPrefix: string): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const name of names) {
    const c = components[name]!;
    const schema = toJsonSchema(c.type, refPrefix);
    out[name] = c.description && !schema.$ref ? { ...schema, description: c.description } : schema;
  }
  return out;
}
