/**
 * Schema fragments as a report shows them: the assertions only (descriptions,
 * titles and examples stripped at every level), and structural equality of two
 * schemas living in two documents (their `$ref`s resolved in each, recursive
 * ones included).
 */
import { ANNOTATIONS, isNode, resolveRef } from "./normalize.js";

/** Keywords whose value is a map of names to schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs"]);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMAS = new Set(["items", "additionalProperties", "anyOf", "oneOf", "allOf", "not", "prefixItems", "contains"]);

/** `schema` without its annotations, for reports. */
export function fragment(schema: unknown): unknown {
  if (!isNode(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k)) continue;
    if (SCHEMA_MAPS.has(k) && isNode(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, fragment(s)]));
    else if (SCHEMAS.has(k)) out[k] = Array.isArray(v) ? v.map(fragment) : fragment(v);
    else out[k] = v;
  }
  return out;
}

/**
 * Whether two schemas assert the same, keyword by keyword (annotations aside),
 * each `$ref` followed in its own document. A pair of refs met again while
 * being compared is taken as equal (recursive types).
 */
export function sameSchema(a: unknown, aRoot: unknown, b: unknown, bRoot: unknown, assumed: Set<string> = new Set()): boolean {
  if (isNode(a) && typeof a.$ref === "string" && isNode(b) && typeof b.$ref === "string") {
    const key = `${a.$ref}\u0000${b.$ref}`;
    if (assumed.has(key)) return true;
    assumed.add(key);
    return sameSchema(resolveRef(aRoot, a.$ref), aRoot, resolveRef(bRoot, b.$ref), bRoot, assumed);
  }
  if (isNode(a) && typeof a.$ref === "string") return sameSchema(resolveRef(aRoot, a.$ref), aRoot, b, bRoot, assumed);
  if (isNode(b) && typeof b.$ref === "string") return sameSchema(a, aRoot, resolveRef(bRoot, b.$ref), bRoot, assumed);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameSchema(x, aRoot, b[i], bRoot, assumed));
  }
  if (!isNode(a) || !isNode(b)) return Object.is(a, b) || a === b;
  const keys = (n: Record<string, unknown>) => Object.keys(n).filter((k) => !ANNOTATIONS.has(k)).sort();
  const ka = keys(a);
  const kb = keys(b);
  if (ka.join("\u0000") !== kb.join("\u0000")) return false;
  return ka.every((k) => {
    if (k === "enum" || k === "const" || k === "required") return JSON.stringify(a[k]) === JSON.stringify(b[k]);
    if (SCHEMA_MAPS.has(k) && isNode(a[k]) && isNode(b[k])) {
      const ma = a[k] as Record<string, unknown>;
      const mb = b[k] as Record<string, unknown>;
      return Object.keys(ma).sort().join("\u0000") === Object.keys(mb).sort().join("\u0000") && Object.keys(ma).every((n) => sameSchema(ma[n], aRoot, mb[n], bRoot, assumed));
    }
    return sameSchema(a[k], aRoot, b[k], bRoot, assumed);
  });
}
