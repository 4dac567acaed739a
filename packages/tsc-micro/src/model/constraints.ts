import type { Constraints, TypeIR } from "./ir.js";

/** A JSDoc tag as the checker returns it: name and text. */
export interface DocTag {
  name: string;
  text: string;
}

/** Formats the validators check (Ajv's ajv-formats); others are a diagnostic, not silently ignored. */
export const FORMATS = [
  "date", "time", "date-time", "duration", "uri", "uri-reference", "uri-template", "url",
  "email", "hostname", "ipv4", "ipv6", "regex", "uuid", "json-pointer", "relative-json-pointer", "byte",
  "int32", "int64", "float", "double", "password", "binary",
] as const;

const NUMERIC = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] as const;
const LENGTH = ["minLength", "maxLength"] as const;
const ITEMS = ["minItems", "maxItems"] as const;
const KNOWN = new Set<string>([...NUMERIC, ...LENGTH, ...ITEMS, "pattern", "format", "default", "deprecated", "example"]);

/**
 * Reads JSDoc constraints (`@minimum 0`, `@format email`, `@default 2`, …) into
 * JSON Schema keywords, checking each against the type it annotates. Returns
 * the problems as messages; the caller locates them.
 */
export function readConstraints(tags: readonly DocTag[], type: TypeIR): { constraints?: Constraints; problems: string[] } {
  const c: Constraints = {};
  const problems: string[] = [];
  const kinds = kindsOf(type);
  for (const { name, text } of tags) {
    if (!KNOWN.has(name)) continue;
    const value = text.trim();
    const applies = (want: string, what: string): boolean => {
      if (kinds.has(want) || kinds.has("any")) return true;
      problems.push(`@${name} applies to ${what}, but the type here is not one.`);
      return false;
    };
    if ((NUMERIC as readonly string[]).includes(name)) {
      const n = Number(value);
      if (value === "" || !Number.isFinite(n)) problems.push(`@${name} needs a number, got '${value}'.`);
      else if (applies("number", "numbers")) c[name as (typeof NUMERIC)[number]] = n;
    } else if ((LENGTH as readonly string[]).includes(name) || (ITEMS as readonly string[]).includes(name)) {
      const n = Number(value);
      const isItems = (ITEMS as readonly string[]).includes(name);
      if (!/^\d+$/.test(value)) problems.push(`@${name} needs a whole number, got '${value}'.`);
      else if (applies(isItems ? "array" : "string", isItems ? "arrays" : "strings")) c[name as "minLength"] = n;
    } else if (name === "pattern") {
      try {
        new RegExp(value, "u");
        if (applies("string", "strings")) c.pattern = value;
      } catch (e) {
        problems.push(`@pattern is not a valid regular expression: ${(e as Error).message}.`);
      }
    } else if (name === "format") {
      if (!(FORMATS as readonly string[]).includes(value)) problems.push(`Unknown @format '${value}'. Known formats: ${FORMATS.join(", ")}.`);
      else if (applies("string", "strings")) c.format = value;
    } else if (name === "default") {
      c.default = jsonValue(value);
    } else if (name === "example") {
      (c.examples ??= []).push(jsonValue(value));
    } else if (name === "deprecated") {
      c.deprecated = true;
    }
  }
  return Object.keys(c).length > 0 ? { constraints: c, problems } : { problems };
}

/** `@default 2` is the number 2, `@default "x"` and `@default x` the string x. */
function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The JSON kinds a type can take (through unions), to check a constraint applies. */
function kindsOf(t: TypeIR): Set<string> {
  const kinds = new Set<string>();
  const visit = (x: TypeIR): void => {
    if (x.kind === "union") return x.members.forEach(visit);
    if (x.kind === "literal") kinds.add(typeof x.value);
    else if (x.kind === "tuple" || x.kind === "set") kinds.add("array");
    else if (x.kind === "date" || x.kind === "bigint" || x.kind === "bytes" || x.kind === "url") kinds.add("string");
    else if (x.kind === "ref") kinds.add("any"); // checked against the component by the validator itself
    else kinds.add(x.kind);
  };
  visit(t);
  return kinds;
}
