/**
 * Finds, in a JSON Schema, the union that failed at a given place in the value,
 * so a 400 can name the union's forms and tags. Ajv's errors alone cannot:
 * an `anyOf` error carries no branches and a discriminator error no tags.
 *
 * The walk follows the *value's* path (properties, items, through `$ref`s and
 * union branches), not Ajv's `schemaPath`, which is relative to whichever
 * compiled function reported it. Any schema dialect works whose `$ref`s end in
 * the definition's name: the validators' `#/$defs/X` and the OpenAPI
 * document's `#/components/schemas/X`.
 */

/** A schema object, read loosely: it comes from a document, not from our types. */
export type Schema = Record<string, unknown>;

export interface SchemaSource {
  /** The schema the value was validated against. */
  schema?: unknown;
  /** What `$ref`s point to, by the reference's last segment. */
  definitions?: Record<string, unknown>;
}

/** The schema of a route's request body and result in a service's OpenAPI document, if it has them. */
export function routeSchemas(openapi: unknown, name: string): { request: SchemaSource; result: SchemaSource } {
  const document = asSchema(openapi);
  const operation = asSchema(asSchema(asSchema(document?.paths)?.[`/${name}`])?.post);
  const definitions = asSchema(asSchema(document?.components)?.schemas);
  const jsonOf = (holder: unknown) => asSchema(asSchema(asSchema(holder)?.content)?.["application/json"])?.schema;
  return {
    request: { schema: jsonOf(operation?.requestBody), definitions },
    result: { schema: jsonOf(asSchema(operation?.responses)?.["200"]), definitions },
  };
}

export function asSchema(value: unknown): Schema | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

/** The name a `$ref` points to: "#/$defs/Shape" → "Shape". */
export function refName(ref: string): string {
  const last = ref.slice(ref.lastIndexOf("/") + 1);
  return last.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Follows `$ref`s to the schema they name; undefined when one cannot be resolved. */
export function deref(value: unknown, definitions: SchemaSource["definitions"]): Schema | undefined {
  let schema = asSchema(value);
  // A bound, not a cycle check: `A → B → A` with nothing else is no schema anyway.
  for (let hops = 0; schema && typeof schema.$ref === "string" && hops < 32; hops++) {
    const name = refName(schema.$ref);
    schema = definitions && Object.hasOwn(definitions, name) ? asSchema(definitions[name]) : undefined;
  }
  return schema;
}

/** A union's branches: `anyOf` or `oneOf`, as written (refs not followed). */
export function branchesOf(schema: Schema | undefined): unknown[] | undefined {
  if (Array.isArray(schema?.anyOf)) return schema.anyOf;
  if (Array.isArray(schema?.oneOf)) return schema.oneOf;
  return undefined;
}

/**
 * The first schema (breadth first) that applies to the value at `segments`
 * below the `start` schemas, satisfies `wanted` and is not in `skip`.
 */
export function findSchemaAt(
  start: readonly unknown[],
  segments: readonly string[],
  source: SchemaSource,
  wanted: (schema: Schema) => boolean,
  skip: ReadonlySet<Schema> = new Set(),
): Schema | undefined {
  let here = start;
  for (const segment of segments) {
    here = alternatives(here, source).flatMap((schema) => childSchemas(schema, segment));
    if (here.length === 0) return undefined;
  }
  return alternatives(here, source).find((schema) => wanted(schema) && !skip.has(schema));
}

/** The schemas themselves and, breadth first, every union or allOf branch inside them, refs followed. */
function alternatives(schemas: readonly unknown[], source: SchemaSource): Schema[] {
  const seen = new Set<Schema>();
  const queue = [...schemas];
  for (let i = 0; i < queue.length && seen.size < 1000; i++) {
    const schema = deref(queue[i], source.definitions);
    if (!schema || seen.has(schema)) continue;
    seen.add(schema);
    for (const key of ["anyOf", "oneOf", "allOf"]) {
      const branches = schema[key];
      if (Array.isArray(branches)) queue.push(...branches);
    }
  }
  return [...seen];
}

/** The schemas for one step down: a property or an array element. */
function childSchemas(schema: Schema, segment: string): unknown[] {
  const found: unknown[] = [];
  const properties = asSchema(schema.properties);
  if (properties && Object.hasOwn(properties, segment)) found.push(properties[segment]);
  else {
    const patterns = asSchema(schema.patternProperties);
    for (const [pattern, child] of Object.entries(patterns ?? {})) {
      if (safeTest(pattern, segment)) found.push(child);
    }
    if (found.length === 0 && asSchema(schema.additionalProperties)) found.push(schema.additionalProperties);
  }
  if (/^(0|[1-9]\d*)$/.test(segment)) {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    const index = Number(segment);
    if (index < prefix.length) found.push(prefix[index]);
    else if (asSchema(schema.items)) found.push(schema.items);
  }
  return found;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "u").test(text);
  } catch {
    return false;
  }
}
