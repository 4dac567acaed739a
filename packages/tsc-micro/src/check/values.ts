/**
 * Whether one primitive value meets a schema's keywords for its type, judged
 * as Ajv judges it (the services validate requests with Ajv): patterns with
 * the `u` flag, lengths in code points, `format` and `contentEncoding` as
 * annotations.
 */
import type { JsonType, SchemaNode } from "./normalize.js";

export function jsonTypeOf(v: unknown): JsonType {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v as JsonType;
}

/** Length as JSON Schema counts it: in Unicode code points. */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The keyword of `node` that refuses `v` (a value of JSON type `type`), or undefined when it is admitted. */
export function admitsValue(type: JsonType, node: SchemaNode, v: unknown): string | undefined {
  if (type === "string" && typeof v === "string") {
    if (typeof node.pattern === "string" && !matches(node.pattern, v)) return "pattern";
    if (typeof node.minLength === "number" && codePoints(v) < node.minLength) return "minLength";
    if (typeof node.maxLength === "number" && codePoints(v) > node.maxLength) return "maxLength";
  }
  if (type === "number" && typeof v === "number") {
    if (typeof node.minimum === "number" && !(v >= node.minimum)) return "minimum";
    if (typeof node.maximum === "number" && !(v <= node.maximum)) return "maximum";
    if (typeof node.exclusiveMinimum === "number" && !(v > node.exclusiveMinimum)) return "exclusiveMinimum";
    if (typeof node.exclusiveMaximum === "number" && !(v < node.exclusiveMaximum)) return "exclusiveMaximum";
    if (typeof node.multipleOf === "number" && v % node.multipleOf !== 0) return "multipleOf";
  }
  return undefined;
}

const compiled = new Map<string, RegExp | null>();

/** `pattern` as Ajv reads it (unanchored, Unicode); a pattern that does not compile admits nothing. */
export function matches(pattern: string, s: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    compiled.set(pattern, re);
  }
  return re !== null && re.test(s);
}
